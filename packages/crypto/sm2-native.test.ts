import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexToBytes } from '@noble/hashes/utils.js';
import { nativeSm2, nativeSm2LoadError } from './sm2-native.node.ts';
import { sm2GenerateKeyPair, sm2Sign, sm2Verify } from './sm2.ts';
import { SM2_CURVE, bigintTo32Bytes } from './sm2-curve.ts';
import { sm2VerifyImplementation } from './suites.node.ts';
import { RECOMMENDED_CURVE_SIGNATURE as REC } from './sm2-vectors.fixture.ts';

const binding = nativeSm2();
const skip = binding === null ? `native SM2 binding not loaded: ${nativeSm2LoadError()}` : false;

test('the native SM2 binding loads when GOVCHAIN_REQUIRE_NATIVE_SM2=1 (CI), and getSuite("gm") then uses it', () => {
  if (process.env['GOVCHAIN_REQUIRE_NATIVE_SM2'] === '1') {
    assert.ok(binding !== null, `GOVCHAIN_REQUIRE_NATIVE_SM2=1 but the binding did not load: ${nativeSm2LoadError()}`);
  }
  assert.equal(sm2VerifyImplementation(), binding === null ? 'pure-ts' : 'native-openssl');
});

test('native verification accepts the GM/T 0003.5 example signature and rejects it for an altered message', { skip }, () => {
  const native = binding!;
  for (const verify of [native.verify, native.verifyReference]) {
    assert.equal(verify(REC.publicKey, REC.message, hexToBytes(REC.signature)), true);
    assert.equal(verify(REC.publicKey, new TextEncoder().encode('message digesT'), hexToBytes(REC.signature)), false);
  }
  assert.match(native.opensslVersion(), /^OpenSSL 3\./);
});

test('native, OpenSSL-reference and pure verification agree on 320 random cases, valid and corrupted, singly and in one batch', { skip }, () => {
  const native = binding!;
  const keys = Array.from({ length: 8 }, () => sm2GenerateKeyPair());
  const cases: Array<{ publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }> = [];
  for (let i = 0; i < 320; i++) {
    const key = keys[i % keys.length]!;
    const message = crypto.getRandomValues(new Uint8Array(i % 300));
    let publicKey = key.publicKey;
    let signature = sm2Sign(key.privateKey, message);
    let signedMessage = message;
    switch (i % 8) {
      case 1: signature = signature.slice(); signature[i % 64]! ^= 1 << (i % 8); break;
      case 2: signedMessage = new Uint8Array([...message, 0]); break;
      case 3: publicKey = keys[(i + 1) % keys.length]!.publicKey; break;
      case 4: publicKey = publicKey.slice(); publicKey[1 + (i % 64)]! ^= 1; break; // almost surely off the curve
      case 5: signature = new Uint8Array([...signature.subarray(32), ...signature.subarray(0, 32)]); break;
      default: break;
    }
    cases.push({ publicKey, message: signedMessage, signature });
  }
  const expected = cases.map((c) => sm2Verify(c.publicKey, c.message, c.signature));
  assert.ok(expected.filter(Boolean).length >= 100 && expected.includes(false));
  // Each key runs table-less for its first uses and with its precomputed table after; then again, all tabled.
  assert.deepEqual(cases.map((c) => native.verify(c.publicKey, c.message, c.signature)), expected);
  assert.deepEqual(cases.map((c) => native.verify(c.publicKey, c.message, c.signature)), expected);
  assert.deepEqual(cases.map((c) => native.verifyReference(c.publicKey, c.message, c.signature)), expected);
  const batch = native.verifyBatch(cases.flatMap((c) => [c.publicKey, c.message, c.signature]));
  assert.deepEqual(Array.from(batch, (b) => b === 1), expected);
});

test('native verification returns false for r or s of 0 or ≥ n, wrong lengths and keys off the curve', { skip }, () => {
  const native = binding!;
  const sig = hexToBytes(REC.signature);
  const n = bigintTo32Bytes(SM2_CURVE.n);
  const max = new Uint8Array(32).fill(0xff);
  const zero = new Uint8Array(32);
  const pub = REC.publicKey;
  const cases: Array<[string, Uint8Array, Uint8Array]> = [
    ['r = 0', pub, new Uint8Array([...zero, ...sig.subarray(32)])],
    ['s = 0', pub, new Uint8Array([...sig.subarray(0, 32), ...zero])],
    ['r = n', pub, new Uint8Array([...n, ...sig.subarray(32)])],
    ['s = n', pub, new Uint8Array([...sig.subarray(0, 32), ...n])],
    ['r = n + (r mod n)', pub, new Uint8Array([...bigintTo32Bytes(SM2_CURVE.n + 1n), ...sig.subarray(32)])],
    ['r = 2^256 - 1', pub, new Uint8Array([...max, ...sig.subarray(32)])],
    ['all-zero signature', pub, new Uint8Array(64)],
    ['63-byte signature', pub, sig.subarray(0, 63)],
    ['65-byte signature', pub, new Uint8Array([...sig, 0])],
    ['empty signature', pub, new Uint8Array(0)],
    ['point off the curve', new Uint8Array([...pub.subarray(0, 64), pub[64]! ^ 1]), sig],
    ['compressed-form prefix', new Uint8Array([0x03, ...pub.subarray(1)]), sig],
    ['hybrid-form prefix', new Uint8Array([0x06, ...pub.subarray(1)]), sig],
    ['64-byte key', pub.subarray(1), sig],
    ['66-byte key', new Uint8Array([...pub, 0]), sig],
    ['empty key', new Uint8Array(0), sig],
    ['all-zero key', new Uint8Array(65), sig],
    ['coordinates ≥ p', new Uint8Array([0x04, ...max, ...max]), sig],
  ];
  for (const [name, key, signature] of cases) {
    assert.equal(native.verify(key, REC.message, signature), false, name);
    assert.equal(native.verifyReference(key, REC.message, signature), false, `${name} (OpenSSL reference)`);
    assert.equal(sm2Verify(key, REC.message, signature), false, `${name} (pure)`);
  }
  const batch = native.verifyBatch(cases.flatMap(([, key, signature]) => [key, REC.message, signature]));
  assert.deepEqual(Array.from(batch), cases.map(() => 0));
});

test('native verification handles empty messages and Uint8Array views with a byte offset', { skip }, () => {
  const native = binding!;
  const { privateKey, publicKey } = sm2GenerateKeyPair();
  const empty = new Uint8Array(0);
  assert.equal(native.verify(publicKey, empty, sm2Sign(privateKey, empty)), true);
  const message = crypto.getRandomValues(new Uint8Array(50));
  const signature = sm2Sign(privateKey, message);
  const packed = new Uint8Array([7, ...publicKey, ...message, ...signature, 9]);
  const at = (start: number, length: number): Uint8Array => packed.subarray(start, start + length);
  assert.equal(native.verify(at(1, 65), at(66, 50), at(116, 64)), true);
  assert.equal(native.verify(Buffer.from(publicKey), Buffer.from(message), Buffer.from(signature)), true);
});

test('native binding throws TypeError, rather than crashing, for arguments that are not Uint8Arrays', { skip }, () => {
  const native = binding!;
  const bad = native as unknown as Record<string, (...args: unknown[]) => unknown>;
  assert.throws(() => bad['verify']!('key', new Uint8Array(1), new Uint8Array(1)), TypeError);
  assert.throws(() => bad['verify']!(new Uint8Array(65), new Uint8Array(1)), TypeError);
  assert.throws(() => bad['verify']!(new Uint16Array(65), new Uint8Array(1), new Uint8Array(64)), TypeError);
  assert.throws(() => bad['verifyReference']!(new Uint8Array(65), null, new Uint8Array(64)), TypeError);
  assert.throws(() => bad['verifyBatch']!('items'), TypeError);
  assert.throws(() => bad['verifyBatch']!([new Uint8Array(65), new Uint8Array(1)]), TypeError);
  assert.throws(() => bad['verifyBatch']!([new Uint8Array(65), 'm', new Uint8Array(64)]), TypeError);
  assert.equal(native.verifyBatch([]).length, 0);
});

test('native per-key tables stay correct past their 256-key capacity (evicted tables are rebuilt on reuse)', { skip }, () => {
  const native = binding!;
  const message = new TextEncoder().encode('cache');
  const signed = Array.from({ length: 300 }, () => {
    const key = sm2GenerateKeyPair();
    return { publicKey: key.publicKey, signature: sm2Sign(key.privateKey, message) };
  });
  const flat = signed.flatMap((s) => [s.publicKey, message, s.signature]);
  // Four rounds give every key a table; 300 keys overflow the table LRU, so later rounds also rebuild.
  for (let round = 0; round < 6; round++) assert.ok(native.verifyBatch(flat).every((b) => b === 1), `round ${round}`);
  assert.equal(native.verify(signed[0]!.publicKey, message, signed[1]!.signature), false);
  assert.equal(native.verify(signed[299]!.publicKey, message, signed[0]!.signature), false);
});
