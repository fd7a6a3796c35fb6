/**
 * Computing a block's state root before the block is agreed. The proposer and every validator call
 * `prepareState` with the block's final writes; it reads the committed trie, builds the changed nodes in memory
 * and returns the new root with those nodes. Nothing is written: `commitBlock` stores exactly these nodes in the
 * block's write transaction, so a block that is never committed leaves no trace.
 */
import { bytesEqual, compareBytes, toHex } from '@govchain/base';
import { LedgerErrors, ledgerError } from './errors.ts';
import { checkStateKey, checkStateValue } from './limits.ts';
import { EMPTY_ROOT } from './proof.ts';
import type { StoredRef } from './trie-node.ts';
import { updateTrie, type NewNode, type NodeLoader, type TrieWrite } from './trie-update.ts';
import type { StateWrite } from './types.ts';

export interface PreparedState {
  readonly height: number;
  /** The committed root this was computed on. */
  readonly baseRoot: Uint8Array;
  /** The state root after the block: what goes into its header. */
  readonly root: Uint8Array;
  readonly rootRef: StoredRef | null;
  /** The block's final writes, one per key, in key order. */
  readonly writes: readonly StateWrite[];
  /** New trie nodes, in storage key order. */
  readonly nodes: readonly NewNode[];
  /** Node hashes computed (one key hash and one value hash per write come on top). */
  readonly nodeHashes: number;
}

export function prepareState(
  base: StoredRef | null,
  height: number,
  writes: Iterable<StateWrite>,
  load: NodeLoader,
  hash: (data: Uint8Array) => Uint8Array,
): PreparedState {
  const sorted = [...writes].sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 0; i < sorted.length; i++) {
    const w = sorted[i]!;
    checkStateKey(w.key);
    if (w.value !== null) checkStateValue(w.value);
    if (i > 0 && bytesEqual(sorted[i - 1]!.key, w.key)) {
      throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `key ${toHex(w.key)} written twice; pass final writes only`);
    }
  }
  const trieWrites: TrieWrite[] = sorted.map((w) => ({
    path: hash(w.key),
    valueHash: w.value === null ? null : hash(w.value),
  }));
  trieWrites.sort((a, b) => compareBytes(a.path, b.path));
  const update = updateTrie(base, trieWrites, height, load, hash);
  // One block's nodes share the height prefix, so hash order is storage key order (LMDB appends them).
  const nodes = [...update.nodes].sort((a, b) => compareBytes(a.ref.hash, b.ref.hash));
  return Object.freeze({
    height,
    baseRoot: base === null ? EMPTY_ROOT : base.hash,
    root: update.root === null ? EMPTY_ROOT : update.root.hash,
    rootRef: update.root,
    writes: Object.freeze(sorted),
    nodes: Object.freeze(nodes),
    nodeHashes: update.nodeHashes,
  });
}
