/**
 * The crypto suite contract. A chain picks one suite at genesis; everything that hashes, signs, encrypts or
 * derives keys asks that chain's suite, never a primitive directly.
 *
 *   gm:   SM3 hash, SM2 signatures (GB/T 32918.2, Z value over the signer's distinguishing ID, default
 *         1234567812345678), SM2 key exchange / ECDH, SM2 public-key encryption (C1C3C2) for wrapping keys,
 *         SM4-CTR + HMAC-SM3 encrypt-then-MAC for data (Node's OpenSSL 3.0 has no SM4-GCM).
 *   intl: SHA-256, ECDSA P-256 (low-s), ECDH P-256, AES-256-GCM, ECIES over P-256 for wrapping keys.
 *
 * Keys are raw bytes: private keys 32 bytes, public keys 65-byte uncompressed SEC1 points.
 * Signatures are raw r||s, 64 bytes, in protocol structures; DER only at the X.509 / OpenSSL boundary.
 */
export type SuiteName = 'gm' | 'intl';

export const SUITE_NAMES: readonly SuiteName[] = ['gm', 'intl'];

/** GB/T 32918.2 / GM/T 0009 default distinguishing identifier. */
export const SM2_DEFAULT_ID = '1234567812345678';

export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

export interface VerifyItem {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

export interface CryptoSuite {
  readonly name: SuiteName;
  /** 32-byte digest (SM3 or SHA-256). */
  hash(data: Uint8Array): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Derive `length` bytes from a shared secret (gm: SM3-KDF of GB/T 32918.4; intl: HKDF-SHA-256). */
  kdf(secret: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  randomBytes(length: number): Uint8Array;
  generateKeyPair(): KeyPair;
  publicKeyOf(privateKey: Uint8Array): Uint8Array;
  isValidPublicKey(publicKey: Uint8Array): boolean;
  /** Sign the exact bytes given (gm: SM2 with the default ID; intl: ECDSA P-256 over SHA-256, low-s). */
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Verify many at once; uses the fastest implementation available (native OpenSSL for gm when built). */
  verifyBatch(items: readonly VerifyItem[]): boolean[];
  /** Raw ECDH shared secret: the x-coordinate, 32 bytes. */
  ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** Authenticated encryption with a 32-byte key; the output carries its own nonce. */
  seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Inverse of `seal`; throws GovchainError code CRYPTO_AUTH_FAILED when anything was altered. */
  open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Encrypt a short secret (a file key) to a public key (gm: SM2 encryption C1C3C2; intl: ECIES P-256). */
  wrapKey(recipientPublicKey: Uint8Array, secret: Uint8Array): Uint8Array;
  unwrapKey(privateKey: Uint8Array, wrapped: Uint8Array): Uint8Array;
}
