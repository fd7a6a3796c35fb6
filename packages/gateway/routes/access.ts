/**
 * Users, roles and the permission catalog. Nobody can hand out more than they hold: a role may be granted, and a
 * permission put into a role, only by someone who holds every permission involved; and a user may be changed only
 * by someone who holds every permission that user holds (an organization admin cannot disable a super admin).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GovchainError } from '@govchain/base';
import type { Principal } from '@govchain/apps';
import { generatePassword, PASSWORD_LENGTH_MAX } from '../auth/password.ts';
import type { GatewayDeps } from '../server.ts';

const userTags = ['users'];
const roleTags = ['roles'];
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const rolesSchema = { type: 'array', minItems: 1, maxItems: 32, items: { type: 'string', maxLength: 32 } } as const;
const permissionsSchema = { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 64 } } as const;

function principalOf(request: FastifyRequest): Principal {
  return request.session!.principal;
}

function assertHolds(actor: Principal, permissions: Iterable<string>, what: string): void {
  const missing = [...permissions].filter((p) => !actor.permissions.has(p));
  if (missing.length > 0) {
    throw new GovchainError('PRIVILEGE_ESCALATION', 'forbidden', `${what} needs permissions you do not hold: ${missing.join(', ')}`, { missing });
  }
}

export function accessRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { accounts } = deps;
  const canGrantRoles = (actor: Principal, roles: readonly string[]): void => assertHolds(actor, accounts.permissionsOf(roles), `granting ${roles.join(', ')}`);
  const canManageUser = (actor: Principal, userId: string): void => {
    const user = accounts.userById(userId);
    if (user === undefined) throw new GovchainError('USER_NOT_FOUND', 'not_found', `no user ${userId}`);
    assertHolds(actor, accounts.permissionsOf(accounts.rolesOf(userId)), `changing user ${user.username}`);
  };

  app.get('/api/users', {
    config: { permission: 'users:read' },
    schema: { summary: 'Users with their roles and state', tags: userTags },
  }, async () => ({ users: accounts.listUsers() }));

  app.post<{ Body: { username: string; displayName: string; roles: string[]; password?: string } }>('/api/users', {
    config: { permission: 'users:manage', action: 'user.create' },
    schema: {
      summary: 'Create a user; without a password one is generated and returned once', tags: userTags,
      body: {
        type: 'object', required: ['username', 'displayName', 'roles'], additionalProperties: false,
        properties: {
          username: { type: 'string', maxLength: 32 }, displayName: { type: 'string', minLength: 1, maxLength: 64 }, roles: rolesSchema,
          password: { type: 'string', maxLength: PASSWORD_LENGTH_MAX },
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    request.auditTarget = b.username;
    request.auditDetail = `roles=${b.roles.join(',')}`;
    canGrantRoles(principalOf(request), b.roles);
    const initialPassword = b.password ?? generatePassword();
    const user = await accounts.createUser({ username: b.username, displayName: b.displayName, password: initialPassword, roles: b.roles, mustChangePassword: true });
    return reply.status(201).send({ user, initialPassword: b.password === undefined ? initialPassword : null });
  });

  app.patch<{ Params: { id: string }; Body: { displayName?: string; roles?: string[]; disabled?: boolean } }>('/api/users/:id', {
    config: { permission: 'users:manage', action: 'user.update' },
    schema: {
      summary: 'Change a user: display name, roles, disabled', tags: userTags, params: idParams,
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: { displayName: { type: 'string', minLength: 1, maxLength: 64 }, roles: rolesSchema, disabled: { type: 'boolean' } },
      },
    },
  }, async (request) => {
    const actor = principalOf(request);
    const { id } = request.params;
    request.auditTarget = accounts.userById(id)?.username ?? id;
    request.auditDetail = JSON.stringify(request.body);
    canManageUser(actor, id);
    if (request.body.roles !== undefined) canGrantRoles(actor, request.body.roles);
    if (id === actor.userId && (request.body.disabled === true || request.body.roles !== undefined)) {
      throw new GovchainError('SELF_CHANGE_REFUSED', 'conflict', 'you cannot disable yourself or change your own roles');
    }
    return { user: accounts.updateUser(id, request.body) };
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/reset-password', {
    config: { permission: 'users:manage', action: 'user.reset-password' },
    schema: { summary: 'Give a user a new random password (returned once; to be changed at next sign-in)', tags: userTags, params: idParams },
  }, async (request) => {
    const { id } = request.params;
    request.auditTarget = accounts.userById(id)?.username ?? id;
    canManageUser(principalOf(request), id);
    const password = generatePassword();
    await accounts.setPassword(id, password, true);
    return { initialPassword: password };
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/unlock', {
    config: { permission: 'users:manage', action: 'user.unlock' },
    schema: { summary: 'Lift the lockout after failed sign-ins', tags: userTags, params: idParams },
  }, async (request) => {
    const { id } = request.params;
    request.auditTarget = accounts.userById(id)?.username ?? id;
    canManageUser(principalOf(request), id);
    accounts.unlock(id);
    return { user: accounts.view(accounts.userById(id)!) };
  });

  app.delete<{ Params: { id: string } }>('/api/users/:id', {
    config: { permission: 'users:manage', action: 'user.delete' },
    schema: { summary: 'Delete a user (its operation log entries stay)', tags: userTags, params: idParams },
  }, async (request) => {
    const { id } = request.params;
    request.auditTarget = accounts.userById(id)?.username ?? id;
    if (id === principalOf(request).userId) throw new GovchainError('SELF_CHANGE_REFUSED', 'conflict', 'you cannot delete yourself');
    canManageUser(principalOf(request), id);
    accounts.deleteUser(id);
    return { ok: true };
  });

  app.get('/api/roles', {
    config: { permission: 'roles:read' },
    schema: { summary: 'Roles with their permissions and number of users', tags: roleTags },
  }, async () => ({ roles: accounts.listRoles() }));

  app.get('/api/permissions', {
    config: { permission: 'roles:read' },
    schema: { summary: 'The permission catalog (the console\'s and the apps\')', tags: roleTags },
  }, async () => ({ permissions: accounts.permissionCatalog() }));

  app.post<{ Body: { id: string; name: string; description?: string; permissions: string[] } }>('/api/roles', {
    config: { permission: 'roles:manage', action: 'role.create' },
    schema: {
      summary: 'Create a custom role', tags: roleTags,
      body: {
        type: 'object', required: ['id', 'name', 'permissions'], additionalProperties: false,
        properties: { id: { type: 'string', maxLength: 32 }, name: { type: 'string', minLength: 1, maxLength: 64 }, description: { type: 'string', maxLength: 256 }, permissions: permissionsSchema },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    request.auditTarget = b.id;
    request.auditDetail = `permissions=${b.permissions.join(',')}`;
    assertHolds(principalOf(request), b.permissions, `role ${b.id}`);
    return reply.status(201).send({ role: accounts.createRole({ id: b.id, name: b.name, description: b.description ?? '', permissions: b.permissions }) });
  });

  app.patch<{ Params: { id: string }; Body: { name?: string; description?: string; permissions?: string[] } }>('/api/roles/:id', {
    config: { permission: 'roles:manage', action: 'role.update' },
    schema: {
      summary: 'Change a role\'s name, description or permissions', tags: roleTags, params: idParams,
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, description: { type: 'string', maxLength: 256 }, permissions: permissionsSchema },
      },
    },
  }, async (request) => {
    const actor = principalOf(request);
    request.auditDetail = JSON.stringify(request.body);
    assertHolds(actor, accounts.permissionsOf([request.params.id]), `changing role ${request.params.id}`);
    if (request.body.permissions !== undefined) assertHolds(actor, request.body.permissions, `role ${request.params.id}`);
    return { role: accounts.updateRole(request.params.id, request.body) };
  });

  app.delete<{ Params: { id: string } }>('/api/roles/:id', {
    config: { permission: 'roles:manage', action: 'role.delete' },
    schema: { summary: 'Delete a custom role that no user holds', tags: roleTags, params: idParams },
  }, async (request) => {
    accounts.deleteRole(request.params.id);
    return { ok: true };
  });
}
