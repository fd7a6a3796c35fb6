/**
 * The chain-scoped envelope every application message travels in, so that one connection can serve every chain
 * two nodes share:   string chainId (≤ 64 bytes) || u8 type || payload (the rest of the frame, no length prefix:
 * the frame already delimits it, and a 16 MiB block is then never copied to add one).
 */
import { GovchainError, Reader, Writer } from '@govchain/base';
import { CHAIN_ID_BYTES_MAX, MESSAGE_PAYLOAD_BYTES_MAX } from './limits.ts';

export interface Envelope {
  chainId: string;
  type: number;
  payload: Uint8Array;
}

/** The envelope's leading bytes; sent before the payload as a separate part. */
export function encodeEnvelopeHeader(chainId: string, type: number): Uint8Array {
  if (Buffer.byteLength(chainId) > CHAIN_ID_BYTES_MAX || chainId.length === 0) {
    throw new GovchainError('P2P_BAD_CHAIN_ID', 'malformed', `chain id must be 1 to ${CHAIN_ID_BYTES_MAX} bytes`);
  }
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new GovchainError('P2P_BAD_MESSAGE_TYPE', 'malformed', `message type must be 0..255, got ${type}`);
  return new Writer(CHAIN_ID_BYTES_MAX + 4).string(chainId).u8(type).finish();
}

export function checkPayloadSize(payload: Uint8Array): void {
  if (payload.length > MESSAGE_PAYLOAD_BYTES_MAX) {
    throw new GovchainError('P2P_MESSAGE_TOO_LARGE', 'too_large', `message of ${payload.length} bytes exceeds the limit of ${MESSAGE_PAYLOAD_BYTES_MAX}`);
  }
}

/** Throws GovchainError DECODE_ERROR on a malformed envelope. The payload is a view into `bytes`. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const r = new Reader(bytes);
  const chainId = r.string(CHAIN_ID_BYTES_MAX);
  const type = r.u8();
  return { chainId, type, payload: bytes.subarray(r.offset) };
}
