// The console API over HTTP semantics: cookies, CSRF, origin, first start, forced password change, operation log,
// privilege escalation, security headers, static console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from './gateway.ts';
import { SUPER_ADMIN } from './auth/permissions.ts';
import { FakeChain, TEST_KDF, clientOf, eventually, login, makeTestHome, type Client } from './testkit.ts';

const PASSWORD = 'Http-Test-Pass-1';
let gw: RunningGateway;
let chain: FakeChain;
let home: string;
let root: Client;

before(async () => {
  const t = makeTestHome();
  home = t.home;
  const dist = join(home, 'console');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app-abc.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'big-abc.js'), `const x = ${JSON.stringify('govchain '.repeat(2000))};`);
  const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
  writeFileSync(join(home, 'config.json'), JSON.stringify({ ...config, files: { console: 'console' } }));
  chain = new FakeChain(t.genesis.chainId, t.nodeNames);
  chain.addBlock([{ contract: 'kv', method: 'put', args: { key: 'k', value: 'v' } }]);
  gw = await startGateway(home, { nodeApi: chain.factory(), kdf: TEST_KDF, listen: false });
  await gw.accounts.createUser({ username: 'root', displayName: 'Root', password: PASSWORD, roles: [SUPER_ADMIN], mustChangePassword: false });
  root = await login(gw.app, 'root', PASSWORD);
});

after(async () => {
  await gw?.close();
});

test('first start creates the super admin "admin" with a random password written once to a 0600 file', () => {
  assert.ok(gw.initialPassword !== null && gw.initialPassword.length >= 20);
  const st = statSync(gw.initialPasswordFile);
  assert.equal(st.mode & 0o777, 0o600);
  assert.equal(readFileSync(gw.initialPasswordFile, 'utf8'), `admin\n${gw.initialPassword}\n`);
  const admin = gw.accounts.userByName('admin')!;
  assert.equal(admin.must_change_password, 1);
  assert.ok(!admin.password_hash.includes(gw.initialPassword!));
});

test('the initial admin must change the password before anything else, then signs in again', async () => {
  const admin = await login(gw.app, 'admin', gw.initialPassword!);
  const me = await admin.request('GET', '/api/auth/me');
  assert.equal(me.json.user.mustChangePassword, true);
  const refused = await admin.request('GET', '/api/dashboard');
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'PASSWORD_CHANGE_REQUIRED');
  const changed = await admin.request('POST', '/api/auth/password', { currentPassword: gw.initialPassword, newPassword: 'Brand-New-Pass-2' });
  assert.equal(changed.status, 200, changed.text);
  assert.equal((await admin.request('GET', '/api/auth/me')).status, 401, 'the old session ended');
  const again = await login(gw.app, 'admin', 'Brand-New-Pass-2');
  assert.equal((await again.request('GET', '/api/dashboard')).status, 200);
});

test('the session cookie is HttpOnly, SameSite=Strict, scoped to /api, and logout clears it', async () => {
  const res = await gw.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'root', password: PASSWORD } });
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /^govchain_session=[A-Za-z0-9_-]{43}; /);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\/api/);
  const c = clientOf(gw.app, { cookie: cookie.split(';')[0]!, csrf: res.json().csrfToken });
  const out = await c.request('POST', '/api/auth/logout');
  assert.equal(out.status, 200);
  assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
  assert.equal((await c.request('GET', '/api/auth/me')).status, 401);
});

test('a state-changing request without the CSRF token, or with another session\'s, is refused', async () => {
  const other = await login(gw.app, 'root', PASSWORD);
  const body = { name: 'x', kind: 'node_down', threshold: 10, severity: 'info' };
  const missing = await root.request('POST', '/api/alerts/rules', body, { 'x-csrf-token': '' });
  assert.equal(missing.status, 403);
  assert.equal(missing.json.code, 'CSRF_TOKEN_INVALID');
  const wrong = await root.request('POST', '/api/alerts/rules', body, { 'x-csrf-token': other.csrf });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.code, 'CSRF_TOKEN_INVALID');
  assert.equal((await root.request('POST', '/api/alerts/rules', body)).status, 201);
  assert.equal((await root.request('GET', '/api/alerts/rules')).status, 200, 'reads need no token');
});

test('a state-changing request from another origin is refused', async () => {
  const res = await root.request('POST', '/api/alerts/channels', { name: 'x', url: 'http://127.0.0.1:9/' }, { origin: 'https://evil.example' });
  assert.equal(res.status, 403);
  assert.equal(res.json.code, 'ORIGIN_REFUSED');
});

test('login, failed login and logout are in the operation log with user, client IP and result', async () => {
  await assert.rejects(login(gw.app, 'root', 'Wrong-Pass-123'));
  const c = await login(gw.app, 'root', PASSWORD);
  await c.request('POST', '/api/auth/logout');
  const log = (await root.request('GET', '/api/audit?username=root&action=auth.&limit=10')).json.entries;
  const [logout, ok, failed] = log;
  assert.equal(logout.action, 'auth.logout');
  assert.equal(logout.result, 'ok');
  assert.equal(ok.action, 'auth.login');
  assert.equal(ok.result, 'ok');
  assert.equal(failed.action, 'auth.login');
  assert.equal(failed.result, 'failed');
  assert.equal(failed.detail, 'LOGIN_FAILED');
  assert.equal(ok.ip, '127.0.0.1');
});

test('every state-changing request and every refusal is logged; plain reads are not', async () => {
  const user = await gw.accounts.createUser({ username: 'reader1', displayName: 'R', password: PASSWORD, roles: ['user'], mustChangePassword: false });
  const c = await login(gw.app, 'reader1', PASSWORD);
  await c.request('GET', '/api/dashboard');
  await c.request('GET', '/api/users');
  await root.request('PATCH', `/api/users/${user.id}`, { displayName: 'Reader One' });
  const mine = (await root.request('GET', '/api/audit?username=reader1')).json.entries;
  assert.deepEqual(mine.map((e: any) => [e.action, e.result, e.status]), [['GET /api/users', 'failed', 403], ['auth.login', 'ok', 200]]);
  const change = (await root.request('GET', '/api/audit?action=user.update')).json.entries[0];
  assert.equal(change.username, 'root');
  assert.equal(change.target, 'reader1');
  assert.match(change.detail, /Reader One/);
});

test('the operation log exports as CSV with a BOM, and formula-like cells are defused', async () => {
  await assert.rejects(login(gw.app, '=cmd|calc', 'Whatever-123'));
  const res = await root.request('GET', '/api/audit/export?action=auth.login');
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /text\/csv/);
  assert.match(String(res.headers['content-disposition']), /attachment; filename="govchain-operation-log-org1-/);
  assert.ok(res.text.startsWith('\uFEFFid,time,user,action,target,result,detail,ip,method,path,status\r\n'));
  assert.ok(res.text.includes(",'=cmd|calc,auth.login,'=cmd|calc,failed,"), res.text);
  const exported = (await root.request('GET', '/api/audit?action=audit.export')).json.entries[0];
  assert.equal(exported.username, 'root');
});

test('an organization admin cannot grant super admin, nor change a super admin', async () => {
  await gw.accounts.createUser({ username: 'orgadmin', displayName: 'OA', password: PASSWORD, roles: ['org_admin'], mustChangePassword: false });
  const oa = await login(gw.app, 'orgadmin', PASSWORD);
  const grant = await oa.request('POST', '/api/users', { username: 'sneaky', displayName: 'S', roles: [SUPER_ADMIN] });
  assert.equal(grant.status, 403);
  assert.equal(grant.json.code, 'PRIVILEGE_ESCALATION');
  const rootId = gw.accounts.userByName('root')!.id;
  const disable = await oa.request('PATCH', `/api/users/${rootId}`, { disabled: true });
  assert.equal(disable.status, 403);
  assert.equal(disable.json.code, 'PRIVILEGE_ESCALATION');
  const fine = await oa.request('POST', '/api/users', { username: 'clerk', displayName: 'Clerk', roles: ['user'] });
  assert.equal(fine.status, 201);
  assert.ok(typeof fine.json.initialPassword === 'string');
  assert.equal(fine.json.user.mustChangePassword, true);
});

test('responses carry security headers; API responses are not cached', async () => {
  const res = await root.request('GET', '/api/dashboard');
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['cache-control'], 'no-store');
});

test('the console is served at / with client routes falling back to index.html; unknown API routes answer JSON 404', async () => {
  const anon = clientOf(gw.app, null);
  const index = await anon.request('GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.text, /<title>console/);
  assert.equal((await anon.request('GET', '/explorer/txs/abc')).text, index.text);
  const asset = await anon.request('GET', '/assets/app-abc.js');
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.match(String(asset.headers['cache-control']), /immutable/);
  assert.equal((await anon.request('GET', '/assets/missing.js')).status, 404);
  const zipped = await gw.app.inject({ method: 'GET', url: '/assets/big-abc.js', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.ok(zipped.rawPayload.length < 1000, `compressed to ${zipped.rawPayload.length} bytes`);
  const plain = await gw.app.inject({ method: 'GET', url: '/assets/big-abc.js' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.length, 18_000 + 13);
  assert.equal((await anon.request('GET', '/../config.json')).status, 404);
  const api = await anon.request('GET', '/api/nothing');
  assert.equal(api.status, 404);
  assert.equal(api.json.code, 'ROUTE_NOT_FOUND');
});

test('the API debugger page is served at /api/docs', async () => {
  const res = await gw.app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /swagger/i);
});

test('the OpenAPI document lists every console route with the permission it needs', async () => {
  const doc = (await clientOf(gw.app, null).request('GET', '/api/openapi.json')).json;
  assert.match(doc.paths['/api/users'].get.description, /Permission: `users:read`/);
  assert.match(doc.paths['/api/alerts/rules'].post.description, /Permission: `alerts:manage`/);
  assert.match(doc.paths['/api/auth/login'].post.description, /Permission: `public`/);
});

test('explorer search recognizes heights, tx ids, block hashes, addresses and certificate fingerprints', async () => {
  await eventually('indexed', () => gw.index.indexedHeight === chain.height);
  const b = chain.blocks[0]!;
  const s = async (q: string) => (await root.request('GET', `/api/explorer/search?q=${q}`)).json;
  assert.deepEqual(await s('1'), { kind: 'block', id: '1' });
  assert.deepEqual(await s(b.txIds[0]!), { kind: 'tx', id: b.txIds[0] });
  assert.deepEqual(await s(b.header.hash.toUpperCase()), { kind: 'block', id: b.header.hash });
  assert.deepEqual(await s(`0x${'ab'.repeat(20)}`), { kind: 'account', id: 'ab'.repeat(20) });
  const fp = (await root.request('GET', '/api/orgs')).json.organizations[1].certificates[0].fingerprint;
  assert.deepEqual(await s(fp), { kind: 'certificate', id: fp, organization: 'org2' });
  assert.equal((await s('ff'.repeat(32))).code, 'SEARCH_NOT_FOUND');
  assert.equal((await s('hello')).code, 'SEARCH_QUERY_INVALID');
  assert.equal((await s('999')).code, 'BLOCK_NOT_FOUND');
});

test('the organization node being down answers 503 NODE_UNAVAILABLE, not 500', async () => {
  chain.down.add('node1');
  try {
    const res = await root.request('GET', '/api/dashboard');
    assert.equal(res.status, 503);
    assert.equal(res.json.code, 'NODE_UNAVAILABLE');
  } finally {
    chain.down.delete('node1');
  }
});

test('a webhook address with a token in its query is shown whole only to those who manage channels', async () => {
  const created = await root.request('POST', '/api/alerts/channels', { name: 'dingtalk', url: 'https://oapi.example.com/robot/send?access_token=s3cret' });
  assert.equal(created.status, 201);
  await gw.accounts.createUser({ username: 'watcher', displayName: 'W', password: PASSWORD, roles: ['auditor'], mustChangePassword: false });
  const auditor = await login(gw.app, 'watcher', PASSWORD);
  const seen = (await auditor.request('GET', '/api/alerts/channels')).json.channels.find((c: { name: string }) => c.name === 'dingtalk');
  assert.equal(seen.url, 'https://oapi.example.com/robot/send?…');
  const whole = (await root.request('GET', '/api/alerts/channels')).json.channels.find((c: { name: string }) => c.name === 'dingtalk');
  assert.equal(whole.url, 'https://oapi.example.com/robot/send?access_token=s3cret');
});

test('an address with too many failed sign-ins is refused with 429 and a Retry-After header', async () => {
  const attempt = (password: string) => gw.app.inject({
    method: 'POST', url: '/api/auth/login', remoteAddress: '10.20.30.40',
    headers: { 'content-type': 'application/json' }, payload: { username: `nobody-${password.length}`, password },
  });
  for (let i = 0; i < 30; i++) assert.equal((await attempt('wrong-password')).statusCode, 401);
  const refused = await attempt('wrong-password');
  assert.equal(refused.statusCode, 429, refused.body);
  assert.equal(refused.json().code, 'LOGIN_RATE_LIMITED');
  const retryAfter = Number(refused.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 15 * 60, `Retry-After ${refused.headers['retry-after']}`);
  assert.equal((await root.request('GET', '/api/auth/me')).status, 200, 'other addresses are unaffected');
});
