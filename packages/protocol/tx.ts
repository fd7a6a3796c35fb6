/**
 * Transactions. The sender signs the exact body bytes; the wire form carries those bytes unchanged, so a
 * verifier never re-encodes anything. The tx id is the suite hash of the body bytes: it does not depend on the
 * signature (which could be re-randomized), and the random nonce makes two otherwise equal calls distinct.
 */
import { GovchainError, Reader, Writer, decodeExact, toHex } from '@govchain/base';
import {
  CERTIFICATE_BYTES_MAX, CHAIN_ID_BYTES_MAX, HASH_BYTES, NAME_BYTES_MAX, NONCE_BYTES, PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES, TX_ARGS_BYTES_MAX, TX_BYTES_MAX,
} from './limits.ts';

export const TX_VERSION = 1;

export interface TxBody {
  version: number;
  chainId: string;
  /** Uncompressed SEC1 public key of the signer. */
  senderPublicKey: Uint8Array;
  /** DER certificate binding the key to a member organization, when the sender has one. */
  senderCertificate: Uint8Array | null;
  nonce: Uint8Array;
  /** Block time (ms since epoch) after which the tx may no longer be included. */
  expiresAtMs: number;
  contract: string;
  method: string;
  /** Call arguments; for system contracts UTF-8 JSON. */
  args: Uint8Array;
}

/** A decoded signed tx, keeping the exact bytes it was decoded from. */
export interface SignedTx {
  body: TxBody;
  bodyBytes: Uint8Array;
  signature: Uint8Array;
  /** The exact wire bytes (body and signature). */
  bytes: Uint8Array;
}

export function encodeTxBody(body: TxBody): Uint8Array {
  const w = new Writer(256 + body.args.length)
    .u8(body.version)
    .string(body.chainId)
    .fixed(body.senderPublicKey, PUBLIC_KEY_BYTES)
    .bool(body.senderCertificate !== null);
  if (body.senderCertificate !== null) w.bytes(body.senderCertificate);
  return w
    .fixed(body.nonce, NONCE_BYTES)
    .u64(body.expiresAtMs)
    .string(body.contract)
    .string(body.method)
    .bytes(body.args)
    .finish();
}

export function readTxBody(r: Reader): TxBody {
  const version = r.u8();
  if (version !== TX_VERSION) {
    throw new GovchainError('TX_UNSUPPORTED_VERSION', 'malformed', `tx version ${version} is not supported (expected ${TX_VERSION})`);
  }
  const chainId = r.string(CHAIN_ID_BYTES_MAX);
  const senderPublicKey = r.fixed(PUBLIC_KEY_BYTES);
  const senderCertificate = r.bool() ? r.bytes(CERTIFICATE_BYTES_MAX) : null;
  const nonce = r.fixed(NONCE_BYTES);
  const expiresAtMs = r.u64();
  const contract = r.string(NAME_BYTES_MAX);
  const method = r.string(NAME_BYTES_MAX);
  const args = r.bytes(TX_ARGS_BYTES_MAX);
  return { version, chainId, senderPublicKey, senderCertificate, nonce, expiresAtMs, contract, method, args };
}

export function decodeTxBody(bytes: Uint8Array): TxBody {
  return decodeExact(bytes, readTxBody);
}

/** Wire form: length-prefixed body bytes, then the 64-byte signature over exactly those bytes. */
export function encodeSignedTx(bodyBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return new Writer(bodyBytes.length + 80).bytes(bodyBytes).fixed(signature, SIGNATURE_BYTES).finish();
}

export function decodeSignedTx(bytes: Uint8Array): SignedTx {
  if (bytes.length > TX_BYTES_MAX) {
    throw new GovchainError('TX_TOO_LARGE', 'too_large', `tx of ${bytes.length} bytes exceeds the limit of ${TX_BYTES_MAX}`);
  }
  return decodeExact(bytes, (r) => {
    const bodyBytes = r.bytes(TX_BYTES_MAX);
    const signature = r.fixed(SIGNATURE_BYTES);
    const body = decodeTxBody(bodyBytes);
    return { body, bodyBytes, signature, bytes };
  });
}

export type HashFn = (data: Uint8Array) => Uint8Array;

export function txIdOf(hash: HashFn, bodyBytes: Uint8Array): Uint8Array {
  const id = hash(bodyBytes);
  if (id.length !== HASH_BYTES) throw new RangeError('hash must be 32 bytes');
  return id;
}

/** A sender's account address: the first 20 bytes of the suite hash of its public key, hex. */
export function addressOf(hash: HashFn, publicKey: Uint8Array): string {
  return toHex(hash(publicKey).subarray(0, 20));
}
