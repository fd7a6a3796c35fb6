/**
 * X.509 v3 certificates for both suites (profiles in x509-algorithms.ts): issue, parse, check one signature.
 * Chain building and validation live in x509-chain.ts.
 *
 * Parsing is strict so that one certificate has one encoding and one fingerprint: the input must be exactly DER
 * (it is re-encoded and compared), with extensions only in v3, with a known profile whose key curve and signature algorithm belong to the
 * same suite, a positive serial of at most 20 octets, a 65-byte public key on the curve and no duplicate
 * extensions. Anything else, including input that is not ASN.1 at all, is a GovchainError CERT_MALFORMED.
 */
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AuthorityKeyIdentifier, BasicConstraints, Certificate, ExtendedKeyUsage, Extension, Extensions,
  GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name, SubjectAlternativeName, SubjectKeyIdentifier,
  SubjectPublicKeyInfo, TBSCertificate, Validity, Version, id_ce_authorityKeyIdentifier, id_ce_basicConstraints,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { GovchainError, bytesEqual, fromHex, isHex, toHex } from '@govchain/base';
import type { SuiteName } from './suite.ts';
import { getPureSuite } from './pure-suites.ts';
import { publicKeyFromSpki, publicKeyToSpki } from './keys.ts';
import { signatureToDer } from './sig-der.ts';
import {
  CERTIFICATE_PROFILES, certificateSignatureToRaw, derIntegerToUnsigned, profileBySignatureOid, unsignedToDerInteger,
} from './x509-algorithms.ts';
import { buildName, readName, type CertificateSubject, type DistinguishedName } from './x509-name.ts';

export type { CertificateSubject, DistinguishedName, NameAttribute } from './x509-name.ts';

export const CERT_MALFORMED = 'CERT_MALFORMED';

/** Far above any real certificate (a few KiB with many SANs); bounds parsing work on hostile input. */
export const CERTIFICATE_SIZE_BYTES_MAX = 64 * 1024;
/** RFC 5280 §4.1.2.2: serial numbers are at most 20 octets. */
const SERIAL_BYTES_MAX = 20;
/** Key identifiers are the first 20 bytes of the suite's hash of the raw public key (RFC 7093 §2, method 1 shape). */
const KEY_ID_BYTES = 20;

export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

const KEY_USAGE_NAMES: readonly KeyUsageName[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign',
  'cRLSign', 'encipherOnly', 'decipherOnly',
];

const EKU_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;

export type ExtendedKeyUsageName = keyof typeof EKU_OIDS;

export interface SubjectAltNames {
  dns?: string[];
  /** IPv4 dotted quads or IPv6 text. */
  ip?: string[];
}

export interface IssueCertificateInput {
  suite: SuiteName;
  issuerPrivateKey: Uint8Array;
  /** The issuer's certificate; absent for a self-signed certificate, whose key must then be the subject key. */
  issuerCertificate?: ParsedCertificate;
  subject: CertificateSubject;
  /** 65-byte uncompressed public key. */
  subjectPublicKey: Uint8Array;
  /** Unsigned big-endian hex, 1 to 20 bytes, not zero (e.g. 16 random bytes). */
  serialNumber: string;
  /** Validity bounds; X.509 stores whole seconds, so milliseconds are dropped. */
  notBeforeMs: number;
  notAfterMs: number;
  isCA: boolean;
  /** CAs only: how many CA certificates may follow this one below it; absent means no limit. */
  pathLength?: number;
  keyUsage: KeyUsageName[];
  extendedKeyUsage?: ExtendedKeyUsageName[];
  subjectAltNames?: SubjectAltNames;
  /** Defaults to the first 20 bytes of the suite hash of the subject public key. */
  subjectKeyId?: Uint8Array;
}

export interface ParsedCertificate {
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
  isCA: boolean;
  /** undefined: no path length constraint. */
  pathLength: number | undefined;
  /** undefined: no keyUsage extension, so the key is not restricted by it. */
  keyUsage: KeyUsageName[] | undefined;
  /** Names for the purposes above, dotted OIDs for others; undefined when the extension is absent. */
  extendedKeyUsage: string[] | undefined;
  /** DNS and IP entries; other kinds of alternative names are not reported. */
  subjectAltNames: { dns: string[]; ip: string[] };
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** OIDs of critical extensions this module does not understand; chain validation refuses such certificates. */
  unknownCriticalExtensions: string[];
  /** The exact signed bytes, as they appear in `der`. */
  tbsBytes: Uint8Array;
  /** Raw r||s, 64 bytes (ECDSA s folded to the low half). */
  signature: Uint8Array;
  der: Uint8Array;
  /** Hex of the suite's hash (SM3 or SHA-256) of the DER. */
  fingerprint: string;
}

function malformed(message: string, cause?: unknown): GovchainError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new GovchainError(CERT_MALFORMED, 'malformed', `${message}${detail}`);
}

function badInput(message: string): GovchainError {
  return new GovchainError('CERT_BAD_INPUT', 'malformed', message);
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

export function keyIdentifierOf(suite: SuiteName, publicKey: Uint8Array): Uint8Array {
  return getPureSuite(suite).hash(publicKey).slice(0, KEY_ID_BYTES);
}

// ---------------------------------------------------------------------------------------------------------------
// Issuing

const IPV4_RE = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_RE = /^[0-9a-fA-F:]{2,39}$/;
const DNS_RE = /^(?:\*\.)?(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

function altNameEntries(names: SubjectAltNames): GeneralName[] {
  const out: GeneralName[] = [];
  for (const dns of names.dns ?? []) {
    if (dns.length > 253 || !DNS_RE.test(dns)) throw badInput(`"${dns}" is not a DNS name`);
    out.push(new GeneralName({ dNSName: dns }));
  }
  for (const ip of names.ip ?? []) {
    if (!IPV4_RE.test(ip) && !(IPV6_RE.test(ip) && ip.includes(':'))) throw badInput(`"${ip}" is not an IP address`);
    out.push(new GeneralName({ iPAddress: ip }));
  }
  return out;
}

function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function checkIssueInput(input: IssueCertificateInput): void {
  const suite = getPureSuite(input.suite);
  if (!suite.isValidPublicKey(input.subjectPublicKey)) throw badInput('subjectPublicKey is not a valid public key of the suite');
  const signerKey = suite.publicKeyOf(input.issuerPrivateKey);
  const issuer = input.issuerCertificate;
  if (issuer === undefined) {
    // Self-signed: a mismatch would produce a certificate nobody can verify.
    if (!bytesEqual(signerKey, input.subjectPublicKey)) throw badInput('self-signed certificate: issuerPrivateKey does not match subjectPublicKey');
  } else {
    if (issuer.suite !== input.suite) throw badInput(`issuer certificate is ${issuer.suite}, not ${input.suite}`);
    if (!bytesEqual(signerKey, issuer.publicKey)) throw badInput(`issuerPrivateKey does not match the key of ${issuer.subject.text}`);
    if (!issuer.isCA) throw badInput(`${issuer.subject.text} is not a CA certificate`);
  }
  if (!isHex(input.serialNumber) || /^0*$/.test(input.serialNumber) || unsignedToDerInteger(fromHex(input.serialNumber)).length > SERIAL_BYTES_MAX) {
    throw badInput('serialNumber must be non-zero hex that encodes in at most 20 octets (19 if the top bit is set)');
  }
  if (!Number.isSafeInteger(input.notBeforeMs) || !Number.isSafeInteger(input.notAfterMs) || input.notBeforeMs >= input.notAfterMs) {
    throw badInput('notBeforeMs must be before notAfterMs');
  }
  if (input.keyUsage.length === 0) throw badInput('keyUsage must name at least one usage');
  // RFC 5280 §4.2.1.3/§4.2.1.9: keyCertSign goes with cA = true, and a CA needs keyCertSign to be of use.
  if (input.isCA !== input.keyUsage.includes('keyCertSign')) throw badInput('keyCertSign must be set exactly when isCA is true');
  if (input.pathLength !== undefined && (!input.isCA || !Number.isSafeInteger(input.pathLength) || input.pathLength < 0)) {
    throw badInput('pathLength is a non-negative integer and only for CA certificates');
  }
}

/** Issue a certificate; returns its DER. */
export function issueCertificate(input: IssueCertificateInput): Uint8Array {
  checkIssueInput(input);
  const profile = CERTIFICATE_PROFILES[input.suite];
  const suite = getPureSuite(input.suite);
  const subjectName = buildName(input.subject);
  const issuerName = input.issuerCertificate === undefined
    ? subjectName
    : AsnConvert.parse(input.issuerCertificate.subject.der, Name);
  const subjectKeyId = input.subjectKeyId ?? keyIdentifierOf(input.suite, input.subjectPublicKey);
  const authorityKeyId = input.issuerCertificate === undefined
    ? subjectKeyId
    : input.issuerCertificate.subjectKeyId ?? keyIdentifierOf(input.suite, input.issuerCertificate.publicKey);

  let keyUsageFlags = 0;
  for (const name of new Set(input.keyUsage)) keyUsageFlags |= KeyUsageFlags[name];
  const extensions = [
    extension(id_ce_basicConstraints, true, new BasicConstraints(
      input.pathLength === undefined ? { cA: input.isCA } : { cA: true, pathLenConstraint: input.pathLength },
    )),
    extension(id_ce_keyUsage, true, new KeyUsage(keyUsageFlags)),
  ];
  if (input.extendedKeyUsage !== undefined && input.extendedKeyUsage.length > 0) {
    extensions.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage(input.extendedKeyUsage.map((n) => EKU_OIDS[n]))));
  }
  const altNames = altNameEntries(input.subjectAltNames ?? {});
  if (altNames.length > 0) extensions.push(extension(id_ce_subjectAltName, false, new SubjectAlternativeName(altNames)));
  extensions.push(extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyId)));
  extensions.push(extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(authorityKeyId) })));

  const signatureAlgorithm = new AlgorithmIdentifier({ algorithm: profile.signatureOid });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBufferOf(unsignedToDerInteger(fromHex(input.serialNumber))),
    signature: signatureAlgorithm,
    issuer: issuerName,
    validity: new Validity({ notBefore: new Date(input.notBeforeMs), notAfter: new Date(input.notAfterMs) }),
    subject: subjectName,
    subjectPublicKeyInfo: AsnConvert.parse(publicKeyToSpki(input.subjectPublicKey, profile.keyCurve), SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const tbsBytes = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = signatureToDer(suite.sign(input.issuerPrivateKey, tbsBytes));
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm, signatureValue: arrayBufferOf(signature) });
  const der = new Uint8Array(AsnConvert.serialize(cert));
  // Postcondition: what we issue parses and verifies, so a signing fault never leaves this function as a certificate.
  if (!verifyCertificateSignature(parseCertificate(der), suite.publicKeyOf(input.issuerPrivateKey))) {
    throw new GovchainError('CERT_ISSUE_FAILED', 'internal', 'the issued certificate does not verify with the issuer key');
  }
  return der;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

interface ReadExtensions {
  isCA: boolean;
  pathLength: number | undefined;
  keyUsage: KeyUsageName[] | undefined;
  extendedKeyUsage: string[] | undefined;
  subjectAltNames: { dns: string[]; ip: string[] };
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  unknownCriticalExtensions: string[];
}

const EKU_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EKU_OIDS).map(([name, oid]) => [oid, name]));

function readExtensions(extensions: readonly Extension[]): ReadExtensions {
  const out: ReadExtensions = {
    isCA: false, pathLength: undefined, keyUsage: undefined, extendedKeyUsage: undefined,
    subjectAltNames: { dns: [], ip: [] }, subjectKeyId: undefined, authorityKeyId: undefined, unknownCriticalExtensions: [],
  };
  const seen = new Set<string>();
  for (const ext of extensions) {
    // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
    if (seen.has(ext.extnID)) throw malformed(`extension ${ext.extnID} appears twice`);
    seen.add(ext.extnID);
    const value = ext.extnValue.buffer;
    switch (ext.extnID) {
      case id_ce_basicConstraints: {
        const bc = AsnConvert.parse(value, BasicConstraints);
        out.isCA = bc.cA;
        if (bc.pathLenConstraint !== undefined) {
          if (!bc.cA || !Number.isSafeInteger(bc.pathLenConstraint) || bc.pathLenConstraint < 0) throw malformed('invalid pathLenConstraint');
          out.pathLength = bc.pathLenConstraint;
        }
        break;
      }
      case id_ce_keyUsage: {
        const flags = AsnConvert.parse(value, KeyUsage).toNumber();
        out.keyUsage = KEY_USAGE_NAMES.filter((name) => (flags & KeyUsageFlags[name]) !== 0);
        break;
      }
      case id_ce_extKeyUsage:
        out.extendedKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)].map((oid) => EKU_NAMES[oid] ?? oid);
        break;
      case id_ce_subjectAltName:
        for (const name of AsnConvert.parse(value, SubjectAlternativeName)) {
          if (name.dNSName !== undefined) out.subjectAltNames.dns.push(name.dNSName);
          if (name.iPAddress !== undefined) out.subjectAltNames.ip.push(name.iPAddress);
        }
        break;
      case id_ce_subjectKeyIdentifier:
        out.subjectKeyId = new Uint8Array(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
        break;
      case id_ce_authorityKeyIdentifier: {
        const keyId = AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier;
        if (keyId !== undefined) out.authorityKeyId = new Uint8Array(keyId.buffer);
        break;
      }
      default:
        if (ext.critical) out.unknownCriticalExtensions.push(ext.extnID);
    }
  }
  return out;
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

/** True iff `cert` was signed by the holder of `issuerPublicKey` (gm: SM2 with the default ID). */
export function verifyCertificateSignature(cert: ParsedCertificate, issuerPublicKey: Uint8Array): boolean {
  return getPureSuite(cert.suite).verify(issuerPublicKey, cert.tbsBytes, cert.signature);
}
