/**
 * SM4 block cipher (GB/T 32907-2016) and CTR mode in pure TypeScript, for browsers and other runtimes without
 * OpenSSL. Node uses OpenSSL's `sm4-ctr` instead (`gm.node.ts`); both produce identical bytes (tested).
 * Table-driven like common AES code: the S-box and the linear transform L are merged into one 256-entry table,
 * so a round is four lookups and rotations. Not constant-time with respect to cache timing, which is acceptable
 * for the browser path this serves.
 */

// prettier-ignore
const SBOX = Uint8Array.from([
  0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
  0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
  0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
  0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
  0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
  0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
  0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
  0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
  0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
  0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
  0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
  0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
  0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
  0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
  0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
  0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
]);

const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc] as const;

/** CK_i: bytes (4i+j)·7 mod 256 for j = 0..3, big-endian. */
const CK = Uint32Array.from({ length: 32 }, (_, i) => {
  let word = 0;
  for (let j = 0; j < 4; j++) word = (word << 8) | (((4 * i + j) * 7) & 0xff);
  return word >>> 0;
});

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** TL[b] = L(S(b)) for a byte in the low position; the other three positions are rotations of it. */
const TL = Uint32Array.from(SBOX, (s) => s ^ rotl(s, 2) ^ rotl(s, 10) ^ rotl(s, 18) ^ rotl(s, 24));

function tau(x: number): number {
  return (
    (SBOX[x >>> 24]! << 24) | (SBOX[(x >>> 16) & 0xff]! << 16) | (SBOX[(x >>> 8) & 0xff]! << 8) | SBOX[x & 0xff]!
  );
}

function roundT(x: number): number {
  return (
    rotl(TL[x >>> 24]!, 24) ^ rotl(TL[(x >>> 16) & 0xff]!, 16) ^ rotl(TL[(x >>> 8) & 0xff]!, 8) ^ TL[x & 0xff]!
  );
}

export const SM4_BLOCK_BYTES = 16;
export const SM4_KEY_BYTES = 16;

/** An SM4 key schedule; build once per key and reuse for every block. */
export class Sm4 {
  private readonly rk = new Uint32Array(32);

  constructor(key: Uint8Array) {
    if (key.length !== SM4_KEY_BYTES) throw new RangeError(`SM4 key must be 16 bytes, got ${key.length}`);
    const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
    let k0 = view.getUint32(0) ^ FK[0];
    let k1 = view.getUint32(4) ^ FK[1];
    let k2 = view.getUint32(8) ^ FK[2];
    let k3 = view.getUint32(12) ^ FK[3];
    for (let i = 0; i < 32; i++) {
      const t = tau(k1 ^ k2 ^ k3 ^ CK[i]!);
      const next = k0 ^ t ^ rotl(t, 13) ^ rotl(t, 23);
      this.rk[i] = next;
      k0 = k1;
      k1 = k2;
      k2 = k3;
      k3 = next;
    }
  }

  /** Encrypts one 16-byte block from `input` at `inOff` into `output` at `outOff`. */
  encryptBlock(input: Uint8Array, inOff: number, output: Uint8Array, outOff: number): void {
    this.crypt(input, inOff, output, outOff, false);
  }

  decryptBlock(input: Uint8Array, inOff: number, output: Uint8Array, outOff: number): void {
    this.crypt(input, inOff, output, outOff, true);
  }

  private crypt(input: Uint8Array, inOff: number, output: Uint8Array, outOff: number, reverse: boolean): void {
    const rk = this.rk;
    let x0 = readU32(input, inOff);
    let x1 = readU32(input, inOff + 4);
    let x2 = readU32(input, inOff + 8);
    let x3 = readU32(input, inOff + 12);
    for (let i = 0; i < 32; i++) {
      const next = x0 ^ roundT(x1 ^ x2 ^ x3 ^ rk[reverse ? 31 - i : i]!);
      x0 = x1;
      x1 = x2;
      x2 = x3;
      x3 = next;
    }
    // The reverse transform R: output (X35, X34, X33, X32).
    writeU32(output, outOff, x3);
    writeU32(output, outOff + 4, x2);
    writeU32(output, outOff + 8, x1);
    writeU32(output, outOff + 12, x0);
  }
}

function readU32(b: Uint8Array, off: number): number {
  return (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
}

function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}

/** Adds one to the 128-bit big-endian counter, wrapping at 2^128 like OpenSSL. */
function incrementCounter(counter: Uint8Array): void {
  for (let i = counter.length - 1; i >= 0; i--) {
    counter[i] = (counter[i]! + 1) & 0xff;
    if (counter[i] !== 0) return;
  }
}

/**
 * SM4-CTR with the whole 16-byte IV as a big-endian 128-bit counter, exactly as OpenSSL's `sm4-ctr`
 * (NIST SP 800-38A style). Encryption and decryption are the same operation.
 */
export function sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== SM4_BLOCK_BYTES) throw new RangeError(`SM4-CTR IV must be 16 bytes, got ${iv.length}`);
  const cipher = new Sm4(key);
  const counter = iv.slice();
  const stream = new Uint8Array(SM4_BLOCK_BYTES);
  const out = new Uint8Array(data.length);
  for (let pos = 0; pos < data.length; pos += SM4_BLOCK_BYTES) {
    cipher.encryptBlock(counter, 0, stream, 0);
    const n = Math.min(SM4_BLOCK_BYTES, data.length - pos);
    for (let i = 0; i < n; i++) out[pos + i] = data[pos + i]! ^ stream[i]!;
    incrementCounter(counter);
  }
  return out;
}
