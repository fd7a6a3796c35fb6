import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer, decodeExact } from './codec.ts';
import { GovchainError } from './errors.ts';

test('round-trips every field type', () => {
  const bytes = new Writer(4)
    .u8(7).bool(true).u32(0xdeadbeef).u64(2 ** 53 - 1).varuint(300).fixed(new Uint8Array([1, 2]), 2)
    .bytes(new Uint8Array([9, 9, 9])).string('政务链').list([1, 2, 3], (w, n) => w.varuint(n))
    .finish();
  const r = new Reader(bytes);
  assert.equal(r.u8(), 7);
  assert.equal(r.bool(), true);
  assert.equal(r.u32(), 0xdeadbeef);
  assert.equal(r.u64(), 2 ** 53 - 1);
  assert.equal(r.varuint(), 300);
  assert.deepEqual([...r.fixed(2)], [1, 2]);
  assert.deepEqual([...r.bytes(10)], [9, 9, 9]);
  assert.equal(r.string(100), '政务链');
  assert.deepEqual(r.list(10, (x) => x.varuint()), [1, 2, 3]);
  r.end();
});

function refuses(bytes: number[], read: (r: Reader) => unknown, pattern: RegExp): void {
  assert.throws(() => decodeExact(new Uint8Array(bytes), read), (err: unknown) => {
    assert.ok(err instanceof GovchainError);
    assert.equal(err.code, 'DECODE_ERROR');
    assert.match(err.message, pattern);
    return true;
  });
}

test('refuses non-canonical and oversized input', () => {
  refuses([0x80, 0x00], (r) => r.varuint(), /non-minimal/);
  refuses([2], (r) => r.bool(), /0 or 1/);
  refuses([1, 2], (r) => r.u8(), /trailing/);
  refuses([5, 1, 2], (r) => r.bytes(10), /truncated/);
  refuses([5, 1, 2, 3, 4, 5], (r) => r.bytes(4), /exceeds the limit/);
  refuses([2, 0xff, 0xfe], (r) => r.string(10), /UTF-8/);
  refuses([200, 1], (r) => r.list(1000, (x) => x.u8()), /cannot fit/);
  refuses([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], (r) => r.varuint(), /longer than 8/);
});

test('a writer ends at finish(): finishing twice or writing afterwards throws, and writers nest', () => {
  const outer = new Writer(8).u32(1);
  const inner = new Writer(8).string('inner').finish();
  const bytes = outer.bytes(inner).finish();
  assert.deepEqual(decodeExact(bytes, (r) => [r.u32(), r.bytes(64)]), [1, inner]);
  assert.throws(() => outer.finish(), /finish\(\) called twice/);
  assert.throws(() => outer.u32(2), /used after finish/);
  const big = new Writer(4).bytes(new Uint8Array(10_000).fill(7)).finish();
  assert.equal(big.length, 10_002);
  assert.deepEqual(new Writer(4).u8(9).finish(), Uint8Array.of(9), 'a writer after a large one starts clean');
});
