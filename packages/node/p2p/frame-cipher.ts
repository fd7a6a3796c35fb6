/**
 * Per-direction keys and the DATA frame protection: stream cipher in CTR mode, then HMAC over everything before
 * the tag (encrypt-then-MAC), with a 64-bit sequence number per direction.
 *
 * One code path for both suites; the suite decides the algorithms:
 *   gm    SM4-CTR (16-byte key)      + HMAC-SM3
 *   intl  AES-256-CTR (32-byte key)  + HMAC-SHA-256
 * The key schedule uses the suite's KDF (SM3-KDF / HKDF-SHA-256). The bulk primitives come from node:crypto
 * (OpenSSL) by name because this is the hot path; a test checks our HMAC equals the suite's.
 *
 * Each direction keeps ONE cipher object for the life of the connection: frame n is encrypted with the key stream
 * that follows frame n-1's. This is sound because the receiver processes frames strictly in order and decrypts a
 * frame only after its tag and sequence number are checked; any failure ends the connection, so the two streams
 * never fall out of step and no key stream is ever used twice. It saves a cipher setup per frame.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual, type Cipher, type Decipher } from 'node:crypto';
import { Writer } from '@govchain/base';
import type { CryptoSuite, SuiteName } from '@govchain/crypto';
import { RecordKind, RECORD_HEADER_BYTES, SEQUENCE_BYTES, TAG_BYTES, recordHeader } from './records.ts';
import { P2pError } from './reasons.ts';
import type { Role } from './handshake-messages.ts';

interface Algorithms {
  cipher: 'sm4-ctr' | 'aes-256-ctr';
  encKeyBytes: number;
  hmac: 'sm3' | 'sha256';
}

const ALGORITHMS: Readonly<Record<SuiteName, Algorithms>> = {
  gm: { cipher: 'sm4-ctr', encKeyBytes: 16, hmac: 'sm3' },
  intl: { cipher: 'aes-256-ctr', encKeyBytes: 32, hmac: 'sha256' },
};

const IV_BYTES = 16;
const MAC_KEY_BYTES = 32;
const KEYS_LABEL = 'govchain-p2p/1 keys';

/** The MAC as the channel computes it, exported so a test can hold it equal to the suite's own HMAC. */
export function frameHmac(suite: SuiteName, key: Uint8Array, parts: readonly Uint8Array[]): Buffer {
  const mac = createHmac(ALGORITHMS[suite].hmac, key);
  for (const p of parts) mac.update(p);
  return mac.digest();
}

export interface DirectionKeys {
  encKey: Uint8Array;
  iv: Uint8Array;
  macKey: Uint8Array;
}

/** Which way the data flows: from the initiator to the responder, or back. */
export type Direction = 'i2r' | 'r2i';

export function directionFrom(sender: Role): Direction {
  return sender === 'initiator' ? 'i2r' : 'r2i';
}

/**
 * KDF(ecdh secret, label || direction || transcript hash) → encKey || iv || macKey. Binding the transcript hash
 * makes the keys depend on both nonces and both certificate chains, not only on the ephemeral keys.
 */
export function deriveDirectionKeys(suite: CryptoSuite, sharedSecret: Uint8Array, transcript: Uint8Array, direction: Direction): DirectionKeys {
  const alg = ALGORITHMS[suite.name];
  const info = new Writer(64).string(KEYS_LABEL).string(direction).fixed(transcript, transcript.length).finish();
  const material = suite.kdf(sharedSecret, info, alg.encKeyBytes + IV_BYTES + MAC_KEY_BYTES);
  return {
    encKey: material.subarray(0, alg.encKeyBytes),
    iv: material.subarray(alg.encKeyBytes, alg.encKeyBytes + IV_BYTES),
    macKey: material.subarray(alg.encKeyBytes + IV_BYTES),
  };
}

/** Sequence numbers stay below 2^53 so they fit a JS number; at 1 µs a frame that is 285 years. */
const SEQUENCE_MAX = Number.MAX_SAFE_INTEGER;

function sequenceBytes(seq: number): Buffer {
  const out = Buffer.allocUnsafe(SEQUENCE_BYTES);
  out.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 0);
  out.writeUInt32BE(seq >>> 0, 4);
  return out;
}

/** Messages up to this size are joined into one buffer before encryption; larger ones are encrypted part by part. */
const JOIN_PARTS_BYTES_MAX = 16 * 1024;

/** Protects outgoing DATA frames. */
export class FrameSealer {
  private readonly cipher: Cipher;
  private seq = 0;

  constructor(private readonly suite: SuiteName, private readonly keys: DirectionKeys) {
    this.cipher = createCipheriv(ALGORITHMS[suite].cipher, keys.encKey, keys.iv);
  }

  /**
   * The whole DATA record for a plaintext given in parts (so a large payload is never copied just to prepend a
   * header): header || seq || ciphertext parts || tag. Returned as buffers to write in order.
   */
  seal(plaintext: readonly Uint8Array[]): Buffer[] {
    if (this.seq >= SEQUENCE_MAX) throw new P2pError('P2P_PROTOCOL_ERROR', 'sequence numbers exhausted; reconnect');
    let length = 0;
    for (const p of plaintext) length += p.length;
    const header = recordHeader(RecordKind.DATA, SEQUENCE_BYTES + length + TAG_BYTES);
    const seq = sequenceBytes(this.seq++);
    // Each cipher call has a fixed cost that dominates for small messages; joining their parts is cheaper.
    const parts = length <= JOIN_PARTS_BYTES_MAX && plaintext.length > 1 ? [Buffer.concat(plaintext, length)] : plaintext;
    const ciphertext = parts.map((p) => this.cipher.update(p));
    const tag = frameHmac(this.suite, this.keys.macKey, [header, seq, ...ciphertext]);
    return [header, seq, ...ciphertext, tag];
  }
}

/** Checks and decrypts incoming DATA frames, strictly in order. */
export class FrameOpener {
  private readonly decipher: Decipher;
  private expected = 0;

  constructor(private readonly suite: SuiteName, private readonly keys: DirectionKeys) {
    this.decipher = createDecipheriv(ALGORITHMS[suite].cipher, keys.encKey, keys.iv);
  }

  /** The plaintext of one DATA record; throws P2pError when it was altered, replayed or reordered. */
  open(header: Buffer, body: Buffer): Buffer {
    if (header.length !== RECORD_HEADER_BYTES || body.length < SEQUENCE_BYTES + TAG_BYTES) {
      throw new P2pError('P2P_PROTOCOL_ERROR', `DATA record of ${body.length} bytes is shorter than its sequence number and tag`);
    }
    const authenticated = body.subarray(0, body.length - TAG_BYTES);
    const expectedTag = frameHmac(this.suite, this.keys.macKey, [header, authenticated]);
    // The tag is checked first, in constant time, so nothing about an altered frame is decrypted or acted on.
    if (!timingSafeEqual(expectedTag, body.subarray(body.length - TAG_BYTES))) {
      throw new P2pError('P2P_FRAME_TAMPERED', `frame ${this.expected} failed authentication: it was altered in transit`);
    }
    const seq = body.readUInt32BE(0) * 0x1_0000_0000 + body.readUInt32BE(4);
    if (seq !== this.expected) {
      throw new P2pError('P2P_FRAME_REPLAYED', `authentic frame with sequence number ${seq} arrived where ${this.expected} was expected: replayed, reordered or dropped`);
    }
    this.expected++;
    return this.decipher.update(body.subarray(SEQUENCE_BYTES, body.length - TAG_BYTES));
  }
}
