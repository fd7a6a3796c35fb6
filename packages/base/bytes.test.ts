import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocBytes, compareBytes, fromHex, fromUtf8, isHex, toHex, utf8 } from './bytes.ts';

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

test('utf8 gives the same bytes as TextEncoder on ASCII, CJK, emoji, lone surrogates and long strings', () => {
  const encoder = new TextEncoder();
  const samples = ['', 'kv/key-1', '\u007f', '\u0080', '营业执照 No.1', 'a😀b', 'x\ud800y', 'A'.repeat(64), 'A'.repeat(65), `${'b'.repeat(63)}证`, '证'.repeat(100)];
  for (const s of samples) {
    assert.deepEqual(utf8(s), encoder.encode(s), JSON.stringify(s));
    if (!s.includes('\ud800')) assert.equal(fromUtf8(utf8(s)), s);
  }
});

test('allocBytes gives zero-filled arrays of the length asked that never overlap, across slab boundaries', () => {
  const sizes = [0, 1, 64, 65, 100, 513, 4096, 4097, 70_000];
  const taken = Array.from({ length: 400 }, (_, i) => allocBytes(sizes[i % sizes.length]!));
  taken.forEach((a, i) => {
    assert.equal(a.length, sizes[i % sizes.length]);
    assert.ok(a.every((b) => b === 0), `array ${i} is not zero-filled`);
    a.fill((i % 255) + 1);
  });
  // Writing every array did not touch any other: each still holds only its own byte.
  taken.forEach((a, i) => assert.ok(a.every((b) => b === (i % 255) + 1), `array ${i} was overwritten`));
});
