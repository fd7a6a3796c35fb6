/**
 * The simulated application: a block names its height, its parent's hash, the round and proposer that built it,
 * and a payload. A block is valid when its hash binds its bytes, it extends the node's last committed block, and
 * its payload is well formed. The byzantine proposer's invalid variants each break one of those.
 */
import { Reader, Writer, bytesEqual, decodeExact, utf8 } from '@govchain/base';
import type { BlockValue } from '@govchain/protocol';
import { sha256 } from './sim-crypto.ts';

export const GENESIS_HASH = sha256(utf8('govchain-sim-genesis'));
const PAYLOAD_BYTES_MAX = 256;

export interface SimBlock {
  height: number;
  parentHash: Uint8Array;
  round: number;
  proposer: number;
  payload: string;
}

export function encodeSimBlock(b: SimBlock): BlockValue {
  const bytes = new Writer(128).u64(b.height).fixed(b.parentHash, 32).u32(b.round).u32(b.proposer).string(b.payload).finish();
  return { hash: sha256(bytes), bytes };
}

function decodeSimBlock(bytes: Uint8Array): SimBlock | null {
  try {
    return decodeExact(bytes, (r: Reader) => ({
      height: r.u64(), parentHash: r.fixed(32), round: r.u32(), proposer: r.u32(), payload: r.string(PAYLOAD_BYTES_MAX),
    }));
  } catch {
    return null;
  }
}

export function buildBlock(height: number, round: number, proposer: number, parentHash: Uint8Array, flavour = ''): BlockValue {
  return encodeSimBlock({ height, parentHash, round, proposer, payload: `ok:${flavour}txs-${height * 7 + round}` });
}

/** Why `block` is not a valid block at `height` on `parentHash`, or null when it is. */
export function blockDefect(height: number, block: BlockValue, parentHash: Uint8Array): string | null {
  if (!bytesEqual(sha256(block.bytes), block.hash)) return 'hash does not match bytes';
  const b = decodeSimBlock(block.bytes);
  if (b === null) return 'undecodable block';
  if (b.height !== height) return `block claims height ${b.height}`;
  if (!bytesEqual(b.parentHash, parentHash)) return 'wrong parent';
  if (!b.payload.startsWith('ok:')) return 'malformed payload';
  return null;
}

export type InvalidFlavour = 'bad-payload' | 'wrong-parent' | 'hash-mismatch' | 'garbage';

export function invalidBlock(flavour: InvalidFlavour, height: number, round: number, proposer: number, parentHash: Uint8Array): BlockValue {
  switch (flavour) {
    case 'bad-payload':
      return encodeSimBlock({ height, parentHash, round, proposer, payload: 'bad:double-spend' });
    case 'wrong-parent':
      return encodeSimBlock({ height, parentHash: sha256(parentHash), round, proposer, payload: 'ok:forged-history' });
    case 'hash-mismatch': {
      const honest = buildBlock(height, round, proposer, parentHash);
      return { hash: honest.hash, bytes: encodeSimBlock({ height, parentHash, round, proposer, payload: 'ok:swapped' }).bytes };
    }
    case 'garbage':
      return { hash: sha256(utf8('garbage')), bytes: utf8('garbage') };
  }
}

export function describeBlock(block: BlockValue): string {
  const b = decodeSimBlock(block.bytes);
  return b === null ? `<undecodable ${block.bytes.length} bytes>` : `h${b.height}/r${b.round}/p${b.proposer} ${b.payload}`;
}
