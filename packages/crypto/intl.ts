/**
 * The `intl` suite in pure TypeScript (@noble/curves P-256, @noble/hashes SHA-256/HMAC/HKDF, AES-256-GCM from
 * `aes-gcm.ts`) for browsers. Formats are those of `intl-format.ts`, identical to the Node path.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { concatBytes } from '@govchain/base';
import type { CryptoSuite, KeyPair } from './suite.ts';
import { aes256GcmDecrypt, aes256GcmEncrypt } from './aes-gcm.ts';
import { authFailed, invalidKey } from './errors.ts';
import {
  ECIES_INFO,
  GCM_IV_BYTES,
  assertP256PrivateKey,
  eciesSalt,
  splitEciesEnvelope,
  splitGcmSealed,
} from './intl-format.ts';
import { randomBytes } from './random.ts';

function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return false;
  try {
    p256.Point.fromBytes(publicKey);
    return true;
  } catch {
    return false;
  }
}

function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  assertP256PrivateKey(privateKey);
  return p256.getPublicKey(privateKey, false);
}

function ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertP256PrivateKey(privateKey);
  if (!isValidPublicKey(publicKey)) throw invalidKey('ECDH peer key is not a valid P-256 public key');
  return p256.getSharedSecret(privateKey, publicKey, true).subarray(1);
}

function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== 32) throw invalidKey(`AES-256-GCM key must be 32 bytes, got ${key.length}`);
  const iv = randomBytes(GCM_IV_BYTES);
  return concatBytes(iv, aes256GcmEncrypt(key, iv, plaintext, aad));
}

function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== 32) throw invalidKey(`AES-256-GCM key must be 32 bytes, got ${key.length}`);
  const { iv, ciphertext, tag } = splitGcmSealed(sealed);
  const plaintext = aes256GcmDecrypt(key, iv, concatBytes(ciphertext, tag), aad);
  if (plaintext === null) {
    throw authFailed('sealed data failed authentication: it was altered, or the key or associated data is wrong');
  }
  return plaintext;
}

function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || !isValidPublicKey(publicKey)) return false;
  try {
    return p256.verify(signature, message, publicKey, { lowS: true, prehash: true });
  } catch {
    return false;
  }
}

export function createIntlSuite(): CryptoSuite {
  return {
    name: 'intl',
    hash: (data) => sha256(data),
    hmac: (key, data) => hmac(sha256, key, data),
    kdf: (secret, info, length) => hkdf(sha256, secret, new Uint8Array(0), info, length),
    randomBytes,
    generateKeyPair(): KeyPair {
      const privateKey = p256.utils.randomSecretKey();
      return { privateKey, publicKey: p256.getPublicKey(privateKey, false) };
    },
    publicKeyOf,
    isValidPublicKey,
    sign(privateKey, message) {
      assertP256PrivateKey(privateKey);
      return p256.sign(message, privateKey, { lowS: true, prehash: true, extraEntropy: true });
    },
    verify,
    verifyBatch: (items) => items.map((it) => verify(it.publicKey, it.message, it.signature)),
    ecdh,
    seal: (key, plaintext, aad = new Uint8Array(0)) => seal(key, plaintext, aad),
    open: (key, sealed, aad = new Uint8Array(0)) => open(key, sealed, aad),
    wrapKey(recipientPublicKey, secret) {
      if (!isValidPublicKey(recipientPublicKey)) throw invalidKey('wrapKey: recipient key is not a valid P-256 public key');
      const ephemeral = p256.utils.randomSecretKey();
      const ephemeralPublic = p256.getPublicKey(ephemeral, false);
      const shared = ecdh(ephemeral, recipientPublicKey);
      const key = hkdf(sha256, shared, eciesSalt(ephemeralPublic, recipientPublicKey), ECIES_INFO, 32);
      return concatBytes(ephemeralPublic, seal(key, secret, new Uint8Array(0)));
    },
    unwrapKey(privateKey, wrapped) {
      const { ephemeralPublic, sealed } = splitEciesEnvelope(wrapped);
      if (!isValidPublicKey(ephemeralPublic)) throw authFailed('wrapped key is malformed: its ephemeral key is not a P-256 point');
      const shared = ecdh(privateKey, ephemeralPublic);
      const key = hkdf(sha256, shared, eciesSalt(ephemeralPublic, publicKeyOf(privateKey)), ECIES_INFO, 32);
      return open(key, sealed, new Uint8Array(0));
    },
  };
}
