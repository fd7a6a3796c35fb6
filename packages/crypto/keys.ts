/**
 * Key encodings at the OpenSSL / X.509 boundary: SubjectPublicKeyInfo (RFC 5480) and PKCS#8 (RFC 5208 wrapping
 * an RFC 5915 ECPrivateKey), DER and PEM. SM2 keys use id-ecPublicKey with the SM2 curve OID
 * 1.2.156.10197.1.301, byte-for-byte what `openssl genpkey -algorithm SM2` writes; P-256 keys the same shape
 * with prime256v1. Inside the chain keys stay raw (32-byte scalar, 65-byte point).
 */
import { p256 } from '@noble/curves/nist.js';
import { bytesEqual } from '@govchain/base';
import { DerReader, contextTag, derBitString, derOctetString, derOid, derSequence, derSmallInteger, derTlv, fixedWidth } from './der.ts';
import { invalidKey, malformedEncoding } from './errors.ts';
import { isValidSm2PublicKey, sm2PrivateScalar, sm2PublicKeyOf } from './sm2.ts';

export type KeyCurve = 'sm2' | 'p256';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_SM2_CURVE = '1.2.156.10197.1.301';
export const OID_P256_CURVE = '1.2.840.10045.3.1.7';

const CURVE_OID: Record<KeyCurve, string> = { sm2: OID_SM2_CURVE, p256: OID_P256_CURVE };

function algorithmIdentifier(curve: KeyCurve): Uint8Array {
  return derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(CURVE_OID[curve]));
}

function isValidPoint(publicKey: Uint8Array, curve: KeyCurve): boolean {
  if (curve === 'sm2') return isValidSm2PublicKey(publicKey);
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return false;
  try {
    p256.Point.fromBytes(publicKey);
    return true;
  } catch {
    return false;
  }
}

function publicKeyOf(privateKey: Uint8Array, curve: KeyCurve): Uint8Array {
  if (curve === 'sm2') return sm2PublicKeyOf(privateKey);
  if (!p256.utils.isValidSecretKey(privateKey)) throw invalidKey('P-256 private key is out of range');
  return p256.getPublicKey(privateKey, false);
}

function assertPublicKey(publicKey: Uint8Array, curve: KeyCurve): void {
  if (!isValidPoint(publicKey, curve)) throw invalidKey(`not a valid uncompressed ${curve} public key`);
}

function readAlgorithm(reader: DerReader, curve: KeyCurve, what: string): void {
  const alg = reader.readSequence(`${what} algorithm`);
  const keyType = alg.readOidTlv();
  const params = alg.readOidTlv();
  alg.end();
  if (!bytesEqual(keyType, derOid(OID_EC_PUBLIC_KEY))) throw malformedEncoding(`${what}: not an EC key (id-ecPublicKey)`);
  if (!bytesEqual(params, derOid(CURVE_OID[curve]))) {
    throw malformedEncoding(`${what}: key is not on the ${curve} curve (expected OID ${CURVE_OID[curve]})`);
  }
}

/** 65-byte public key → DER SubjectPublicKeyInfo. */
export function publicKeyToSpki(publicKey: Uint8Array, curve: KeyCurve = 'sm2'): Uint8Array {
  assertPublicKey(publicKey, curve);
  return derSequence(algorithmIdentifier(curve), derBitString(publicKey));
}

/** DER SubjectPublicKeyInfo → 65-byte public key; refuses other curves and points not on the curve. */
export function publicKeyFromSpki(spki: Uint8Array, curve: KeyCurve = 'sm2'): Uint8Array {
  const outer = new DerReader(spki, 'SubjectPublicKeyInfo');
  const seq = outer.readSequence('SubjectPublicKeyInfo');
  outer.end();
  readAlgorithm(seq, curve, 'SubjectPublicKeyInfo');
  const point = seq.readBitString();
  seq.end();
  assertPublicKey(point, curve);
  return point.slice();
}

/** 32-byte private key → DER PKCS#8 (the public key is embedded, as OpenSSL does). */
export function privateKeyToPkcs8(privateKey: Uint8Array, curve: KeyCurve = 'sm2'): Uint8Array {
  const publicKey = publicKeyOf(privateKey, curve);
  const ecPrivateKey = derSequence(
    derSmallInteger(1),
    derOctetString(privateKey),
    derTlv(contextTag(1), derBitString(publicKey)),
  );
  return derSequence(derSmallInteger(0), algorithmIdentifier(curve), derOctetString(ecPrivateKey));
}

/** DER PKCS#8 → raw key pair. An embedded public key must match the private key. */
export function privateKeyFromPkcs8(
  pkcs8: Uint8Array,
  curve: KeyCurve = 'sm2',
): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const outer = new DerReader(pkcs8, 'PKCS#8 private key');
  const seq = outer.readSequence('PKCS#8 private key');
  outer.end();
  const version = seq.readUnsignedInteger();
  if (version.length !== 1 || version[0] !== 0) throw malformedEncoding('PKCS#8: unsupported version');
  readAlgorithm(seq, curve, 'PKCS#8');
  const ecOuter = new DerReader(seq.readOctetString(), 'ECPrivateKey');
  seq.end();
  const ec = ecOuter.readSequence('ECPrivateKey');
  ecOuter.end();
  const ecVersion = ec.readUnsignedInteger();
  if (ecVersion.length !== 1 || ecVersion[0] !== 1) throw malformedEncoding('ECPrivateKey: version must be 1');
  const scalar = fixedWidth(ec.readOctetString(), 32);
  if (scalar === null) throw malformedEncoding('ECPrivateKey: private key longer than 32 bytes');
  if (ec.peekTag() === contextTag(0)) {
    const params = new DerReader(ec.read(contextTag(0)), 'ECPrivateKey parameters');
    if (!bytesEqual(params.readOidTlv(), derOid(CURVE_OID[curve]))) {
      throw malformedEncoding(`ECPrivateKey: parameters name a curve other than ${curve}`);
    }
    params.end();
  }
  if (curve === 'sm2') sm2PrivateScalar(scalar);
  const publicKey = publicKeyOf(scalar, curve);
  if (ec.peekTag() === contextTag(1)) {
    const embedded = new DerReader(ec.read(contextTag(1)), 'ECPrivateKey public key');
    const point = embedded.readBitString();
    embedded.end();
    if (!bytesEqual(point, publicKey)) throw invalidKey('PKCS#8: embedded public key does not match the private key');
  }
  ec.end();
  return { privateKey: scalar, publicKey };
}

function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64Decode(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw malformedEncoding('PEM body is not valid base64');
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** DER → PEM with 64-character lines, e.g. label 'PUBLIC KEY', 'PRIVATE KEY', 'CERTIFICATE'. */
export function toPem(der: Uint8Array, label: string): string {
  const body = base64Encode(der).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with this label; throws CRYPTO_MALFORMED if there is none. */
export function fromPem(pem: string, label: string): Uint8Array {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`-----BEGIN ${escaped}-----([A-Za-z0-9+/=\\s]*)-----END ${escaped}-----`).exec(pem);
  if (m === null) throw malformedEncoding(`no "${label}" PEM block found`);
  return base64Decode(m[1]!.replace(/\s+/g, ''));
}

export function publicKeyToPem(publicKey: Uint8Array, curve: KeyCurve = 'sm2'): string {
  return toPem(publicKeyToSpki(publicKey, curve), 'PUBLIC KEY');
}

export function publicKeyFromPem(pem: string, curve: KeyCurve = 'sm2'): Uint8Array {
  return publicKeyFromSpki(fromPem(pem, 'PUBLIC KEY'), curve);
}

export function privateKeyToPem(privateKey: Uint8Array, curve: KeyCurve = 'sm2'): string {
  return toPem(privateKeyToPkcs8(privateKey, curve), 'PRIVATE KEY');
}

export function privateKeyFromPem(pem: string, curve: KeyCurve = 'sm2'): { privateKey: Uint8Array; publicKey: Uint8Array } {
  return privateKeyFromPkcs8(fromPem(pem, 'PRIVATE KEY'), curve);
}
