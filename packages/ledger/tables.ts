/**
 * The storage layout: one LMDB environment, one named database ("table") per kind of record, raw binary keys and
 * values. Heights are u64 big-endian so that byte order is height order; a tx's position is height | index (u32).
 * README.md lists every table with its key and value.
 *
 * The environment is opened with plain synchronous LMDB commits: `transactionSync` returns only after LMDB has
 * fdatasync'ed the data pages and written the meta page through an O_DSYNC descriptor. `overlappingSync` (lmdb-js's
 * default on Linux, which lets the flush trail the commit) and `noSync` are both turned off explicitly.
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import type { StoredRef } from './trie-node.ts';

export const TABLE_NAMES = [
  'meta', 'block', 'block_hash', 'cert', 'tx_id', 'tx', 'receipt', 'state', 'history', 'node', 'root', 'root_index',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];
export type Table = Database<Uint8Array, Uint8Array>;

export interface Store {
  readonly env: RootDatabase<Uint8Array, Uint8Array>;
  readonly tables: Readonly<Record<TableName, Table>>;
}

/** 256 GiB of address space: about 130 million txs at today's ~2 KB per tx. */
const LEDGER_MAP_BYTES = 2 ** 38;

export function openStore(path: string): Store {
  const env = open<Uint8Array, Uint8Array>({
    path,
    // Always a directory (data.mdb and lock.mdb inside), even when its name has a dot, which lmdb-js would
    // otherwise take for a file name.
    noSubdir: false,
    maxDbs: TABLE_NAMES.length,
    keyEncoding: 'binary',
    encoding: 'binary',
    noSync: false,
    overlappingSync: false,
    // One map reserved up front (address space only: the file grows as data is written). Left to itself lmdb-js
    // starts at 128 KB and doubles the map, keeping every old mapping alive with its resident pages, so a node's
    // RSS carried up to twice the file. lmdb-js grows the map past this size if a ledger ever needs it.
    mapSize: LEDGER_MAP_BYTES,
  });
  const tables = Object.fromEntries(TABLE_NAMES.map((name) => [name, env.openDB<Uint8Array, Uint8Array>({
    name,
    keyEncoding: 'binary',
    encoding: 'binary',
  })])) as Record<TableName, Table>;
  return { env, tables };
}

export interface TableStats {
  readonly entries: number;
  /** Pages the table's B-tree occupies, in bytes (free pages of the file not included). */
  readonly bytes: number;
}

/** What LMDB reports for one table (lmdb-js types getStats() as an empty object). */
interface LmdbStats {
  readonly pageSize: number;
  readonly entryCount: number;
  readonly treeBranchPageCount: number;
  readonly treeLeafPageCount: number;
  readonly overflowPages: number;
}

export function tableStats(table: Table): TableStats {
  const s = table.getStats() as LmdbStats;
  return {
    entries: s.entryCount,
    bytes: (s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages) * s.pageSize,
  };
}

/** lmdb-js hands out Buffers; callers get plain Uint8Array views of the same memory. */
export function plain(bytes: Uint8Array): Uint8Array;
export function plain(bytes: Uint8Array | undefined): Uint8Array | undefined;
export function plain(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes === undefined ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const META_FORMAT = new TextEncoder().encode('format');
export const META_HASH_PROBE = new TextEncoder().encode('hash_probe');
export const META_LAST_HEIGHT = new TextEncoder().encode('last_height');

/*
 * Key encoders run for every row of every block, so they write into one exact-size buffer with plain 32-bit
 * stores (heights are safe integers, below 2^53) rather than going through BigInt.
 */

/** Writes `height` as u64 big-endian at `offset`. */
export function putHeight(out: Uint8Array, offset: number, height: number): void {
  putU32(out, offset, Math.floor(height / 2 ** 32));
  putU32(out, offset + 4, height >>> 0);
}

function putU32(out: Uint8Array, offset: number, v: number): void {
  out[offset] = v >>> 24;
  out[offset + 1] = (v >>> 16) & 0xff;
  out[offset + 2] = (v >>> 8) & 0xff;
  out[offset + 3] = v & 0xff;
}

export function readHeight(bytes: Uint8Array, offset = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(offset) * 2 ** 32 + view.getUint32(offset + 4);
}

export function heightKey(height: number): Uint8Array {
  const out = new Uint8Array(8);
  putHeight(out, 0, height);
  return out;
}

export function positionKey(height: number, index: number): Uint8Array {
  const out = new Uint8Array(12);
  putHeight(out, 0, height);
  putU32(out, 8, index);
  return out;
}

export function nodeKey(ref: StoredRef): Uint8Array {
  const out = new Uint8Array(8 + ref.hash.length);
  putHeight(out, 0, ref.height);
  out.set(ref.hash, 8);
  return out;
}

/** History rows of one key are contiguous: u16 key length | key, then height | write index. */
export function historyPrefix(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + key.length);
  out[0] = key.length >> 8;
  out[1] = key.length & 0xff;
  out.set(key, 2);
  return out;
}

export const HISTORY_SUFFIX_BYTES = 12;

export function historyKey(key: Uint8Array, height: number, writeIndex: number): Uint8Array {
  const out = new Uint8Array(2 + key.length + HISTORY_SUFFIX_BYTES);
  out[0] = key.length >> 8;
  out[1] = key.length & 0xff;
  out.set(key, 2);
  putHeight(out, 2 + key.length, height);
  putU32(out, 2 + key.length + 8, writeIndex);
  return out;
}
