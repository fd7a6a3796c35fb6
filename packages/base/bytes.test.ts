import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, fromHex, isHex, toHex } from './bytes.ts';

test('hex round-trips every byte value in both cases and refuses non-hex input', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const hex = toHex(all);
  assert.equal(hex, Buffer.from(all).toString('hex'));
  assert.deepEqual(fromHex(hex), all);
  assert.deepEqual(fromHex(hex.toUpperCase()), all);
  assert.deepEqual(fromHex('0x0a0B'), new Uint8Array([10, 11]));
  assert.throws(() => fromHex('abc'), TypeError);
  assert.throws(() => fromHex('zz'), TypeError);
  assert.equal(isHex('00ff', 2), true);
  assert.equal(isHex('00ff', 3), false);
});

test('byte order is lexicographic with shorter prefixes first', () => {
  assert.ok(compareBytes(new Uint8Array([1]), new Uint8Array([1, 0])) < 0);
  assert.ok(compareBytes(new Uint8Array([2]), new Uint8Array([1, 255])) > 0);
  assert.equal(compareBytes(new Uint8Array([]), new Uint8Array([])), 0);
});
