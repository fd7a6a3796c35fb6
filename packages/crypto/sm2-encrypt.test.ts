import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex as hex, hexToBytes } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import { sm2CiphertextFromDer, sm2CiphertextToDer, sm2Decrypt, sm2Encrypt, sm2EncryptWithNonce } from './sm2-encrypt.ts';
import { sm2GenerateKeyPair, sm2PublicKeyOf } from './sm2.ts';
import { CRYPTO_AUTH_FAILED, CRYPTO_MALFORMED } from './errors.ts';
import { RECOMMENDED_CURVE_ENCRYPTION as REC, TEST_CURVE, TEST_CURVE_ENCRYPTION as TC } from './sm2-vectors.fixture.ts';

const hasCode = (code: string) => (err: unknown): boolean => err instanceof GovchainError && err.code === code;

test('SM2 encryption reproduces the GM/T 0003.5 Annex C example (C1C3C2 and its GM/T 0009 DER) and decrypts it', () => {
  const ciphertext = sm2EncryptWithNonce(sm2PublicKeyOf(REC.privateKey), REC.message, REC.k)!;
  assert.equal(hex(ciphertext), REC.ciphertext);
  assert.equal(hex(sm2CiphertextToDer(ciphertext)), REC.der);
  assert.equal(hex(sm2CiphertextFromDer(hexToBytes(REC.der))), REC.ciphertext);
  assert.equal(hex(sm2Decrypt(REC.privateKey, ciphertext)), hex(REC.message));
});

test('SM2 encryption reproduces the GB/T 32918.4 Annex A example on the test curve', () => {
  const options = { curve: TEST_CURVE };
  const ciphertext = sm2EncryptWithNonce(sm2PublicKeyOf(TC.privateKey, TEST_CURVE), TC.message, TC.k, options)!;
  assert.equal(hex(sm2CiphertextToDer(ciphertext)), TC.der);
  assert.equal(hex(sm2Decrypt(TC.privateKey, ciphertext, options)), hex(TC.message));
});

test('SM2 encryption round-trips random secrets and every altered byte fails with CRYPTO_AUTH_FAILED or CRYPTO_MALFORMED', () => {
  const { privateKey, publicKey } = sm2GenerateKeyPair();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const ciphertext = sm2Encrypt(publicKey, secret);
  assert.equal(ciphertext.length, 97 + 32);
  assert.equal(hex(sm2Decrypt(privateKey, ciphertext)), hex(secret));
  for (const i of [1, 40, 64, 65, 80, 96, 97, 128]) {
    const altered = ciphertext.slice();
    altered[i]! ^= 0x01;
    // A changed C1 is usually off the curve (malformed); a changed C3 or C2 fails the hash check.
    assert.throws(() => sm2Decrypt(privateKey, altered), (err: unknown) => hasCode(CRYPTO_AUTH_FAILED)(err) || hasCode(CRYPTO_MALFORMED)(err), `byte ${i}`);
  }
  assert.throws(() => sm2Decrypt(sm2GenerateKeyPair().privateKey, ciphertext), hasCode(CRYPTO_AUTH_FAILED));
  assert.throws(() => sm2Decrypt(privateKey, ciphertext.subarray(0, 97)), hasCode(CRYPTO_MALFORMED));
});

test('SM2 ciphertext DER conversion refuses malformed input', () => {
  assert.throws(() => sm2CiphertextFromDer(hexToBytes(REC.der).subarray(0, 50)), hasCode(CRYPTO_MALFORMED));
  assert.throws(() => sm2CiphertextToDer(new Uint8Array(97)), hasCode(CRYPTO_MALFORMED));
  assert.throws(() => sm2Encrypt(sm2PublicKeyOf(REC.privateKey), new Uint8Array(0)), hasCode(CRYPTO_MALFORMED));
});
