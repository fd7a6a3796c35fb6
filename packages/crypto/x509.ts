/**
 * Parsed X.509 certificates for both suites (profiles in x509-algorithms.ts) and the check of one signature.
 * Issuing is in x509-issue.ts, chain validation in x509-chain.ts.
 *
 * Parsing is strict so that one certificate has one encoding: the input must be exactly DER (it is re-encoded and
 * compared), extensions only in v3, a known signature algorithm with no parameters and the same one inside and
 * outside the signed part, a subject key of that algorithm's curve (suites are never mixed in one certificate), a
 * positive serial of at most 20 octets, and no duplicate extensions. Anything else, including input that is not
 * ASN.1 at all, is a GovchainError CERT_MALFORMED.
 */
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { Certificate, Version } from '@peculiar/asn1-x509';
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import type { SuiteName } from './suite.ts';
import { getPureSuite } from './pure-suites.ts';
import { publicKeyFromSpki } from './keys.ts';
import { certificateSignatureToRaw, derIntegerToUnsigned, profileBySignatureOid } from './x509-algorithms.ts';
import { readExtensions, type CertificateExtensions } from './x509-extensions.ts';
import { readName, type DistinguishedName } from './x509-name.ts';

export type { CertificateSubject, DistinguishedName, NameAttribute } from './x509-name.ts';
export type { ExtendedKeyUsageName, KeyUsageName, SubjectAltNames } from './x509-extensions.ts';

export const CERT_MALFORMED = 'CERT_MALFORMED';

/** Far above any real certificate (a few KiB with many SANs); bounds parsing work on hostile input. */
export const CERTIFICATE_SIZE_BYTES_MAX = 64 * 1024;
/** RFC 5280 §4.1.2.2: serial numbers are at most 20 octets. */
export const SERIAL_BYTES_MAX = 20;

export interface ParsedCertificate extends CertificateExtensions {
  /** The suite of both the subject key and the issuer's signature. */
  suite: SuiteName;
  /** 3 for everything govchain issues; 1 for extension-less leaves such as `openssl x509 -req` writes. */
  version: number;
  /** Lowercase hex of the unsigned serial, without a sign byte. */
  serialNumber: string;
  signatureAlgorithm: { oid: string; name: string };
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBeforeMs: number;
  notAfterMs: number;
  /** 65-byte uncompressed public key. */
  publicKey: Uint8Array;
  /** The exact signed bytes, as they appear in `der`. */
  tbsBytes: Uint8Array;
  /** Raw r||s, 64 bytes (ECDSA s folded to the low half). */
  signature: Uint8Array;
  der: Uint8Array;
  /**
   * Hex of the suite's hash (SM3 or SHA-256) of the DER. An ECDSA signature (r, s) has a twin (r, n - s) that
   * OpenSSL may have written, so an intl certificate can have two valid encodings; where identity matters, use
   * issuer and serial or the public key, not the fingerprint.
   */
  fingerprint: string;
}

function malformed(message: string, cause?: unknown): GovchainError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new GovchainError(CERT_MALFORMED, 'malformed', `${message}${detail}`);
}

function decodeCertificate(der: Uint8Array): Certificate {
  let cert: Certificate;
  try {
    cert = AsnParser.parse(der, Certificate);
  } catch (err) {
    throw malformed('not an X.509 certificate', err);
  }
  // The ASN.1 library reads BER; re-encoding and comparing admits DER only.
  let reencoded: Uint8Array;
  try {
    reencoded = new Uint8Array(AsnConvert.serialize(cert));
  } catch (err) {
    throw malformed('certificate cannot be re-encoded', err);
  }
  if (!bytesEqual(reencoded, der)) throw malformed('certificate is not DER-encoded');
  return cert;
}

/** Parse a DER certificate; throws GovchainError CERT_MALFORMED for anything that is not one we can check. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (!(der instanceof Uint8Array) || der.length === 0 || der.length > CERTIFICATE_SIZE_BYTES_MAX) {
    throw malformed(`certificate must be 1 to ${CERTIFICATE_SIZE_BYTES_MAX} bytes of DER`);
  }
  const cert = decodeCertificate(der);
  try {
    return readCertificate(cert, der);
  } catch (err) {
    if (err instanceof GovchainError) throw err;
    throw malformed('certificate content is invalid', err);
  }
}

function readCertificate(cert: Certificate, der: Uint8Array): ParsedCertificate {
  const tbs = cert.tbsCertificate;
  // v1 is what `openssl x509 -req` writes without an extension file; having no basicConstraints, such a
  // certificate can only ever be a leaf here.
  if (tbs.version !== Version.v1 && tbs.version !== Version.v2 && tbs.version !== Version.v3) throw malformed(`unknown version ${tbs.version}`);
  if (tbs.extensions !== undefined && tbs.version !== Version.v3) throw malformed('extensions in a certificate that is not v3');
  if ((tbs.issuerUniqueID !== undefined || tbs.subjectUniqueID !== undefined) && tbs.version === Version.v1) {
    throw malformed('unique identifiers in a v1 certificate');
  }

  const outer = cert.signatureAlgorithm;
  const profile = profileBySignatureOid(outer.algorithm);
  if (profile === undefined) throw malformed(`unsupported signature algorithm ${outer.algorithm}`);
  if (outer.parameters !== undefined) throw malformed(`${profile.signatureName} must have no parameters`);
  // RFC 5280 §4.1.1.2: the signed and the unsigned algorithm fields must match, or a signature could be re-labelled.
  if (tbs.signature.algorithm !== outer.algorithm || tbs.signature.parameters !== undefined) {
    throw malformed('signature algorithm inside the signed part differs from the outer one');
  }

  // One suite per certificate: a key of the other curve (or any other key type) under this signature is refused.
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromSpki(new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)), profile.keyCurve);
  } catch (err) {
    throw malformed(`public key does not fit ${profile.signatureName}`, err);
  }
  const suite = getPureSuite(profile.suite);

  const serial = derIntegerToUnsigned(new Uint8Array(tbs.serialNumber));
  if (serial === undefined || tbs.serialNumber.byteLength > SERIAL_BYTES_MAX) {
    throw malformed('serial number must be a positive, minimally encoded integer of at most 20 octets');
  }
  const signature = certificateSignatureToRaw(new Uint8Array(cert.signatureValue), profile);
  if (signature === undefined) throw malformed('signature value is not a DER ECDSA-Sig-Value with 1 <= r, s < n');
  if (cert.tbsCertificateRaw === undefined) throw malformed('signed part not found');

  return {
    suite: profile.suite,
    version: tbs.version + 1,
    serialNumber: toHex(serial),
    signatureAlgorithm: { oid: profile.signatureOid, name: profile.signatureName },
    issuer: readName(tbs.issuer),
    subject: readName(tbs.subject),
    notBeforeMs: tbs.validity.notBefore.getTime().getTime(),
    notAfterMs: tbs.validity.notAfter.getTime().getTime(),
    publicKey,
    ...readExtensions(tbs.extensions ?? []),
    tbsBytes: new Uint8Array(cert.tbsCertificateRaw),
    signature,
    der: der.slice(),
    fingerprint: toHex(suite.hash(der)),
  };
}

/** Checks one signature of a suite; a node passes its native verifier, browsers keep the pure TypeScript one. */
export type SignatureVerifier = (suite: SuiteName, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export const pureSignatureVerifier: SignatureVerifier = (suite, publicKey, message, signature) =>
  getPureSuite(suite).verify(publicKey, message, signature);

/** True iff `cert` was signed by the holder of `issuerPublicKey` (gm: SM2 with the default ID). */
export function verifyCertificateSignature(cert: ParsedCertificate, issuerPublicKey: Uint8Array, verify: SignatureVerifier = pureSignatureVerifier): boolean {
  return verify(cert.suite, issuerPublicKey, cert.tbsBytes, cert.signature);
}
