/**
 * Certificate path building and validation: a simplified RFC 5280 §6 for a consortium's own small PKI (offline root
 * CA → operating CA → node and user certificates), with no policies, name constraints or CRL fetching.
 *
 * Building: from the leaf, repeatedly pick an issuer of the same suite whose subject DER equals the certificate's
 * issuer DER, whose subject key id matches the authority key id when both are present, and whose key verifies the signature —
 * trusted roots first, then the supplied intermediates — until a trusted root is reached. No backtracking: a PKI
 * with two same-named issuers that both verify is outside this design.
 *
 * Validation, for every certificate from the leaf up (the first failure is reported):
 *   CERT_UNKNOWN_CRITICAL_EXTENSION  it has a critical extension we do not understand (RFC 5280 §4.2)
 *   CERT_REVOKED                     its serial is in `revokedSerials`
 *   CERT_NOT_YET_VALID / CERT_EXPIRED  atTimeMs is outside [notBefore, notAfter]  (the root's too)
 *   CERT_NOT_CA                      it issued the certificate below it but is not a CA, or its keyUsage lacks keyCertSign
 *   CERT_PATH_TOO_LONG               more CA certificates sit below it than its pathLength allows, or the path
 *                                    exceeds CHAIN_LENGTH_MAX
 * and, before those, while building: CERT_MALFORMED (an input does not parse), CERT_UNKNOWN_ISSUER (no issuer by
 * name and key id), CERT_BAD_SIGNATURE (issuers by name exist but none of their keys verifies; also a self-signed
 * root whose self-signature fails).
 */
import { GovchainError, bytesEqual } from '@govchain/base';
import { parseCertificate, pureSignatureVerifier, verifyCertificateSignature, type ParsedCertificate, type SignatureVerifier } from './x509.ts';

export type CertificateRefusalCode =
  | 'CERT_MALFORMED' | 'CERT_UNKNOWN_ISSUER' | 'CERT_BAD_SIGNATURE' | 'CERT_UNKNOWN_CRITICAL_EXTENSION'
  | 'CERT_REVOKED' | 'CERT_NOT_YET_VALID' | 'CERT_EXPIRED' | 'CERT_NOT_CA' | 'CERT_PATH_TOO_LONG';

export interface ChainOptions {
  /** Lowercase unsigned serial hex (as ParsedCertificate.serialNumber) of revoked certificates. Serials are unique
   *  across the consortium's CAs because one CA application issues them all. */
  revokedSerials?: ReadonlySet<string>;
  /** How certificate signatures are checked; default the pure TypeScript verifier (the one browsers have). */
  verifySignature?: SignatureVerifier;
}

export type ChainResult =
  /** `path` runs from the leaf to the trusted root. */
  | { ok: true; path: ParsedCertificate[] }
  /** `error.code` is a CertificateRefusalCode; `error.details` names the certificate (subject, serial, depth). */
  | { ok: false; error: GovchainError };

/** Root, operating CA, leaf is three; the bound leaves room for one more tier and stops loops on hostile input. */
export const CHAIN_LENGTH_MAX = 8;
const INTERMEDIATES_MAX = 16;
const TRUSTED_ROOTS_MAX = 256;

class Refusal extends Error {
  constructor(readonly error: GovchainError) {
    super(error.message);
  }
}

function describe(cert: ParsedCertificate): string {
  return `certificate "${cert.subject.text}" (serial ${cert.serialNumber})`;
}

function refuse(code: CertificateRefusalCode, message: string, cert?: ParsedCertificate, depth?: number): never {
  const details = cert === undefined
    ? undefined
    : { subject: cert.subject.text, issuer: cert.issuer.text, serialNumber: cert.serialNumber, fingerprint: cert.fingerprint, depth };
  throw new Refusal(new GovchainError(code, code === 'CERT_MALFORMED' ? 'malformed' : 'unauthenticated', message, details));
}

function parseInput(der: Uint8Array, what: string): ParsedCertificate {
  try {
    return parseCertificate(der);
  } catch (err) {
    const reason = err instanceof GovchainError ? err.message : String(err);
    return refuse('CERT_MALFORMED', `${what} is malformed: ${reason}`);
  }
}

function isSelfIssued(cert: ParsedCertificate): boolean {
  return bytesEqual(cert.subject.der, cert.issuer.der);
}

function mayHaveIssued(issuer: ParsedCertificate, cert: ParsedCertificate): boolean {
  // Suites are never mixed within a chain (x509.ts): an issuer of the other suite cannot have signed.
  if (issuer.suite !== cert.suite || !bytesEqual(issuer.subject.der, cert.issuer.der)) return false;
  const aki = cert.authorityKeyId;
  const ski = issuer.subjectKeyId;
  return aki === undefined || ski === undefined || bytesEqual(aki, ski);
}

function buildPath(leaf: ParsedCertificate, intermediates: ParsedCertificate[], roots: ParsedCertificate[], verify: SignatureVerifier): ParsedCertificate[] {
  const isRoot = (c: ParsedCertificate): boolean => roots.some((r) => bytesEqual(r.der, c.der));
  const path = [leaf];
  let current = leaf;
  while (!isRoot(current)) {
    if (path.length >= CHAIN_LENGTH_MAX) refuse('CERT_PATH_TOO_LONG', `no trusted root within ${CHAIN_LENGTH_MAX} certificates of the leaf`, leaf, 0);
    const inPath = (c: ParsedCertificate): boolean => path.some((p) => bytesEqual(p.der, c.der));
    const candidates = [...roots, ...intermediates].filter((c) => !inPath(c) && mayHaveIssued(c, current));
    const depth = path.length - 1;
    if (candidates.length === 0) {
      refuse('CERT_UNKNOWN_ISSUER', `no trusted or supplied issuer "${current.issuer.text}" for ${describe(current)}`, current, depth);
    }
    const issuer = candidates.find((c) => verifyCertificateSignature(current, c.publicKey, verify));
    if (issuer === undefined) {
      refuse('CERT_BAD_SIGNATURE', `the signature on ${describe(current)} does not verify with the key of "${current.issuer.text}"`, current, depth);
    }
    path.push(issuer);
    current = issuer;
  }
  // A trust anchor is trusted by configuration, but a self-signed one whose own signature fails is corrupt.
  const anchor = current;
  const signsItself = isSelfIssued(anchor) && (anchor.authorityKeyId === undefined || anchor.subjectKeyId === undefined || bytesEqual(anchor.authorityKeyId, anchor.subjectKeyId));
  if (signsItself && !verifyCertificateSignature(anchor, anchor.publicKey, verify)) {
    refuse('CERT_BAD_SIGNATURE', `the self-signature of trusted root ${describe(anchor)} does not verify`, anchor, path.length - 1);
  }
  return path;
}

function checkPath(path: ParsedCertificate[], atTimeMs: number, revoked: ReadonlySet<string>): void {
  path.forEach((cert, depth) => {
    if (cert.unknownCriticalExtensions.length > 0) {
      refuse('CERT_UNKNOWN_CRITICAL_EXTENSION', `${describe(cert)} has unsupported critical extensions ${cert.unknownCriticalExtensions.join(', ')}`, cert, depth);
    }
    if (revoked.has(cert.serialNumber)) refuse('CERT_REVOKED', `${describe(cert)} is revoked`, cert, depth);
    if (atTimeMs < cert.notBeforeMs) {
      refuse('CERT_NOT_YET_VALID', `${describe(cert)} is not valid before ${new Date(cert.notBeforeMs).toISOString()}`, cert, depth);
    }
    if (atTimeMs > cert.notAfterMs) refuse('CERT_EXPIRED', `${describe(cert)} expired at ${new Date(cert.notAfterMs).toISOString()}`, cert, depth);
    if (depth === 0) return;
    if (!cert.isCA || (cert.keyUsage !== undefined && !cert.keyUsage.includes('keyCertSign'))) {
      refuse('CERT_NOT_CA', `${describe(cert)} issued "${path[depth - 1]!.subject.text}" but is not a CA certificate`, cert, depth);
    }
    // RFC 5280 §4.2.1.9: pathLenConstraint counts the non-self-issued intermediate CAs that may follow.
    const casBelow = path.slice(1, depth).filter((c) => !isSelfIssued(c)).length;
    if (cert.pathLength !== undefined && casBelow > cert.pathLength) {
      refuse('CERT_PATH_TOO_LONG', `${describe(cert)} allows ${cert.pathLength} CA certificates below it, the path has ${casBelow}`, cert, depth);
    }
  });
}

/**
 * Validate `leafDer` at `atTimeMs` against `trustedRootsDer`, using `intermediatesDer` to bridge the gap.
 * Never throws on bad input: every refusal is a result.
 */
export function verifyCertificateChain(
  leafDer: Uint8Array,
  intermediatesDer: readonly Uint8Array[],
  trustedRootsDer: readonly Uint8Array[],
  atTimeMs: number,
  options: ChainOptions = {},
): ChainResult {
  try {
    if (intermediatesDer.length > INTERMEDIATES_MAX) refuse('CERT_PATH_TOO_LONG', `more than ${INTERMEDIATES_MAX} intermediate certificates supplied`);
    if (trustedRootsDer.length > TRUSTED_ROOTS_MAX) refuse('CERT_MALFORMED', `more than ${TRUSTED_ROOTS_MAX} trusted roots supplied`);
    const leaf = parseInput(leafDer, 'the leaf certificate');
    const intermediates = intermediatesDer.map((der, i) => parseInput(der, `intermediate certificate #${i + 1}`));
    const roots = trustedRootsDer.map((der, i) => parseInput(der, `trusted root #${i + 1}`));
    const path = buildPath(leaf, intermediates, roots, options.verifySignature ?? pureSignatureVerifier);
    checkPath(path, atTimeMs, options.revokedSerials ?? new Set());
    return { ok: true, path };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, error: err.error };
    throw err;
  }
}
