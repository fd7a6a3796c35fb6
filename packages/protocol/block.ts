/**
 * Block headers and blocks. The block hash is the suite hash of the exact header bytes; the header commits to
 * the txs (Merkle root over the signed tx bytes), their receipts (Merkle root over receipt bytes), the world
 * state after the block (state trie root) and the validator set that must sign the block's commit certificate.
 */
import { GovchainError, Reader, Writer, decodeExact } from '@govchain/base';
import { BLOCK_BYTES_MAX, BLOCK_TXS_MAX, CHAIN_ID_BYTES_MAX, HASH_BYTES, TX_BYTES_MAX } from './limits.ts';

export const HEADER_VERSION = 1;
export const ZERO_HASH = new Uint8Array(HASH_BYTES);

export interface BlockHeader {
  version: number;
  chainId: string;
  height: number;
  /** Proposer's time in ms since epoch; strictly greater than the parent's. The only clock execution sees. */
  timeMs: number;
  prevHash: Uint8Array;
  /** Index of the proposer in the validator set. */
  proposerIndex: number;
  txCount: number;
  txRoot: Uint8Array;
  resultsRoot: Uint8Array;
  stateRoot: Uint8Array;
  validatorsHash: Uint8Array;
}

export interface Block {
  header: BlockHeader;
  headerBytes: Uint8Array;
  /** Signed tx wire bytes, in execution order. */
  txs: Uint8Array[];
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return new Writer(256)
    .u8(h.version)
    .string(h.chainId)
    .u64(h.height)
    .u64(h.timeMs)
    .fixed(h.prevHash, HASH_BYTES)
    .u32(h.proposerIndex)
    .u32(h.txCount)
    .fixed(h.txRoot, HASH_BYTES)
    .fixed(h.resultsRoot, HASH_BYTES)
    .fixed(h.stateRoot, HASH_BYTES)
    .fixed(h.validatorsHash, HASH_BYTES)
    .finish();
}

export function readHeader(r: Reader): BlockHeader {
  const version = r.u8();
  if (version !== HEADER_VERSION) {
    throw new GovchainError('BLOCK_UNSUPPORTED_VERSION', 'malformed', `header version ${version} is not supported`);
  }
  return {
    version,
    chainId: r.string(CHAIN_ID_BYTES_MAX),
    height: r.u64(),
    timeMs: r.u64(),
    prevHash: r.fixed(HASH_BYTES),
    proposerIndex: r.u32(),
    txCount: r.u32(),
    txRoot: r.fixed(HASH_BYTES),
    resultsRoot: r.fixed(HASH_BYTES),
    stateRoot: r.fixed(HASH_BYTES),
    validatorsHash: r.fixed(HASH_BYTES),
  };
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return decodeExact(bytes, readHeader);
}

export function encodeBlock(headerBytes: Uint8Array, txs: readonly Uint8Array[]): Uint8Array {
  let size = headerBytes.length + 16;
  for (const tx of txs) size += tx.length + 4;
  return new Writer(size).bytes(headerBytes).list(txs, (w, tx) => w.bytes(tx)).finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  if (bytes.length > BLOCK_BYTES_MAX) {
    throw new GovchainError('BLOCK_TOO_LARGE', 'too_large', `block of ${bytes.length} bytes exceeds ${BLOCK_BYTES_MAX}`);
  }
  return decodeExact(bytes, (r) => {
    const headerBytes = r.bytes(1024);
    const header = decodeHeader(headerBytes);
    const txs = r.list(BLOCK_TXS_MAX, (x) => x.bytes(TX_BYTES_MAX));
    if (txs.length !== header.txCount) {
      throw new GovchainError('BLOCK_TX_COUNT_MISMATCH', 'malformed', `header says ${header.txCount} txs, block has ${txs.length}`);
    }
    return { header, headerBytes, txs };
  });
}
