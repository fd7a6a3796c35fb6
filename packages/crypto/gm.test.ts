import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import { getSuite } from './suites.node.ts';
import { getPureSuite } from './pure-suites.ts';
import { sm2Verify } from './sm2.ts';
import { CRYPTO_AUTH_FAILED, CRYPTO_INVALID_KEY } from './errors.ts';
import type { CryptoSuite } from './suite.ts';

const node = getSuite('gm');
const pure = getPureSuite('gm');
const both: Array<[string, CryptoSuite]> = [['node', node], ['pure', pure]];
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hasCode = (code: string) => (err: unknown): boolean => err instanceof GovchainError && err.code === code;

test('gm hash, hmac and kdf give identical bytes on the Node and pure paths', () => {
  const data = ascii('跨部门数据共享'.repeat(20));
  const key = node.randomBytes(32);
  assert.equal(hex(node.hash(data)), hex(pure.hash(data)));
  assert.equal(hex(node.hmac(key, data)), hex(pure.hmac(key, data)));
  assert.equal(hex(node.kdf(key, ascii('info'), 80)), hex(pure.kdf(key, ascii('info'), 80)));
  assert.equal(node.kdf(key, ascii('info'), 80).length, 80);
});

test('gm signatures from either path verify on both, and through verifyBatch with per-item results', () => {
  const { privateKey, publicKey } = node.generateKeyPair();
  const message = ascii('tx body');
  for (const [signerName, signer] of both) {
    const signature = signer.sign(privateKey, message);
    for (const [verifierName, verifier] of both) {
      assert.equal(verifier.verify(publicKey, message, signature), true, `${signerName} → ${verifierName}`);
    }
    assert.equal(sm2Verify(publicKey, message, signature), true);
  }
  const good = node.sign(privateKey, message);
  const items = [
    { publicKey, message, signature: good },
    { publicKey, message: ascii('other'), signature: good },
    { publicKey: node.generateKeyPair().publicKey, message, signature: good },
    { publicKey, message, signature: good.subarray(0, 63) },
  ];
  assert.deepEqual(node.verifyBatch(items), [true, false, false, false]);
  assert.deepEqual(pure.verifyBatch(items), [true, false, false, false]);
  assert.deepEqual(node.verifyBatch([]), []);
});

test('gm keys: publicKeyOf matches generateKeyPair and isValidPublicKey refuses junk', () => {
  for (const [, suite] of both) {
    const { privateKey, publicKey } = suite.generateKeyPair();
    assert.equal(privateKey.length, 32);
    assert.equal(publicKey.length, 65);
    assert.equal(hex(suite.publicKeyOf(privateKey)), hex(publicKey));
    assert.equal(suite.isValidPublicKey(publicKey), true);
    assert.equal(suite.isValidPublicKey(publicKey.subarray(1)), false);
  }
});

test('gm ECDH gives both parties the same 32-byte x-coordinate and refuses invalid peer keys', () => {
  const a = node.generateKeyPair();
  const b = node.generateKeyPair();
  const ab = node.ecdh(a.privateKey, b.publicKey);
  assert.equal(ab.length, 32);
  assert.equal(hex(pure.ecdh(b.privateKey, a.publicKey)), hex(ab));
  const bad = b.publicKey.slice();
  bad[64]! ^= 1;
  assert.throws(() => node.ecdh(a.privateKey, bad), hasCode(CRYPTO_INVALID_KEY));
});

test('gm seal output from either path opens on both, with and without associated data', () => {
  const key = node.randomBytes(32);
  for (const plaintext of [new Uint8Array(0), ascii('x'), node.randomBytes(1000)]) {
    for (const [, sealer] of both) {
      const sealed = sealer.seal(key, plaintext, ascii('doc-42'));
      assert.equal(sealed.length, 16 + plaintext.length + 32);
      for (const [, opener] of both) assert.equal(hex(opener.open(key, sealed, ascii('doc-42'))), hex(plaintext));
      const noAad = sealer.seal(key, plaintext);
      for (const [, opener] of both) assert.equal(hex(opener.open(key, noAad)), hex(plaintext));
    }
  }
});

test('gm open refuses any altered byte, wrong key, wrong associated data or truncation with CRYPTO_AUTH_FAILED', () => {
  const key = node.randomBytes(32);
  const sealed = node.seal(key, ascii('secret contents of the file'), ascii('aad'));
  for (const [, suite] of both) {
    for (let i = 0; i < sealed.length; i++) {
      const altered = sealed.slice();
      altered[i]! ^= 0x80;
      assert.throws(() => suite.open(key, altered, ascii('aad')), hasCode(CRYPTO_AUTH_FAILED), `byte ${i}`);
    }
    assert.throws(() => suite.open(node.randomBytes(32), sealed, ascii('aad')), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.open(key, sealed, ascii('aaD')), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.open(key, sealed), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.open(key, sealed.subarray(0, 47), ascii('aad')), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.seal(new Uint8Array(16), ascii('x')), hasCode(CRYPTO_INVALID_KEY));
  }
});

test('gm wrapKey (SM2 encryption) from either path unwraps on both; a wrong key fails with CRYPTO_AUTH_FAILED', () => {
  const recipient = node.generateKeyPair();
  const fileKey = node.randomBytes(32);
  for (const [, wrapper] of both) {
    const wrapped = wrapper.wrapKey(recipient.publicKey, fileKey);
    for (const [, unwrapper] of both) assert.equal(hex(unwrapper.unwrapKey(recipient.privateKey, wrapped)), hex(fileKey));
    assert.throws(() => wrapper.unwrapKey(node.generateKeyPair().privateKey, wrapped), hasCode(CRYPTO_AUTH_FAILED));
  }
});
