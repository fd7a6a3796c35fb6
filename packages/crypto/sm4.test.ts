import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { bytesToHex as hex, hexToBytes } from '@noble/hashes/utils.js';
import { Sm4, sm4Ctr } from './sm4.ts';

const KEY = hexToBytes('0123456789abcdeffedcba9876543210');

test('SM4 encrypts the GB/T 32907-2016 Appendix A example 1 and decrypts it back', () => {
  const cipher = new Sm4(KEY);
  const out = new Uint8Array(16);
  cipher.encryptBlock(KEY, 0, out, 0);
  assert.equal(hex(out), '681edf34d206965e86b3e94f536e4246');
  const back = new Uint8Array(16);
  cipher.decryptBlock(out, 0, back, 0);
  assert.equal(hex(back), hex(KEY));
});

test('SM4 encrypting the example 1,000,000 times gives the GB/T 32907-2016 Appendix A example 2', () => {
  const cipher = new Sm4(KEY);
  const block = KEY.slice();
  for (let i = 0; i < 1_000_000; i++) cipher.encryptBlock(block, 0, block, 0);
  assert.equal(hex(block), '595298c7c6fd271f0402f804c33d3f66');
});

test('pure SM4-CTR equals OpenSSL sm4-ctr, including the 128-bit counter carry', () => {
  for (let i = 0; i < 60; i++) {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    if (i % 3 === 0) iv.fill(0xff, 4); // forces carries through most of the counter
    const data = randomBytes(i * 13);
    const expected = createCipheriv('sm4-ctr', key, iv).update(data);
    assert.equal(hex(sm4Ctr(key, iv, data)), expected.toString('hex'), `case ${i}`);
  }
});

test('SM4 refuses keys and IVs of the wrong length', () => {
  assert.throws(() => new Sm4(new Uint8Array(15)), RangeError);
  assert.throws(() => sm4Ctr(KEY, new Uint8Array(12), new Uint8Array(1)), RangeError);
});
