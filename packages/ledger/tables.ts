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
import { concatBytes, u32be, u64be } from '@govchain/base';
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
  });
  const tables = Object.fromEntries(TABLE_NAMES.map((name) => [name, env.openDB<Uint8Array, Uint8Array>({
    name,
    keyEncoding: 'binary',
    encoding: 'binary',
  })])) as Record<TableName, Table>;
  return { env, tables };
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

export function heightKey(height: number): Uint8Array {
  return u64be(height);
}

export function positionKey(height: number, index: number): Uint8Array {
  return concatBytes(u64be(height), u32be(index));
}

export function nodeKey(ref: StoredRef): Uint8Array {
  return concatBytes(u64be(ref.height), ref.hash);
}

/** History rows of one key are contiguous: u16 key length | key, then height | write index. */
export function historyPrefix(key: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(key.length >> 8, key.length & 0xff), key);
}

export const HISTORY_SUFFIX_BYTES = 12;

export function historyKey(key: Uint8Array, height: number, writeIndex: number): Uint8Array {
  return concatBytes(historyPrefix(key), u64be(height), u32be(writeIndex));
}
