// The S3 backend against a real S3-compatible server (s3rver) on loopback: SigV4 requests it verifies, objects it stores.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { toHex, utf8 } from '@govchain/base';
import { getSuite } from '@govchain/crypto';
import { EncryptedFileStore, S3Backend, createFileStore, signS3Request } from './index.ts';

let dir: string;
let server: S3rver;
let endpoint: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govchain-s3-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const creds = { region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

test('S3 backend: files are stored encrypted in the bucket and fetched back only by entitled keys', async () => {
  const suite = getSuite('gm');
  const store = await createFileStore(suite, { kind: 's3', endpoint, bucket: 'evidence-files', prefix: 'org1/', createBucket: true, ...creds });
  const owner = suite.generateKeyPair();
  const stranger = suite.generateKeyPair();
  const data = utf8('现场照片 '.repeat(2000));
  const { hash } = await store.put(data, owner.publicKey);
  assert.equal(hash, toHex(suite.hash(data)));
  assert.equal(await store.has(hash), true);
  assert.equal(await store.has('00'.repeat(32)), false);
  assert.deepEqual(await store.get(hash, owner.privateKey), data);
  await assert.rejects(store.get(hash, stranger.privateKey), { code: 'FILE_FORBIDDEN' });
  await store.grant(hash, owner.privateKey, stranger.publicKey);
  assert.deepEqual(await store.get(hash, stranger.privateKey), data);
  // What the bucket holds is sealed: the raw object is not the plaintext.
  const raw = new S3Backend({ endpoint, bucket: 'evidence-files', prefix: 'org1/', ...creds });
  assert.equal(await raw.exists(`${hash}/present`), true);
  const keyObject = await raw.get(`${hash}/k/${toHex(suite.hash(owner.publicKey))}`);
  assert.ok(keyObject !== null && keyObject.length > 16);
});

test('SigV4 signatures equal the ones in AWS\'s published examples (GET bucket lifecycle, list objects)', () => {
  const cfg = { endpoint: 'https://examplebucket.s3.amazonaws.com', region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const at = new Date(Date.UTC(2013, 4, 24));
  const sig = (query: Record<string, string>): string => /Signature=([0-9a-f]{64})/.exec(signS3Request(cfg, 'GET', '/', query, new Uint8Array(0), at).headers.authorization!)![1]!;
  assert.equal(sig({ lifecycle: '' }), 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  assert.equal(sig({ 'max-keys': '2', prefix: 'J' }), '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
});

test('S3 backend: credentials the server does not know are refused with the server\'s reason', async () => {
  const suite = getSuite('gm');
  await createFileStore(suite, { kind: 's3', endpoint, bucket: 'sig-check', createBucket: true, ...creds });
  const bad = new EncryptedFileStore(suite, new S3Backend({ endpoint, bucket: 'sig-check', ...creds, accessKeyId: 'NOT-A-KEY' }));
  await assert.rejects(bad.put(utf8('x'), suite.generateKeyPair().publicKey), (err: { code: string; message: string }) => {
    assert.equal(err.code, 'FILE_STORE_FAILED');
    assert.match(err.message, /InvalidAccessKeyId/);
    return true;
  });
});
