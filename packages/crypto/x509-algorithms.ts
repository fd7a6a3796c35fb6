/**
 * The two certificate profiles and the signature-value rules at the X.509 boundary.
 *
 *   gm:   SPKI id-ecPublicKey + curve 1.2.156.10197.1.301 (SM2); signature SM2-with-SM3 (1.2.156.10197.1.501),
 *         computed with the default distinguishing ID 1234567812345678 as GM/T 0015 certificates are.
 *   intl: SPKI id-ecPublicKey + prime256v1; signature ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
 *
 * Both signature AlgorithmIdentifiers carry no parameters (RFC 5758 §3.2; OpenSSL writes SM2-with-SM3 the same way).
 * Signature values are the DER SEQUENCE { r, s } that SM2 and ECDSA share (sig-der.ts); keys are SPKI (keys.ts).
 */
import type { SuiteName } from './suite.ts';
import type { KeyCurve } from './keys.ts';
import { signatureFromDer } from './sig-der.ts';
import { SM2_CURVE, bytesToBigint } from './sm2-curve.ts';
import { P256_N, normalizeLowS } from './intl-format.ts';

export interface CertificateProfile {
  readonly suite: SuiteName;
  readonly keyCurve: KeyCurve;
  readonly signatureOid: string;
  /** The name OpenSSL 3 prints for the signature algorithm, for messages and interop tests. */
  readonly signatureName: string;
  /** Curve order, for the range check a signature must pass before it reaches the suite. */
  readonly curveOrder: bigint;
}

export const CERTIFICATE_PROFILES: Readonly<Record<SuiteName, CertificateProfile>> = {
  gm: { suite: 'gm', keyCurve: 'sm2', signatureOid: '1.2.156.10197.1.501', signatureName: 'SM2-with-SM3', curveOrder: SM2_CURVE.n },
  intl: { suite: 'intl', keyCurve: 'p256', signatureOid: '1.2.840.10045.4.3.2', signatureName: 'ecdsa-with-SHA256', curveOrder: P256_N },
};

export function profileBySignatureOid(oid: string): CertificateProfile | undefined {
  return Object.values(CERTIFICATE_PROFILES).find((p) => p.signatureOid === oid);
}

/** Minimal two's-complement INTEGER content for a non-negative magnitude: no leading zeros, a 0x00 if the top bit is set. */
export function unsignedToDerInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  if (trimmed.length === 0) return new Uint8Array([0]);
  if (trimmed[0]! < 0x80) return trimmed.slice();
  const out = new Uint8Array(trimmed.length + 1);
  out.set(trimmed, 1);
  return out;
}

/**
 * The magnitude of a DER INTEGER's content, or undefined when it is negative or not minimally encoded (DER allows
 * exactly one encoding, and a second one would give one certificate two fingerprints).
 */
export function derIntegerToUnsigned(content: Uint8Array): Uint8Array | undefined {
  if (content.length === 0 || content[0]! >= 0x80) return undefined;
  if (content.length > 1 && content[0] === 0 && content[1]! < 0x80) return undefined;
  return content[0] === 0 && content.length > 1 ? content.slice(1) : content.slice();
}

/**
 * Raw r||s from a certificate's signature value, or undefined unless it is strict DER with 1 <= r, s < n.
 * For ECDSA (intl) s is folded to the low half: (r, s) and (r, n - s) are the same ECDSA signature, OpenSSL
 * produces either, and the suite accepts only low s. SM2 has no such symmetry, so gm signatures pass unchanged.
 */
export function certificateSignatureToRaw(der: Uint8Array, profile: CertificateProfile): Uint8Array | undefined {
  let raw: Uint8Array;
  try {
    raw = signatureFromDer(der);
  } catch {
    return undefined;
  }
  const r = bytesToBigint(raw.subarray(0, 32));
  const s = bytesToBigint(raw.subarray(32));
  const n = profile.curveOrder;
  if (r < 1n || r >= n || s < 1n || s >= n) return undefined;
  return profile.suite === 'intl' ? normalizeLowS(raw) : raw;
}
