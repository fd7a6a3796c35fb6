import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, fromUtf8, utf8 } from '@govchain/base';
import { StateOverlay } from './overlay.ts';
import type { StateEntry, StateReader } from './types.ts';

/** Committed state as a sorted in-memory list, standing in for the ledger. */
function baseOf(entries: Record<string, string>): StateReader {
  const sorted = Object.entries(entries)
    .map(([k, v]) => ({ key: utf8(k), value: utf8(v) }))
    .sort((a, b) => compareBytes(a.key, b.key));
  return {
    getState: (key) => sorted.find((e) => compareBytes(e.key, key) === 0)?.value,
    scanState: (start, end): Iterable<StateEntry> =>
      sorted.filter((e) => compareBytes(e.key, start) >= 0 && (end === undefined || compareBytes(e.key, end) < 0)),
  };
}

const text = (entries: readonly StateEntry[]): string[] => entries.map((e) => `${fromUtf8(e.key)}=${fromUtf8(e.value)}`);

test('reads see the block\'s own writes first and committed state for untouched keys', () => {
  const overlay = new StateOverlay(baseOf({ a: '1', b: '2' }));
  overlay.set(utf8('a'), utf8('10'), 0);
  overlay.delete(utf8('b'), 0);
  overlay.set(utf8('c'), utf8('3'), 1);
  assert.equal(fromUtf8(overlay.get(utf8('a'))!), '10');
  assert.equal(overlay.get(utf8('b')), undefined);
  assert.equal(fromUtf8(overlay.get(utf8('c'))!), '3');
  assert.equal(overlay.get(utf8('d')), undefined);
});

test('range merges the block\'s writes with committed state in key order, hiding deletes', () => {
  const overlay = new StateOverlay(baseOf({ a: '1', c: '3', e: '5', g: '7' }));
  overlay.set(utf8('b'), utf8('2'), 0);
  overlay.set(utf8('c'), utf8('30'), 0);
  overlay.delete(utf8('e'), 0);
  overlay.set(utf8('h'), utf8('8'), 0);
  assert.deepEqual(text(overlay.range(utf8('a'), undefined, 100)), ['a=1', 'b=2', 'c=30', 'g=7', 'h=8']);
  assert.deepEqual(text(overlay.range(utf8('b'), utf8('g'), 100)), ['b=2', 'c=30']);
  // The limit counts live entries: the deleted 'e' does not use one up.
  assert.deepEqual(text(overlay.range(utf8('c'), undefined, 2)), ['c=30', 'g=7']);
  assert.throws(() => overlay.range(utf8('a'), undefined, 0), { code: 'LEDGER_BAD_ARGUMENT' });
  assert.throws(() => overlay.range(utf8('a'), undefined, 1001), { code: 'LEDGER_BAD_ARGUMENT' });
});

test('revertTo drops a failed tx\'s writes and restores what they replaced', () => {
  const overlay = new StateOverlay(baseOf({ a: '1' }));
  overlay.set(utf8('a'), utf8('2'), 0);
  const mark = overlay.checkpoint();
  overlay.set(utf8('a'), utf8('3'), 1);
  overlay.set(utf8('z'), utf8('new'), 1);
  overlay.delete(utf8('a'), 1);
  overlay.revertTo(mark);
  assert.equal(fromUtf8(overlay.get(utf8('a'))!), '2');
  assert.equal(overlay.get(utf8('z')), undefined);
  assert.deepEqual(text(overlay.range(utf8('a'), undefined, 10)), ['a=2']);
  assert.deepEqual(overlay.log().map((w) => w.txIndex), [0]);
  assert.throws(() => overlay.revertTo(5), { code: 'LEDGER_BAD_ARGUMENT' });
});

test('writes() gives each touched key\'s final write in key order; log() gives every write in order', () => {
  const overlay = new StateOverlay(baseOf({}));
  overlay.set(utf8('b'), utf8('1'), 0);
  overlay.set(utf8('a'), utf8('1'), 0);
  overlay.set(utf8('b'), utf8('2'), 1);
  overlay.delete(utf8('c'), null);
  assert.deepEqual(overlay.writes().map((w) => `${fromUtf8(w.key)}=${w.value === null ? '∅' : fromUtf8(w.value)}`),
    ['a=1', 'b=2', 'c=∅']);
  assert.deepEqual(overlay.log().map((w) => `${fromUtf8(w.key)}@${w.txIndex}`), ['b@0', 'a@0', 'b@1', 'c@null']);
});

test('writes are copied, so the caller may reuse its buffers', () => {
  const overlay = new StateOverlay(baseOf({}));
  const value = utf8('abc');
  overlay.set(utf8('k'), value, 0);
  value[0] = 0x7a;
  assert.equal(fromUtf8(overlay.get(utf8('k'))!), 'abc');
});

test('empty and oversized keys and oversized values are refused when written', () => {
  const overlay = new StateOverlay(baseOf({}));
  assert.throws(() => overlay.set(new Uint8Array(0), utf8('x'), 0), { code: 'LEDGER_BAD_ARGUMENT' });
  assert.throws(() => overlay.set(new Uint8Array(513), utf8('x'), 0), { code: 'LEDGER_TOO_LARGE' });
  assert.throws(() => overlay.set(utf8('k'), new Uint8Array(4 * 1024 * 1024 + 1), 0), { code: 'LEDGER_TOO_LARGE' });
});
