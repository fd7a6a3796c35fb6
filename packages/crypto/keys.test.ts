import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import {
  fromPem,
  privateKeyFromPem,
  privateKeyFromPkcs8,
  privateKeyToPem,
  privateKeyToPkcs8,
  publicKeyFromPem,
  publicKeyFromSpki,
  publicKeyToPem,
  publicKeyToSpki,
  toPem,
} from './keys.ts';
import { sm2GenerateKeyPair } from './sm2.ts';
import { getPureSuite } from './pure-suites.ts';
import { CRYPTO_INVALID_KEY, CRYPTO_MALFORMED } from './errors.ts';

const hasCode = (code: string) => (err: unknown): boolean => err instanceof GovchainError && err.code === code;

test('SM2 keys round-trip through SPKI and PKCS#8 PEM', () => {
  const { privateKey, publicKey } = sm2GenerateKeyPair();
  assert.equal(hex(publicKeyFromPem(publicKeyToPem(publicKey))), hex(publicKey));
  const back = privateKeyFromPem(privateKeyToPem(privateKey));
  assert.equal(hex(back.privateKey), hex(privateKey));
  assert.equal(hex(back.publicKey), hex(publicKey));
});

test('P-256 keys encode so that Node (OpenSSL) reads them, and Node-written P-256 keys decode', () => {
  const suite = getPureSuite('intl');
  const { privateKey, publicKey } = suite.generateKeyPair();
  const nodePub = createPublicKey(publicKeyToPem(publicKey, 'p256')).export({ format: 'jwk' });
  assert.equal(nodePub.crv, 'P-256');
  assert.equal(Buffer.from(nodePub.x!, 'base64url').toString('hex'), hex(publicKey.subarray(1, 33)));
  const nodePriv = createPrivateKey(privateKeyToPem(privateKey, 'p256')).export({ format: 'jwk' });
  assert.equal(Buffer.from(nodePriv.d!, 'base64url').toString('hex'), hex(privateKey));
  const generated = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = generated.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const parsed = privateKeyFromPem(pem, 'p256');
  const spki = new Uint8Array(generated.publicKey.export({ format: 'der', type: 'spki' }));
  assert.equal(hex(publicKeyFromSpki(spki, 'p256')), hex(parsed.publicKey));
});

test('a key for one curve is refused when read as the other', () => {
  const sm2 = sm2GenerateKeyPair();
  assert.throws(() => publicKeyFromSpki(publicKeyToSpki(sm2.publicKey), 'p256'), hasCode(CRYPTO_MALFORMED));
  assert.throws(() => privateKeyFromPkcs8(privateKeyToPkcs8(sm2.privateKey), 'p256'), hasCode(CRYPTO_MALFORMED));
});

test('PKCS#8 whose embedded public key does not match the private key is refused', () => {
  const a = sm2GenerateKeyPair();
  const b = sm2GenerateKeyPair();
  const der = privateKeyToPkcs8(a.privateKey);
  const tampered = der.slice();
  tampered.set(b.publicKey.subarray(1), der.length - 64); // the public key is the last 64 bytes after 0x04
  assert.throws(() => privateKeyFromPkcs8(tampered), hasCode(CRYPTO_INVALID_KEY));
});

test('public keys that are not curve points cannot be encoded or decoded', () => {
  const { publicKey } = sm2GenerateKeyPair();
  const bad = publicKey.slice();
  bad[64]! ^= 1;
  assert.throws(() => publicKeyToSpki(bad), hasCode(CRYPTO_INVALID_KEY));
  const spki = publicKeyToSpki(publicKey);
  spki[spki.length - 1]! ^= 1;
  assert.throws(() => publicKeyFromSpki(spki), hasCode(CRYPTO_INVALID_KEY));
});

test('PEM armour uses 64-character lines and refuses a missing label or bad base64', () => {
  const der = crypto.getRandomValues(new Uint8Array(100));
  const pem = toPem(der, 'PUBLIC KEY');
  assert.ok(pem.split('\n').every((line) => line.length <= 64));
  assert.equal(hex(fromPem(pem, 'PUBLIC KEY')), hex(der));
  assert.throws(() => fromPem(pem, 'PRIVATE KEY'), hasCode(CRYPTO_MALFORMED));
  assert.throws(() => fromPem('-----BEGIN PUBLIC KEY-----\nA=B=\n-----END PUBLIC KEY-----\n', 'PUBLIC KEY'), hasCode(CRYPTO_MALFORMED));
});
