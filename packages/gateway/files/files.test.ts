import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex, utf8 } from '@govchain/base';
import { getSuite } from '@govchain/crypto';
import { createFileStore, EncryptedFileStore, LocalDirBackend } from './index.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'govchain-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function allFiles(root: string): string[] {
  return readdirSync(root).flatMap((n) => {
    const p = join(root, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

for (const name of ['gm', 'intl'] as const) {
  test(`${name}: a file is stored encrypted under its hash and comes back only with the owner's key or a granted one`, async () => {
    const suite = getSuite(name);
    const store = await createFileStore(suite, { kind: 'local', dir: join(dir, name) });
    const owner = suite.generateKeyPair();
    const other = suite.generateKeyPair();
    const plaintext = utf8(`营业执照扫描件 ${name} `.repeat(500));
    const stored = await store.put(plaintext, owner.publicKey);
    assert.equal(stored.hash, toHex(suite.hash(plaintext)));
    assert.equal(stored.size, plaintext.length);
    assert.equal(await store.has(stored.hash), true);
    assert.deepEqual(await store.get(stored.hash, owner.privateKey), plaintext);
    await assert.rejects(store.get(stored.hash, other.privateKey), { code: 'FILE_FORBIDDEN' });
    await assert.rejects(store.grant(stored.hash, other.privateKey, other.publicKey), { code: 'FILE_FORBIDDEN' });
    await store.grant(stored.hash, owner.privateKey, other.publicKey);
    assert.deepEqual(await store.get(stored.hash, other.privateKey), plaintext);
    // Nothing on disk holds the plaintext.
    const needle = Buffer.from(plaintext.subarray(0, 64));
    for (const f of allFiles(join(dir, name))) assert.equal(readFileSync(f).includes(needle), false, f);
  });
}

test('an unknown address is FILE_NOT_FOUND and a malformed one FILE_HASH_INVALID', async () => {
  const suite = getSuite('gm');
  const store = new EncryptedFileStore(suite, new LocalDirBackend(join(dir, 'nf')));
  const k = suite.generateKeyPair();
  await assert.rejects(store.get('ab'.repeat(32), k.privateKey), { code: 'FILE_NOT_FOUND' });
  await assert.rejects(store.get('../../etc/passwd', k.privateKey), { code: 'FILE_HASH_INVALID' });
  assert.equal(await store.has('ab'.repeat(32)), false);
});

test('two owners of the same file get independent copies and keys; storing it again for the same owner stores nothing new', async () => {
  const suite = getSuite('gm');
  const root = join(dir, 'dedupe');
  const store = new EncryptedFileStore(suite, new LocalDirBackend(root));
  const a = suite.generateKeyPair();
  const b = suite.generateKeyPair();
  const data = utf8('same content');
  const { hash } = await store.put(data, a.publicKey);
  const before = allFiles(root).length;
  await store.put(data, a.publicKey);
  assert.equal(allFiles(root).length, before);
  await store.put(data, b.publicKey);
  assert.equal(allFiles(root).filter((f) => f.includes(`${hash}/v/`)).length, 2);
  assert.deepEqual(await store.get(hash, a.privateKey), data);
  assert.deepEqual(await store.get(hash, b.privateKey), data);
});

test('a changed byte in a stored copy is detected: FILE_CORRUPT, never altered content', async () => {
  const suite = getSuite('gm');
  const root = join(dir, 'tamper');
  const store = new EncryptedFileStore(suite, new LocalDirBackend(root));
  const k = suite.generateKeyPair();
  const { hash } = await store.put(utf8('original bytes of a document'), k.publicKey);
  const copy = allFiles(root).find((f) => f.includes(`${hash}/v/`))!;
  const bytes = readFileSync(copy);
  bytes[20] = bytes[20]! ^ 1;
  writeFileSync(copy, bytes);
  await assert.rejects(store.get(hash, k.privateKey), { code: 'FILE_CORRUPT' });
});
