/**
 * Minimal strict DER (X.690) for the few structures crypto exchanges with OpenSSL: signatures, SM2
 * ciphertexts, SPKI and PKCS#8 keys. The reader refuses BER leniencies (indefinite or non-minimal lengths,
 * non-minimal or negative INTEGERs, trailing bytes), so one value has one encoding.
 */
import { concatBytes } from '@govchain/base';
import { malformedEncoding } from './errors.ts';

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Tag byte of a constructed context-specific field [n] (EXPLICIT tagging, as ECPrivateKey uses). */
export const contextTag = (n: number): number => 0xa0 | n;

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return new Uint8Array([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([tag]), encodeLength(content.length), content);
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.SEQUENCE, concatBytes(...items));
}

/** A non-negative INTEGER from big-endian magnitude bytes: leading zeros stripped, 0x00 added if the top bit is set. */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const body = magnitude.subarray(start);
  const content = body.length === 0 ? new Uint8Array([0]) : (body[0]! & 0x80) !== 0 ? concatBytes(new Uint8Array([0]), body) : body;
  return derTlv(DER_TAG.INTEGER, content);
}

/** Small non-negative INTEGER (version fields). */
export function derSmallInteger(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a u32: ${value}`);
  return derUnsignedInteger(new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.OCTET_STRING, bytes);
}

/** BIT STRING with no unused bits: the only kind keys and signatures use. */
export function derBitString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.BIT_STRING, concatBytes(new Uint8Array([0]), bytes));
}

export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`);
    return BigInt(a);
  });
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push = (arc: bigint): void => {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  arcs.slice(2).forEach(push);
  return derTlv(DER_TAG.OID, new Uint8Array(out));
}

/** Sequential strict reader over one level of DER. */
export class DerReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what = 'DER value',
  ) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  peekTag(): number | undefined {
    return this.bytes[this.pos];
  }

  /** Reads one TLV with the given tag and returns its content. */
  read(tag: number): Uint8Array {
    const b = this.bytes;
    if (this.pos + 2 > b.length) throw this.fail('truncated');
    if (b[this.pos] !== tag) {
      throw this.fail(`expected tag 0x${tag.toString(16)}, found 0x${b[this.pos]!.toString(16)}`);
    }
    let len = b[this.pos + 1]!;
    let p = this.pos + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw this.fail('unsupported length form');
      if (p + n > b.length) throw this.fail('truncated length');
      if (b[p] === 0) throw this.fail('non-minimal length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
      if (len < 0x80) throw this.fail('non-minimal length');
      p += n;
    }
    if (p + len > b.length) throw this.fail('truncated content');
    this.pos = p + len;
    return b.subarray(p, p + len);
  }

  readSequence(what: string): DerReader {
    return new DerReader(this.read(DER_TAG.SEQUENCE), what);
  }

  /** A non-negative INTEGER as minimal big-endian magnitude bytes (a single 0 byte for zero). */
  readUnsignedInteger(): Uint8Array {
    const c = this.read(DER_TAG.INTEGER);
    if (c.length === 0) throw this.fail('empty INTEGER');
    if (c[0]! & 0x80) throw this.fail('negative INTEGER');
    if (c.length > 1 && c[0] === 0 && (c[1]! & 0x80) === 0) throw this.fail('non-minimal INTEGER');
    return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
  }

  readOctetString(): Uint8Array {
    return this.read(DER_TAG.OCTET_STRING);
  }

  readBitString(): Uint8Array {
    const c = this.read(DER_TAG.BIT_STRING);
    if (c.length === 0 || c[0] !== 0) throw this.fail('BIT STRING with unused bits');
    return c.subarray(1);
  }

  /** Reads an OID and returns its full TLV encoding, for comparison against `derOid(...)`. */
  readOidTlv(): Uint8Array {
    return derTlv(DER_TAG.OID, this.read(DER_TAG.OID));
  }

  end(): void {
    if (!this.done) throw this.fail(`${this.bytes.length - this.pos} trailing bytes`);
  }

  private fail(reason: string): Error {
    return malformedEncoding(`malformed ${this.what}: ${reason}`);
  }
}

/** Left-pads an unsigned magnitude to exactly `size` bytes, or returns null if it does not fit. */
export function fixedWidth(magnitude: Uint8Array, size: number): Uint8Array | null {
  if (magnitude.length > size) return null;
  const out = new Uint8Array(size);
  out.set(magnitude, size - magnitude.length);
  return out;
}
