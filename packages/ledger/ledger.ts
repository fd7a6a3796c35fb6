/**
 * The ledger: durable blocks, txs, receipts, certificates, world state with its authenticated trie, and key
 * history, in one LMDB environment owned by one process. Writes happen only through `commitBlock`, one write
 * transaction per height; every read is synchronous and sees the last committed height.
 */
import { resolve } from 'node:path';
import { GovchainError, bytesEqual, compareBytes, concatBytes, toHex, u32be, utf8 } from '@govchain/base';
import { checkCommit, writeCommit, type BlockCommit } from './commit.ts';
import { LedgerErrors, ledgerError } from './errors.ts';
import {
  DEFAULT_SYNC_BYTES, MAX_SYNC_BLOCKS, checkHeight, checkId, checkPageLimit, checkRangeBounds, checkStateKey,
} from './limits.ts';
import { prepareState, type PreparedState } from './prepare.ts';
import { DEFAULT_NODE_CACHE_ENTRIES, NodeCache } from './node-cache.ts';
import { EMPTY_ROOT, traceKey, type NodeBytesLoader, type StateProof } from './proof.ts';
import { decodeBlock, decodeHistory, decodeRoot, decodeTx, decodeTxLocation } from './records.ts';
import {
  HISTORY_SUFFIX_BYTES, META_FORMAT, META_HASH_PROBE, META_LAST_HEIGHT, heightKey, historyKey, historyPrefix, nodeKey,
  TABLE_NAMES, openStore, plain, positionKey, readHeight, tableStats, type Store, type TableName, type TableStats,
} from './tables.ts';
import { HASH_BYTES, decodeStored, type StoredRef } from './trie-node.ts';
import { updateTrie, type NodeLoader, type TrieWrite } from './trie-update.ts';
import type {
  HistoryEntry, Page, StateEntry, StateReader, StateWrite, StoredBlock, StoredTx, SyncBlock, TxInput,
} from './types.ts';

/** Bumped whenever the layout in README.md changes incompatibly. */
const FORMAT_VERSION = 1;
/** Hashed at creation and on every open, so a ledger is never reopened with another hash function. */
const HASH_PROBE_INPUT = utf8('govchain ledger hash probe');

/**
 * Directories with an open Ledger in this process. lmdb-js would share the environment between two opens, but
 * each Ledger keeps the last height and root in memory, so a second one would act on stale values.
 */
const openDirectories = new Set<string>();

export interface LedgerOptions {
  /** Directory of the LMDB environment; created when missing. */
  readonly path: string;
  /** The chain's hash (SM3 or SHA-256): 32-byte output. */
  readonly hash: (data: Uint8Array) => Uint8Array;
  /** Decoded trie nodes kept in memory (default DEFAULT_NODE_CACHE_ENTRIES); 0 turns the cache off. */
  readonly nodeCacheEntries?: number;
}

export class Ledger implements StateReader {
  private last: number;
  private root: StoredRef | null;
  /** Prepared states this instance handed out; commitBlock takes no other. */
  private readonly issued = new WeakSet<PreparedState>();
  private readonly loadBytes: NodeBytesLoader;
  private readonly load: NodeLoader;
  private readonly nodeCache: NodeCache;

  private constructor(
    private readonly store: Store,
    private readonly hash: (data: Uint8Array) => Uint8Array,
    nodeCacheEntries: number,
    private readonly directory: string,
  ) {
    const { tables } = store;
    const stored = tables.meta.get(META_LAST_HEIGHT);
    this.last = stored === undefined ? -1 : readHeight(stored);
    const rootRecord = this.last < 0 ? undefined : tables.root.get(heightKey(this.last));
    if (this.last >= 0 && rootRecord === undefined) throw corrupt(`no state root for the last height ${this.last}`);
    this.root = rootRecord === undefined ? null : decodeRoot(plain(rootRecord));
    this.loadBytes = (ref) => {
      const bytes = tables.node.get(nodeKey(ref));
      if (bytes === undefined) throw corrupt(`trie node ${toHex(ref.hash)} of height ${ref.height} is missing`);
      return plain(bytes);
    };
    this.nodeCache = new NodeCache(nodeCacheEntries);
    this.load = (ref) => {
      let node = this.nodeCache.get(ref);
      if (node === undefined) {
        node = decodeStored(this.loadBytes(ref)).node;
        this.nodeCache.set(ref, node);
      }
      return node;
    };
  }

  static open(options: LedgerOptions): Ledger {
    const probe = options.hash(HASH_PROBE_INPUT);
    if (probe.length !== HASH_BYTES) {
      throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `the hash function must give ${HASH_BYTES} bytes`);
    }
    const directory = resolve(options.path);
    if (openDirectories.has(directory)) {
      throw ledgerError(LedgerErrors.ALREADY_OPEN, 'conflict', `the ledger in ${directory} is already open in this process`);
    }
    const store = openStore(directory);
    try {
      const { tables, env } = store;
      const format = tables.meta.get(META_FORMAT);
      if (format === undefined) {
        if (tables.meta.get(META_LAST_HEIGHT) !== undefined) throw incompatible('it has blocks but no format record');
        env.transactionSync(() => {
          tables.meta.putSync(META_FORMAT, u32be(FORMAT_VERSION));
          tables.meta.putSync(META_HASH_PROBE, probe);
        });
      } else {
        const version = new DataView(format.buffer, format.byteOffset, format.byteLength).getUint32(0);
        if (version !== FORMAT_VERSION) throw incompatible(`its format is ${version}, this code reads ${FORMAT_VERSION}`);
        const storedProbe = tables.meta.get(META_HASH_PROBE);
        if (storedProbe === undefined || !bytesEqual(storedProbe, probe)) {
          throw incompatible('it was written with another hash function');
        }
      }
      const ledger = new Ledger(store, options.hash, options.nodeCacheEntries ?? DEFAULT_NODE_CACHE_ENTRIES, directory);
      openDirectories.add(directory);
      return ledger;
    } catch (err) {
      void store.env.close();
      throw err;
    }
  }

  /** Waits for LMDB to release the environment. Every commit is already durable; nothing is flushed here. */
  async close(): Promise<void> {
    openDirectories.delete(this.directory);
    await this.store.env.close();
  }

  /** The last committed height; -1 for an empty ledger (the first block is height 0). */
  lastHeight(): number {
    return this.last;
  }

  /** The state root after the last committed height (EMPTY_ROOT for an empty ledger). */
  currentStateRoot(): Uint8Array {
    return this.root === null ? EMPTY_ROOT : this.root.hash;
  }

  /**
   * Computes, without writing anything, the state root of `height` after the block's final writes (one per key,
   * e.g. StateOverlay.writes()). Pass the result to commitBlock.
   */
  prepareState(height: number, writes: Iterable<StateWrite>): PreparedState {
    checkHeight(height);
    const prepared = prepareState(this.root, height, writes, this.load, this.hash);
    this.issued.add(prepared);
    return prepared;
  }

  /**
   * Commits one height in one write transaction, durable (fdatasync'ed) when this returns. Refuses with a
   * GovchainError, writing nothing, a height other than lastHeight() + 1, a known block hash or tx id, a block whose
   * parts disagree, or a prepared state from another base root or other writes.
   */
  commitBlock(commit: BlockCommit): void {
    if (!this.issued.has(commit.preparedState)) {
      throw ledgerError(LedgerErrors.STALE_STATE, 'conflict', 'the prepared state was not made by this ledger\'s prepareState');
    }
    const checked = checkCommit(this.store, commit, this.last, this.currentStateRoot());
    this.store.env.transactionSync(() => writeCommit(this.store, checked));
    this.last = commit.height;
    this.root = commit.preparedState.rootRef;
    // The next block reads mostly what this one wrote.
    for (const n of commit.preparedState.nodes) this.nodeCache.set(n.ref, n.node);
  }

  getBlock(height: number): StoredBlock | undefined {
    checkHeight(height);
    const bytes = this.store.tables.block.get(heightKey(height));
    return bytes === undefined ? undefined : decodeBlock(height, plain(bytes));
  }

  getBlockByHash(blockHash: Uint8Array): StoredBlock | undefined {
    checkId(blockHash, 'block hash');
    const height = this.store.tables.block_hash.get(blockHash);
    return height === undefined ? undefined : this.getBlock(readHeight(height));
  }

  getCertificate(height: number): Uint8Array | undefined {
    checkHeight(height);
    return plain(this.store.tables.cert.get(heightKey(height)));
  }

  /** The block's txs in block order. */
  getBlockTxs(height: number): TxInput[] {
    checkHeight(height);
    const rows = this.store.tables.tx.getRange({ start: positionKey(height, 0), end: positionKey(height + 1, 0) });
    return [...rows].map(({ value }) => decodeTx(plain(value)));
  }

  /** The block's receipts in block order (one per tx). */
  getBlockReceipts(height: number): Uint8Array[] {
    checkHeight(height);
    const rows = this.store.tables.receipt.getRange({ start: positionKey(height, 0), end: positionKey(height + 1, 0) });
    return [...rows].map(({ value }) => plain(value));
  }

  /**
   * Consecutive blocks from `fromHeight` with their certificates and txs, for a peer that syncs: at most
   * `maxBlocks`, and no more once `maxBytes` is reached (at least one block is returned when it exists).
   */
  readBlocks(fromHeight: number, maxBlocks = MAX_SYNC_BLOCKS, maxBytes = DEFAULT_SYNC_BYTES): SyncBlock[] {
    checkHeight(fromHeight, 'fromHeight');
    checkPageLimit(maxBlocks, MAX_SYNC_BLOCKS);
    const out: SyncBlock[] = [];
    let bytes = 0;
    for (let h = fromHeight; h <= this.last && out.length < maxBlocks && (out.length === 0 || bytes < maxBytes); h++) {
      const block = this.getBlock(h);
      const certificateBytes = this.getCertificate(h);
      if (block === undefined || certificateBytes === undefined) throw corrupt(`height ${h} is incomplete`);
      const txs = this.getBlockTxs(h);
      bytes += block.blockBytes.length + certificateBytes.length + txs.reduce((n, tx) => n + tx.bytes.length, 0);
      out.push({ ...block, certificateBytes, txs });
    }
    return out;
  }

  getTx(id: Uint8Array): StoredTx | undefined {
    checkId(id, 'tx id');
    const location = this.store.tables.tx_id.get(id);
    if (location === undefined) return undefined;
    const { height, index } = decodeTxLocation(plain(location));
    const record = this.store.tables.tx.get(positionKey(height, index));
    if (record === undefined) throw corrupt(`tx ${toHex(id)} is indexed at ${height}/${index} but not stored`);
    return { height, index, bytes: decodeTx(plain(record)).bytes };
  }

  /** Whether a tx with this id is committed: the replay check, one lookup in a table of ids only. */
  hasTx(id: Uint8Array): boolean {
    checkId(id, 'tx id');
    return this.store.tables.tx_id.doesExist(id);
  }

  getReceipt(txId: Uint8Array): Uint8Array | undefined {
    checkId(txId, 'tx id');
    const location = this.store.tables.tx_id.get(txId);
    if (location === undefined) return undefined;
    const { height, index } = decodeTxLocation(plain(location));
    return plain(this.store.tables.receipt.get(positionKey(height, index)));
  }

  /** The committed value of a key. */
  getState(key: Uint8Array): Uint8Array | undefined {
    checkStateKey(key);
    return plain(this.store.tables.state.get(key));
  }

  scanState(start: Uint8Array, end: Uint8Array | undefined): Iterable<StateEntry> {
    checkRangeBounds(start, end);
    return this.store.tables.state
      .getRange(end === undefined ? { start } : { start, end })
      .map(({ key, value }) => ({ key: plain(key), value: plain(value) }));
  }

  /**
   * Committed entries with start <= key < end (no end: to the last key) in key order, at most `limit`; the cursor,
   * when there is more, is the start of the next page.
   */
  rangeState(start: Uint8Array, end: Uint8Array | undefined, limit: number): Page<StateEntry> {
    checkPageLimit(limit);
    checkRangeBounds(start, end);
    const entries = [...this.store.tables.state.getRange({ start, ...(end === undefined ? {} : { end }), limit: limit + 1 })]
      .map(({ key, value }) => ({ key: plain(key), value: plain(value) }));
    const next = entries.length > limit ? entries.pop()!.key : undefined;
    return { entries, cursor: next };
  }

  /** Every write a key received, oldest first (height, then order within the block), deletes included. */
  keyHistory(key: Uint8Array, limit: number, cursor?: Uint8Array): Page<HistoryEntry> {
    checkStateKey(key);
    checkPageLimit(limit);
    if (cursor !== undefined && cursor.length !== HISTORY_SUFFIX_BYTES) {
      throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `a history cursor is ${HISTORY_SUFFIX_BYTES} bytes`);
    }
    const prefix = historyPrefix(key);
    const start = cursor === undefined ? prefix : concatBytes(prefix, cursor);
    // Above every row of this key: rows are the prefix plus 12 bytes.
    const end = concatBytes(prefix, new Uint8Array(HISTORY_SUFFIX_BYTES + 1).fill(0xff));
    const rows = [...this.store.tables.history.getRange({ start, end, limit: limit + 1 })];
    const next = rows.length > limit ? plain(rows.pop()!.key).slice(prefix.length) : undefined;
    const entries = rows.map(({ key: rowKey, value }) => {
      const height = readHeight(rowKey, prefix.length);
      const { txIndex, value: written } = decodeHistory(plain(value));
      const txId = txIndex === null ? null : this.txIdAt(height, txIndex);
      return { height, txIndex, txId, value: written };
    });
    return { entries, cursor: next };
  }

  private txIdAt(height: number, index: number): Uint8Array {
    const record = this.store.tables.tx.get(positionKey(height, index));
    if (record === undefined) throw corrupt(`history names tx ${height}/${index}, which is not stored`);
    return decodeTx(plain(record)).id;
  }

  /** The state root after `height`, or undefined for a height not committed. */
  stateRoot(height: number): Uint8Array | undefined {
    checkHeight(height);
    const record = this.store.tables.root.get(heightKey(height));
    if (record === undefined) return undefined;
    return decodeRoot(plain(record))?.hash ?? EMPTY_ROOT;
  }

  /**
   * The value of `key` under a committed state root (the current one or any older one) with the nodes that prove
   * it, or prove its absence; check with verifyStateProof.
   */
  proveKey(root: Uint8Array, key: Uint8Array): StateProof {
    checkStateKey(key);
    if (bytesEqual(root, EMPTY_ROOT)) return { value: null, nodes: [] };
    const nodeHeight = this.store.tables.root_index.get(root);
    if (nodeHeight === undefined) {
      throw ledgerError(LedgerErrors.UNKNOWN_ROOT, 'not_found', `no committed state has root ${toHex(root)}`);
    }
    const ref: StoredRef = { hash: root, height: readHeight(nodeHeight) };
    const { nodes, valueHash } = traceKey(ref, this.hash(key), this.loadBytes);
    if (valueHash === null) return { value: null, nodes };
    // The root was the state root at the height that wrote its node: the key's value then is its last write at or
    // before that height.
    const value = this.valueAt(key, ref.height);
    if (value === null || !bytesEqual(this.hash(value), valueHash)) {
      throw corrupt(`history of key ${toHex(key)} disagrees with the trie at height ${ref.height}`);
    }
    return { value, nodes };
  }

  private valueAt(key: Uint8Array, height: number): Uint8Array | null {
    const prefix = historyPrefix(key);
    const [row] = this.store.tables.history.getRange({
      start: historyKey(key, height, 0xffffffff),
      end: prefix,
      reverse: true,
      limit: 1,
    });
    return row === undefined ? null : decodeHistory(plain(row.value)).value;
  }

  /** Entries and occupied bytes of each table: for metrics and capacity planning. */
  storageStats(): Record<TableName, TableStats> {
    const { tables } = this.store;
    return Object.fromEntries(TABLE_NAMES.map((name) => [name, tableStats(tables[name])])) as Record<TableName, TableStats>;
  }

  /**
   * Recomputes the state root from the plain state table alone, in memory. For audits and recovery checks: it
   * reads every key, so it is O(state size).
   */
  recomputeStateRoot(): Uint8Array {
    const writes: TrieWrite[] = [];
    for (const { key, value } of this.scanState(new Uint8Array(0), undefined)) {
      writes.push({ path: this.hash(key), valueHash: this.hash(value) });
    }
    writes.sort((a, b) => compareBytes(a.path, b.path));
    const noStoredNodes: NodeLoader = () => {
      throw corrupt('a trie built from scratch reads no stored node');
    };
    const { root } = updateTrie(null, writes, 0, noStoredNodes, this.hash);
    return root === null ? EMPTY_ROOT : root.hash;
  }
}

function corrupt(message: string): GovchainError {
  return ledgerError(LedgerErrors.CORRUPT, 'internal', message);
}

function incompatible(why: string): GovchainError {
  return ledgerError(LedgerErrors.INCOMPATIBLE_STORE, 'internal', `this ledger database cannot be opened: ${why}`);
}

