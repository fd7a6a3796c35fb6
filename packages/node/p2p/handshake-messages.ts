/**
 * The three handshake records' bodies, the transcript hash and the exact bytes each side signs. All encoded with
 * the canonical codec, so the bytes hashed into the transcript are exactly the bytes that were sent.
 */
import { GovchainError, Reader, Writer, decodeExact } from '@govchain/base';
import type { CryptoSuite, SuiteName } from '@govchain/crypto';
import {
  CERT_CHAIN_LENGTH_MAX, CERTIFICATE_BYTES_MAX, CHAIN_ID_BYTES_MAX, REFUSAL_CODE_BYTES_MAX, REFUSAL_MESSAGE_BYTES_MAX,
} from './limits.ts';
import { P2pError, isRefusalCode, type RefusalCode } from './reasons.ts';

export const PUBLIC_KEY_BYTES = 65;
export const NONCE_BYTES = 32;
export const SIGNATURE_BYTES = 64;
const SUITE_NAME_BYTES_MAX = 8;

export interface Hello {
  version: number;
  suite: SuiteName;
  chainId: string;
  /** Fresh for this connection; its private half never leaves memory and is dropped after key derivation. */
  ephemeralKey: Uint8Array;
  nonce: Uint8Array;
  /** DER, leaf (the node certificate) first, then its issuers (the operating CA). */
  certificates: Uint8Array[];
}

export type Role = 'initiator' | 'responder';

const ROLE_BYTE: Record<Role, number> = { initiator: 0, responder: 1 };

const TRANSCRIPT_LABEL = 'govchain-p2p/1 transcript';
const AUTH_LABEL = 'govchain-p2p/1 auth';

function malformed(what: string, err: unknown): P2pError {
  const reason = err instanceof GovchainError ? err.message : String(err);
  return new P2pError('P2P_MALFORMED', `${what} is malformed: ${reason}`);
}

export function encodeHello(hello: Hello): Uint8Array {
  return new Writer(2048)
    .u32(hello.version)
    .string(hello.suite)
    .string(hello.chainId)
    .fixed(hello.ephemeralKey, PUBLIC_KEY_BYTES)
    .fixed(hello.nonce, NONCE_BYTES)
    .list(hello.certificates, (w, der) => w.bytes(der))
    .finish();
}

/**
 * The version is the first field and is read alone, so a peer speaking another version is told so even when the
 * rest of its HELLO has a layout this version cannot parse.
 */
export function helloVersion(body: Uint8Array): number {
  try {
    return new Reader(body).u32();
  } catch (err) {
    throw malformed('HELLO', err);
  }
}

export function decodeHello(body: Uint8Array): Hello {
  try {
    return decodeExact(body, (r) => {
      const version = r.u32();
      const suite = r.string(SUITE_NAME_BYTES_MAX);
      if (suite !== 'gm' && suite !== 'intl') throw new GovchainError('DECODE_ERROR', 'malformed', `unknown suite "${suite}"`);
      return {
        version,
        suite,
        chainId: r.string(CHAIN_ID_BYTES_MAX),
        ephemeralKey: r.fixed(PUBLIC_KEY_BYTES),
        nonce: r.fixed(NONCE_BYTES),
        certificates: r.list(CERT_CHAIN_LENGTH_MAX, (x) => x.bytes(CERTIFICATE_BYTES_MAX)),
      };
    });
  } catch (err) {
    throw malformed('HELLO', err);
  }
}

/**
 * H(label || initiator HELLO || responder HELLO) over the exact bodies sent. Both HELLOs carry versions, chain
 * ids, ephemeral keys, nonces and certificate chains, so the hash commits to all of them.
 */
export function transcriptHash(suite: CryptoSuite, initiatorHello: Uint8Array, responderHello: Uint8Array): Uint8Array {
  return suite.hash(new Writer(initiatorHello.length + responderHello.length + 64)
    .string(TRANSCRIPT_LABEL)
    .bytes(initiatorHello)
    .bytes(responderHello)
    .finish());
}

/**
 * What a side signs with its node key: the transcript hash and the signer's role. The role byte stops a
 * signature from being reflected back to its maker as if the other side had produced it.
 */
export function authMessage(signerRole: Role, transcript: Uint8Array): Uint8Array {
  return new Writer(64).string(AUTH_LABEL).u8(ROLE_BYTE[signerRole]).fixed(transcript, transcript.length).finish();
}

export function encodeAuth(signature: Uint8Array): Uint8Array {
  return new Writer(SIGNATURE_BYTES).fixed(signature, SIGNATURE_BYTES).finish();
}

export function decodeAuth(body: Uint8Array): Uint8Array {
  try {
    return decodeExact(body, (r) => r.fixed(SIGNATURE_BYTES));
  } catch (err) {
    throw malformed('AUTH', err);
  }
}

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** Reason texts are truncated rather than refused: a long diagnosis should still reach the peer. */
export function boundedReason(message: string): string {
  let text = message;
  while (Buffer.byteLength(text) > REFUSAL_MESSAGE_BYTES_MAX) text = text.slice(0, -16);
  return text;
}

export function encodeRefusal(refusal: Refusal): Uint8Array {
  return new Writer(600).string(refusal.code).string(boundedReason(refusal.message)).finish();
}

export function decodeRefusal(body: Uint8Array): Refusal {
  let decoded: { code: string; message: string };
  try {
    decoded = decodeExact(body, (r) => ({ code: r.string(REFUSAL_CODE_BYTES_MAX), message: r.string(REFUSAL_MESSAGE_BYTES_MAX) }));
  } catch (err) {
    throw malformed('REFUSE', err);
  }
  // A code from a newer peer is kept as a message rather than trusted as one of ours.
  if (!isRefusalCode(decoded.code)) return { code: 'P2P_MALFORMED', message: `unknown refusal ${decoded.code}: ${decoded.message}` };
  return { code: decoded.code, message: decoded.message };
}
