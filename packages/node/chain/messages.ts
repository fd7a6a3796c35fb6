/**
 * Chain-scoped p2p message types (the p2p envelope already carries the chain id) and their payload encodings.
 */
import { Writer, decodeExact } from '@govchain/base';
import { BLOCK_BYTES_MAX, TX_BYTES_MAX } from '@govchain/protocol';

export const MSG_CONSENSUS = 1;
export const MSG_TXS = 2;
export const MSG_STATUS = 3;
export const MSG_SYNC_REQUEST = 4;
export const MSG_SYNC_RESPONSE = 5;

export const GOSSIP_TXS_MAX = 1000;
export const SYNC_BLOCKS_MAX = 64;
const CERTIFICATE_BYTES_MAX = 64 * 1024;

export function encodeTxs(txs: readonly Uint8Array[]): Uint8Array {
  return new Writer(txs.reduce((n, t) => n + t.length + 4, 8)).list(txs, (w, t) => w.bytes(t)).finish();
}

export function decodeTxs(bytes: Uint8Array): Uint8Array[] {
  return decodeExact(bytes, (r) => r.list(GOSSIP_TXS_MAX, (x) => x.bytes(TX_BYTES_MAX)));
}

export function encodeStatus(height: number): Uint8Array {
  return new Writer(8).u64(height).finish();
}

export function decodeStatus(bytes: Uint8Array): number {
  return decodeExact(bytes, (r) => r.u64());
}

export interface SyncRequest {
  fromHeight: number;
  count: number;
}

export function encodeSyncRequest(req: SyncRequest): Uint8Array {
  return new Writer(12).u64(req.fromHeight).u32(req.count).finish();
}

export function decodeSyncRequest(bytes: Uint8Array): SyncRequest {
  return decodeExact(bytes, (r) => ({ fromHeight: r.u64(), count: Math.min(r.u32(), SYNC_BLOCKS_MAX) }));
}

export interface SyncEntry {
  blockBytes: Uint8Array;
  certificateBytes: Uint8Array;
}

export function encodeSyncResponse(entries: readonly SyncEntry[]): Uint8Array {
  return new Writer(entries.reduce((n, e) => n + e.blockBytes.length + e.certificateBytes.length + 8, 8))
    .list(entries, (w, e) => w.bytes(e.blockBytes).bytes(e.certificateBytes))
    .finish();
}

export function decodeSyncResponse(bytes: Uint8Array): SyncEntry[] {
  return decodeExact(bytes, (r) =>
    r.list(SYNC_BLOCKS_MAX, (x) => ({ blockBytes: x.bytes(BLOCK_BYTES_MAX), certificateBytes: x.bytes(CERTIFICATE_BYTES_MAX) })));
}
