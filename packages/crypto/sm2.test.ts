import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex as hex, hexToBytes } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import {
  Sm2Verifier,
  isValidSm2PublicKey,
  sm2GenerateKeyPair,
  sm2PublicKeyOf,
  sm2Sign,
  sm2SignWithNonce,
  sm2Verify,
  sm2Z,
} from './sm2.ts';
import { SM2_CURVE, bigintTo32Bytes } from './sm2-curve.ts';
import { sm3 } from './sm3.ts';
import { CRYPTO_INVALID_KEY } from './errors.ts';
import { RECOMMENDED_CURVE_SIGNATURE as REC, TEST_CURVE, TEST_CURVE_SIGNATURE as TC } from './sm2-vectors.fixture.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

test('SM2 reproduces the GM/T 0003.5 recommended-curve example: public key, Z with the default ID, e, and (r, s) for the given k', () => {
  assert.equal(hex(sm2PublicKeyOf(REC.privateKey)), hex(REC.publicKey));
  const z = sm2Z(REC.publicKey);
  assert.equal(hex(z), REC.z);
  assert.equal(hex(sm3(new Uint8Array([...z, ...REC.message]))), REC.e);
  assert.equal(hex(sm2SignWithNonce(REC.privateKey, REC.message, REC.k)!), REC.signature);
  assert.equal(sm2Verify(REC.publicKey, REC.message, hexToBytes(REC.signature)), true);
});

test('SM2 reproduces the GB/T 32918.2 Annex A example on the test curve with ID ALICE123@YAHOO.COM', () => {
  const options = { curve: TEST_CURVE, id: TC.id };
  const publicKey = sm2PublicKeyOf(TC.privateKey, TEST_CURVE);
  assert.equal(hex(sm2Z(publicKey, options)), TC.z);
  assert.equal(hex(sm2SignWithNonce(TC.privateKey, TC.message, TC.k, options)!), TC.signature);
  assert.equal(sm2Verify(publicKey, TC.message, hexToBytes(TC.signature), options), true);
  // The same signature is not valid under the default ID: the ID really enters the signed value.
  assert.equal(sm2Verify(publicKey, TC.message, hexToBytes(TC.signature), { curve: TEST_CURVE }), false);
});

test('fresh SM2 signatures verify, are randomized, and fail for another message, key or ID', () => {
  const { privateKey, publicKey } = sm2GenerateKeyPair();
  const other = sm2GenerateKeyPair();
  const message = ascii('政务数据共享');
  const sig1 = sm2Sign(privateKey, message);
  const sig2 = sm2Sign(privateKey, message);
  assert.notEqual(hex(sig1), hex(sig2));
  assert.equal(sm2Verify(publicKey, message, sig1), true);
  assert.equal(sm2Verify(publicKey, message, sig2), true);
  assert.equal(sm2Verify(publicKey, ascii('政务数据共享!'), sig1), false);
  assert.equal(sm2Verify(other.publicKey, message, sig1), false);
  assert.equal(sm2Verify(publicKey, message, sig1, { id: new Uint8Array(0) }), false);
});

test('SM2 verify returns false, without throwing, for r or s equal to 0 or ≥ n, wrong lengths and invalid keys', () => {
  const { publicKey } = REC;
  const sig = hexToBytes(REC.signature);
  const n = bigintTo32Bytes(SM2_CURVE.n);
  const zero = new Uint8Array(32);
  const cases: Array<[string, Uint8Array, Uint8Array]> = [
    ['r = 0', publicKey, new Uint8Array([...zero, ...sig.subarray(32)])],
    ['s = 0', publicKey, new Uint8Array([...sig.subarray(0, 32), ...zero])],
    ['r = n', publicKey, new Uint8Array([...n, ...sig.subarray(32)])],
    ['s = n', publicKey, new Uint8Array([...sig.subarray(0, 32), ...n])],
    ['r = 2^256 - 1', publicKey, new Uint8Array([...new Uint8Array(32).fill(0xff), ...sig.subarray(32)])],
    ['63-byte signature', publicKey, sig.subarray(0, 63)],
    ['65-byte signature', publicKey, new Uint8Array([...sig, 0])],
    ['empty signature', publicKey, new Uint8Array(0)],
    ['point off the curve', new Uint8Array([...publicKey.subarray(0, 64), publicKey[64]! ^ 1]), sig],
    ['compressed key', new Uint8Array([0x02, ...publicKey.subarray(1, 33)]), sig],
    ['64-byte key without prefix', publicKey.subarray(1), sig],
    ['all-zero key', new Uint8Array(65), sig],
  ];
  const verifier = new Sm2Verifier();
  for (const [name, key, signature] of cases) {
    assert.equal(sm2Verify(key, REC.message, signature), false, name);
    assert.equal(verifier.verify(key, REC.message, signature), false, `${name} (cached verifier)`);
  }
});

test('the caching verifier agrees with uncached verification over many keys, including after key and table eviction', () => {
  const verifier = new Sm2Verifier({ capacity: 4, tableCapacity: 2 });
  const keys = Array.from({ length: 5 }, () => sm2GenerateKeyPair());
  for (let round = 0; round < 8; round++) {
    keys.forEach((key, i) => {
      const message = ascii(`round ${round} key ${i}`);
      const signature = sm2Sign(key.privateKey, message);
      assert.equal(verifier.verify(key.publicKey, message, signature), true);
      const forged = signature.slice();
      forged[10]! ^= 0x40;
      assert.equal(verifier.verify(key.publicKey, message, forged), sm2Verify(key.publicKey, message, forged));
      assert.equal(verifier.verify(keys[(i + 1) % 5]!.publicKey, message, signature), false);
    });
  }
});

test('invalid private keys are refused with CRYPTO_INVALID_KEY: 0, n-1 (1 + d not invertible) and wrong length', () => {
  const isInvalidKey = (err: unknown): boolean => err instanceof GovchainError && err.code === CRYPTO_INVALID_KEY;
  for (const key of [new Uint8Array(32), bigintTo32Bytes(SM2_CURVE.n - 1n), new Uint8Array(31).fill(1)]) {
    assert.throws(() => sm2Sign(key, ascii('x')), isInvalidKey);
  }
  assert.equal(hex(sm2PublicKeyOf(bigintTo32Bytes(SM2_CURVE.n - 2n))).length, 130);
});

test('public key validation accepts curve points and refuses anything else', () => {
  assert.equal(isValidSm2PublicKey(REC.publicKey), true);
  assert.equal(isValidSm2PublicKey(sm2GenerateKeyPair().publicKey), true);
  assert.equal(isValidSm2PublicKey(new Uint8Array([...REC.publicKey.subarray(0, 64), REC.publicKey[64]! ^ 1])), false);
  assert.equal(isValidSm2PublicKey(new Uint8Array(65)), false);
});
