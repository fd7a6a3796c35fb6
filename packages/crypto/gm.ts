/**
 * The `gm` suite (SM2 / SM3 / SM4) assembled from interchangeable primitives: pure TypeScript by default, so it
 * runs in browsers; `gm.node.ts` swaps in OpenSSL's SM3/SM4 and the native SM2 verifier. Whatever the
 * primitives, the bytes produced are identical (tested against each other and against the OpenSSL CLI).
 *
 * seal / open (authenticated encryption, encrypt-then-MAC):
 *   keys      encKey (16) || macKey (32) = SM3-KDF(key || "govchain/gm/seal/v1", 48), so SM4 and HMAC never
 *             share key bits and the caller's 32-byte key is used whole.
 *   output    iv (16, random) || SM4-CTR(encKey, iv, plaintext) || tag (32)
 *   tag       HMAC-SM3(macKey, u64be(aad length) || aad || iv || ciphertext)
 * wrapKey is SM2 public-key encryption, C1 || C3 || C2 (GB/T 32918.4). kdf is SM3-KDF over secret || info.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { concatBytes, u64be, utf8 } from '@govchain/base';
import type { CryptoSuite, KeyPair, VerifyItem } from './suite.ts';
import { hmacSm3, sm3, sm3Kdf, type HashFunction } from './sm3.ts';
import { sm4Ctr } from './sm4.ts';
import {
  Sm2Verifier,
  decodeSm2PublicKey,
  isValidSm2PublicKey,
  sm2GenerateKeyPair,
  sm2PrivateScalar,
  sm2PublicKeyOf,
  sm2SignWithKey,
  sm2SigningKey,
  type Sm2SigningKey,
  type Sm2VerifierOptions,
} from './sm2.ts';
import { sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
import { bigintTo32Bytes } from './sm2-curve.ts';
import { authFailed, invalidKey } from './errors.ts';
import { randomBytes as webRandomBytes } from './random.ts';
import { LruCache } from './lru.ts';

/** Which SM2 verification code is running; reported by the bench and `govchain doctor`. */
export type Sm2VerifyImplementation = 'native-openssl' | 'pure-ts';

export interface Sm2VerifyBackend {
  readonly implementation: Sm2VerifyImplementation;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  verifyBatch(items: readonly VerifyItem[]): boolean[];
}

export interface GmPrimitives {
  sm3: HashFunction;
  hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** SM4-CTR with the 16-byte IV as a 128-bit big-endian counter (OpenSSL `sm4-ctr`). */
  sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  randomBytes(length: number): Uint8Array;
  sm2Verifier: Sm2VerifyBackend;
}

/** A pure-TypeScript verifier with a per-key cache; also the fallback when the native binding is absent. */
export function pureSm2VerifyBackend(options: Sm2VerifierOptions = {}): Sm2VerifyBackend {
  const verifier = new Sm2Verifier(options);
  return {
    implementation: 'pure-ts',
    verify: (publicKey, message, signature) => verifier.verify(publicKey, message, signature),
    verifyBatch: (items) => items.map((it) => verifier.verify(it.publicKey, it.message, it.signature)),
  };
}

export function purePrimitives(): GmPrimitives {
  return { sm3, hmacSm3, sm4Ctr, randomBytes: webRandomBytes, sm2Verifier: pureSm2VerifyBackend() };
}

const SEAL_KEY_INFO = utf8('govchain/gm/seal/v1');
const IV_BYTES = 16;
const TAG_BYTES = 32;

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function createGmSuite(p: GmPrimitives = purePrimitives()): CryptoSuite {
  const sm2Options = { hash: p.sm3 };
  // A node signs with one or two keys; preparing a key (public key, Z, (1+d)^-1) costs as much as a signature.
  const signingKeys = new LruCache<string, Sm2SigningKey>(16);

  function signingKey(privateKey: Uint8Array): Sm2SigningKey {
    const id = bytesToHex(privateKey);
    let key = signingKeys.get(id);
    if (key === undefined) {
      key = sm2SigningKey(privateKey, sm2Options);
      signingKeys.set(id, key);
    }
    return key;
  }

  function sealKeys(key: Uint8Array): { encKey: Uint8Array; macKey: Uint8Array } {
    if (key.length !== 32) throw invalidKey(`seal key must be 32 bytes, got ${key.length}`);
    const material = sm3Kdf(concatBytes(key, SEAL_KEY_INFO), 48, p.sm3);
    return { encKey: material.subarray(0, 16), macKey: material.subarray(16) };
  }

  function tag(macKey: Uint8Array, aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    return p.hmacSm3(macKey, concatBytes(u64be(aad.length), aad, iv, ciphertext));
  }

  return {
    name: 'gm',
    hash: (data) => p.sm3(data),
    hmac: (key, data) => p.hmacSm3(key, data),
    kdf: (secret, info, length) => sm3Kdf(concatBytes(secret, info), length, p.sm3),
    randomBytes: (length) => p.randomBytes(length),
    generateKeyPair: (): KeyPair => sm2GenerateKeyPair(),
    publicKeyOf: (privateKey) => sm2PublicKeyOf(privateKey),
    isValidPublicKey: (publicKey) => isValidSm2PublicKey(publicKey),
    sign: (privateKey, message) => sm2SignWithKey(signingKey(privateKey), message),
    verify: (publicKey, message, signature) => p.sm2Verifier.verify(publicKey, message, signature),
    verifyBatch: (items) => p.sm2Verifier.verifyBatch(items),
    ecdh(privateKey, publicKey) {
      const d = sm2PrivateScalar(privateKey);
      const shared = decodeSm2PublicKey(publicKey).multiply(d);
      if (shared.is0()) throw invalidKey('ECDH produced the point at infinity');
      return bigintTo32Bytes(shared.toAffine().x);
    },
    seal(key, plaintext, aad = new Uint8Array(0)) {
      const { encKey, macKey } = sealKeys(key);
      const iv = p.randomBytes(IV_BYTES);
      const ciphertext = p.sm4Ctr(encKey, iv, plaintext);
      return concatBytes(iv, ciphertext, tag(macKey, aad, iv, ciphertext));
    },
    open(key, sealed, aad = new Uint8Array(0)) {
      const { encKey, macKey } = sealKeys(key);
      if (sealed.length < IV_BYTES + TAG_BYTES) throw authFailed('sealed data is truncated');
      const iv = sealed.subarray(0, IV_BYTES);
      const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
      const expected = tag(macKey, aad, iv, ciphertext);
      if (!constantTimeEqual(expected, sealed.subarray(sealed.length - TAG_BYTES))) {
        throw authFailed('sealed data failed authentication: it was altered, or the key or associated data is wrong');
      }
      return p.sm4Ctr(encKey, iv, ciphertext);
    },
    wrapKey: (recipientPublicKey, secret) => sm2Encrypt(recipientPublicKey, secret, sm2Options),
    unwrapKey: (privateKey, wrapped) => sm2Decrypt(privateKey, wrapped, sm2Options),
  };
}
