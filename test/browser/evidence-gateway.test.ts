/**
 * The evidence app hosted by the real gateway of an organization (sessions, CSRF, RBAC, security headers, operation
 * log, OpenAPI), with the real encrypted file store, against a real node started in this process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { toHex, utf8 } from '@govchain/base';
import { getSuite } from '@govchain/crypto';
import { startNode, type RunningNode } from '@govchain/node';
import { verifyEvidenceProof, type EvidenceProofJson } from '@govchain/sdk';
import { createEvidenceApp, evidenceContract } from '@govchain/apps/evidence';
import { startGateway, SUPER_ADMIN, type RunningGateway } from '@govchain/gateway';
import { createFileStore } from '../../packages/gateway/files/index.ts';
import { TEST_KDF, clientOf, login, type Client } from '../../packages/gateway/testkit.ts';
import { LocalNetwork } from '../e2e/local-network.ts';

const PASSWORD = 'Evidence-Gateway-Pass-1';
let net: LocalNetwork;
let node: RunningNode;
let gw: RunningGateway;
let home: string;
let alice: Client;
let bob: Client;
let genesis: Uint8Array;

before(async () => {
  net = await LocalNetwork.create({ validators: 1, suite: 'gm', chainId: 'evidence-gw' });
  node = await startNode(net.nodes[0]!.home, { logger: pino({ level: 'silent' }), contracts: [evidenceContract] });
  home = mkdtempSync(join(tmpdir(), 'govchain-evidence-gw-'));
  const orgDir = join(net.dir, 'orgs', 'org1');
  copyFileSync(join(net.nodes[0]!.home, 'genesis.json'), join(home, 'genesis.json'));
  copyFileSync(join(orgDir, 'admin.key'), join(home, 'admin.key'));
  copyFileSync(join(orgDir, 'admin.pem'), join(home, 'admin.pem'));
  writeFileSync(join(home, 'config.json'), JSON.stringify({
    organization: 'org1', listen: { host: '127.0.0.1', port: 0 },
    node: { url: node.apiUrl, token: net.nodes[0]!.apiToken }, nodes: [{ name: 'node1', url: node.apiUrl }], log: { level: 'error' },
  }));
  genesis = new Uint8Array(readFileSync(join(home, 'genesis.json')));
  gw = await startGateway(home, {
    apps: [createEvidenceApp({ genesis })],
    files: await createFileStore(getSuite('gm'), { kind: 'local', dir: join(home, 'files') }),
    kdf: TEST_KDF, listen: false, logger: pino({ level: 'silent' }),
  });
  for (const username of ['alice', 'bob']) {
    await gw.accounts.createUser({ username, displayName: username, password: PASSWORD, roles: [SUPER_ADMIN], mustChangePassword: false });
  }
  alice = await login(gw.app, 'alice', PASSWORD);
  bob = await login(gw.app, 'bob', PASSWORD);
});

after(async () => {
  await gw?.close();
  await node?.close();
  await net?.destroy();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

const E = '/api/apps/evidence';

test('through the gateway: a signed-in user records a file (session + CSRF), the public gets the proof, and it verifies against the published genesis hash', async () => {
  const anonymous = clientOf(gw.app, null);
  assert.equal((await anonymous.request('POST', `${E}/records`, { type: 'permit', hash: '11'.repeat(32) })).status, 401);
  assert.equal((await alice.request('POST', `${E}/records`, { type: 'permit', hash: '11'.repeat(32) }, { 'x-csrf-token': 'wrong' })).status, 403);
  const bytes = utf8('建设工程规划许可证 建字第410200202600123号');
  const rec = await alice.request('POST', `${E}/records`, { type: 'planning-permit', file: Buffer.from(bytes).toString('base64'), businessRef: 'JZ-2026-123' });
  assert.equal(rec.status, 201, rec.text);
  const record = (rec.json as { records: { id: string; hash: string; organization: string }[] }).records[0]!;
  assert.equal(record.organization, 'org1');
  const proof = await anonymous.request('GET', `${E}/public/records/${record.id}/proof`);
  assert.equal(proof.status, 200);
  const verdict = verifyEvidenceProof(proof.json as EvidenceProofJson, { file: bytes, trustedGenesisHash: toHex(getSuite('gm').hash(genesis)) });
  assert.equal(verdict.ok, true, JSON.stringify(verdict.failure));
  assert.equal(verdict.trust?.anchor, 'genesis-hash');
  assert.equal(verdict.tx?.sender.organization, 'org1');

  // Files stay with their uploader: another user of the same organization is refused by the file store itself.
  const refused = await bob.request('GET', `${E}/records/${record.id}/file`);
  assert.equal(refused.status, 403);
  assert.equal((refused.json as { code: string }).code, 'FILE_FORBIDDEN');
  const own = await alice.request('GET', `${E}/records/${record.id}/file`);
  assert.equal(own.status, 200);
  assert.equal(own.text, new TextDecoder().decode(bytes));
});

test('through the gateway: the verification page alone may be framed, and the OpenAPI document lists the evidence routes with their permissions', async () => {
  const anonymous = clientOf(gw.app, null);
  const page = await anonymous.request('GET', `${E}/verify`);
  assert.equal(page.status, 200);
  assert.equal(page.headers['x-frame-options'], undefined);
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors \*/);
  const other = await anonymous.request('GET', '/api/health');
  assert.equal(other.headers['x-frame-options'], 'DENY');
  assert.match(String(other.headers['content-security-policy']), /frame-ancestors 'none'/);
  const doc = (await anonymous.request('GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, { description?: string }>> };
  assert.match(doc.paths[`${E}/records`]!.post!.description ?? '', /Permission: `evidence:record`/);
  assert.match(doc.paths[`${E}/records/{id}/file`]!.get!.description ?? '', /Permission: `evidence:read`/);
  assert.match(doc.paths[`${E}/public/records/{id}/proof`]!.get!.description ?? '', /Permission: `public`/);
});
