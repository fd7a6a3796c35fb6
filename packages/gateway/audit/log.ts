/**
 * The operation log (操作日志): who did what, to what, when, from where and with what result. Append-only from
 * the API's point of view (no route changes or deletes an entry); entries older than the retention are pruned.
 */
import type { Db } from '../db.ts';

export interface AuditEntry {
  id: number;
  timeMs: number;
  userId: string | null;
  username: string;
  action: string;
  target: string;
  result: 'ok' | 'failed';
  detail: string;
  ip: string;
  method: string;
  path: string;
  status: number | null;
}

export interface AuditInput {
  userId: string | null;
  username: string;
  action: string;
  target: string;
  result: 'ok' | 'failed';
  detail?: string;
  ip: string;
  method?: string;
  path?: string;
  status?: number | null;
}

export interface AuditQuery {
  username?: string;
  action?: string;
  result?: 'ok' | 'failed';
  fromMs?: number;
  toMs?: number;
  /** Matches the target or the detail. */
  text?: string;
  limit: number;
  offset: number;
}

/** Bounds what one entry can hold, so a hostile request cannot grow the log by its own size. */
const FIELD_CHARS_MAX = 1024;
export const AUDIT_EXPORT_ROWS_MAX = 100_000;
export const AUDIT_RETENTION_MS = 365 * 24 * 3600 * 1000;

interface Row {
  id: number;
  time_ms: number;
  user_id: string | null;
  username: string;
  action: string;
  target: string;
  result: 'ok' | 'failed';
  detail: string;
  ip: string;
  method: string;
  path: string;
  status: number | null;
}

function clip(s: string): string {
  return s.length > FIELD_CHARS_MAX ? `${s.slice(0, FIELD_CHARS_MAX - 1)}…` : s;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class AuditLog {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  record(e: AuditInput): void {
    this.db.prepare(`INSERT INTO audit_log (time_ms, user_id, username, action, target, result, detail, ip, method, path, status)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      this.now(), e.userId, clip(e.username), clip(e.action), clip(e.target), e.result, clip(e.detail ?? ''), clip(e.ip),
      e.method ?? '', clip(e.path ?? ''), e.status ?? null,
    );
  }

  private where(q: Omit<AuditQuery, 'limit' | 'offset'>): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (q.username) { clauses.push('username = ?'); params.push(q.username); }
    if (q.action) { clauses.push("action LIKE ? ESCAPE '\\'"); params.push(`${escapeLike(q.action)}%`); }
    if (q.result) { clauses.push('result = ?'); params.push(q.result); }
    if (q.fromMs !== undefined) { clauses.push('time_ms >= ?'); params.push(q.fromMs); }
    if (q.toMs !== undefined) { clauses.push('time_ms <= ?'); params.push(q.toMs); }
    if (q.text) { clauses.push("(target LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')"); params.push(`%${escapeLike(q.text)}%`, `%${escapeLike(q.text)}%`); }
    return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
  }

  search(q: AuditQuery): { total: number; entries: AuditEntry[] } {
    const w = this.where(q);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${w.sql}`).get(...w.params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...w.params, q.limit, q.offset) as Row[];
    return { total, entries: rows.map(toEntry) };
  }

  /** The matching entries as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese correctly), newest first. */
  exportCsv(q: Omit<AuditQuery, 'limit' | 'offset'>): { csv: string; rows: number; truncated: boolean } {
    const w = this.where(q);
    const rows = this.db.prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ?`).all(...w.params, AUDIT_EXPORT_ROWS_MAX + 1) as Row[];
    const truncated = rows.length > AUDIT_EXPORT_ROWS_MAX;
    const lines = [['id', 'time', 'user', 'action', 'target', 'result', 'detail', 'ip', 'method', 'path', 'status'].join(',')];
    for (const r of rows.slice(0, AUDIT_EXPORT_ROWS_MAX)) {
      lines.push([String(r.id), new Date(r.time_ms).toISOString(), r.username, r.action, r.target, r.result, r.detail, r.ip, r.method, r.path, r.status === null ? '' : String(r.status)]
        .map(csvCell).join(','));
    }
    return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: Math.min(rows.length, AUDIT_EXPORT_ROWS_MAX), truncated };
  }

  prune(): number {
    return this.db.prepare('DELETE FROM audit_log WHERE time_ms < ?').run(this.now() - AUDIT_RETENTION_MS).changes;
  }
}

function toEntry(r: Row): AuditEntry {
  return {
    id: r.id, timeMs: r.time_ms, userId: r.user_id, username: r.username, action: r.action, target: r.target, result: r.result,
    detail: r.detail, ip: r.ip, method: r.method, path: r.path, status: r.status,
  };
}

/**
 * RFC 4180 quoting, and a leading ' before =, +, -, @, tab or CR so a spreadsheet does not run a cell that a user
 * typed (a user name or a search text) as a formula.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
