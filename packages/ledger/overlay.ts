/**
 * The state a block sees while it executes: its own uncommitted writes on top of committed state. Reads fall
 * through to the base for keys the block has not touched; `range` merges both in key order, with the block's
 * deletes hiding committed entries. Checkpoints let the executor drop a failed tx's writes.
 *
 * `writes()` (the final value of each touched key) feeds `Ledger.prepareState`; `log()` (every write, in order,
 * with its tx index) is the block's `stateWrites` and becomes key history.
 */
import { compareBytes } from '@govchain/base';
import { byteKey } from './byte-key.ts';
import { LedgerErrors, ledgerError } from './errors.ts';
import { checkPageLimit, checkStateKey, checkStateValue } from './limits.ts';
import type { LoggedStateWrite, StateEntry, StateReader, StateWrite } from './types.ts';

export class StateOverlay {
  /** byteKey(key) → the key's latest write. */
  private readonly current = new Map<string, StateWrite>();
  private readonly entries: LoggedStateWrite[] = [];
  /** For each log entry, the write it replaced in `current` (undefined: the key was untouched). */
  private readonly undo: (StateWrite | undefined)[] = [];
  /** Touched keys in order, rebuilt only after the key set changes. */
  private sortedKeys: Uint8Array[] | undefined;

  constructor(private readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const w = this.current.get(byteKey(key));
    if (w !== undefined) return w.value ?? undefined;
    return this.base.getState(key);
  }

  set(key: Uint8Array, value: Uint8Array, txIndex: number | null): void {
    checkStateKey(key);
    checkStateValue(value);
    this.record({ key: key.slice(), value: value.slice() }, txIndex);
  }

  delete(key: Uint8Array, txIndex: number | null): void {
    checkStateKey(key);
    this.record({ key: key.slice(), value: null }, txIndex);
  }

  private record(write: StateWrite, txIndex: number | null): void {
    const id = byteKey(write.key);
    const previous = this.current.get(id);
    if (previous === undefined) this.sortedKeys = undefined;
    this.undo.push(previous);
    this.entries.push({ ...write, txIndex });
    this.current.set(id, write);
  }

  /** A mark to revert to; the number of writes so far. */
  checkpoint(): number {
    return this.entries.length;
  }

  /** Drops every write made after `mark` was taken. */
  revertTo(mark: number): void {
    if (!Number.isInteger(mark) || mark < 0 || mark > this.entries.length) {
      throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `no checkpoint ${mark} (${this.entries.length} writes)`);
    }
    while (this.entries.length > mark) {
      const entry = this.entries.pop()!;
      const previous = this.undo.pop();
      const id = byteKey(entry.key);
      if (previous === undefined) {
        this.current.delete(id);
        this.sortedKeys = undefined;
      } else {
        this.current.set(id, previous);
      }
    }
  }

  /** Up to `limit` live entries with start <= key < end (no end: to the last key), ascending. */
  range(start: Uint8Array, end: Uint8Array | undefined, limit: number): StateEntry[] {
    checkPageLimit(limit);
    const keys = this.keysInOrder();
    let o = lowerBound(keys, start);
    const inRange = (k: Uint8Array): boolean => end === undefined || compareBytes(k, end) < 0;
    const base = this.base.scanState(start, end)[Symbol.iterator]();
    const out: StateEntry[] = [];
    try {
      let b = base.next();
      while (out.length < limit) {
        const ok = o < keys.length && inRange(keys[o]!) ? keys[o]! : undefined;
        if (b.done === true && ok === undefined) break;
        const order = b.done === true ? 1 : ok === undefined ? -1 : compareBytes(b.value.key, ok);
        if (order < 0) {
          // Below the next touched key, so untouched by this block.
          out.push(b.value!);
          b = base.next();
          continue;
        }
        const w = this.current.get(byteKey(ok!))!;
        if (w.value !== null) out.push({ key: w.key, value: w.value });
        o++;
        if (order === 0) b = base.next();
      }
    } finally {
      base.return?.();
    }
    return out;
  }

  /** The final write of each touched key, in key order. */
  writes(): StateWrite[] {
    return this.keysInOrder().map((k) => this.current.get(byteKey(k))!);
  }

  /** Every write still in effect, in the order made, with its tx index. */
  log(): LoggedStateWrite[] {
    return this.entries.slice();
  }

  private keysInOrder(): Uint8Array[] {
    if (this.sortedKeys === undefined) {
      this.sortedKeys = [...this.current.values()].map((w) => w.key).sort(compareBytes);
    }
    return this.sortedKeys;
  }
}

/** Index of the first key >= `target`. */
function lowerBound(keys: readonly Uint8Array[], target: Uint8Array): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(keys[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
