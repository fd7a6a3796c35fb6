/**
 * The `intl` suite on Node's OpenSSL: SHA-256, HKDF-SHA-256, ECDSA P-256 (raw r||s, low-s), ECDH P-256,
 * AES-256-GCM and ECIES over P-256. Byte formats are defined once in `intl-format.ts` and shared with the
 * pure path (`intl.ts`), and tests check each path opens what the other sealed.
 */
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { concatBytes } from '@govchain/base';
import type { CryptoSuite, KeyPair } from './suite.ts';
import { LruCache } from './lru.ts';
import { authFailed, invalidKey } from './errors.ts';
import {
  ECIES_INFO,
  GCM_IV_BYTES,
  GCM_TAG_BYTES,
  P256_HALF_N,
  P256_N,
  assertP256PrivateKey,
  eciesSalt,
  normalizeLowS,
  splitEciesEnvelope,
  splitGcmSealed,
} from './intl-format.ts';
import { bytesToBigint } from './sm2-curve.ts';

function view(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

function leftPad32(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 32) return bytes;
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

function p256PublicKeyOf(privateKey: Uint8Array): Uint8Array {
  assertP256PrivateKey(privateKey);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return view(ecdh.getPublicKey());
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw invalidKey('P-256 public key must be 65 bytes 04||x||y');
  try {
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b64url(publicKey.subarray(1, 33)), y: b64url(publicKey.subarray(33)) },
      format: 'jwk',
    });
  } catch {
    throw invalidKey('P-256 public key is not a point on the curve');
  }
}

function sha256(data: Uint8Array): Uint8Array {
  return view(createHash('sha256').update(data).digest());
}

function gcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== 32) throw invalidKey(`AES-256-GCM key must be 32 bytes, got ${key.length}`);
  const iv = randomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return concatBytes(iv, body, cipher.getAuthTag());
}

function gcmOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== 32) throw invalidKey(`AES-256-GCM key must be 32 bytes, got ${key.length}`);
  const { iv, ciphertext, tag } = splitGcmSealed(sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return view(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw authFailed('sealed data failed authentication: it was altered, or the key or associated data is wrong');
  }
}

function ecdhX(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertP256PrivateKey(privateKey);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  try {
    return view(ecdh.computeSecret(publicKey));
  } catch {
    throw invalidKey('ECDH peer key is not a valid P-256 public key');
  }
}

function hkdf(secret: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, salt, info, length));
}

export function createNodeIntlSuite(): CryptoSuite {
  // Signing keys are few (a node's own key) and importing one costs more than the signature itself.
  const signingKeys = new LruCache<string, KeyObject>(16);
  const verifyKeys = new LruCache<string, KeyObject>(1024);

  function signingKey(privateKey: Uint8Array): KeyObject {
    // Indexed by a digest so that private key bytes are not kept as map keys.
    const id = Buffer.from(sha256(privateKey)).toString('hex');
    let key = signingKeys.get(id);
    if (key === undefined) {
      const publicKey = p256PublicKeyOf(privateKey);
      key = createPrivateKey({
        key: {
          kty: 'EC',
          crv: 'P-256',
          d: b64url(privateKey),
          x: b64url(publicKey.subarray(1, 33)),
          y: b64url(publicKey.subarray(33)),
        },
        format: 'jwk',
      });
      signingKeys.set(id, key);
    }
    return key;
  }

  function verifyKey(publicKey: Uint8Array): KeyObject | null {
    if (publicKey.length !== 65) return null;
    const id = Buffer.from(publicKey).toString('latin1');
    let key = verifyKeys.get(id);
    if (key === undefined) {
      try {
        key = publicKeyObject(publicKey);
      } catch {
        return null;
      }
      verifyKeys.set(id, key);
    }
    return key;
  }

  function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    const r = bytesToBigint(signature.subarray(0, 32));
    const s = bytesToBigint(signature.subarray(32));
    if (r < 1n || r >= P256_N || s < 1n || s > P256_HALF_N) return false;
    const key = verifyKey(publicKey);
    if (key === null) return false;
    return nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  }

  return {
    name: 'intl',
    hash: sha256,
    hmac: (key, data) => view(createHmac('sha256', key).update(data).digest()),
    kdf: (secret, info, length) => hkdf(secret, new Uint8Array(0), info, length),
    randomBytes: (length) => view(randomBytes(length)),
    generateKeyPair(): KeyPair {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      return { privateKey: leftPad32(view(ecdh.getPrivateKey())), publicKey: view(ecdh.getPublicKey()) };
    },
    publicKeyOf: p256PublicKeyOf,
    isValidPublicKey(publicKey) {
      try {
        publicKeyObject(publicKey);
        return true;
      } catch {
        return false;
      }
    },
    sign(privateKey, message) {
      const raw = nodeSign('sha256', message, { key: signingKey(privateKey), dsaEncoding: 'ieee-p1363' });
      return normalizeLowS(view(raw));
    },
    verify,
    verifyBatch: (items) => items.map((it) => verify(it.publicKey, it.message, it.signature)),
    ecdh: ecdhX,
    seal: (key, plaintext, aad = new Uint8Array(0)) => gcmSeal(key, plaintext, aad),
    open: (key, sealed, aad = new Uint8Array(0)) => gcmOpen(key, sealed, aad),
    wrapKey(recipientPublicKey, secret) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const ephemeralPublic = view(ecdh.getPublicKey());
      let shared: Uint8Array;
      try {
        shared = view(ecdh.computeSecret(recipientPublicKey));
      } catch {
        throw invalidKey('wrapKey: recipient key is not a valid P-256 public key');
      }
      const key = hkdf(shared, eciesSalt(ephemeralPublic, recipientPublicKey), ECIES_INFO, 32);
      return concatBytes(ephemeralPublic, gcmSeal(key, secret, new Uint8Array(0)));
    },
    unwrapKey(privateKey, wrapped) {
      const { ephemeralPublic, sealed } = splitEciesEnvelope(wrapped);
      const recipientPublic = p256PublicKeyOf(privateKey);
      let shared: Uint8Array;
      try {
        shared = ecdhX(privateKey, ephemeralPublic);
      } catch {
        throw authFailed('wrapped key is malformed: its ephemeral key is not a P-256 point');
      }
      const key = hkdf(shared, eciesSalt(ephemeralPublic, recipientPublic), ECIES_INFO, 32);
      return gcmOpen(key, sealed, new Uint8Array(0));
    },
  };
}
