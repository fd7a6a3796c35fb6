/**
 * The canonical binary codec. Every structure that is signed, hashed or sent between nodes is written with
 * `Writer` and read back with `Reader`. Encodings are canonical: one value has exactly one encoding, and the
 * reader refuses anything else (non-minimal varints, booleans other than 0/1, trailing bytes, lengths above the
 * caller's bound), so that bytes can be compared and hashed without re-encoding.
 */
import { GovchainError } from './errors.ts';
import { allocBytes, fromUtf8, utf8 } from './bytes.ts';

export const DECODE_ERROR = 'DECODE_ERROR';

function decodeError(message: string): GovchainError {
  return new GovchainError(DECODE_ERROR, 'malformed', message);
}

/** A writer's working buffer with its view; a few are kept for the next writers (encoding never interleaves much). */
interface Scratch {
  buf: Uint8Array;
  view: DataView;
}
const SCRATCH_KEPT_MAX = 8;
const SCRATCH_BYTES_MIN = 1024;
const SCRATCH_BYTES_KEPT_MAX = 1024 * 1024;
const scratchPool: Scratch[] = [];
const EMPTY_SCRATCH: Scratch = { buf: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)) };

function newScratch(capacity: number): Scratch {
  const buf = new Uint8Array(Math.max(capacity, SCRATCH_BYTES_MIN));
  return { buf, view: new DataView(buf.buffer) };
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private finished = false;

  /** `initialCapacity` is a hint: the working buffer grows as needed. */
  constructor(initialCapacity = 256) {
    const s = scratchPool.pop() ?? newScratch(initialCapacity);
    this.buf = s.buf;
    this.view = s.view;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    if (this.finished) throw new Error('Writer used after finish()');
    let cap = this.buf.length * 2;
    while (cap < this.pos + extra) cap *= 2;
    const next = newScratch(cap);
    next.buf.set(this.buf.subarray(0, this.pos));
    this.buf = next.buf;
    this.view = next.view;
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`u8 out of range: ${v}`);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  /** Unsigned 64-bit, big-endian; values are JS numbers and must be safe integers. */
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 out of range: ${v}`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt(v));
    this.pos += 8;
    return this;
  }

  /** Unsigned LEB128, minimal form; safe integers only. */
  varuint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varuint out of range: ${v}`);
    this.ensure(8);
    let n = v;
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  /** Bytes with no length prefix: for fields whose size the schema fixes (hashes, keys). */
  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) throw new RangeError(`expected ${length} bytes, got ${bytes.length}`);
    this.ensure(length);
    this.buf.set(bytes, this.pos);
    this.pos += length;
    return this;
  }

  bytes(bytes: Uint8Array): this {
    this.varuint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  string(s: string): this {
    return this.bytes(utf8(s));
  }

  list<T>(items: readonly T[], writeItem: (w: Writer, item: T) => void): this {
    this.varuint(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** The encoded bytes (a copy). This ends the writer: its working buffer goes back for the next one. */
  finish(): Uint8Array {
    if (this.finished) throw new Error('Writer.finish() called twice');
    this.finished = true;
    const out = allocBytes(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    if (this.buf.length <= SCRATCH_BYTES_KEPT_MAX && scratchPool.length < SCRATCH_KEPT_MAX) scratchPool.push({ buf: this.buf, view: this.view });
    this.buf = EMPTY_SCRATCH.buf;
    this.view = EMPTY_SCRATCH.view;
    return out;
  }
}

export class Reader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw decodeError(`truncated input: ${what} needs ${n} bytes at offset ${this.pos}`);
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++]!;
  }

  bool(): boolean {
    const v = this.u8();
    if (v > 1) throw decodeError(`boolean must be 0 or 1, got ${v}`);
    return v === 1;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): number {
    this.need(8, 'u64');
    const v = this.view.getBigUint64(this.pos);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw decodeError(`u64 above 2^53 at offset ${this.pos}`);
    this.pos += 8;
    return Number(v);
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) throw decodeError('non-minimal varint');
        if (!Number.isSafeInteger(result)) throw decodeError('varint above 2^53');
        return result;
      }
      scale *= 0x80;
    }
    throw decodeError('varint longer than 8 bytes');
  }

  fixed(length: number): Uint8Array {
    this.need(length, `${length}-byte field`);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Length-prefixed bytes, refused when longer than `maxLength`. Returns a view into the input. */
  bytes(maxLength: number): Uint8Array {
    const len = this.varuint();
    if (len > maxLength) throw decodeError(`field of ${len} bytes exceeds the limit of ${maxLength}`);
    return this.fixed(len);
  }

  string(maxLength: number): string {
    const raw = this.bytes(maxLength);
    try {
      return fromUtf8(raw);
    } catch {
      throw decodeError('invalid UTF-8 in string field');
    }
  }

  list<T>(maxItems: number, readItem: (r: Reader) => T): T[] {
    const count = this.varuint();
    if (count > maxItems) throw decodeError(`list of ${count} items exceeds the limit of ${maxItems}`);
    if (count > this.remaining) throw decodeError(`list of ${count} items cannot fit in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(readItem(this));
    return out;
  }

  /** Asserts the whole input was consumed; trailing bytes would let two encodings share one meaning. */
  end(): void {
    if (this.pos !== this.buf.length) throw decodeError(`${this.buf.length - this.pos} trailing bytes after the value`);
  }
}

/** Decode `bytes` completely with `read`, refusing trailing bytes. */
export function decodeExact<T>(bytes: Uint8Array, read: (r: Reader) => T): T {
  const r = new Reader(bytes);
  const value = read(r);
  r.end();
  return value;
}
