/**
 * Login, lockout and sessions. A session is a random 256-bit token held by the browser in an HttpOnly,
 * SameSite=Strict cookie; the database keeps only its SHA-256, so a copy of the database cannot be replayed as a
 * session. Each session also has a CSRF token that state-changing requests must echo in a header.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GovchainError } from '@govchain/base';
import type { Principal } from '@govchain/apps';
import type { Db } from '../db.ts';
import type { Accounts, UserRow } from './accounts.ts';
import { DEFAULT_KDF, hashPassword, needsRehash, verifyPassword, type KdfParams } from './password.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  failuresMax: number;
  failureWindowMs: number;
  lockMs: number;
}

export interface Session {
  principal: Principal;
  csrfToken: string;
  tokenHash: string;
  mustChangePassword: boolean;
  expiresMs: number;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_ms: number;
  last_seen_ms: number;
  expires_ms: number;
}

/** A user keeps at most this many sessions; logging in again beyond it ends the oldest. */
const SESSIONS_PER_USER_MAX = 10;
/** last_seen is written at most this often per session, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 15_000;
/** scrypt runs on libuv's pool (4 threads); beyond this many waiting logins new ones are refused at once. */
const LOGINS_WAITING_MAX = 256;
const LOGINS_RUNNING_MAX = 4;
/**
 * Per client address: this many failed sign-ins within the lockout window refuse further attempts from it until the
 * window passes, whatever the user names, so one address cannot try a common password on every account.
 */
export const IP_FAILURES_MAX = 30;
/** Addresses remembered at once; the oldest is forgotten beyond this, so a flood of addresses cannot exhaust memory. */
const IPS_TRACKED_MAX = 10_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private running = 0;
  private readonly ipFailures = new Map<string, { count: number; sinceMs: number }>();
  private readonly waiting: (() => void)[] = [];
  /** Checked against for unknown user names, so a refusal takes as long whether or not the user exists. */
  private dummyHash: Promise<string>;

  constructor(
    private readonly db: Db,
    private readonly accounts: Accounts,
    private readonly policy: SessionPolicy,
    private readonly organization: string,
    private readonly kdf: KdfParams = DEFAULT_KDF,
    private readonly now: () => number = Date.now,
  ) {
    this.dummyHash = hashPassword(randomBytes(16).toString('hex'), kdf);
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= LOGINS_RUNNING_MAX) {
      if (this.waiting.length >= LOGINS_WAITING_MAX) throw new GovchainError('LOGIN_BUSY', 'overloaded', 'too many logins at once; try again in a moment', { retryAfterMs: 1000 });
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /**
   * Checks the password and opens a session. Refusals: LOGIN_FAILED (unknown user or wrong password, the same
   * answer for both), ACCOUNT_LOCKED (too many failures; no password is checked while locked), ACCOUNT_DISABLED.
   */
  async login(username: string, password: string, ip: string, userAgent: string): Promise<{ token: string; session: Session; user: UserRow }> {
    this.checkIp(ip);
    return this.slot(async () => {
      const user = this.accounts.userByName(username);
      const now = this.now();
      if (user === undefined) {
        await verifyPassword(password, await this.dummyHash);
        this.ipFailed(ip);
        throw new GovchainError('LOGIN_FAILED', 'unauthenticated', 'wrong user name or password');
      }
      if (user.locked_until_ms > now) {
        throw new GovchainError('ACCOUNT_LOCKED', 'forbidden', 'this account is locked after repeated failed logins', { lockedUntilMs: user.locked_until_ms });
      }
      const ok = await verifyPassword(password, user.password_hash);
      if (!ok) {
        this.recordFailure(user, now);
        this.ipFailed(ip);
        throw new GovchainError('LOGIN_FAILED', 'unauthenticated', 'wrong user name or password');
      }
      if (user.disabled === 1) throw new GovchainError('ACCOUNT_DISABLED', 'forbidden', 'this account is disabled; ask an administrator');
      if (needsRehash(user.password_hash, this.kdf)) {
        this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(await hashPassword(password, this.kdf), user.id);
      }
      const token = randomBytes(32).toString('base64url');
      const csrf = randomBytes(24).toString('base64url');
      const tokenHash = hashToken(token);
      this.db.transaction(() => {
        this.db.prepare('UPDATE users SET failed_count = 0, failed_since_ms = 0, locked_until_ms = 0, last_login_ms = ? WHERE id = ?').run(now, user.id);
        this.db.prepare(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, last_seen_ms, expires_ms, ip, user_agent)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(tokenHash, user.id, csrf, now, now, now + this.policy.absoluteMs, ip, userAgent.slice(0, 256));
        this.db.prepare(`DELETE FROM sessions WHERE user_id = ? AND token_hash NOT IN
          (SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_ms DESC LIMIT ?)`).run(user.id, user.id, SESSIONS_PER_USER_MAX);
      })();
      const session = this.authenticate(token);
      if (session === null) throw new Error('a session just created is not found');
      return { token, session, user };
    });
  }

  private checkIp(ip: string): void {
    const f = this.ipFailures.get(ip);
    if (f === undefined) return;
    if (this.now() - f.sinceMs >= this.policy.failureWindowMs) {
      this.ipFailures.delete(ip);
      return;
    }
    if (f.count >= IP_FAILURES_MAX) {
      throw new GovchainError('LOGIN_RATE_LIMITED', 'rate_limited', 'too many failed sign-ins from this address; try again later', { retryAfterMs: f.sinceMs + this.policy.failureWindowMs - this.now() });
    }
  }

  private ipFailed(ip: string): void {
    const now = this.now();
    const f = this.ipFailures.get(ip);
    if (f !== undefined && now - f.sinceMs < this.policy.failureWindowMs) {
      f.count++;
      return;
    }
    this.ipFailures.delete(ip);
    if (this.ipFailures.size >= IPS_TRACKED_MAX) this.ipFailures.delete(this.ipFailures.keys().next().value!);
    this.ipFailures.set(ip, { count: 1, sinceMs: now });
  }

  private recordFailure(user: UserRow, now: number): void {
    const inWindow = user.failed_count > 0 && now - user.failed_since_ms < this.policy.failureWindowMs;
    const count = inWindow ? user.failed_count + 1 : 1;
    const since = inWindow ? user.failed_since_ms : now;
    if (count >= this.policy.failuresMax) {
      this.db.prepare('UPDATE users SET failed_count = 0, failed_since_ms = 0, locked_until_ms = ? WHERE id = ?').run(now + this.policy.lockMs, user.id);
    } else {
      this.db.prepare('UPDATE users SET failed_count = ?, failed_since_ms = ? WHERE id = ?').run(count, since, user.id);
    }
  }

  /** The session of a cookie token, or null when unknown, idle too long, past its absolute expiry or its user is disabled. */
  authenticate(token: string): Session | null {
    if (token.length === 0 || token.length > 128) return null;
    const tokenHash = hashToken(token);
    const row = this.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
    if (row === undefined) return null;
    const now = this.now();
    if (row.expires_ms <= now || row.last_seen_ms + this.policy.idleMs <= now) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
      return null;
    }
    const user = this.accounts.userById(row.user_id);
    if (user === undefined || user.disabled === 1) return null;
    let lastSeenMs = row.last_seen_ms;
    if (now - lastSeenMs >= TOUCH_INTERVAL_MS) {
      this.db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?').run(now, tokenHash);
      lastSeenMs = now;
    }
    const roles = this.accounts.rolesOf(user.id);
    return {
      principal: { userId: user.id, username: user.username, organization: this.organization, roles, permissions: this.accounts.permissionsOf(roles) },
      csrfToken: row.csrf_token,
      tokenHash,
      mustChangePassword: user.must_change_password === 1,
      expiresMs: Math.min(row.expires_ms, lastSeenMs + this.policy.idleMs),
    };
  }

  logout(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  /** Checks the current password, sets the new one, ends every session of the user and opens none (log in again). */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<void> {
    const user = this.accounts.userById(userId);
    if (user === undefined) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${userId}`);
    const ok = await this.slot(() => verifyPassword(current, user.password_hash));
    if (!ok) throw new GovchainError('PASSWORD_WRONG', 'malformed', 'the current password is wrong');
    if (current === next) throw new GovchainError('PASSWORD_POLICY', 'malformed', 'the new password must differ from the current one');
    await this.accounts.setPassword(userId, next, false);
  }

  /** Deletes expired sessions; run periodically. */
  sweep(): number {
    const now = this.now();
    return this.db.prepare('DELETE FROM sessions WHERE expires_ms <= ? OR last_seen_ms + ? <= ?').run(now, this.policy.idleMs, now).changes;
  }
}
