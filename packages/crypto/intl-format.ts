/**
 * Byte formats of the `intl` suite, shared by the Node (`intl.node.ts`) and pure (`intl.ts`) paths so both
 * produce and accept exactly the same bytes.
 *
 *   signature  ECDSA P-256 over SHA-256(message), raw r || s, s ≤ n/2 (low-s; high-s is refused, not fixed up)
 *   kdf        HKDF-SHA-256(ikm = secret, salt = empty, info, length)
 *   seal       iv (12, random) || AES-256-GCM ciphertext || tag (16); aad is GCM associated data
 *   wrapKey    ECIES: ephemeral P-256 key e; k = HKDF-SHA-256(ikm = x(e·R), salt = E || R,
 *              info = "govchain/intl/ecies/v1", 32); output E (65) || seal(k, secret) with empty aad,
 *              where E and R are the ephemeral and recipient public keys (65-byte uncompressed)
 */
import { concatBytes, utf8 } from '@govchain/base';
import { authFailed, invalidKey } from './errors.ts';
import { bigintTo32Bytes, bytesToBigint } from './sm2-curve.ts';

export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const P256_HALF_N = P256_N >> 1n;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;
export const ECIES_INFO = utf8('govchain/intl/ecies/v1');
const POINT_BYTES = 65;

export function assertP256PrivateKey(privateKey: Uint8Array): void {
  if (privateKey.length !== 32) throw invalidKey(`P-256 private key must be 32 bytes, got ${privateKey.length}`);
  const d = bytesToBigint(privateKey);
  if (d < 1n || d >= P256_N) throw invalidKey('P-256 private key is out of range [1, n-1]');
}

/** Replaces s by n − s when s is in the upper half, so every signature has the one canonical form. */
export function normalizeLowS(signature: Uint8Array): Uint8Array {
  const s = bytesToBigint(signature.subarray(32));
  if (s <= P256_HALF_N) return signature;
  return concatBytes(signature.subarray(0, 32), bigintTo32Bytes(P256_N - s));
}

export function eciesSalt(ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array {
  return concatBytes(ephemeralPublic, recipientPublic);
}

export function splitGcmSealed(sealed: Uint8Array): { iv: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array } {
  if (sealed.length < GCM_IV_BYTES + GCM_TAG_BYTES) throw authFailed('sealed data is truncated');
  return {
    iv: sealed.subarray(0, GCM_IV_BYTES),
    ciphertext: sealed.subarray(GCM_IV_BYTES, sealed.length - GCM_TAG_BYTES),
    tag: sealed.subarray(sealed.length - GCM_TAG_BYTES),
  };
}

export function splitEciesEnvelope(wrapped: Uint8Array): { ephemeralPublic: Uint8Array; sealed: Uint8Array } {
  if (wrapped.length < POINT_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES) throw authFailed('wrapped key is truncated');
  return { ephemeralPublic: wrapped.subarray(0, POINT_BYTES), sealed: wrapped.subarray(POINT_BYTES) };
}
