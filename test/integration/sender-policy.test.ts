import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePem, getSuite, privateKeyFromPem } from '@govchain/crypto';
import { decodeSignedTx, parseGenesis, type Genesis } from '@govchain/protocol';
import { buildTx } from '@govchain/sdk';
import { generateNetwork } from '../../packages/cli/network.ts';
import { SenderPolicy } from '../../packages/node/chain/sender-policy.ts';

const suite = getSuite('gm');
const hash = (d: Uint8Array): Uint8Array => suite.hash(d);
const NOW = Date.now();

function network(): { genesis: Genesis; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'senders-'));
  generateNetwork({ dir, chainId: 'c1', suite: 'gm', organizations: 1, host: '127.0.0.1', p2pBasePort: 1, apiBasePort: 2, withApiToken: false });
  return { genesis: parseGenesis(new Uint8Array(readFileSync(join(dir, 'genesis.json')))), dir };
}

const { genesis, dir } = network();
const foreign = network();
const admin = privateKeyFromPem(readFileSync(join(dir, 'orgs/org1/admin.key'), 'utf8'), 'sm2');
const adminCert = decodePem(readFileSync(join(dir, 'orgs/org1/admin.pem'), 'utf8'));
const foreignCert = decodePem(readFileSync(join(foreign.dir, 'orgs/org1/admin.pem'), 'utf8'));
const foreignKey = privateKeyFromPem(readFileSync(join(foreign.dir, 'orgs/org1/admin.key'), 'utf8'), 'sm2');

function signed(key: { privateKey: Uint8Array; publicKey: Uint8Array }, certificate?: Uint8Array) {
  return decodeSignedTx(buildTx({ chainId: 'c1', contract: 'kv', method: 'put', args: {} }, { suite, ...key, ...(certificate ? { certificate } : {}) }).bytes);
}

const code = (e: { code: string } | null): string => (e === null ? 'ok' : e.code);

test('a member certificate that certifies the sender key is accepted under both policies', () => {
  assert.equal(code(new SenderPolicy(genesis, hash).check(signed(admin, adminCert), NOW)), 'ok');
  assert.equal(code(new SenderPolicy({ ...genesis, admission: { senders: 'members' } }, hash).check(signed(admin, adminCert), NOW)), 'ok');
});

test('the members policy refuses a sender without a certificate; the open policy accepts it', () => {
  const plain = signed(suite.generateKeyPair());
  assert.equal(code(new SenderPolicy({ ...genesis, admission: { senders: 'members' } }, hash).check(plain, NOW)), 'TX_SENDER_NOT_MEMBER');
  assert.equal(code(new SenderPolicy(genesis, hash).check(plain, NOW)), 'ok');
});

test('a certificate from another consortium, for another key, or outside its validity is refused under any policy', () => {
  const policy = new SenderPolicy(genesis, hash);
  assert.equal(code(policy.check(signed(foreignKey, foreignCert), NOW)), 'TX_SENDER_CERT_INVALID');
  assert.equal(code(policy.check(signed(suite.generateKeyPair(), adminCert), NOW)), 'TX_SENDER_CERT_MISMATCH');
  assert.equal(code(policy.check(signed(admin, adminCert), NOW)), 'ok');
  assert.equal(code(policy.check(signed(admin, adminCert), NOW + 3 * 365 * 24 * 3600 * 1000)), 'TX_SENDER_CERT_EXPIRED', 'a cached verdict still applies the validity window');
});
