/**
 * Issuing X.509 v3 certificates. The input is checked for anything that would make a certificate wrong or
 * unverifiable (a private key that is not the issuer's, a non-CA issuer, keyCertSign without cA, ...), and the
 * output is parsed and verified before it is returned.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } from '@peculiar/asn1-x509';
import { GovchainError, bytesEqual, fromHex, isHex } from '@govchain/base';
import type { SuiteName } from './suite.ts';
import { getPureSuite } from './pure-suites.ts';
import { publicKeyToSpki } from './keys.ts';
import { signatureToDer } from './sig-der.ts';
import { CERTIFICATE_PROFILES, unsignedToDerInteger } from './x509-algorithms.ts';
import { buildExtensions, certificateInputError, type ExtendedKeyUsageName, type KeyUsageName, type SubjectAltNames } from './x509-extensions.ts';
import { buildName, type CertificateSubject } from './x509-name.ts';
import { SERIAL_BYTES_MAX, parseCertificate, verifyCertificateSignature, type ParsedCertificate } from './x509.ts';

/** Key identifiers are the first 20 bytes of the suite's hash of the raw public key (RFC 7093 §2, method 1 shape). */
const KEY_ID_BYTES = 20;

export interface IssueCertificateInput {
  suite: SuiteName;
  issuerPrivateKey: Uint8Array;
  /** The issuer's certificate; absent for a self-signed certificate, whose key must then be the subject key. */
  issuerCertificate?: ParsedCertificate;
  subject: CertificateSubject;
  /** 65-byte uncompressed public key. */
  subjectPublicKey: Uint8Array;
  /** Unsigned big-endian hex, not zero, at most 20 octets once encoded (e.g. 16 random bytes). */
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
  /** Defaults to keyIdentifierOf(suite, subjectPublicKey). */
  subjectKeyId?: Uint8Array;
}

export function keyIdentifierOf(suite: SuiteName, publicKey: Uint8Array): Uint8Array {
  return getPureSuite(suite).hash(publicKey).slice(0, KEY_ID_BYTES);
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function checkIssueInput(input: IssueCertificateInput): void {
  const suite = getPureSuite(input.suite);
  if (!suite.isValidPublicKey(input.subjectPublicKey)) throw certificateInputError('subjectPublicKey is not a valid public key of the suite');
  const signerKey = suite.publicKeyOf(input.issuerPrivateKey);
  const issuer = input.issuerCertificate;
  if (issuer === undefined) {
    // Self-signed: a mismatch would produce a certificate nobody can verify.
    if (!bytesEqual(signerKey, input.subjectPublicKey)) {
      throw certificateInputError('self-signed certificate: issuerPrivateKey does not match subjectPublicKey');
    }
  } else {
    if (issuer.suite !== input.suite) throw certificateInputError(`issuer certificate is ${issuer.suite}, not ${input.suite}`);
    if (!bytesEqual(signerKey, issuer.publicKey)) throw certificateInputError(`issuerPrivateKey does not match the key of ${issuer.subject.text}`);
    if (!issuer.isCA) throw certificateInputError(`${issuer.subject.text} is not a CA certificate`);
  }
  if (!isHex(input.serialNumber) || /^0*$/.test(input.serialNumber) || unsignedToDerInteger(fromHex(input.serialNumber)).length > SERIAL_BYTES_MAX) {
    throw certificateInputError('serialNumber must be non-zero hex that encodes in at most 20 octets (19 if the top bit is set)');
  }
  if (!Number.isSafeInteger(input.notBeforeMs) || !Number.isSafeInteger(input.notAfterMs) || input.notBeforeMs >= input.notAfterMs) {
    throw certificateInputError('notBeforeMs must be before notAfterMs');
  }
  if (input.keyUsage.length === 0) throw certificateInputError('keyUsage must name at least one usage');
  // RFC 5280 §4.2.1.3/§4.2.1.9: keyCertSign goes with cA = true, and a CA needs keyCertSign to be of use.
  if (input.isCA !== input.keyUsage.includes('keyCertSign')) throw certificateInputError('keyCertSign must be set exactly when isCA is true');
  if (input.pathLength !== undefined && (!input.isCA || !Number.isSafeInteger(input.pathLength) || input.pathLength < 0)) {
    throw certificateInputError('pathLength is a non-negative integer and only for CA certificates');
  }
}

/** Issue a certificate; returns its DER. */
export function issueCertificate(input: IssueCertificateInput): Uint8Array {
  checkIssueInput(input);
  const profile = CERTIFICATE_PROFILES[input.suite];
  const suite = getPureSuite(input.suite);
  const issuer = input.issuerCertificate;
  const subjectName = buildName(input.subject);
  const subjectKeyId = input.subjectKeyId ?? keyIdentifierOf(input.suite, input.subjectPublicKey);
  const signatureAlgorithm = new AlgorithmIdentifier({ algorithm: profile.signatureOid });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBufferOf(unsignedToDerInteger(fromHex(input.serialNumber))),
    signature: signatureAlgorithm,
    // The issuer's subject DER is copied byte for byte, because chains are built by comparing these bytes.
    issuer: issuer === undefined ? subjectName : AsnConvert.parse(issuer.subject.der, Name),
    validity: new Validity({ notBefore: new Date(input.notBeforeMs), notAfter: new Date(input.notAfterMs) }),
    subject: subjectName,
    subjectPublicKeyInfo: AsnConvert.parse(publicKeyToSpki(input.subjectPublicKey, profile.keyCurve), SubjectPublicKeyInfo),
    extensions: new Extensions(buildExtensions({
      ...input,
      subjectKeyId,
      authorityKeyId: issuer === undefined ? subjectKeyId : issuer.subjectKeyId ?? keyIdentifierOf(input.suite, issuer.publicKey),
    })),
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
