/**
 * SM3 hash (GB/T 32905-2016) in pure TypeScript, plus HMAC-SM3 and the SM3 key derivation function of
 * GB/T 32918.4. @noble/hashes ships no SM3, so the compression function is written here on top of noble's
 * Merkle–Damgård base class, which supplies buffering and the (SHA-256-identical) padding and lets noble's
 * `hmac` accept SM3 like any other hash. Node callers get OpenSSL's SM3 through `gm.node.ts`.
 */
import { HashMD } from '@noble/hashes/_md.js';
import { hmac } from '@noble/hashes/hmac.js';
import { createHasher, rotl } from '@noble/hashes/utils.js';

const IV = Uint32Array.from([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
]);

/** T_j rotated left by j mod 32, precomputed because every block needs all 64. */
const T_ROT = Uint32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** Message expansion W[0..67]; shared scratch because hashing is synchronous. */
const W = new Uint32Array(68);

const p0 = (x: number): number => x ^ rotl(x, 9) ^ rotl(x, 17);
const p1 = (x: number): number => x ^ rotl(x, 15) ^ rotl(x, 23);

export class Sm3 extends HashMD<Sm3> {
  // Separate numeric fields rather than an array: V8 keeps them in registers (same reasoning as noble's SHA-2).
  protected A = 0;
  protected B = 0;
  protected C = 0;
  protected D = 0;
  protected E = 0;
  protected F = 0;
  protected G = 0;
  protected H = 0;

  constructor() {
    super(64, 32, 8, false);
    this.set(IV[0]!, IV[1]!, IV[2]!, IV[3]!, IV[4]!, IV[5]!, IV[6]!, IV[7]!);
  }

  protected get(): number[] {
    return [this.A, this.B, this.C, this.D, this.E, this.F, this.G, this.H];
  }

  protected set(A: number, B: number, C: number, D: number, E: number, F: number, G: number, H: number): void {
    this.A = A | 0;
    this.B = B | 0;
    this.C = C | 0;
    this.D = D | 0;
    this.E = E | 0;
    this.F = F | 0;
    this.G = G | 0;
    this.H = H | 0;
  }

  _cloneInto(to?: Sm3): Sm3 {
    const target = to ?? new Sm3();
    target.set(this.A, this.B, this.C, this.D, this.E, this.F, this.G, this.H);
    return this._cloneIntoMeta(target);
  }

  protected process(view: DataView, offset: number): void {
    for (let i = 0; i < 16; i++, offset += 4) W[i] = view.getUint32(offset, false);
    for (let j = 16; j < 68; j++) {
      W[j] = p1(W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15)) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!;
    }
    let { A, B, C, D, E, F, G, H } = this;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + T_ROT[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      const ff = j < 16 ? A ^ B ^ C : (A & B) | (A & C) | (B & C);
      const gg = j < 16 ? E ^ F ^ G : (E & F) | (~E & G);
      const tt1 = (ff + D + ss2 + (W[j]! ^ W[j + 4]!)) | 0;
      const tt2 = (gg + H + ss1 + W[j]!) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = p0(tt2);
    }
    this.set(A ^ this.A, B ^ this.B, C ^ this.C, D ^ this.D, E ^ this.E, F ^ this.F, G ^ this.G, H ^ this.H);
  }

  protected roundClean(): void {
    W.fill(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    this.buffer.fill(0);
  }
}

/** SM3 as a noble `CHash`, usable wherever noble takes a hash (hmac, hkdf). */
export const sm3Hasher = createHasher(() => new Sm3());

export function sm3(data: Uint8Array): Uint8Array {
  return sm3Hasher(data);
}

export function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sm3Hasher, key, data);
}

/** The hash functions SM3-KDF needs; lets the Node build plug in OpenSSL's SM3 without duplicating the KDF. */
export type HashFunction = (data: Uint8Array) => Uint8Array;

/**
 * KDF of GB/T 32918.4 §5.4.3: SM3(Z || ct) for ct = 1, 2, … as 32-bit big-endian, concatenated and truncated
 * to `length` bytes.
 */
export function sm3Kdf(z: Uint8Array, length: number, hash: HashFunction = sm3): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`KDF length must be a non-negative integer`);
  const out = new Uint8Array(length);
  const input = new Uint8Array(z.length + 4);
  input.set(z);
  const view = new DataView(input.buffer);
  for (let ct = 1, pos = 0; pos < length; ct++, pos += 32) {
    view.setUint32(z.length, ct, false);
    const block = hash(input);
    out.set(block.subarray(0, Math.min(32, length - pos)), pos);
  }
  return out;
}
