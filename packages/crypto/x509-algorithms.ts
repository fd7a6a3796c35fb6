/**
 * The two certificate profiles and the signature-value encoding at the X.509 boundary.
 *
 *   gm:   SPKI id-ecPublicKey + curve 1.2.156.10197.1.301 (SM2); signature SM2-with-SM3 (1.2.156.10197.1.501),
 *         computed with the default distinguishing ID 1234567812345678 as GM/T 0015 certificates are.
 *   intl: SPKI id-ecPublicKey + prime256v1; signature ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
 *
 * Both signature AlgorithmIdentifiers carry no parameters (RFC 5758 §3.2; OpenSSL writes SM2-with-SM3 the same way).
 * Inside the chain signatures are raw r||s; in a certificate they are the DER ECDSA-Sig-Value SEQUENCE { r, s },
 * which SM2 shares (GB/T 35276).
 */
import { AsnConvert, AsnIntegerArrayBufferConverter, AsnParser, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { bytesEqual } from '@govchain/base';
import type { SuiteName } from './suite.ts';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

export interface CertificateProfile {
  readonly suite: SuiteName;
  readonly curveOid: string;
  readonly signatureOid: string;
  /** The name OpenSSL 3 prints for the signature algorithm, for messages and interop tests. */
  readonly signatureName: string;
  /** Curve order, for the range checks a DER signature must pass before it reaches the suite. */
  readonly curveOrder: bigint;
}

export const CERTIFICATE_PROFILES: Readonly<Record<SuiteName, CertificateProfile>> = {
  gm: {
    suite: 'gm',
    curveOid: '1.2.156.10197.1.301',
    signatureOid: '1.2.156.10197.1.501',
    signatureName: 'SM2-with-SM3',
    curveOrder: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  },
  intl: {
    suite: 'intl',
    curveOid: '1.2.840.10045.3.1.7',
    signatureOid: '1.2.840.10045.4.3.2',
    signatureName: 'ecdsa-with-SHA256',
    curveOrder: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
};

export function profileBySignatureOid(oid: string): CertificateProfile | undefined {
  return Object.values(CERTIFICATE_PROFILES).find((p) => p.signatureOid === oid);
}

export function profileByCurveOid(oid: string): CertificateProfile | undefined {
  return Object.values(CERTIFICATE_PROFILES).find((p) => p.curveOid === oid);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }; schema applied by call because the repo has no decorators. */
class EcdsaSigValue {
  r: ArrayBuffer = new ArrayBuffer(0);
  s: ArrayBuffer = new ArrayBuffer(0);
}
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(EcdsaSigValue.prototype, 'r');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(EcdsaSigValue.prototype, 's');
AsnType({ type: AsnTypeTypes.Sequence })(EcdsaSigValue);

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

function bigintOf(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bytes32Of(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new RangeError(`raw signature must be 64 bytes, got ${raw.length}`);
  const value = new EcdsaSigValue();
  value.r = unsignedToDerInteger(raw.subarray(0, 32)).slice().buffer;
  value.s = unsignedToDerInteger(raw.subarray(32)).slice().buffer;
  return new Uint8Array(AsnConvert.serialize(value));
}

/**
 * Raw r||s from a DER ECDSA-Sig-Value, or undefined unless it is exactly DER with 1 <= r, s < n.
 * For ECDSA (intl) s is folded to the low half: (r, s) and (r, n - s) are the same ECDSA signature, OpenSSL
 * produces either, and the suite accepts only low s. SM2 has no such symmetry, so gm signatures pass unchanged.
 */
export function derToRawSignature(der: Uint8Array, profile: CertificateProfile): Uint8Array | undefined {
  let value: EcdsaSigValue;
  try {
    value = AsnParser.parse(der, EcdsaSigValue);
    if (!bytesEqual(new Uint8Array(AsnConvert.serialize(value)), der)) return undefined;
  } catch {
    return undefined;
  }
  const rBytes = derIntegerToUnsigned(new Uint8Array(value.r));
  const sBytes = derIntegerToUnsigned(new Uint8Array(value.s));
  if (rBytes === undefined || sBytes === undefined) return undefined;
  const n = profile.curveOrder;
  const r = bigintOf(rBytes);
  let s = bigintOf(sBytes);
  if (r < 1n || r >= n || s < 1n || s >= n) return undefined;
  if (profile.suite === 'intl' && s > n / 2n) s = n - s;
  const out = new Uint8Array(64);
  out.set(bytes32Of(r), 0);
  out.set(bytes32Of(s), 32);
  return out;
}
