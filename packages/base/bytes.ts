/**
 * Byte helpers shared by every layer. Uint8Array everywhere and no Buffer, so every layer that the SDK uses also
 * runs in browsers.
 */

/** Typed arrays up to this size live on V8's heap and are cheap to allocate; larger ones get their own backing store. */
const INLINE_BYTES_MAX = 64;
/** Sizes served from shared slabs; larger requests get their own array. */
const POOLED_BYTES_MAX = 4096;
const SLAB_BYTES = 16 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

/**
 * A zero-filled byte array of `length`, like `new Uint8Array(length)` but much cheaper for the sizes every tx,
 * receipt, record and trie node has (65 B to 4 KB): those come out of shared 16 KB slabs, as Node's Buffer pool
 * does, instead of each getting a backing store of its own (about 1–2.5 µs each, plus garbage-collector pressure).
 * The result is a view: use its byteOffset and byteLength, never assume it owns `.buffer`.
 */
export function allocBytes(length: number): Uint8Array {
  if (length <= INLINE_BYTES_MAX || length > POOLED_BYTES_MAX) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + length);
  slabUsed = (slabUsed + length + 7) & ~7;
  return out;
}

const HEX_DIGITS = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!);

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]!]!;
  return out;
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55; // A-F; the caller has already checked the string against HEX_RE
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Strict hex decoding: odd length or a non-hex character is refused rather than silently truncated. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!HEX_RE.test(clean)) throw new TypeError(`not a hex string: ${clean.slice(0, 16)}…`);
  const out = allocBytes(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (hexNibble(clean.charCodeAt(2 * i)) << 4) | hexNibble(clean.charCodeAt(2 * i + 1));
  return out;
}

export function isHex(hex: string, lengthBytes?: number): boolean {
  return HEX_RE.test(hex) && (lengthBytes === undefined || hex.length === lengthBytes * 2);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = allocBytes(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order; the only order used for keys in deterministic code. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strings up to this length that are pure ASCII are copied by hand: TextEncoder costs ~7x more per short call. */
const ASCII_FAST_LENGTH_MAX = 64;

export function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > ASCII_FAST_LENGTH_MAX) return encoder.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/** Strict UTF-8 decoding: invalid sequences throw instead of becoming U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function u64be(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function readU64be(bytes: Uint8Array, offset = 0): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('u64 above 2^53');
  return Number(v);
}
