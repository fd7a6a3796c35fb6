import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { toHex } from '@govchain/base';
import { getPureSuite, getSuite } from '@govchain/crypto';
import { decodeSignedTx } from '@govchain/protocol';
import { buildTx } from './index.ts';

for (const name of ['gm', 'intl'] as const) {
  test(`${name}: a built tx decodes, its id is the hash of the body, and its signature verifies over the exact body bytes`, () => {
    const suite = getSuite(name);
    const key = suite.generateKeyPair();
    const built = buildTx({ chainId: 'c1', contract: 'kv', method: 'put', args: { key: 'a', value: 'b' }, nowMs: 1_000, ttlMs: 5_000 }, { suite, ...key });
    const tx = decodeSignedTx(built.bytes);
    assert.equal(built.txId, toHex(suite.hash(tx.bodyBytes)));
    assert.equal(tx.body.expiresAtMs, 6_000);
    assert.ok(suite.verify(key.publicKey, tx.bodyBytes, tx.signature));
    assert.ok(getPureSuite(name).verify(key.publicKey, tx.bodyBytes, tx.signature), 'the pure (browser) path verifies it too');
  });
}

test('two builds of the same call get different ids (fresh nonce)', () => {
  const suite = getSuite('gm');
  const signer = { suite, ...suite.generateKeyPair() };
  const req = { chainId: 'c1', contract: 'kv', method: 'put', args: {} };
  assert.notEqual(buildTx(req, signer).txId, buildTx(req, signer).txId);
});

test('the SDK bundles for browsers with no Node built-in module', async () => {
  const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    external: ['ws'],
    tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
    logLevel: 'silent',
  });
  assert.equal(result.errors.length, 0);
  assert.doesNotMatch(result.outputFiles[0]!.text, /from ["']node:/);
});
