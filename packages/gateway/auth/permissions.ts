/**
 * The permission catalog of the console API and the default roles. Apps add their permissions at start; each
 * console API route names the one permission it needs (routes/ and server.ts), and roles are sets of permissions.
 */

export interface PermissionDef {
  name: string;
  description: string;
  /** Where the console groups it; apps' permissions are grouped under their app. */
  group: string;
}

export const CORE_PERMISSIONS: readonly PermissionDef[] = [
  { name: 'dashboard:read', group: 'chain', description: 'View the dashboard: height, transactions, TPS, validators' },
  { name: 'explorer:read', group: 'chain', description: 'Browse blocks, transactions, receipts, proofs and accounts' },
  { name: 'nodes:read', group: 'network', description: 'View nodes, their status and the gateway host resources' },
  { name: 'orgs:read', group: 'network', description: 'View organizations and download their certificates' },
  { name: 'orgs:manage', group: 'network', description: 'Propose adding or removing organizations (governance)' },
  { name: 'monitor:read', group: 'monitor', description: 'View alert rules, channels and alert history' },
  { name: 'alerts:manage', group: 'monitor', description: 'Create, change and delete alert rules and notification channels' },
  { name: 'audit:read', group: 'audit', description: 'Search the operation log' },
  { name: 'audit:export', group: 'audit', description: 'Export the operation log as CSV' },
  { name: 'users:read', group: 'access', description: 'List users and their roles' },
  { name: 'users:manage', group: 'access', description: 'Create, change, unlock, reset and delete users' },
  { name: 'roles:read', group: 'access', description: 'List roles and the permission catalog' },
  { name: 'roles:manage', group: 'access', description: 'Create, change and delete custom roles' },
];

export const SUPER_ADMIN = 'super_admin';

export interface DefaultRole {
  id: string;
  /** Chinese name first: this is what the console shows by default; the console translates built-in ids. */
  name: string;
  description: string;
  /** Granted permissions; super_admin is always granted every permission, apps' included. */
  permissions: readonly string[];
}

const READ_CHAIN = ['dashboard:read', 'explorer:read'];

export const DEFAULT_ROLES: readonly DefaultRole[] = [
  { id: SUPER_ADMIN, name: '超级管理员', description: 'Every permission; manages roles and governance', permissions: CORE_PERMISSIONS.map((p) => p.name) },
  {
    id: 'org_admin', name: '组织管理员', description: 'Runs the organization: users, monitoring, the operation log',
    permissions: [...READ_CHAIN, 'nodes:read', 'orgs:read', 'monitor:read', 'alerts:manage', 'audit:read', 'users:read', 'users:manage', 'roles:read'],
  },
  { id: 'developer', name: '开发者', description: 'Builds on the chain: explorer, nodes, organizations', permissions: [...READ_CHAIN, 'nodes:read', 'orgs:read'] },
  {
    id: 'operations', name: '运维人员', description: 'Keeps the network running: nodes, host resources, alerts',
    permissions: [...READ_CHAIN, 'nodes:read', 'orgs:read', 'monitor:read', 'alerts:manage'],
  },
  {
    id: 'auditor', name: '审计员', description: 'Reviews who did what: the operation log and its export, users and roles',
    permissions: [...READ_CHAIN, 'audit:read', 'audit:export', 'users:read', 'roles:read', 'monitor:read'],
  },
  { id: 'user', name: '普通用户', description: 'Reads the chain', permissions: READ_CHAIN },
];

export const PERMISSION_NAME_RE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
