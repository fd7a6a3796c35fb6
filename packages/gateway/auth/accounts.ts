/**
 * Users and roles in the gateway's database. A user's permissions are the union of its roles' permissions,
 * read on every request, so a role change or a disabled account takes effect at once.
 */
import { randomUUID } from 'node:crypto';
import { GovchainError } from '@govchain/base';
import type { Db } from '../db.ts';
import { DEFAULT_ROLES, PERMISSION_NAME_RE, SUPER_ADMIN, type PermissionDef } from './permissions.ts';
import { checkPasswordPolicy, hashPassword, type KdfParams } from './password.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  failed_count: number;
  failed_since_ms: number;
  locked_until_ms: number;
  created_ms: number;
  password_changed_ms: number;
  last_login_ms: number | null;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
  lockedUntilMs: number | null;
  mustChangePassword: boolean;
  createdMs: number;
  lastLoginMs: number | null;
}

export interface RoleView {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  permissions: string[];
  users: number;
}

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;
export const ROLE_ID_RE = /^[a-z][a-z0-9_]{2,31}$/;

export class Accounts {
  private catalog: PermissionDef[] = [];

  constructor(private readonly db: Db, private readonly kdf: KdfParams, private readonly now: () => number = Date.now) {}

  /**
   * Records the permission catalog and creates the built-in roles. A permission seen for the first time (an
   * app added since the last start) is granted to the roles `grants` names for it; later edits by an
   * administrator are kept, since a permission is granted by default only once.
   */
  syncCatalog(catalog: readonly PermissionDef[], grants: Readonly<Record<string, readonly string[]>> = {}): void {
    this.catalog = [...catalog];
    const names = new Set(catalog.map((p) => p.name));
    for (const p of catalog) if (!PERMISSION_NAME_RE.test(p.name)) throw new Error(`permission name ${p.name} is not <area>:<action>`);
    this.db.transaction(() => {
      const seen = new Set((this.db.prepare('SELECT name FROM permissions_seen').all() as { name: string }[]).map((r) => r.name));
      for (const role of DEFAULT_ROLES) {
        const created = this.db.prepare('INSERT OR IGNORE INTO roles (id, name, description, builtin, created_ms) VALUES (?, ?, ?, 1, ?)')
          .run(role.id, role.name, role.description, this.now()).changes === 1;
        const defaults = new Set([...role.permissions, ...Object.entries(grants).filter(([, roles]) => roles.includes(role.id)).map(([p]) => p)]);
        for (const p of names) {
          if ((created || !seen.has(p)) && (defaults.has(p) || role.id === SUPER_ADMIN)) {
            this.db.prepare('INSERT OR IGNORE INTO role_permissions (role_id, permission) VALUES (?, ?)').run(role.id, p);
          }
        }
      }
      for (const p of names) this.db.prepare('INSERT OR IGNORE INTO permissions_seen (name) VALUES (?)').run(p);
    })();
  }

  permissionCatalog(): PermissionDef[] {
    return this.catalog;
  }

  userCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  userByName(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  }

  userById(id: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  rolesOf(userId: string): string[] {
    return (this.db.prepare('SELECT role_id FROM user_roles WHERE user_id = ? ORDER BY role_id').all(userId) as { role_id: string }[]).map((r) => r.role_id);
  }

  /** The permissions of a set of roles; super admins hold the whole catalog, apps' permissions included. */
  permissionsOf(roles: readonly string[]): Set<string> {
    if (roles.includes(SUPER_ADMIN)) return new Set(this.catalog.map((p) => p.name));
    const out = new Set<string>();
    const stmt = this.db.prepare('SELECT permission FROM role_permissions WHERE role_id = ?');
    for (const r of roles) for (const row of stmt.all(r) as { permission: string }[]) out.add(row.permission);
    return out;
  }

  view(u: UserRow): UserView {
    return {
      id: u.id, username: u.username, displayName: u.display_name, roles: this.rolesOf(u.id), disabled: u.disabled === 1,
      lockedUntilMs: u.locked_until_ms > this.now() ? u.locked_until_ms : null, mustChangePassword: u.must_change_password === 1,
      createdMs: u.created_ms, lastLoginMs: u.last_login_ms,
    };
  }

  listUsers(): UserView[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY created_ms, username').all() as UserRow[]).map((u) => this.view(u));
  }

  private checkRoles(roles: readonly string[]): void {
    if (roles.length === 0) throw new GovchainError('USER_ROLES_REQUIRED', 'malformed', 'a user needs at least one role');
    for (const r of roles) {
      if (this.db.prepare('SELECT 1 FROM roles WHERE id = ?').get(r) === undefined) throw new GovchainError('ROLE_NOT_FOUND', 'not_found', `no role ${r}`);
    }
  }

  async createUser(input: { username: string; displayName: string; password: string; roles: readonly string[]; mustChangePassword: boolean }): Promise<UserView> {
    if (!USERNAME_RE.test(input.username)) throw new GovchainError('USERNAME_INVALID', 'malformed', 'a user name has 3 to 32 letters, digits, dots, dashes or underscores');
    checkPasswordPolicy(input.password, input.username);
    this.checkRoles(input.roles);
    if (this.userByName(input.username) !== undefined) throw new GovchainError('USER_EXISTS', 'conflict', `user ${input.username} already exists`);
    const hash = await hashPassword(input.password, this.kdf);
    const id = randomUUID();
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO users (id, username, display_name, password_hash, must_change_password, created_ms, password_changed_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(id, input.username, input.displayName, hash, input.mustChangePassword ? 1 : 0, now, now);
      for (const r of new Set(input.roles)) this.db.prepare('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(id, r);
    })();
    return this.view(this.userById(id)!);
  }

  private superAdminsOtherThan(userId: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id
      WHERE r.role_id = ? AND u.disabled = 0 AND u.id <> ?`).get(SUPER_ADMIN, userId) as { n: number }).n;
  }

  /** Refuses a change that would leave no enabled super admin: someone must always be able to manage roles. */
  private keepOneSuperAdmin(userId: string, stillSuperAdmin: boolean): void {
    const isSuper = this.rolesOf(userId).includes(SUPER_ADMIN);
    if (isSuper && !stillSuperAdmin && this.superAdminsOtherThan(userId) === 0) {
      throw new GovchainError('LAST_SUPER_ADMIN', 'conflict', 'this is the last enabled super admin; make another user super admin first');
    }
  }

  updateUser(id: string, patch: { displayName?: string; roles?: readonly string[]; disabled?: boolean }): UserView {
    const user = this.userById(id);
    if (user === undefined) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${id}`);
    if (patch.roles !== undefined) this.checkRoles(patch.roles);
    const roles = patch.roles ?? this.rolesOf(id);
    const disabled = patch.disabled ?? user.disabled === 1;
    this.keepOneSuperAdmin(id, roles.includes(SUPER_ADMIN) && !disabled);
    this.db.transaction(() => {
      if (patch.displayName !== undefined) this.db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run(patch.displayName, id);
      if (patch.disabled !== undefined) {
        this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
        if (disabled) this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      if (patch.roles !== undefined) {
        this.db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(id);
        for (const r of new Set(patch.roles)) this.db.prepare('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(id, r);
      }
    })();
    return this.view(this.userById(id)!);
  }

  deleteUser(id: string): void {
    if (this.userById(id) === undefined) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${id}`);
    this.keepOneSuperAdmin(id, false);
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  /** Sets a password (checked against the policy) and ends the user's sessions. */
  async setPassword(id: string, password: string, mustChange: boolean): Promise<void> {
    const user = this.userById(id);
    if (user === undefined) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${id}`);
    checkPasswordPolicy(password, user.username);
    const hash = await hashPassword(password, this.kdf);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_ms = ? WHERE id = ?').run(hash, mustChange ? 1 : 0, this.now(), id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
    })();
  }

  unlock(id: string): void {
    const r = this.db.prepare('UPDATE users SET failed_count = 0, failed_since_ms = 0, locked_until_ms = 0 WHERE id = ?').run(id);
    if (r.changes === 0) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${id}`);
  }

  listRoles(): RoleView[] {
    const rows = this.db.prepare(`SELECT r.id, r.name, r.description, r.builtin, (SELECT COUNT(*) FROM user_roles u WHERE u.role_id = r.id) AS users
      FROM roles r ORDER BY r.builtin DESC, r.created_ms, r.id`).all() as { id: string; name: string; description: string; builtin: number; users: number }[];
    return rows.map((r) => ({
      id: r.id, name: r.name, description: r.description, builtin: r.builtin === 1, users: r.users,
      permissions: [...this.permissionsOf([r.id])].sort(),
    }));
  }

  private checkPermissions(permissions: readonly string[]): void {
    const known = new Set(this.catalog.map((p) => p.name));
    for (const p of permissions) if (!known.has(p)) throw new GovchainError('PERMISSION_UNKNOWN', 'malformed', `no permission ${p} in the catalog`);
  }

  createRole(input: { id: string; name: string; description: string; permissions: readonly string[] }): RoleView {
    if (!ROLE_ID_RE.test(input.id)) throw new GovchainError('ROLE_ID_INVALID', 'malformed', 'a role id has 3 to 32 lower-case letters, digits or underscores');
    this.checkPermissions(input.permissions);
    if (this.db.prepare('SELECT 1 FROM roles WHERE id = ?').get(input.id) !== undefined) throw new GovchainError('ROLE_EXISTS', 'conflict', `role ${input.id} already exists`);
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO roles (id, name, description, builtin, created_ms) VALUES (?, ?, ?, 0, ?)').run(input.id, input.name, input.description, this.now());
      for (const p of new Set(input.permissions)) this.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)').run(input.id, p);
    })();
    return this.listRoles().find((r) => r.id === input.id)!;
  }

  /** Built-in roles keep their id and name but their permissions may be changed, except the super admin's (all). */
  updateRole(id: string, patch: { name?: string; description?: string; permissions?: readonly string[] }): RoleView {
    const row = this.db.prepare('SELECT builtin FROM roles WHERE id = ?').get(id) as { builtin: number } | undefined;
    if (row === undefined) throw new GovchainError('ROLE_NOT_FOUND', 'not_found', `no role ${id}`);
    if (id === SUPER_ADMIN) throw new GovchainError('ROLE_IMMUTABLE', 'conflict', 'the super admin role always holds every permission');
    if (row.builtin === 1 && patch.name !== undefined) throw new GovchainError('ROLE_IMMUTABLE', 'conflict', 'a built-in role keeps its name');
    if (patch.permissions !== undefined) this.checkPermissions(patch.permissions);
    this.db.transaction(() => {
      if (patch.name !== undefined) this.db.prepare('UPDATE roles SET name = ? WHERE id = ?').run(patch.name, id);
      if (patch.description !== undefined) this.db.prepare('UPDATE roles SET description = ? WHERE id = ?').run(patch.description, id);
      if (patch.permissions !== undefined) {
        this.db.prepare('DELETE FROM role_permissions WHERE role_id = ?').run(id);
        for (const p of new Set(patch.permissions)) this.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)').run(id, p);
      }
    })();
    return this.listRoles().find((r) => r.id === id)!;
  }

  deleteRole(id: string): void {
    const row = this.db.prepare('SELECT builtin FROM roles WHERE id = ?').get(id) as { builtin: number } | undefined;
    if (row === undefined) throw new GovchainError('ROLE_NOT_FOUND', 'not_found', `no role ${id}`);
    if (row.builtin === 1) throw new GovchainError('ROLE_IMMUTABLE', 'conflict', 'a built-in role cannot be deleted');
    const users = (this.db.prepare('SELECT COUNT(*) AS n FROM user_roles WHERE role_id = ?').get(id) as { n: number }).n;
    if (users > 0) throw new GovchainError('ROLE_IN_USE', 'conflict', `${users} user(s) still hold role ${id}; change their roles first`);
    this.db.prepare('DELETE FROM roles WHERE id = ?').run(id);
  }
}
