/**
 * The state interfaces execution sees, and the per-tx write buffer. Execution never touches storage directly:
 * a block runs over an overlay of committed state (provided by the ledger), each tx over a `TxBuffer` on top of
 * it, so a failed tx leaves nothing behind and the block's writes can be hashed into the state root before
 * anything is committed.
 */
import { compareBytes, toHex } from '@govchain/base';

export type Entry = [key: Uint8Array, value: Uint8Array];

export interface StateReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /** Entries with start <= key < end in byte order, at most `limit`. */
  range(start: Uint8Array, end: Uint8Array, limit: number): Entry[];
}

export interface StateWriter extends StateReader {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/** One write as it happened, for key history: which tx of the block wrote what (null = delete). */
export interface LoggedWrite {
  key: Uint8Array;
  value: Uint8Array | null;
  txIndex: number;
}

export class TxBuffer implements StateWriter {
  // Keyed by hex so lookups are by value; order is restored by sorting keys when ranging or flushing.
  private readonly writes = new Map<string, { key: Uint8Array; value: Uint8Array | null }>();

  constructor(private readonly parent: StateWriter) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const w = this.writes.get(toHex(key));
    if (w !== undefined) return w.value ?? undefined;
    return this.parent.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.writes.set(toHex(key), { key: key.slice(), value: value.slice() });
  }

  delete(key: Uint8Array): void {
    this.writes.set(toHex(key), { key: key.slice(), value: null });
  }

  range(start: Uint8Array, end: Uint8Array, limit: number): Entry[] {
    const local = [...this.writes.values()]
      .filter((w) => compareBytes(w.key, start) >= 0 && compareBytes(w.key, end) < 0)
      .sort((a, b) => compareBytes(a.key, b.key));
    // Ask the parent for enough entries to survive local deletions shadowing some of them.
    const deletions = local.filter((w) => w.value === null).length;
    const fromParent = this.parent.range(start, end, limit + deletions);
    const shadowed = new Set(local.map((w) => toHex(w.key)));
    const merged: Entry[] = fromParent.filter(([k]) => !shadowed.has(toHex(k)));
    for (const w of local) if (w.value !== null) merged.push([w.key, w.value]);
    merged.sort((a, b) => compareBytes(a[0], b[0]));
    return merged.slice(0, limit);
  }

  /** Writes in key order; deterministic regardless of the order the contract made them. */
  sortedWrites(): { key: Uint8Array; value: Uint8Array | null }[] {
    return [...this.writes.values()].sort((a, b) => compareBytes(a.key, b.key));
  }

  flushInto(target: StateWriter, txIndex: number, log: LoggedWrite[]): void {
    for (const w of this.sortedWrites()) {
      if (w.value === null) target.delete(w.key);
      else target.set(w.key, w.value);
      log.push({ key: w.key, value: w.value, txIndex });
    }
  }
}

/** An in-memory StateWriter over a sorted snapshot; used for queries in tests and as a reference model. */
export class MemoryState implements StateWriter {
  private readonly map = new Map<string, Entry>();

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(toHex(key))?.[1];
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.map.set(toHex(key), [key.slice(), value.slice()]);
  }

  delete(key: Uint8Array): void {
    this.map.delete(toHex(key));
  }

  range(start: Uint8Array, end: Uint8Array, limit: number): Entry[] {
    return [...this.map.values()]
      .filter(([k]) => compareBytes(k, start) >= 0 && compareBytes(k, end) < 0)
      .sort((a, b) => compareBytes(a[0], b[0]))
      .slice(0, limit);
  }
}
