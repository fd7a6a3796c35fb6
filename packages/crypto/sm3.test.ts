import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import { Sm3, hmacSm3, sm3, sm3Kdf } from './sm3.ts';
import { nodeSm3 } from './gm.node.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

test('SM3 matches the GB/T 32905-2016 Appendix A examples ("abc" and the 64-byte "abcd"×16)', () => {
  assert.equal(hex(sm3(ascii('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(hex(sm3(ascii('abcd'.repeat(16)))), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('pure SM3 equals OpenSSL SM3 for every length from 0 to 300 bytes, across padding boundaries', () => {
  for (let len = 0; len <= 300; len++) {
    const data = randomBytes(len);
    assert.equal(hex(sm3(data)), createHash('sm3').update(data).digest('hex'), `length ${len}`);
  }
});

test('incremental SM3 over uneven chunks equals one-shot hashing', () => {
  const data = randomBytes(1000);
  const h = new Sm3();
  for (let pos = 0, step = 1; pos < data.length; pos += step, step = (step * 7) % 97 + 1) {
    h.update(data.subarray(pos, Math.min(data.length, pos + step)));
  }
  assert.equal(hex(h.digest()), hex(sm3(data)));
});

test('HMAC-SM3 equals OpenSSL HMAC-SM3 for short, block-sized and long keys', () => {
  for (const keyLen of [0, 1, 16, 32, 63, 64, 65, 200]) {
    const key = randomBytes(keyLen);
    const data = randomBytes(keyLen * 3 + 5);
    assert.equal(hex(hmacSm3(key, data)), createHmac('sm3', key).update(data).digest('hex'), `key length ${keyLen}`);
  }
});

test('SM3-KDF concatenates SM3(Z || ct) for ct = 1, 2, … (32-bit big-endian) and truncates to the length', () => {
  const z = randomBytes(64);
  const block = (ct: number): Uint8Array => sm3(new Uint8Array([...z, 0, 0, 0, ct]));
  assert.equal(hex(sm3Kdf(z, 70)), hex(new Uint8Array([...block(1), ...block(2), ...block(3).subarray(0, 6)])));
  assert.equal(sm3Kdf(z, 0).length, 0);
  assert.equal(hex(sm3Kdf(z, 19, nodeSm3)), hex(sm3Kdf(z, 19)));
});
