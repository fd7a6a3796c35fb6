import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db.ts';
import { Accounts } from './accounts.ts';
import { CORE_PERMISSIONS, SUPER_ADMIN } from './permissions.ts';
import { DEFAULT_KDF, checkPasswordPolicy, generatePassword, hashPassword, needsRehash, parseHash, verifyPassword } from './password.ts';
import { IP_FAILURES_MAX, Sessions, type SessionPolicy } from './sessions.ts';
import { TEST_KDF } from '../testkit.ts';

const MIN = 60_000;
const POLICY: SessionPolicy = { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN, failuresMax: 5, failureWindowMs: 15 * MIN, lockMs: 15 * MIN };
const PASSWORD = 'Correct-Horse-9';

async function setup() {
  let now = 1_700_000_000_000;
  const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
  const db = openDatabase(':memory:');
  const accounts = new Accounts(db, TEST_KDF, clock.now);
  accounts.syncCatalog(CORE_PERMISSIONS);
  const sessions = new Sessions(db, accounts, POLICY, 'org1', TEST_KDF, clock.now);
  const user = await accounts.createUser({ username: 'alice', displayName: 'Alice', password: PASSWORD, roles: ['operations'], mustChangePassword: false });
  return { db, accounts, sessions, clock, user };
}

test('passwords are hashed with scrypt N=2^15 r=8 p=1 and a random 16-byte salt per hash by default', async () => {
  assert.deepEqual(DEFAULT_KDF, { log2N: 15, r: 8, p: 1 });
  const a = await hashPassword(PASSWORD);
  const b = await hashPassword(PASSWORD);
  assert.notEqual(a, b, 'same password, different salts');
  const parsed = parseHash(a)!;
  assert.deepEqual(parsed.kdf, DEFAULT_KDF);
  assert.equal(parsed.salt.length, 16);
  assert.equal(parsed.hash.length, 32);
  assert.ok(await verifyPassword(PASSWORD, a));
  assert.equal(await verifyPassword('correct-horse-9', a), false);
  assert.equal(await verifyPassword(PASSWORD, 'plain-text'), false);
});

test('a hash made with weaker parameters is flagged for rehashing', async () => {
  assert.ok(needsRehash(await hashPassword(PASSWORD, TEST_KDF)));
  assert.equal(needsRehash(await hashPassword(PASSWORD)), false);
});

test('the password policy needs 10+ characters of three classes, without the user name; generated passwords meet it', () => {
  assert.throws(() => checkPasswordPolicy('Short-1'), /10 to 128/);
  assert.throws(() => checkPasswordPolicy('alllowercaseletters'), /three/);
  assert.throws(() => checkPasswordPolicy('Alice-Password-1', 'alice'), /user name/);
  checkPasswordPolicy(PASSWORD, 'alice');
  for (let i = 0; i < 50; i++) checkPasswordPolicy(generatePassword(), 'admin');
});

test('five failed logins within 15 minutes lock the account for 15 minutes, even against the right password', async () => {
  const { sessions, clock } = await setup();
  for (let i = 0; i < 4; i++) await assert.rejects(sessions.login('alice', 'Wrong-Password-1', '10.0.0.1', 'test'), { code: 'LOGIN_FAILED' });
  clock.advance(MIN);
  await assert.rejects(sessions.login('alice', 'Wrong-Password-1', '10.0.0.1', 'test'), { code: 'LOGIN_FAILED' });
  await assert.rejects(sessions.login('alice', PASSWORD, '10.0.0.1', 'test'), { code: 'ACCOUNT_LOCKED' });
  clock.advance(14 * MIN);
  await assert.rejects(sessions.login('alice', PASSWORD, '10.0.0.1', 'test'), { code: 'ACCOUNT_LOCKED' });
  clock.advance(MIN);
  const ok = await sessions.login('alice', PASSWORD, '10.0.0.1', 'test');
  assert.equal(ok.session.principal.username, 'alice');
});

test('failures spread beyond the 15-minute window do not lock, and a success resets the count', async () => {
  const { sessions, clock } = await setup();
  for (let i = 0; i < 4; i++) await assert.rejects(sessions.login('alice', 'Wrong-Password-1', 'ip', 'ua'), { code: 'LOGIN_FAILED' });
  clock.advance(16 * MIN);
  for (let i = 0; i < 4; i++) await assert.rejects(sessions.login('alice', 'Wrong-Password-1', 'ip', 'ua'), { code: 'LOGIN_FAILED' });
  await sessions.login('alice', PASSWORD, 'ip', 'ua');
  for (let i = 0; i < 4; i++) await assert.rejects(sessions.login('alice', 'Wrong-Password-1', 'ip', 'ua'), { code: 'LOGIN_FAILED' });
  await sessions.login('alice', PASSWORD, 'ip', 'ua');
});

test('an unknown user and a wrong password get the same refusal', async () => {
  const { sessions } = await setup();
  await assert.rejects(sessions.login('nobody', PASSWORD, 'ip', 'ua'), { code: 'LOGIN_FAILED', message: 'wrong user name or password' });
  await assert.rejects(sessions.login('alice', 'Wrong-Password-1', 'ip', 'ua'), { code: 'LOGIN_FAILED', message: 'wrong user name or password' });
});

test('a session ends after 30 idle minutes', async () => {
  const { sessions, clock } = await setup();
  const { token } = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  clock.advance(29 * MIN);
  assert.ok(sessions.authenticate(token), 'still alive after 29 idle minutes');
  clock.advance(29 * MIN);
  assert.ok(sessions.authenticate(token), 'activity moved the idle deadline');
  clock.advance(30 * MIN);
  assert.equal(sessions.authenticate(token), null);
  assert.equal(sessions.authenticate(token), null, 'and stays ended');
});

test('a session ends 12 hours after login however active it is', async () => {
  const { sessions, clock } = await setup();
  const { token } = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  for (let i = 0; i < 12 * 4 - 1; i++) {
    clock.advance(15 * MIN);
    assert.ok(sessions.authenticate(token), `alive at ${(i + 1) * 15} min`);
  }
  clock.advance(15 * MIN);
  assert.equal(sessions.authenticate(token), null);
});

test('the database keeps only a hash of the session token', async () => {
  const { sessions, db } = await setup();
  const { token } = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  const rows = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0]!.token_hash, token);
  assert.ok(!JSON.stringify(db.prepare('SELECT * FROM sessions').all()).includes(token));
});

test('disabling a user or changing their password ends their sessions', async () => {
  const { sessions, accounts, user } = await setup();
  const a = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  accounts.updateUser(user.id, { disabled: true });
  assert.equal(sessions.authenticate(a.token), null);
  await assert.rejects(sessions.login('alice', PASSWORD, 'ip', 'ua'), { code: 'ACCOUNT_DISABLED' });
  accounts.updateUser(user.id, { disabled: false });
  const b = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  await sessions.changeOwnPassword(user.id, PASSWORD, 'Another-Pass-77');
  assert.equal(sessions.authenticate(b.token), null);
  await sessions.login('alice', 'Another-Pass-77', 'ip', 'ua');
});

test('role permissions are read on every request: a role change applies to an open session', async () => {
  const { sessions, accounts, user } = await setup();
  const { token } = await sessions.login('alice', PASSWORD, 'ip', 'ua');
  assert.ok(sessions.authenticate(token)!.principal.permissions.has('alerts:manage'));
  accounts.updateUser(user.id, { roles: ['user'] });
  assert.equal(sessions.authenticate(token)!.principal.permissions.has('alerts:manage'), false);
});

test('the last enabled super admin cannot be disabled, demoted or deleted', async () => {
  const { accounts } = await setup();
  const root = await accounts.createUser({ username: 'root1', displayName: 'Root', password: PASSWORD, roles: [SUPER_ADMIN], mustChangePassword: false });
  assert.throws(() => accounts.updateUser(root.id, { disabled: true }), { code: 'LAST_SUPER_ADMIN' });
  assert.throws(() => accounts.updateUser(root.id, { roles: ['auditor'] }), { code: 'LAST_SUPER_ADMIN' });
  assert.throws(() => accounts.deleteUser(root.id), { code: 'LAST_SUPER_ADMIN' });
  await accounts.createUser({ username: 'root2', displayName: 'Root 2', password: PASSWORD, roles: [SUPER_ADMIN], mustChangePassword: false });
  accounts.deleteUser(root.id);
});

test('built-in roles cannot be deleted, the super admin role cannot be changed, and a role in use cannot be deleted', async () => {
  const { accounts, user } = await setup();
  assert.throws(() => accounts.deleteRole('auditor'), { code: 'ROLE_IMMUTABLE' });
  assert.throws(() => accounts.updateRole(SUPER_ADMIN, { permissions: [] }), { code: 'ROLE_IMMUTABLE' });
  accounts.createRole({ id: 'viewer', name: 'Viewer', description: '', permissions: ['dashboard:read'] });
  accounts.updateUser(user.id, { roles: ['viewer'] });
  assert.throws(() => accounts.deleteRole('viewer'), { code: 'ROLE_IN_USE' });
  assert.throws(() => accounts.createRole({ id: 'bad', name: 'x', description: '', permissions: ['no:such'] }), { code: 'PERMISSION_UNKNOWN' });
});

test('an app permission seen for the first time goes to the roles granted it; later removals by an admin stick', async () => {
  const { accounts } = await setup();
  const catalog = [...CORE_PERMISSIONS, { name: 'evidence:record', description: 'record', group: 'evidence' }];
  accounts.syncCatalog(catalog, { 'evidence:record': ['user'] });
  assert.ok(accounts.permissionsOf(['user']).has('evidence:record'));
  assert.ok(accounts.permissionsOf([SUPER_ADMIN]).has('evidence:record'));
  assert.equal(accounts.permissionsOf(['auditor']).has('evidence:record'), false);
  accounts.updateRole('user', { permissions: ['dashboard:read'] });
  accounts.syncCatalog(catalog, { 'evidence:record': ['user'] });
  assert.equal(accounts.permissionsOf(['user']).has('evidence:record'), false);
});

test('one address that fails too many sign-ins across user names is refused for the window', async () => {
  const { sessions, clock } = await setup();
  for (let i = 0; i < IP_FAILURES_MAX; i++) await assert.rejects(sessions.login(`user${i}`, 'Wrong-Password-1', '10.9.9.9', 'ua'), { code: 'LOGIN_FAILED' });
  await assert.rejects(sessions.login('alice', PASSWORD, '10.9.9.9', 'ua'), { code: 'LOGIN_RATE_LIMITED' });
  await sessions.login('alice', PASSWORD, '10.0.0.2', 'ua');
  clock.advance(15 * MIN);
  await sessions.login('alice', PASSWORD, '10.9.9.9', 'ua');
});
