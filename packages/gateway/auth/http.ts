/**
 * Authentication and authorization of the console API, applied to every route under /api/ by one hook:
 * each route declares the permission it needs (`config.permission`: a catalog permission, 'authenticated' or
 * 'public'), and a route that declares none is refused when it is registered. State-changing requests also need
 * the session's CSRF token in the X-CSRF-Token header and, when the browser sends an Origin, this host's origin.
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { GovchainError } from '@govchain/base';
import type { Session, Sessions } from './sessions.ts';
import { safeEqual } from './sessions.ts';

export const SESSION_COOKIE = 'govchain_session';
export const CSRF_HEADER = 'x-csrf-token';
const PERMISSION_TAG = Symbol('govchain.permission');

export type RouteRule = string; // a permission name, 'authenticated' or 'public'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: a permission of the catalog, 'authenticated' (any signed-in user) or 'public'. */
    permission?: RouteRule;
    /** Name of the action in the operation log (default: method and route). */
    action?: string;
    /** Also log successful reads of this route (state-changing requests and refusals are always logged). */
    auditReads?: boolean;
  }
  interface FastifyRequest {
    session: Session | null;
    /** Set by a handler to name what the action was applied to / add detail in the operation log. */
    auditTarget: string | null;
    auditDetail: string | null;
    /** The error code a failed request ended with, for the operation log. */
    errorCode: string | null;
    /** True once the request has been written to the operation log explicitly. */
    audited: boolean;
  }
}

export type PermissionHandler = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & { [PERMISSION_TAG]?: string };

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/api; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

function refuse(session: Session | null, permission: RouteRule): void {
  if (permission === 'public') return;
  if (session === null) throw new GovchainError('UNAUTHENTICATED', 'unauthenticated', 'sign in first (the session is missing or has expired)');
  if (permission === 'authenticated') return;
  if (session.mustChangePassword) throw new GovchainError('PASSWORD_CHANGE_REQUIRED', 'forbidden', 'change the initial password before anything else');
  if (!session.principal.permissions.has(permission)) {
    throw new GovchainError('FORBIDDEN', 'forbidden', `this needs the permission ${permission}, which your roles do not grant`, { permission });
  }
}

/** The preHandler an app puts on a route: refuses unless the caller holds `permission` (the global hook also checks). */
export function requirePermission(permission: string): PermissionHandler {
  const handler: PermissionHandler = async (request) => refuse(request.session, permission);
  handler[PERMISSION_TAG] = permission;
  return handler;
}

/**
 * Called for every route as it is registered: finds its rule (config.permission, or a requirePermission preHandler)
 * and records it; an /api/ route with no rule is an error, so no route can be added without one.
 */
export function ruleOfRoute(route: RouteOptions): RouteRule | null {
  const url = route.url ?? '';
  if (!url.startsWith('/api/')) return null;
  const config = (route.config ?? {}) as { permission?: RouteRule };
  if (url === '/api/docs' || url.startsWith('/api/docs/')) return 'public';
  if (config.permission !== undefined) return config.permission;
  const handlers = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  for (const h of handlers) {
    const tag = (h as PermissionHandler)[PERMISSION_TAG];
    if (tag !== undefined) return tag;
  }
  const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
  throw new Error(`console API route ${methods} ${url} declares no permission: set config.permission or use requirePermission()`);
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The onRequest hook: attach the session, then enforce the route's rule and the CSRF defences. */
export function makeAuthHook(sessions: Sessions) {
  return async (request: FastifyRequest): Promise<void> => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return; // not a console API route (static files, 404)
    const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    request.session = token === undefined ? null : sessions.authenticate(token);
    if (!SAFE_METHODS.has(request.method)) {
      if (!sameOrigin(request)) throw new GovchainError('ORIGIN_REFUSED', 'forbidden', 'cross-origin request refused');
      if (request.session !== null && permission !== 'public') {
        const given = request.headers[CSRF_HEADER];
        if (typeof given !== 'string' || !safeEqual(given, request.session.csrfToken)) {
          throw new GovchainError('CSRF_TOKEN_INVALID', 'forbidden', `state-changing requests need the session's CSRF token in the ${CSRF_HEADER} header`);
        }
      }
    }
    refuse(request.session, permission);
  };
}
