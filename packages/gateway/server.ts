/**
 * The gateway's HTTP server: the console API under /api/ (each route with its permission, see auth/http.ts),
 * its OpenAPI document at /api/openapi.json, the apps' routes under /api/apps/<app>/, and the built console at /.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { AppContext, ChainClient, FileStore, GatewayApp } from '@govchain/apps';
import type { Accounts } from './auth/accounts.ts';
import { makeAuthHook, requirePermission, ruleOfRoute, type RouteRule } from './auth/http.ts';
import type { Sessions } from './auth/sessions.ts';
import type { AlertEngine } from './alerts/engine.ts';
import type { AuditLog } from './audit/log.ts';
import type { OrganizationView } from './chain/certificates.ts';
import type { ChainIndex } from './chain/indexer.ts';
import type { NodeApi } from './chain/node-api.ts';
import type { Db } from './db.ts';
import { makeErrorHandler } from './errors.ts';
import type { HostSampler } from '@govchain/node';
import type { NodeMonitor } from './monitor/monitor.ts';
import type { ConsoleFiles } from './static.ts';
import { authRoutes } from './routes/auth.ts';
import { accessRoutes } from './routes/access.ts';
import { auditRoutes } from './routes/audit.ts';
import { chainRoutes } from './routes/chain.ts';
import { networkRoutes } from './routes/network.ts';
import { alertRoutes } from './routes/alerts.ts';

export interface GatewayDeps {
  organization: string;
  version: string;
  chain: { chainId: string; suite: 'gm' | 'intl' };
  session: { absoluteMs: number; secureCookie: boolean };
  trustProxy: boolean;
  db: Db;
  accounts: Accounts;
  sessions: Sessions;
  audit: AuditLog;
  node: NodeApi;
  index: ChainIndex;
  monitor: NodeMonitor;
  host: HostSampler;
  alerts: AlertEngine;
  organizations: OrganizationView[];
  consoleFiles: ConsoleFiles;
  logger: Logger;
  apps: readonly GatewayApp[];
  chainClient: ChainClient;
  files: FileStore;
}

export interface RouteRuleEntry {
  method: string;
  url: string;
  permission: RouteRule;
}

const API_BODY_BYTES_MAX = 256 * 1024;
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  // Ant Design writes its styles at run time (CSS-in-JS), hence 'unsafe-inline' for styles only; no inline script.
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
};

export function clientIp(request: FastifyRequest): string {
  return request.ip;
}

/** Writes one operation-log entry for a request, with the caller from its session. */
export function auditRequest(deps: GatewayDeps, request: FastifyRequest, action: string, target: string, result: 'ok' | 'failed', detail?: string, status?: number): void {
  const p = request.session?.principal ?? null;
  deps.audit.record({
    userId: p?.userId ?? null, username: p?.username ?? '-', action, target, result, detail: detail ?? '', ip: clientIp(request),
    method: request.method, path: request.url.split('?')[0]!, status: status ?? null,
  });
  request.audited = true;
}

export async function buildGatewayServer(deps: GatewayDeps): Promise<{ app: FastifyInstance; rules: RouteRuleEntry[] }> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    // The operation log records what matters about each request; per-request log lines would only repeat it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: API_BODY_BYTES_MAX,
    trustProxy: deps.trustProxy,
  });
  const rules: RouteRuleEntry[] = [];
  app.decorateRequest('session', null);
  app.decorateRequest('auditTarget', null);
  app.decorateRequest('auditDetail', null);
  app.decorateRequest('errorCode', null);
  app.decorateRequest('audited', false);

  app.addHook('onRoute', (route: RouteOptions) => {
    const rule = ruleOfRoute(route);
    if (rule === null) return;
    route.config = { ...(route.config ?? {}), permission: rule };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') rules.push({ method: m, url: route.url, permission: rule });
    // The OpenAPI document says which permission each route needs.
    if (route.schema !== undefined && !(route.schema as { hide?: boolean }).hide) {
      const s = route.schema as { description?: string };
      s.description = `${s.description === undefined ? '' : `${s.description}\n\n`}Permission: \`${rule}\``;
    }
  });
  app.addHook('onRequest', makeAuthHook(deps.sessions));
  app.addHook('onSend', async (request, reply, payload) => {
    const isDocs = request.url.startsWith('/api/docs');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!(isDocs && k === 'content-security-policy')) reply.header(k, v);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  // Operation log: every state-changing request, every refusal, and the reads a route marks (cert downloads, exports).
  app.addHook('onResponse', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config?.permission === undefined || request.audited) return;
    const status = reply.statusCode;
    const refused = status === 401 || status === 403;
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    // An anonymous probe of "who am I" is how the console finds out it must show the login page: not an event.
    if (refused && request.session === null && request.routeOptions.url === '/api/auth/me') return;
    if (!write && !refused && !(config.auditReads && status < 400)) return;
    const params = request.params as Record<string, string> | undefined;
    const target = request.auditTarget ?? (params !== undefined && Object.keys(params).length > 0 ? Object.values(params).join('/') : '');
    const detail = [request.errorCode, request.auditDetail].filter((x) => x !== null).join(' ');
    auditRequest(deps, request, config.action ?? `${request.method} ${request.routeOptions.url}`, target, status < 400 ? 'ok' : 'failed', detail, status);
  });
  app.setErrorHandler(makeErrorHandler(deps.logger));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/api/') || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${path}; see /api/openapi.json` });
    }
    const file = deps.consoleFiles.lookup(path);
    if (file === null) {
      const message = deps.consoleFiles.available ? `no file ${path}` : 'the console is not built: run npm run build:console';
      return reply.status(404).type('text/plain; charset=utf-8').send(message);
    }
    reply.header('etag', file.etag).header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
    if (file.gzip !== null && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.type(file.type).header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.type(file.type).send(file.body);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'govchain gateway console API', version: deps.version,
        description: 'The management console API of one organization. Sign in with POST /api/auth/login; the session is an HttpOnly cookie, and state-changing requests carry the X-CSRF-Token header returned at login.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'govchain_session' } } },
      security: [{ session: [] }],
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { permission: 'public' } }, async () => app.swagger());
  // The online API debugger: try the console API from a browser with one's own session (and CSRF token).
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/health', { schema: { summary: 'Liveness of the gateway', tags: ['meta'] }, config: { permission: 'public' } }, async () => ({ ok: true }));

  authRoutes(app, deps);
  accessRoutes(app, deps);
  auditRoutes(app, deps);
  chainRoutes(app, deps);
  networkRoutes(app, deps);
  alertRoutes(app, deps);

  const ctx: AppContext = {
    chain: deps.chainClient,
    db: deps.db as unknown as AppContext['db'],
    files: deps.files,
    logger: deps.logger,
    requirePermission,
    principal: (request) => request.session?.principal ?? null,
    audit: (request, action, target, result, detail) => auditRequest(deps, request, action, target, result, detail),
  };
  for (const a of deps.apps) {
    await app.register(async (scope) => a.register(scope, { ...ctx, logger: deps.logger.child({ app: a.name }) }), { prefix: `/api/apps/${a.name}` });
  }
  await app.ready();
  return { app, rules };
}
