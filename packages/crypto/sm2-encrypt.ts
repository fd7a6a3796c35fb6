/**
 * SM2 public-key encryption, GB/T 32918.4-2016 §6–7, in the C1 || C3 || C2 layout of the 2016 standard
 * (C1 = 65-byte point kG, C3 = SM3(x2 || M || y2), C2 = M ⊕ KDF(x2 || y2)), plus conversion to and from the
 * GM/T 0009 DER form `SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING, ciphertext OCTET STRING }` that
 * `openssl pkeyutl -encrypt` reads and writes.
 */
import { concatBytes } from '@govchain/base';
import { sm3, sm3Kdf, type HashFunction } from './sm3.ts';
import { SM2_CURVE, bigintTo32Bytes, bytesToBigint, type Sm2Curve, type Sm2Point } from './sm2-curve.ts';
import { decodeSm2PublicKey, sm2PrivateScalar } from './sm2.ts';
import { DerReader, derOctetString, derSequence, derUnsignedInteger, fixedWidth } from './der.ts';
import { authFailed, malformedEncoding } from './errors.ts';
import { randomBytes } from './random.ts';

export interface Sm2EncryptOptions {
  hash?: HashFunction;
  curve?: Sm2Curve;
}

const C1_BYTES = 65;
const C3_BYTES = 32;

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/**
 * Encrypts with a caller-chosen k. Only for the standard's known-answer tests: a reused k exposes the
 * plaintext. Returns null if this k yields an all-zero key stream (§6.1 A5), which the caller must retry.
 */
export function sm2EncryptWithNonce(
  publicKey: Uint8Array,
  plaintext: Uint8Array,
  k: bigint,
  options: Sm2EncryptOptions = {},
): Uint8Array | null {
  const curve = options.curve ?? SM2_CURVE;
  const hash = options.hash ?? sm3;
  if (plaintext.length === 0) throw malformedEncoding('SM2 encryption needs a non-empty plaintext');
  const point = decodeSm2PublicKey(publicKey, curve);
  const c1 = curve.Point.BASE.multiply(k).toBytes(false);
  const shared = point.multiply(k).toAffine();
  const x2 = bigintTo32Bytes(shared.x);
  const y2 = bigintTo32Bytes(shared.y);
  const t = sm3Kdf(concatBytes(x2, y2), plaintext.length, hash);
  if (isAllZero(t)) return null;
  const c3 = hash(concatBytes(x2, plaintext, y2));
  return concatBytes(c1, c3, xor(plaintext, t));
}

/** SM2-encrypts `plaintext` to `publicKey`; output is C1 || C3 || C2 (97 + plaintext length bytes). */
export function sm2Encrypt(publicKey: Uint8Array, plaintext: Uint8Array, options: Sm2EncryptOptions = {}): Uint8Array {
  const n = (options.curve ?? SM2_CURVE).n;
  for (;;) {
    const k = (bytesToBigint(randomBytes(40)) % (n - 1n)) + 1n;
    const out = sm2EncryptWithNonce(publicKey, plaintext, k, options);
    if (out !== null) return out;
  }
}

/**
 * Inverse of `sm2Encrypt`. Throws CRYPTO_MALFORMED when the layout or C1 is invalid and CRYPTO_AUTH_FAILED
 * when the C3 check fails (altered ciphertext or wrong key).
 */
export function sm2Decrypt(privateKey: Uint8Array, ciphertext: Uint8Array, options: Sm2EncryptOptions = {}): Uint8Array {
  const curve = options.curve ?? SM2_CURVE;
  const hash = options.hash ?? sm3;
  const d = sm2PrivateScalar(privateKey, curve);
  if (ciphertext.length <= C1_BYTES + C3_BYTES) throw malformedEncoding('SM2 ciphertext is too short');
  let c1: Sm2Point;
  try {
    c1 = decodeSm2PublicKey(ciphertext.subarray(0, C1_BYTES), curve);
  } catch {
    throw malformedEncoding('SM2 ciphertext: C1 is not a point on the curve');
  }
  const c3 = ciphertext.subarray(C1_BYTES, C1_BYTES + C3_BYTES);
  const c2 = ciphertext.subarray(C1_BYTES + C3_BYTES);
  const shared = c1.multiply(d).toAffine();
  const x2 = bigintTo32Bytes(shared.x);
  const y2 = bigintTo32Bytes(shared.y);
  const t = sm3Kdf(concatBytes(x2, y2), c2.length, hash);
  if (isAllZero(t)) throw authFailed('SM2 decryption failed: all-zero key stream');
  const plaintext = xor(c2, t);
  const u = hash(concatBytes(x2, plaintext, y2));
  if (!isAllZero(xor(u, c3))) throw authFailed('SM2 decryption failed: the ciphertext was altered or the key is wrong');
  return plaintext;
}

/** C1 || C3 || C2 → GM/T 0009 DER (what OpenSSL's `pkeyutl -decrypt` expects). */
export function sm2CiphertextToDer(ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length <= C1_BYTES + C3_BYTES || ciphertext[0] !== 0x04) {
    throw malformedEncoding('SM2 ciphertext must be C1 (65 bytes, 04||x||y) || C3 (32) || C2 (≥ 1)');
  }
  return derSequence(
    derUnsignedInteger(ciphertext.subarray(1, 33)),
    derUnsignedInteger(ciphertext.subarray(33, 65)),
    derOctetString(ciphertext.subarray(C1_BYTES, C1_BYTES + C3_BYTES)),
    derOctetString(ciphertext.subarray(C1_BYTES + C3_BYTES)),
  );
}

/** GM/T 0009 DER (what `openssl pkeyutl -encrypt` writes) → C1 || C3 || C2. */
export function sm2CiphertextFromDer(der: Uint8Array): Uint8Array {
  const outer = new DerReader(der, 'SM2 ciphertext');
  const seq = outer.readSequence('SM2 ciphertext');
  outer.end();
  const x = fixedWidth(seq.readUnsignedInteger(), 32);
  const y = fixedWidth(seq.readUnsignedInteger(), 32);
  const c3 = seq.readOctetString();
  const c2 = seq.readOctetString();
  seq.end();
  if (x === null || y === null) throw malformedEncoding('SM2 ciphertext: C1 coordinate longer than 32 bytes');
  if (c3.length !== C3_BYTES) throw malformedEncoding(`SM2 ciphertext: hash must be 32 bytes, got ${c3.length}`);
  if (c2.length === 0) throw malformedEncoding('SM2 ciphertext: empty C2');
  return concatBytes(new Uint8Array([0x04]), x, y, c3, c2);
}
