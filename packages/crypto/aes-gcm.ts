/**
 * AES-256-GCM (FIPS 197, NIST SP 800-38D) in pure TypeScript for the browser build of the `intl` suite; Node
 * uses OpenSSL. Only the 96-bit IV and 128-bit tag that the suite uses are supported. AES uses T-tables and
 * GHASH a 4-bit table (Shoup's method), so neither is constant-time against cache-timing observers — the same
 * trade-off as the pure SM4 path.
 */

const SBOX = new Uint8Array(256);
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);

// Builds the S-box from its definition (multiplicative inverse in GF(2^8) + affine map) instead of a
// transcribed table, then the round tables T_i = MixColumns column of S(x), rotated per row.
(function buildTables() {
  const rotl8 = (x: number, n: number): number => ((x << n) | (x >>> (8 - n))) & 0xff;
  let p = 1;
  let q = 1;
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff; // p · 3
    q ^= q << 1; // q / 3
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    SBOX[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i]!;
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x1b : 0)) & 0xff;
    const t = ((s2 << 24) | (s << 16) | (s << 8) | (s2 ^ s)) >>> 0;
    T0[i] = t;
    T1[i] = (t >>> 8) | (t << 24);
    T2[i] = (t >>> 16) | (t << 16);
    T3[i] = (t >>> 24) | (t << 8);
  }
})();

const ROUNDS = 14;

function expandKey(key: Uint8Array): Uint32Array {
  if (key.length !== 32) throw new RangeError(`AES-256 key must be 32 bytes, got ${key.length}`);
  const w = new Uint32Array(4 * (ROUNDS + 1));
  const view = new DataView(key.buffer, key.byteOffset, 32);
  for (let i = 0; i < 8; i++) w[i] = view.getUint32(i * 4);
  let rcon = 1;
  const subWord = (x: number): number =>
    ((SBOX[x >>> 24]! << 24) | (SBOX[(x >>> 16) & 0xff]! << 16) | (SBOX[(x >>> 8) & 0xff]! << 8) | SBOX[x & 0xff]!) >>> 0;
  for (let i = 8; i < w.length; i++) {
    let t = w[i - 1]!;
    if (i % 8 === 0) {
      t = subWord((t << 8) | (t >>> 24)) ^ (rcon << 24);
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    } else if (i % 8 === 4) {
      t = subWord(t);
    }
    w[i] = w[i - 8]! ^ t;
  }
  return w;
}

/** Encrypts the block (s0..s3 as big-endian words) and writes it to `out`. */
function encryptWords(w: Uint32Array, in0: number, in1: number, in2: number, in3: number, out: Uint32Array): void {
  let s0 = in0 ^ w[0]!;
  let s1 = in1 ^ w[1]!;
  let s2 = in2 ^ w[2]!;
  let s3 = in3 ^ w[3]!;
  let k = 4;
  for (let r = 1; r < ROUNDS; r++, k += 4) {
    const t0 = T0[s0 >>> 24]! ^ T1[(s1 >>> 16) & 0xff]! ^ T2[(s2 >>> 8) & 0xff]! ^ T3[s3 & 0xff]! ^ w[k]!;
    const t1 = T0[s1 >>> 24]! ^ T1[(s2 >>> 16) & 0xff]! ^ T2[(s3 >>> 8) & 0xff]! ^ T3[s0 & 0xff]! ^ w[k + 1]!;
    const t2 = T0[s2 >>> 24]! ^ T1[(s3 >>> 16) & 0xff]! ^ T2[(s0 >>> 8) & 0xff]! ^ T3[s1 & 0xff]! ^ w[k + 2]!;
    const t3 = T0[s3 >>> 24]! ^ T1[(s0 >>> 16) & 0xff]! ^ T2[(s1 >>> 8) & 0xff]! ^ T3[s2 & 0xff]! ^ w[k + 3]!;
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  const last = (a: number, b: number, c: number, d: number, rk: number): number =>
    ((SBOX[a >>> 24]! << 24) | (SBOX[(b >>> 16) & 0xff]! << 16) | (SBOX[(c >>> 8) & 0xff]! << 8) | SBOX[d & 0xff]!) ^ rk;
  out[0] = last(s0, s1, s2, s3, w[k]!);
  out[1] = last(s1, s2, s3, s0, w[k + 1]!);
  out[2] = last(s2, s3, s0, s1, w[k + 2]!);
  out[3] = last(s3, s0, s1, s2, w[k + 3]!);
}

/** Reduction constants for shifting a GHASH value right by 4 bits (Shoup's "last4" table). */
const LAST4 = [
  0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0, 0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0,
  0xa9c0, 0xb5e0,
];

/** GHASH keyed by H, with the 16-entry table of multiples i·H (each 4 words, big-endian). */
class Ghash {
  private readonly table: Uint32Array[] = Array.from({ length: 16 }, () => new Uint32Array(4));
  private readonly y = new Uint32Array(4);

  constructor(h: Uint32Array) {
    const v = Uint32Array.from(h);
    this.table[8]!.set(v);
    for (let i = 4; i > 0; i >>= 1) {
      const carry = v[3]! & 1 ? 0xe1000000 : 0;
      v[3] = (v[3]! >>> 1) | (v[2]! << 31);
      v[2] = (v[2]! >>> 1) | (v[1]! << 31);
      v[1] = (v[1]! >>> 1) | (v[0]! << 31);
      v[0] = (v[0]! >>> 1) ^ carry;
      this.table[i]!.set(v);
    }
    for (let i = 2; i <= 8; i *= 2) {
      for (let j = 1; j < i; j++) {
        for (let k = 0; k < 4; k++) this.table[i + j]![k] = this.table[i]![k]! ^ this.table[j]![k]!;
      }
    }
  }

  private readonly x = new Uint8Array(16);

  /** y = (y ⊕ block) · H for one 16-byte block (zero-padded if shorter). */
  update(data: Uint8Array, offset: number, length: number): void {
    const x = this.x;
    const y = this.y;
    x.fill(0);
    x.set(data.subarray(offset, offset + length));
    for (let i = 0; i < 16; i++) x[i] ^= (y[i >>> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
    const table = this.table;
    let t = table[x[15]! & 0xf]!;
    let z0 = t[0]!;
    let z1 = t[1]!;
    let z2 = t[2]!;
    let z3 = t[3]!;
    // Nibbles in the order x15.lo (above), x15.hi, x14.lo, x14.hi, …, x0.hi; each step shifts z right by 4
    // (reducing with LAST4) and adds the table entry for the nibble.
    for (let q = 1; q < 32; q++) {
      const byte = x[15 - (q >>> 1)]!;
      const nibble = q & 1 ? byte >>> 4 : byte & 0xf;
      const rem = z3 & 0xf;
      z3 = (z3 >>> 4) | (z2 << 28);
      z2 = (z2 >>> 4) | (z1 << 28);
      z1 = (z1 >>> 4) | (z0 << 28);
      z0 = (z0 >>> 4) ^ (LAST4[rem]! << 16);
      t = table[nibble]!;
      z0 ^= t[0]!;
      z1 ^= t[1]!;
      z2 ^= t[2]!;
      z3 ^= t[3]!;
    }
    y[0] = z0;
    y[1] = z1;
    y[2] = z2;
    y[3] = z3;
  }

  absorb(data: Uint8Array): void {
    for (let pos = 0; pos < data.length; pos += 16) this.update(data, pos, Math.min(16, data.length - pos));
  }

  digest(): Uint32Array {
    return this.y;
  }
}

function wordsToBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w));
  return out;
}

/** CTR keystream XOR starting from counter block J0 + 1 (GCTR with inc32), and the tag pad E(K, J0). */
function gcmCore(
  w: Uint32Array,
  iv: Uint8Array,
  input: Uint8Array,
): { output: Uint8Array; tagPad: Uint32Array } {
  if (iv.length !== 12) throw new RangeError(`GCM IV must be 12 bytes, got ${iv.length}`);
  const ivView = new DataView(iv.buffer, iv.byteOffset, 12);
  const n0 = ivView.getUint32(0);
  const n1 = ivView.getUint32(4);
  const n2 = ivView.getUint32(8);
  const tagPad = new Uint32Array(4);
  encryptWords(w, n0, n1, n2, 1, tagPad);
  const output = new Uint8Array(input.length);
  const block = new Uint32Array(4);
  const blockBytes = new Uint8Array(16);
  const blockView = new DataView(blockBytes.buffer);
  let counter = 2;
  for (let pos = 0; pos < input.length; pos += 16, counter = (counter + 1) >>> 0) {
    encryptWords(w, n0, n1, n2, counter, block);
    for (let k = 0; k < 4; k++) blockView.setUint32(k * 4, block[k]!);
    const n = Math.min(16, input.length - pos);
    for (let i = 0; i < n; i++) output[pos + i] = input[pos + i]! ^ blockBytes[i]!;
  }
  return { output, tagPad };
}

function computeTag(w: Uint32Array, tagPad: Uint32Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const h = new Uint32Array(4);
  encryptWords(w, 0, 0, 0, 0, h);
  const ghash = new Ghash(h);
  ghash.absorb(aad);
  ghash.absorb(ciphertext);
  const lengths = new Uint8Array(16);
  const view = new DataView(lengths.buffer);
  view.setBigUint64(0, BigInt(aad.length) * 8n);
  view.setBigUint64(8, BigInt(ciphertext.length) * 8n);
  ghash.update(lengths, 0, 16);
  const s = ghash.digest();
  return wordsToBytes(Uint32Array.from(s, (v, i) => v ^ tagPad[i]!));
}

/** Returns ciphertext || 16-byte tag. */
export function aes256GcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const w = expandKey(key);
  const { output, tagPad } = gcmCore(w, iv, plaintext);
  const tag = computeTag(w, tagPad, aad, output);
  const out = new Uint8Array(output.length + 16);
  out.set(output);
  out.set(tag, output.length);
  return out;
}

/** Checks the tag over ciphertext || tag and decrypts; returns null when authentication fails. */
export function aes256GcmDecrypt(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  const w = expandKey(key);
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  const { output, tagPad } = gcmCore(w, iv, ciphertext);
  const expected = computeTag(w, tagPad, aad, ciphertext);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= expected[i]! ^ tag[i]!;
  return diff === 0 ? output : null;
}
