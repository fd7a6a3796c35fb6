import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createPublicKey, hkdfSync, randomBytes, verify as nodeVerify } from 'node:crypto';
import { bytesToHex as hex, hexToBytes } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import { getSuite } from './suites.node.ts';
import { getPureSuite } from './pure-suites.ts';
import { aes256GcmDecrypt, aes256GcmEncrypt } from './aes-gcm.ts';
import { P256_HALF_N, P256_N } from './intl-format.ts';
import { bigintTo32Bytes, bytesToBigint } from './sm2-curve.ts';
import { publicKeyToPem } from './keys.ts';
import { CRYPTO_AUTH_FAILED, CRYPTO_INVALID_KEY } from './errors.ts';
import type { CryptoSuite } from './suite.ts';

const node = getSuite('intl');
const pure = getPureSuite('intl');
const both: Array<[string, CryptoSuite]> = [['node', node], ['pure', pure]];
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hasCode = (code: string) => (err: unknown): boolean => err instanceof GovchainError && err.code === code;

test('intl hash is SHA-256 and kdf is HKDF-SHA-256 with empty salt (RFC 5869 test case 3)', () => {
  for (const [, suite] of both) {
    assert.equal(hex(suite.hash(ascii('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const okm = suite.kdf(new Uint8Array(22).fill(0x0b), new Uint8Array(0), 42);
    assert.equal(hex(okm), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  }
  const secret = randomBytes(32);
  assert.equal(hex(pure.kdf(secret, ascii('i'), 50)), hex(new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), ascii('i'), 50))));
  assert.equal(hex(node.hmac(secret, ascii('m'))), hex(pure.hmac(secret, ascii('m'))));
});

test('intl ECDSA P-256 signatures are 64-byte low-s r||s and verify across the Node and pure paths', () => {
  const { privateKey, publicKey } = node.generateKeyPair();
  for (let i = 0; i < 20; i++) {
    const message = randomBytes(i * 10);
    for (const [signerName, signer] of both) {
      const signature = signer.sign(privateKey, message);
      assert.equal(signature.length, 64);
      assert.ok(bytesToBigint(signature.subarray(32)) <= P256_HALF_N, `${signerName} produced high s`);
      for (const [, verifier] of both) {
        assert.equal(verifier.verify(publicKey, message, signature), true);
        assert.equal(verifier.verify(publicKey, ascii('other'), signature), false);
      }
    }
  }
});

test('intl verify refuses the high-s twin of a valid signature on both paths', () => {
  const { privateKey, publicKey } = node.generateKeyPair();
  const message = ascii('malleability');
  const signature = node.sign(privateKey, message);
  const highS = new Uint8Array([...signature.subarray(0, 32), ...bigintTo32Bytes(P256_N - bytesToBigint(signature.subarray(32)))]);
  // OpenSSL itself accepts the twin (ECDSA is malleable); the suite must not, or tx ids could be varied.
  const opensslKey = { key: createPublicKey(publicKeyToPem(publicKey, 'p256')), dsaEncoding: 'ieee-p1363' as const };
  assert.equal(nodeVerify('sha256', message, opensslKey, highS), true);
  for (const [name, suite] of both) assert.equal(suite.verify(publicKey, message, highS), false, name);
});

test('intl verify returns false for malformed keys and signatures on both paths', () => {
  const { privateKey, publicKey } = node.generateKeyPair();
  const message = ascii('m');
  const signature = node.sign(privateKey, message);
  const offCurve = publicKey.slice();
  offCurve[64]! ^= 1;
  for (const [name, suite] of both) {
    assert.equal(suite.verify(offCurve, message, signature), false, name);
    assert.equal(suite.verify(publicKey.subarray(1), message, signature), false, name);
    assert.equal(suite.verify(publicKey, message, signature.subarray(1)), false, name);
    assert.equal(suite.verify(publicKey, message, new Uint8Array(64)), false, name);
    assert.deepEqual(suite.verifyBatch([{ publicKey, message, signature }, { publicKey: offCurve, message, signature }]), [true, false]);
  }
});

test('intl ECDH, seal and wrapKey interoperate between the Node and pure paths', () => {
  const a = node.generateKeyPair();
  const b = pure.generateKeyPair();
  assert.equal(hex(node.ecdh(a.privateKey, b.publicKey)), hex(pure.ecdh(b.privateKey, a.publicKey)));
  const key = randomBytes(32);
  const fileKey = randomBytes(32);
  for (const [, x] of both) {
    const sealed = x.seal(key, ascii('contents'), ascii('aad'));
    assert.equal(sealed.length, 12 + 8 + 16);
    for (const [, y] of both) {
      assert.equal(hex(y.open(key, sealed, ascii('aad'))), hex(ascii('contents')));
      assert.equal(hex(y.unwrapKey(b.privateKey, x.wrapKey(b.publicKey, fileKey))), hex(fileKey));
    }
  }
});

test('intl open and unwrapKey refuse altered data with CRYPTO_AUTH_FAILED; bad keys with CRYPTO_INVALID_KEY', () => {
  const key = randomBytes(32);
  const recipient = node.generateKeyPair();
  for (const [name, suite] of both) {
    const sealed = suite.seal(key, ascii('contents'), ascii('aad'));
    for (let i = 0; i < sealed.length; i++) {
      const altered = sealed.slice();
      altered[i]! ^= 1;
      assert.throws(() => suite.open(key, altered, ascii('aad')), hasCode(CRYPTO_AUTH_FAILED), `${name} byte ${i}`);
    }
    assert.throws(() => suite.open(key, sealed), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.open(key, sealed.subarray(0, 20)), hasCode(CRYPTO_AUTH_FAILED));
    const wrapped = suite.wrapKey(recipient.publicKey, key);
    const altered = wrapped.slice();
    altered[wrapped.length - 1]! ^= 1;
    assert.throws(() => suite.unwrapKey(recipient.privateKey, altered), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.unwrapKey(node.generateKeyPair().privateKey, wrapped), hasCode(CRYPTO_AUTH_FAILED));
    assert.throws(() => suite.sign(new Uint8Array(32), ascii('m')), hasCode(CRYPTO_INVALID_KEY));
    assert.throws(() => suite.publicKeyOf(bigintTo32Bytes(P256_N)), hasCode(CRYPTO_INVALID_KEY));
  }
});

test('pure AES-256-GCM equals OpenSSL for random keys, IVs, lengths and associated data, and rejects tampering', () => {
  for (let i = 0; i < 100; i++) {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const plaintext = randomBytes((i * 7) % 150);
    const aad = randomBytes(i % 37);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const expected = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const ours = aes256GcmEncrypt(key, iv, plaintext, aad);
    assert.equal(hex(ours), expected.toString('hex'), `case ${i}`);
    assert.equal(hex(aes256GcmDecrypt(key, iv, ours, aad)!), hex(plaintext));
    ours[ours.length - 1]! ^= 1;
    assert.equal(aes256GcmDecrypt(key, iv, ours, aad), null);
  }
});

test('pure AES-256-GCM matches the GCM specification test case 16 (AES-256, 60-byte plaintext, 20-byte AAD)', () => {
  const key = hexToBytes('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
  const iv = hexToBytes('cafebabefacedbaddecaf888');
  const plaintext = hexToBytes(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  );
  const aad = hexToBytes('feedfacedeadbeeffeedfacedeadbeefabaddad2');
  const out = aes256GcmEncrypt(key, iv, plaintext, aad);
  assert.equal(
    hex(out.subarray(0, 60)),
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
  );
  assert.equal(hex(out.subarray(60)), '76fc6ece0f4e1768cddf8853bb2d551b');
});
