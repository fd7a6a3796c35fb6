/**
 * SM2 digital signatures exactly as GB/T 32918.2-2016 §6–7, in pure TypeScript over @noble/curves arithmetic.
 *
 * The signed value is e = SM3(Z_A || M) where Z_A = SM3(ENTL_A || ID_A || a || b || xG || yG || xA || yA) binds
 * the signer's distinguishing ID and public key. Plain ECDSA over the SM2 curve, and SM2 with an empty ID (what
 * Node's `crypto.sign` does), are different algorithms whose signatures do not verify here.
 *
 * Signatures are raw r || s (64 bytes); `sig-der.ts` converts at the OpenSSL / X.509 boundary.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { concatBytes, utf8 } from '@govchain/base';
import { SM2_DEFAULT_ID } from './suite.ts';
import { sm3, sm3Kdf, type HashFunction } from './sm3.ts';
import { SM2_CURVE, bigintTo32Bytes, bytesToBigint, type Sm2Curve, type Sm2Point } from './sm2-curve.ts';
import { invalidKey } from './errors.ts';
import { LruCache } from './lru.ts';
import { randomBytes } from './random.ts';

export const SM2_DEFAULT_ID_BYTES: Uint8Array = utf8(SM2_DEFAULT_ID);

export interface Sm2Options {
  /** Signer's distinguishing ID; default 1234567812345678 (GM/T 0009). */
  id?: Uint8Array;
  /** SM3 implementation; defaults to the pure one, Node passes OpenSSL's. */
  hash?: HashFunction;
  curve?: Sm2Curve;
}

/** ENTL is a 16-bit bit count, so an ID can be at most 8191 bytes. */
const MAX_ID_BYTES = 8191;

/** Z_A of GB/T 32918.2 §5.5 for a 65-byte uncompressed public key. */
export function sm2Z(publicKey: Uint8Array, options: Sm2Options = {}): Uint8Array {
  const id = options.id ?? SM2_DEFAULT_ID_BYTES;
  const curve = options.curve ?? SM2_CURVE;
  if (id.length > MAX_ID_BYTES) throw new RangeError(`SM2 ID is ${id.length} bytes; at most ${MAX_ID_BYTES}`);
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw invalidKey('SM2 public key must be 65 bytes 04||x||y');
  const entl = id.length * 8;
  return (options.hash ?? sm3)(
    concatBytes(new Uint8Array([entl >>> 8, entl & 0xff]), id, curve.zCurveBytes, publicKey.subarray(1)),
  );
}

/** Private keys are 32-byte big-endian d with 1 ≤ d ≤ n−2 (§6.1: 1 + d must be invertible). */
export function sm2PrivateScalar(privateKey: Uint8Array, curve: Sm2Curve = SM2_CURVE): bigint {
  if (privateKey.length !== 32) throw invalidKey(`SM2 private key must be 32 bytes, got ${privateKey.length}`);
  const d = bytesToBigint(privateKey);
  if (d < 1n || d > curve.n - 2n) throw invalidKey('SM2 private key is out of range [1, n-2]');
  return d;
}

/** Decodes a 65-byte uncompressed point and checks it is on the curve (cofactor 1, so no subgroup check). */
export function decodeSm2PublicKey(publicKey: Uint8Array, curve: Sm2Curve = SM2_CURVE): Sm2Point {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) {
    throw invalidKey('SM2 public key must be a 65-byte uncompressed point 04||x||y');
  }
  try {
    return curve.Point.fromBytes(publicKey);
  } catch {
    throw invalidKey('SM2 public key is not a point on the curve');
  }
}

export function isValidSm2PublicKey(publicKey: Uint8Array, curve: Sm2Curve = SM2_CURVE): boolean {
  try {
    decodeSm2PublicKey(publicKey, curve);
    return true;
  } catch {
    return false;
  }
}

export function sm2PublicKeyOf(privateKey: Uint8Array, curve: Sm2Curve = SM2_CURVE): Uint8Array {
  return curve.Point.BASE.multiply(sm2PrivateScalar(privateKey, curve)).toBytes(false);
}

export function sm2GenerateKeyPair(curve: Sm2Curve = SM2_CURVE): { privateKey: Uint8Array; publicKey: Uint8Array } {
  // 40 random bytes reduced into [1, n-2]: the bias is below 2^-64.
  const privateKey = bigintTo32Bytes((bytesToBigint(randomBytes(40)) % (curve.n - 2n)) + 1n);
  return { privateKey, publicKey: sm2PublicKeyOf(privateKey, curve) };
}

function digestE(z: Uint8Array, message: Uint8Array, hash: HashFunction): bigint {
  return bytesToBigint(hash(concatBytes(z, message)));
}

/** Everything signing needs that depends only on the key: computed once per key by `sm2SigningKey`. */
export interface Sm2SigningKey {
  readonly d: bigint;
  readonly publicKey: Uint8Array;
  /** Z_A for the signer's ID. */
  readonly z: Uint8Array;
  /** (1 + d)^-1 mod n. */
  readonly dPlus1Inverse: bigint;
  readonly curve: Sm2Curve;
  readonly hash: HashFunction;
}

export function sm2SigningKey(privateKey: Uint8Array, options: Sm2Options = {}): Sm2SigningKey {
  const curve = options.curve ?? SM2_CURVE;
  const d = sm2PrivateScalar(privateKey, curve);
  const publicKey = curve.Point.BASE.multiply(d).toBytes(false);
  return {
    d,
    publicKey,
    z: sm2Z(publicKey, options),
    dPlus1Inverse: curve.Point.Fn.inv(1n + d),
    curve,
    hash: options.hash ?? sm3,
  };
}

/** §6.1 A4–A6 for a given k; null when this k is unusable (r = 0, r + k = n or s = 0) and must be replaced. */
function signDigest(key: Sm2SigningKey, e: bigint, k: bigint): Uint8Array | null {
  const { n, Point } = key.curve;
  if (k < 1n || k >= n) return null;
  const x1 = Point.BASE.multiply(k).toAffine().x;
  const r = (e + x1) % n;
  if (r === 0n || r + k === n) return null;
  const s = (key.dPlus1Inverse * Point.Fn.create(k - r * key.d)) % n;
  if (s === 0n) return null;
  return concatBytes(bigintTo32Bytes(r), bigintTo32Bytes(s));
}

/**
 * Signs with a caller-chosen k. Only for the standard's known-answer tests: a repeated or guessable k reveals
 * the private key. Returns null when this k is unusable.
 */
export function sm2SignWithNonce(
  privateKey: Uint8Array,
  message: Uint8Array,
  k: bigint,
  options: Sm2Options = {},
): Uint8Array | null {
  const key = sm2SigningKey(privateKey, options);
  return signDigest(key, digestE(key.z, message, key.hash), k);
}

/**
 * SM2 signature with a prepared key. k is hedged: derived with SM3-KDF from fresh randomness together with d
 * and e, so a weak random source alone does not repeat k.
 */
export function sm2SignWithKey(key: Sm2SigningKey, message: Uint8Array): Uint8Array {
  const e = digestE(key.z, message, key.hash);
  const secretAndDigest = concatBytes(bigintTo32Bytes(key.d), bigintTo32Bytes(e));
  for (;;) {
    const seed = sm3Kdf(concatBytes(secretAndDigest, randomBytes(32)), 40, key.hash);
    const k = (bytesToBigint(seed) % (key.curve.n - 1n)) + 1n;
    const signature = signDigest(key, e, k);
    if (signature !== null) return signature;
  }
}

/** SM2 signature of `message` under the given ID (default 1234567812345678). */
export function sm2Sign(privateKey: Uint8Array, message: Uint8Array, options: Sm2Options = {}): Uint8Array {
  return sm2SignWithKey(sm2SigningKey(privateKey, options), message);
}

/** r and s from a raw signature, or null when either is outside [1, n−1] (§7.1 B1/B2). */
function splitSignature(signature: Uint8Array, n: bigint): [bigint, bigint] | null {
  if (signature.length !== 64) return null;
  const r = bytesToBigint(signature.subarray(0, 32));
  const s = bytesToBigint(signature.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) return null;
  return [r, s];
}

/** §7.1 B3–B7 given the decoded key point and its Z value. */
function verifyWithKey(
  point: Sm2Point,
  z: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  curve: Sm2Curve,
  hash: HashFunction,
): boolean {
  const rs = splitSignature(signature, curve.n);
  if (rs === null) return false;
  const [r, s] = rs;
  const t = (r + s) % curve.n;
  if (t === 0n) return false;
  const e = digestE(z, message, hash);
  const sum = curve.Point.BASE.multiplyUnsafe(s).add(point.multiplyUnsafe(t));
  if (sum.is0()) return false;
  return (e + sum.toAffine().x) % curve.n === r;
}

/** Verifies one signature with no caching. Never throws: malformed keys or signatures are simply invalid. */
export function sm2Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: Sm2Options = {},
): boolean {
  const curve = options.curve ?? SM2_CURVE;
  let point: Sm2Point;
  try {
    point = decodeSm2PublicKey(publicKey, curve);
  } catch {
    return false;
  }
  return verifyWithKey(point, sm2Z(publicKey, options), message, signature, curve, options.hash ?? sm3);
}

interface KeyEntry {
  point: Sm2Point;
  z: Uint8Array;
  uses: number;
  hasTable: boolean;
}

export interface Sm2VerifierOptions {
  /** Keys whose decoded point and Z value are remembered (about 0.5 KB each). Default 1024. */
  capacity?: number;
  /** Keys that also keep a precomputed multiplication table (about 200 KB each at width 4). Default 128. */
  tableCapacity?: number;
  hash?: HashFunction;
  id?: Uint8Array;
}

/**
 * Uses of a key before it gets a precomputed table. Measured on the recommended curve: a width-4 table takes
 * about as long as three table-less verifications to build and makes each later one about three times faster,
 * so it pays off by the fourth use; requiring four uses also bounds the waste when more senders are active
 * than there are table slots and tables keep being evicted.
 */
const TABLE_AFTER_USES = 4;
/** Width-4 tables: width 6 verifies ~35% faster but its table is 1.6× larger and 3× slower to build. */
const TABLE_WINDOW = 4;

/**
 * Verifier that remembers, per public key, the decoded point and its Z value in a bounded LRU, and gives the
 * most active keys a precomputed multiplication table in a second, smaller LRU. Validators see the same
 * senders over and over; keys seen only a few times never pay for a table.
 */
export class Sm2Verifier {
  private readonly entries: LruCache<string, KeyEntry>;
  private readonly tables: LruCache<string, KeyEntry>;
  private readonly hash: HashFunction;
  private readonly id: Uint8Array;

  constructor(options: Sm2VerifierOptions = {}) {
    // A key dropping out of the table LRU keeps its entry but loses the table (a fresh Point has none:
    // noble keys tables by point identity), and must earn a table again.
    this.tables = new LruCache(options.tableCapacity ?? 128, (_, entry) => {
      entry.point = SM2_CURVE.Point.fromAffine(entry.point.toAffine());
      entry.hasTable = false;
      entry.uses = 0;
    });
    this.entries = new LruCache(options.capacity ?? 1024, (key) => this.tables.delete(key));
    this.hash = options.hash ?? sm3;
    this.id = options.id ?? SM2_DEFAULT_ID_BYTES;
  }

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== 65) return false;
    const key = bytesToHex(publicKey);
    const entry = this.entryFor(key, publicKey);
    if (entry === null) return false;
    entry.uses++;
    if (entry.hasTable) {
      this.tables.get(key);
    } else if (entry.uses >= TABLE_AFTER_USES) {
      entry.point.precompute(TABLE_WINDOW, true);
      entry.hasTable = true;
      this.tables.set(key, entry);
    }
    return verifyWithKey(entry.point, entry.z, message, signature, SM2_CURVE, this.hash);
  }

  /**
   * The cached entry, or null for a key that is not a valid point. Invalid keys are not cached, so a flood of
   * junk keys cannot push the real senders out.
   */
  private entryFor(key: string, publicKey: Uint8Array): KeyEntry | null {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    let point: Sm2Point;
    try {
      point = decodeSm2PublicKey(publicKey);
    } catch {
      return null;
    }
    // Each entry owns its Point object: noble keys precomputed tables by point identity.
    const entry = { point, z: sm2Z(publicKey, { id: this.id, hash: this.hash }), uses: 0, hasTable: false };
    this.entries.set(key, entry);
    return entry;
  }
}
