/**
 * Committing one height: everything is checked first, then written in one LMDB write transaction, so a refused
 * block writes nothing and a crash leaves either the whole height or none of it.
 */
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import { byteKey } from './byte-key.ts';
import { LedgerErrors, ledgerError } from './errors.ts';
import { checkHeight, checkId, checkStateKey, checkStateValue } from './limits.ts';
import type { PreparedState } from './prepare.ts';
import { encodeBlock, encodeHistory, encodeRoot, encodeTx, encodeTxLocation } from './records.ts';
import { META_LAST_HEIGHT, heightKey, historyKey, nodeKey, positionKey, readHeight, type Store } from './tables.ts';
import type { LoggedStateWrite, ReceiptInput, TxInput } from './types.ts';

export interface BlockCommit {
  readonly height: number;
  readonly blockHash: Uint8Array;
  readonly blockBytes: Uint8Array;
  readonly headerBytes?: Uint8Array;
  readonly certificateBytes: Uint8Array;
  readonly txs: readonly TxInput[];
  /** At most one per tx of this block, in any order. */
  readonly receipts: readonly ReceiptInput[];
  /** Every state write of the block in execution order (StateOverlay.log()). */
  readonly stateWrites: readonly LoggedStateWrite[];
  /** From Ledger.prepareState for this height, computed on the same final writes. */
  readonly preparedState: PreparedState;
}

/** What the checks worked out and the write needs: each receipt's tx position. */
export interface CheckedCommit {
  readonly commit: BlockCommit;
  readonly receiptIndexes: readonly number[];
}

function badBlock(message: string): GovchainError {
  return ledgerError(LedgerErrors.BAD_BLOCK, 'malformed', message);
}

/** Refuses, with a GovchainError naming the problem, anything that would not commit cleanly after `lastHeight`. */
export function checkCommit(store: Store, commit: BlockCommit, lastHeight: number, currentRoot: Uint8Array): CheckedCommit {
  const { tables } = store;
  checkHeight(commit.height);
  if (commit.height !== lastHeight + 1) {
    throw ledgerError(LedgerErrors.HEIGHT_NOT_NEXT, 'conflict',
      `cannot commit height ${commit.height}: the next height is ${lastHeight + 1}`,
      { height: commit.height, expected: lastHeight + 1 });
  }
  checkId(commit.blockHash, 'block hash');
  if (tables.block_hash.doesExist(commit.blockHash)) {
    throw ledgerError(LedgerErrors.DUPLICATE_BLOCK, 'conflict', `block ${toHex(commit.blockHash)} is already committed`);
  }

  const txIndexById = new Map<string, number>();
  commit.txs.forEach((tx, i) => {
    checkId(tx.id, `id of tx ${i}`);
    const id = byteKey(tx.id);
    if (txIndexById.has(id)) {
      throw ledgerError(LedgerErrors.DUPLICATE_TX, 'conflict', `tx ${toHex(tx.id)} appears twice in the block`);
    }
    if (tables.tx_id.doesExist(tx.id)) {
      throw ledgerError(LedgerErrors.DUPLICATE_TX, 'conflict', `tx ${toHex(tx.id)} is already committed`,
        { txId: toHex(tx.id) });
    }
    txIndexById.set(id, i);
  });

  const receiptIndexes = commit.receipts.map((r) => {
    const index = txIndexById.get(byteKey(r.txId));
    if (index === undefined) throw badBlock(`receipt for tx ${toHex(r.txId)}, which is not in the block`);
    return index;
  });
  if (new Set(receiptIndexes).size !== receiptIndexes.length) throw badBlock('two receipts for the same tx');

  const finalWrites = new Map<string, Uint8Array | null>();
  for (const w of commit.stateWrites) {
    if (w.txIndex !== null && !(Number.isInteger(w.txIndex) && w.txIndex >= 0 && w.txIndex < commit.txs.length)) {
      throw badBlock(`state write by tx index ${w.txIndex}; the block has ${commit.txs.length} txs`);
    }
    checkStateKey(w.key);
    if (w.value !== null) checkStateValue(w.value);
    finalWrites.set(byteKey(w.key), w.value);
  }

  const prepared = commit.preparedState;
  if (prepared.height !== commit.height || !bytesEqual(prepared.baseRoot, currentRoot)) {
    throw ledgerError(LedgerErrors.STALE_STATE, 'conflict',
      `the prepared state was computed for height ${prepared.height} on root ${toHex(prepared.baseRoot)}; ` +
      `committing height ${commit.height} on root ${toHex(currentRoot)} needs a new prepareState`);
  }
  const same = prepared.writes.length === finalWrites.size && prepared.writes.every((w) => {
    const v = finalWrites.get(byteKey(w.key));
    return v !== undefined && (v === null ? w.value === null : w.value !== null && bytesEqual(v, w.value));
  });
  if (!same) {
    throw ledgerError(LedgerErrors.STATE_MISMATCH, 'malformed',
      'the prepared state was computed from other writes than the block\'s stateWrites');
  }
  return { commit, receiptIndexes };
}

/** Writes a checked height. Must run inside the environment's transactionSync. */
export function writeCommit(store: Store, { commit, receiptIndexes }: CheckedCommit): void {
  const { tables } = store;
  const h = commit.height;
  // Guards against a second process writing the same ledger: the check above read outside this transaction.
  const stored = tables.meta.get(META_LAST_HEIGHT);
  const lastInTxn = stored === undefined ? -1 : readHeight(stored);
  if (lastInTxn !== h - 1) {
    throw ledgerError(LedgerErrors.HEIGHT_NOT_NEXT, 'conflict', `height ${h - 1} is no longer the last committed height`);
  }
  // Tables keyed by height (or height first) only ever grow at the end: append keeps their pages full.
  const append = { append: true };
  tables.block.putSync(heightKey(h), encodeBlock({
    blockHash: commit.blockHash,
    blockBytes: commit.blockBytes,
    headerBytes: commit.headerBytes,
    txCount: commit.txs.length,
  }), append);
  tables.block_hash.putSync(commit.blockHash, heightKey(h));
  tables.cert.putSync(heightKey(h), commit.certificateBytes, append);
  commit.txs.forEach((tx, i) => {
    tables.tx_id.putSync(tx.id, encodeTxLocation(h, i));
    tables.tx.putSync(positionKey(h, i), encodeTx(tx.id, tx.bytes), append);
  });
  commit.receipts
    .map((r, k) => ({ bytes: r.bytes, index: receiptIndexes[k]! }))
    .sort((a, b) => a.index - b.index)
    .forEach((r) => tables.receipt.putSync(positionKey(h, r.index), r.bytes, append));

  const prepared = commit.preparedState;
  for (const w of prepared.writes) {
    if (w.value === null) tables.state.removeSync(w.key);
    else tables.state.putSync(w.key, w.value);
  }
  commit.stateWrites.forEach((w, j) => tables.history.putSync(historyKey(w.key, h, j), encodeHistory(w.txIndex, w.value)));
  for (const n of prepared.nodes) tables.node.putSync(nodeKey(n.ref), n.bytes, append);
  tables.root.putSync(heightKey(h), encodeRoot(prepared.rootRef), append);
  if (prepared.rootRef !== null) tables.root_index.putSync(prepared.rootRef.hash, heightKey(prepared.rootRef.height));
  tables.meta.putSync(META_LAST_HEIGHT, heightKey(h));
}
