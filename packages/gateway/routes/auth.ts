/** Sign in, sign out, who am I, change my password. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GovchainError } from '@govchain/base';
import { clearedSessionCookie, sessionCookie } from '../auth/http.ts';
import type { Session } from '../auth/sessions.ts';
import { PASSWORD_LENGTH_MAX } from '../auth/password.ts';
import { clientIp, type GatewayDeps } from '../server.ts';

const tags = ['auth'];

export function meOf(deps: GatewayDeps, session: Session): Record<string, unknown> {
  const user = deps.accounts.userById(session.principal.userId)!;
  return {
    user: {
      id: user.id, username: user.username, displayName: user.display_name, organization: deps.organization,
      roles: session.principal.roles, permissions: [...session.principal.permissions].sort(), mustChangePassword: session.mustChangePassword,
      lastLoginMs: user.last_login_ms,
    },
    csrfToken: session.csrfToken,
    sessionExpiresMs: session.expiresMs,
    chain: deps.chain,
    apps: deps.apps.map((a) => a.name),
  };
}

export function authRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  app.post<{ Body: { username: string; password: string } }>('/api/auth/login', {
    config: { permission: 'public', action: 'auth.login' },
    schema: {
      summary: 'Sign in: sets the session cookie and returns the CSRF token', tags, security: [],
      body: {
        type: 'object', required: ['username', 'password'], additionalProperties: false,
        properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: PASSWORD_LENGTH_MAX } },
      },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const record = (result: 'ok' | 'failed', detail: string, userId: string | null, status: number): void => {
      deps.audit.record({ userId, username, action: 'auth.login', target: username, result, detail, ip: clientIp(request), method: 'POST', path: '/api/auth/login', status });
      request.audited = true;
    };
    try {
      const { token, session } = await deps.sessions.login(username, password, clientIp(request), request.headers['user-agent'] ?? '');
      reply.header('set-cookie', sessionCookie(token, Math.floor(deps.session.absoluteMs / 1000), deps.session.secureCookie));
      request.session = session;
      record('ok', session.mustChangePassword ? 'must change password' : '', session.principal.userId, 200);
      return meOf(deps, session);
    } catch (err) {
      const known = err instanceof GovchainError;
      record('failed', known ? err.code : 'INTERNAL', deps.accounts.userByName(username)?.id ?? null, known ? err.httpStatus : 500);
      throw err;
    }
  });

  app.post('/api/auth/logout', {
    config: { permission: 'authenticated', action: 'auth.logout' },
    schema: { summary: 'Sign out: ends this session', tags },
  }, async (request, reply) => {
    deps.sessions.logout(request.session!.tokenHash);
    reply.header('set-cookie', clearedSessionCookie(deps.session.secureCookie));
    return { ok: true };
  });

  // The console asks this at start: a 200 either way, so a visitor who is not signed in is not a failed request.
  app.get('/api/auth/session', {
    config: { permission: 'public' },
    schema: { summary: 'Whether this browser is signed in, and if so the same answer as /api/auth/me', tags, security: [] },
  }, async (request: FastifyRequest) => (request.session === null ? { authenticated: false } : { authenticated: true, ...meOf(deps, request.session) }));

  app.get('/api/auth/me', {
    config: { permission: 'authenticated' },
    schema: { summary: 'The signed-in user, roles, permissions and the CSRF token', tags },
  }, async (request: FastifyRequest) => meOf(deps, request.session!));

  app.post<{ Body: { currentPassword: string; newPassword: string } }>('/api/auth/password', {
    config: { permission: 'authenticated', action: 'auth.change-password' },
    schema: {
      summary: 'Change my password; every session of mine ends (sign in again)', tags,
      body: {
        type: 'object', required: ['currentPassword', 'newPassword'], additionalProperties: false,
        properties: { currentPassword: { type: 'string', maxLength: PASSWORD_LENGTH_MAX }, newPassword: { type: 'string', maxLength: PASSWORD_LENGTH_MAX } },
      },
    },
  }, async (request, reply) => {
    const p = request.session!.principal;
    request.auditTarget = p.username;
    await deps.sessions.changeOwnPassword(p.userId, request.body.currentPassword, request.body.newPassword);
    reply.header('set-cookie', clearedSessionCookie(deps.session.secureCookie));
    return { ok: true };
  });
}
