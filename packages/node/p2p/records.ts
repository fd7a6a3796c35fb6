/**
 * The outer record layout, shared by the handshake and the encrypted phase so that one reader serves both:
 *
 *   u32 length (big-endian, counts kind + body) || u8 kind || body
 *
 * The reader accumulates socket chunks and hands out whole records. It checks the announced length against the
 * limit for the record's kind as soon as the 5-byte header is in, so a peer cannot make us buffer more than one
 * maximal record (plus one socket chunk).
 */
import { FRAME_PLAINTEXT_BYTES_MAX, HANDSHAKE_RECORD_BYTES_MAX } from './limits.ts';
import { P2pError } from './reasons.ts';

export const RecordKind = {
  HELLO: 0x01,
  AUTH: 0x02,
  REFUSE: 0x03,
  DATA: 0x10,
} as const;

export type RecordKindValue = (typeof RecordKind)[keyof typeof RecordKind];

export const RECORD_HEADER_BYTES = 5;
/** Sequence number in front of every DATA body. */
export const SEQUENCE_BYTES = 8;
/** HMAC-SM3 and HMAC-SHA-256 both give 32 bytes. */
export const TAG_BYTES = 32;

/** Largest `length` field accepted for each kind; anything else is refused before it is buffered. */
function lengthLimit(kind: number): number {
  if (kind === RecordKind.DATA) return 1 + SEQUENCE_BYTES + FRAME_PLAINTEXT_BYTES_MAX + TAG_BYTES;
  return HANDSHAKE_RECORD_BYTES_MAX;
}

export function recordHeader(kind: RecordKindValue, bodyLength: number): Buffer {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32BE(1 + bodyLength, 0);
  header[4] = kind;
  return header;
}

export function encodeRecord(kind: RecordKindValue, body: Uint8Array): Buffer {
  return Buffer.concat([recordHeader(kind, body.length), body]);
}

export interface RawRecord {
  kind: number;
  /** The 5 header bytes as received; DATA tags cover them. */
  header: Buffer;
  body: Buffer;
}

export class RecordReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Bytes received that do not yet form a whole record; non-zero at end of stream means a truncated record. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete record, or undefined until more bytes arrive. Throws P2pError on an oversized record. */
  next(): RawRecord | undefined {
    if (this.buffered < RECORD_HEADER_BYTES) return undefined;
    const header = this.peek(RECORD_HEADER_BYTES);
    const length = header.readUInt32BE(0);
    const kind = header[4]!;
    if (length < 1) throw new P2pError('P2P_PROTOCOL_ERROR', 'record with a zero length field');
    const limit = lengthLimit(kind);
    if (length > limit) {
      throw new P2pError('P2P_FRAME_TOO_LARGE', `record of kind 0x${kind.toString(16)} announces ${length} bytes; the limit is ${limit}`);
    }
    if (this.buffered < 4 + length) return undefined;
    const whole = this.take(4 + length);
    return { kind, header: whole.subarray(0, RECORD_HEADER_BYTES), body: whole.subarray(RECORD_HEADER_BYTES) };
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks, Math.min(this.buffered, n)).subarray(0, n);
  }

  /** Remove and return the first n buffered bytes; copies only when they span chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0]!;
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.buffered -= n;
    return out;
  }
}
