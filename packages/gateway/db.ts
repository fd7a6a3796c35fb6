/**
 * The gateway's one SQLite database (better-sqlite3): users, roles, sessions, the operation log, alerts and the
 * block index, plus whatever tables the apps create. WAL so that readers (the console's pages) never wait for the
 * writer (the indexer); every statement is prepared with parameters, never built from input.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Each entry upgrades the schema by one version; never edit one that has shipped, append a new one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE permissions_seen (name TEXT PRIMARY KEY);
  CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    builtin INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL
  );
  CREATE TABLE role_permissions (
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    failed_since_ms INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    password_changed_ms INTEGER NOT NULL,
    last_login_ms INTEGER
  );
  CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    user_id TEXT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT '',
    status INTEGER
  );
  CREATE INDEX audit_time ON audit_log(time_ms);
  CREATE INDEX audit_user ON audit_log(username, time_ms);
  CREATE INDEX audit_action ON audit_log(action, time_ms);
  CREATE TABLE alert_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('webhook')),
    url TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_ms INTEGER NOT NULL
  );
  CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    threshold REAL NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    enabled INTEGER NOT NULL DEFAULT 1,
    channel_ids TEXT NOT NULL DEFAULT '[]',
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id INTEGER NOT NULL,
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
    fired_ms INTEGER NOT NULL,
    resolved_ms INTEGER,
    notify_result TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX alert_events_open ON alert_events(state, rule_id, subject);
  CREATE INDEX alert_events_time ON alert_events(fired_ms);
  CREATE TABLE chain_blocks (
    height INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    tx_count INTEGER NOT NULL,
    proposer_index INTEGER NOT NULL
  );
  CREATE INDEX chain_blocks_hash ON chain_blocks(hash);
  CREATE INDEX chain_blocks_time ON chain_blocks(time_ms);
  CREATE TABLE chain_txs (
    tx_id TEXT PRIMARY KEY,
    height INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    status TEXT,
    sender TEXT,
    contract TEXT,
    method TEXT,
    detailed INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX chain_txs_height ON chain_txs(height, idx);
  CREATE INDEX chain_txs_sender ON chain_txs(sender, height);
  CREATE INDEX chain_txs_pending_detail ON chain_txs(detailed, height);
  `,
];

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // NORMAL under WAL: a power loss may lose the last transactions, never corrupt the file. The ledger is the
  // chain's record; what this database holds is the gateway's own bookkeeping.
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`the gateway database is at schema version ${version}, newer than this gateway (${MIGRATIONS.length}); upgrade the gateway`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
