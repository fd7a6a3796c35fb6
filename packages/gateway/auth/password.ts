/**
 * Password hashing with scrypt (node:crypto): a memory-hard KDF, so each guess against a stolen database costs
 * an attacker 32 MiB and tens of milliseconds. The parameters are stored in each hash, so raising them later only
 * affects new hashes (a user's hash is upgraded at their next login).
 *
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { GovchainError } from '@govchain/base';

export interface KdfParams {
  log2N: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and about 0.2 s of one core per hash (figures and the trade-off in docs/console.md). */
export const DEFAULT_KDF: KdfParams = { log2N: 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 128;

function derive(password: string, salt: Buffer, k: KdfParams): Promise<Buffer> {
  const N = 2 ** k.log2N;
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes or scrypt refuses the parameters.
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, { N, r: k.r, p: k.p, maxmem: 256 * N * k.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, kdf: KdfParams = DEFAULT_KDF): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, kdf);
  return ['scrypt', kdf.log2N, kdf.r, kdf.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function parseHash(stored: string): { kdf: KdfParams; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { kdf: { log2N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), hash: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const got = await derive(password, parsed.salt, parsed.kdf);
  return got.length === parsed.hash.length && timingSafeEqual(got, parsed.hash);
}

export function needsRehash(stored: string, kdf: KdfParams = DEFAULT_KDF): boolean {
  const parsed = parseHash(stored);
  return parsed === null || parsed.kdf.log2N < kdf.log2N || parsed.kdf.r < kdf.r || parsed.kdf.p < kdf.p;
}

/**
 * The policy every new password must meet: 10 to 128 characters with at least three of lower case, upper case,
 * digits and other characters (the usual reading of MLPS level 3's "complexity" requirement).
 */
export function checkPasswordPolicy(password: string, username?: string): void {
  const fail = (message: string): never => {
    throw new GovchainError('PASSWORD_POLICY', 'malformed', message);
  };
  if (password.length < PASSWORD_LENGTH_MIN || password.length > PASSWORD_LENGTH_MAX) fail(`a password has ${PASSWORD_LENGTH_MIN} to ${PASSWORD_LENGTH_MAX} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) fail('a password mixes at least three of: lower case, upper case, digits, other characters');
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) fail('a password must not contain the user name');
}

/** A random password meeting the policy: 20 characters from an alphabet without look-alikes (0/O, 1/l/I). */
export function generatePassword(): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_!@#%+='];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < 20) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
