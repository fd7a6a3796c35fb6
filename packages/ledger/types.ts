/** The shapes the ledger takes and returns. Bytes are opaque: the ledger never decodes txs, blocks or receipts. */

export interface StateEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** A change to one key: a new value, or null for a delete. */
export interface StateWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/** A write as it happened during execution: by the tx at `txIndex` in the block, or by the block itself (null). */
export interface LoggedStateWrite extends StateWrite {
  readonly txIndex: number | null;
}

/** Read access to committed state; what an overlay sits on. */
export interface StateReader {
  getState(key: Uint8Array): Uint8Array | undefined;
  /** Entries with start <= key < end (no end: to the last key), ascending, read lazily. */
  scanState(start: Uint8Array, end: Uint8Array | undefined): Iterable<StateEntry>;
}

export interface TxInput {
  readonly id: Uint8Array;
  readonly bytes: Uint8Array;
}

export interface ReceiptInput {
  readonly txId: Uint8Array;
  readonly bytes: Uint8Array;
}

export interface StoredBlock {
  readonly height: number;
  readonly blockHash: Uint8Array;
  readonly blockBytes: Uint8Array;
  readonly headerBytes: Uint8Array | undefined;
  readonly txCount: number;
}

/** A block with everything a syncing peer needs to re-execute and check it. */
export interface SyncBlock extends StoredBlock {
  readonly certificateBytes: Uint8Array;
  readonly txs: readonly TxInput[];
}

export interface StoredTx {
  readonly height: number;
  readonly index: number;
  readonly bytes: Uint8Array;
}

export interface HistoryEntry {
  readonly height: number;
  /** null for a write made by the block itself rather than by a tx (genesis state, for instance). */
  readonly txIndex: number | null;
  readonly txId: Uint8Array | null;
  /** null for a delete. */
  readonly value: Uint8Array | null;
}

/** One page of an ordered query; pass `cursor` back to get the next page. No cursor: nothing more. */
export interface Page<T> {
  readonly entries: readonly T[];
  readonly cursor: Uint8Array | undefined;
}
