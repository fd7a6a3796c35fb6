/** Value encodings of the ledger's tables (see README.md for the table list). */
import { Reader, Writer, bytesEqual, concatBytes, u32be } from '@govchain/base';
import { EMPTY_ROOT } from './proof.ts';
import { HASH_BYTES, type StoredRef } from './trie-node.ts';
import { MAX_ID_BYTES } from './limits.ts';
import { heightKey, positionKey, readHeight } from './tables.ts';
import type { StoredBlock } from './types.ts';

/** Stored bytes were written by this code, so length bounds only need to hold what the ledger accepts. */
const ANY_LENGTH = Number.MAX_SAFE_INTEGER;

/** block: blockHash | txCount u32 | has header | header? | block bytes. */
export function encodeBlock(b: Omit<StoredBlock, 'height'>): Uint8Array {
  const w = new Writer(b.blockBytes.length + (b.headerBytes?.length ?? 0) + 96);
  w.bytes(b.blockHash).u32(b.txCount).bool(b.headerBytes !== undefined);
  if (b.headerBytes !== undefined) w.bytes(b.headerBytes);
  return w.bytes(b.blockBytes).finish();
}

export function decodeBlock(height: number, bytes: Uint8Array): StoredBlock {
  const r = new Reader(bytes);
  const blockHash = r.bytes(MAX_ID_BYTES);
  const txCount = r.u32();
  const headerBytes = r.bool() ? r.bytes(ANY_LENGTH) : undefined;
  const blockBytes = r.bytes(ANY_LENGTH);
  r.end();
  return { height, blockHash, blockBytes, headerBytes, txCount };
}

/** tx_id value: where the tx is, height u64 | index u32. */
export function encodeTxLocation(height: number, index: number): Uint8Array {
  return positionKey(height, index);
}

export function decodeTxLocation(bytes: Uint8Array): { height: number; index: number } {
  return { height: readHeight(bytes, 0), index: new DataView(bytes.buffer, bytes.byteOffset).getUint32(8) };
}

/** tx value: id length u8 | id | tx bytes. */
export function encodeTx(id: Uint8Array, bytes: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(id.length), id, bytes);
}

export function decodeTx(record: Uint8Array): { id: Uint8Array; bytes: Uint8Array } {
  const idLength = record[0]!;
  return { id: record.subarray(1, 1 + idLength), bytes: record.subarray(1 + idLength) };
}

/** history value: tx index u32 (NO_TX for a block-level write) | 1 set, 0 delete | value. */
const NO_TX = 0xffffffff;

export function encodeHistory(txIndex: number | null, value: Uint8Array | null): Uint8Array {
  return concatBytes(u32be(txIndex ?? NO_TX), Uint8Array.of(value === null ? 0 : 1), value ?? new Uint8Array(0));
}

export function decodeHistory(bytes: Uint8Array): { txIndex: number | null; value: Uint8Array | null } {
  const txIndex = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  return { txIndex: txIndex === NO_TX ? null : txIndex, value: bytes[4] === 1 ? bytes.subarray(5) : null };
}

/** root value: state root | height at which the root node was written (0 for the empty trie). */
export function encodeRoot(root: StoredRef | null): Uint8Array {
  return concatBytes(root === null ? EMPTY_ROOT : root.hash, heightKey(root === null ? 0 : root.height));
}

export function decodeRoot(bytes: Uint8Array): StoredRef | null {
  const hash = bytes.subarray(0, HASH_BYTES);
  return bytesEqual(hash, EMPTY_ROOT) ? null : { hash, height: readHeight(bytes, HASH_BYTES) };
}
