// Server-side authorization: every console API route × every default role (and no session). One table names each
// route's permission and a request that succeeds when allowed; a route registered without a row here fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startGateway, type RunningGateway } from './gateway.ts';
import { DEFAULT_ROLES, SUPER_ADMIN } from './auth/permissions.ts';
import { FakeChain, TEST_KDF, clientOf, eventually, login, makeTestHome, type Client } from './testkit.ts';
import type { GatewayApp } from '@govchain/apps';

interface Req { method: string; url: string; body?: unknown }
interface Case { permission: string; request: (fx: Fixture) => Promise<Req> | Req }

interface Fixture {
  gw: RunningGateway;
  chain: FakeChain;
  admin: Client;
  seq(): number;
  victimUser(): Promise<string>;
  customRole(): Promise<string>;
  alertRule(): Promise<number>;
  channel(): Promise<number>;
}

const PASSWORD = 'Matrix-Pass-2024!';

const demoApp: GatewayApp = {
  name: 'demo',
  contracts: [],
  permissions: [{ name: 'demo:read', description: 'read demo things' }],
  async register(app, ctx) {
    app.get('/things', { preHandler: ctx.requirePermission('demo:read') }, async (request) => ({ user: ctx.principal(request)?.username }));
  },
};

const CASES: Record<string, Case> = {
  'GET /api/openapi.json': { permission: 'public', request: () => ({ method: 'GET', url: '/api/openapi.json' }) },
  'GET /api/health': { permission: 'public', request: () => ({ method: 'GET', url: '/api/health' }) },
  'POST /api/auth/login': { permission: 'public', request: () => ({ method: 'POST', url: '/api/auth/login', body: { username: 'admin2', password: PASSWORD } }) },
  'POST /api/auth/logout': { permission: 'authenticated', request: () => ({ method: 'POST', url: '/api/auth/logout' }) },
  'GET /api/auth/session': { permission: 'public', request: () => ({ method: 'GET', url: '/api/auth/session' }) },
  'GET /api/auth/me': { permission: 'authenticated', request: () => ({ method: 'GET', url: '/api/auth/me' }) },
  'POST /api/auth/password': { permission: 'authenticated', request: () => ({ method: 'POST', url: '/api/auth/password', body: { currentPassword: PASSWORD, newPassword: 'Changed-Pass-2024!' } }) },
  'GET /api/users': { permission: 'users:read', request: () => ({ method: 'GET', url: '/api/users' }) },
  'POST /api/users': { permission: 'users:manage', request: (fx) => ({ method: 'POST', url: '/api/users', body: { username: `new${fx.seq()}`, displayName: 'New', roles: ['user'] } }) },
  'PATCH /api/users/:id': { permission: 'users:manage', request: async (fx) => ({ method: 'PATCH', url: `/api/users/${await fx.victimUser()}`, body: { displayName: 'Renamed' } }) },
  'POST /api/users/:id/reset-password': { permission: 'users:manage', request: async (fx) => ({ method: 'POST', url: `/api/users/${await fx.victimUser()}/reset-password` }) },
  'POST /api/users/:id/unlock': { permission: 'users:manage', request: async (fx) => ({ method: 'POST', url: `/api/users/${await fx.victimUser()}/unlock` }) },
  'DELETE /api/users/:id': { permission: 'users:manage', request: async (fx) => ({ method: 'DELETE', url: `/api/users/${await fx.victimUser()}` }) },
  'GET /api/roles': { permission: 'roles:read', request: () => ({ method: 'GET', url: '/api/roles' }) },
  'GET /api/permissions': { permission: 'roles:read', request: () => ({ method: 'GET', url: '/api/permissions' }) },
  'POST /api/roles': { permission: 'roles:manage', request: (fx) => ({ method: 'POST', url: '/api/roles', body: { id: `role_${fx.seq()}`, name: 'R', permissions: ['dashboard:read'] } }) },
  'PATCH /api/roles/:id': { permission: 'roles:manage', request: async (fx) => ({ method: 'PATCH', url: `/api/roles/${await fx.customRole()}`, body: { description: 'changed' } }) },
  'DELETE /api/roles/:id': { permission: 'roles:manage', request: async (fx) => ({ method: 'DELETE', url: `/api/roles/${await fx.customRole()}` }) },
  'GET /api/audit': { permission: 'audit:read', request: () => ({ method: 'GET', url: '/api/audit?limit=5' }) },
  'GET /api/audit/export': { permission: 'audit:export', request: () => ({ method: 'GET', url: '/api/audit/export?action=auth.' }) },
  'GET /api/dashboard': { permission: 'dashboard:read', request: () => ({ method: 'GET', url: '/api/dashboard' }) },
  'GET /api/dashboard/series': { permission: 'dashboard:read', request: () => ({ method: 'GET', url: '/api/dashboard/series?minutes=5' }) },
  'GET /api/explorer/blocks': { permission: 'explorer:read', request: () => ({ method: 'GET', url: '/api/explorer/blocks?limit=5' }) },
  'GET /api/explorer/blocks/:id': { permission: 'explorer:read', request: () => ({ method: 'GET', url: '/api/explorer/blocks/2' }) },
  'GET /api/explorer/txs': { permission: 'explorer:read', request: () => ({ method: 'GET', url: '/api/explorer/txs' }) },
  'GET /api/explorer/txs/:id': { permission: 'explorer:read', request: (fx) => ({ method: 'GET', url: `/api/explorer/txs/${fx.chain.blocks[1]!.txIds[0]}` }) },
  'GET /api/explorer/txs/:id/proof': { permission: 'explorer:read', request: (fx) => ({ method: 'GET', url: `/api/explorer/txs/${fx.chain.blocks[1]!.txIds[0]}/proof` }) },
  'GET /api/explorer/accounts/:address': { permission: 'explorer:read', request: () => ({ method: 'GET', url: `/api/explorer/accounts/${'ab'.repeat(20)}` }) },
  'GET /api/explorer/search': { permission: 'explorer:read', request: () => ({ method: 'GET', url: '/api/explorer/search?q=1' }) },
  'GET /api/nodes': { permission: 'nodes:read', request: () => ({ method: 'GET', url: '/api/nodes' }) },
  'GET /api/host': { permission: 'nodes:read', request: () => ({ method: 'GET', url: '/api/host' }) },
  'GET /api/orgs': { permission: 'orgs:read', request: () => ({ method: 'GET', url: '/api/orgs' }) },
  'GET /api/orgs/certificates/:fingerprint': {
    permission: 'orgs:read',
    request: async (fx) => {
      const orgs = (await fx.admin.request('GET', '/api/orgs')).json.organizations;
      return { method: 'GET', url: `/api/orgs/certificates/${orgs[0].certificates[0].fingerprint}` };
    },
  },
  'GET /api/alerts/rules': { permission: 'monitor:read', request: () => ({ method: 'GET', url: '/api/alerts/rules' }) },
  'POST /api/alerts/rules': { permission: 'alerts:manage', request: () => ({ method: 'POST', url: '/api/alerts/rules', body: { name: 'r', kind: 'mempool_high', threshold: 100, severity: 'info' } }) },
  'PATCH /api/alerts/rules/:id': { permission: 'alerts:manage', request: async (fx) => ({ method: 'PATCH', url: `/api/alerts/rules/${await fx.alertRule()}`, body: { threshold: 200 } }) },
  'DELETE /api/alerts/rules/:id': { permission: 'alerts:manage', request: async (fx) => ({ method: 'DELETE', url: `/api/alerts/rules/${await fx.alertRule()}` }) },
  'GET /api/alerts/channels': { permission: 'monitor:read', request: () => ({ method: 'GET', url: '/api/alerts/channels' }) },
  'POST /api/alerts/channels': { permission: 'alerts:manage', request: () => ({ method: 'POST', url: '/api/alerts/channels', body: { name: 'c', url: 'http://127.0.0.1:9/hook' } }) },
  'PATCH /api/alerts/channels/:id': { permission: 'alerts:manage', request: async (fx) => ({ method: 'PATCH', url: `/api/alerts/channels/${await fx.channel()}`, body: { enabled: false } }) },
  'DELETE /api/alerts/channels/:id': { permission: 'alerts:manage', request: async (fx) => ({ method: 'DELETE', url: `/api/alerts/channels/${await fx.channel()}` }) },
  'POST /api/alerts/channels/:id/test': { permission: 'alerts:manage', request: async (fx) => ({ method: 'POST', url: `/api/alerts/channels/${await fx.channel()}/test` }) },
  'GET /api/alerts/events': { permission: 'monitor:read', request: () => ({ method: 'GET', url: '/api/alerts/events' }) },
  'GET /api/apps/demo/things': { permission: 'demo:read', request: () => ({ method: 'GET', url: '/api/apps/demo/things' }) },
};

let fx: Fixture;
let chain: FakeChain;

before(async () => {
  const t = makeTestHome();
  chain = new FakeChain(t.genesis.chainId, t.nodeNames);
  chain.addBlock();
  chain.addBlock([{ contract: 'kv', method: 'put', args: { key: 'a', value: '1' } }, { contract: 'kv', method: 'put', args: { key: 'b', value: '2' } }]);
  const gw = await startGateway(t.home, { nodeApi: chain.factory(), kdf: TEST_KDF, listen: false, apps: [demoApp], appPermissionGrants: { 'demo:read': ['developer'] } });
  await eventually('the index to reach the chain', () => gw.index.indexedHeight === chain.height);
  const app = gw.app as FastifyInstance;
  await gw.accounts.createUser({ username: 'admin2', displayName: 'Second admin', password: PASSWORD, roles: [SUPER_ADMIN], mustChangePassword: false });
  const admin = await login(app, 'admin2', PASSWORD);
  let n = 0;
  const created = async (method: string, url: string, body: unknown, pick: (j: any) => string | number) => {
    const r = await admin.request(method, url, body);
    assert.ok(r.status < 300, `fixture ${method} ${url}: ${r.status} ${r.text}`);
    return pick(r.json);
  };
  fx = {
    gw, chain, admin,
    seq: () => ++n,
    victimUser: async () => (await gw.accounts.createUser({ username: `victim${++n}`, displayName: 'Victim', password: PASSWORD, roles: ['user'], mustChangePassword: false })).id,
    customRole: async () => String(await created('POST', '/api/roles', { id: `fixture_${++n}`, name: 'F', permissions: ['dashboard:read'] }, (j) => j.role.id)),
    alertRule: async () => Number(await created('POST', '/api/alerts/rules', { name: 'f', kind: 'node_down', threshold: 30, severity: 'critical' }, (j) => j.rule.id)),
    channel: async () => Number(await created('POST', '/api/alerts/channels', { name: 'f', url: 'http://127.0.0.1:9/hook' }, (j) => j.channel.id)),
  };
});

after(async () => {
  await fx?.gw.close();
});

test('every console API route has exactly one row in the authorization table, with the permission it declares', () => {
  const registered = Object.fromEntries(fx.gw.rules.map((r) => [`${r.method} ${r.url}`, r.permission]));
  const docs = Object.keys(registered).filter((k) => k.includes('/api/docs'));
  for (const k of docs) delete registered[k];
  assert.deepEqual(Object.keys(registered).sort(), Object.keys(CASES).sort(), 'routes registered vs routes in the table');
  for (const [k, c] of Object.entries(CASES)) assert.equal(registered[k], c.permission, `${k} declares ${registered[k]}`);
});

test('without a session every non-public route answers 401 UNAUTHENTICATED', async () => {
  const anon = clientOf(fx.gw.app, null);
  for (const [key, c] of Object.entries(CASES)) {
    if (c.permission === 'public') continue;
    const req = await c.request(fx);
    const res = await anon.request(req.method, req.url, req.body);
    assert.equal(res.status, 401, `${key}: ${res.text}`);
    assert.equal(res.json.code, 'UNAUTHENTICATED', key);
  }
});

for (const role of DEFAULT_ROLES) {
  test(`role ${role.id}: routes its permissions allow succeed, every other route answers 403 FORBIDDEN`, async () => {
    const granted = new Set(role.id === SUPER_ADMIN ? [...fx.gw.accounts.permissionCatalog().map((p) => p.name)] : fx.gw.accounts.permissionsOf([role.id]));
    for (const [key, c] of Object.entries(CASES)) {
      // A fresh user and session per route: some routes end the session or change the password.
      const username = `${role.id.replace(/_/g, '')}${fx.seq()}`;
      await fx.gw.accounts.createUser({ username, displayName: role.name, password: PASSWORD, roles: [role.id], mustChangePassword: false });
      const client = await login(fx.gw.app, username, PASSWORD);
      const req = await c.request(fx);
      const res = await client.request(req.method, req.url, req.body);
      const allowed = c.permission === 'public' || c.permission === 'authenticated' || granted.has(c.permission);
      if (allowed) assert.ok(res.status >= 200 && res.status < 300, `${role.id} ${key} should succeed: ${res.status} ${res.text.slice(0, 300)}`);
      else {
        assert.equal(res.status, 403, `${role.id} ${key} should be refused: ${res.status} ${res.text.slice(0, 300)}`);
        assert.equal(res.json.code, 'FORBIDDEN', key);
      }
    }
  });
}

test('a route registered without a permission stops the gateway from starting', async () => {
  const t = makeTestHome();
  const c = new FakeChain(t.genesis.chainId, t.nodeNames);
  const careless: GatewayApp = {
    name: 'careless', contracts: [], permissions: [],
    async register(app) {
      app.get('/open', async () => ({ leaked: true }));
    },
  };
  await assert.rejects(startGateway(t.home, { nodeApi: c.factory(), kdf: TEST_KDF, listen: false, apps: [careless] }), /GET \/api\/apps\/careless\/open declares no permission/);
});
