/**
 * Who may connect: the peer's certificate chain must verify, now, to one of the consortium's trusted CA
 * certificates, no certificate on the path may be revoked, and when an allow-list is configured the peer's node
 * key must be on it. Also refuses a peer presenting our own key (a dial that looped back to ourselves).
 */
import { bytesEqual, toHex } from '@govchain/base';
import { fastSignatureVerifier, verifyCertificateChain, type CryptoSuite, type ParsedCertificate } from '@govchain/crypto';
import type { Refusal } from './handshake-messages.ts';
import type { RefusalCode } from './reasons.ts';

export interface AdmissionPolicy {
  /** DER trust anchors: the genesis organizations' root certificates (and, if wanted, their operating CAs). */
  trustedRoots: readonly Uint8Array[];
  /** Lowercase serial hex of revoked certificates; read at every handshake, so additions apply to new connections. */
  revokedSerials?: ReadonlySet<string>;
  /** Lowercase hex of admitted node public keys (validators, known nodes); absent means any certified node. */
  allowedPublicKeys?: ReadonlySet<string>;
  /** The clock certificates are checked against. */
  nowMs?: () => number;
}

/** A peer as established by its verified certificate. */
export interface PeerIdentity {
  /** Hex of the suite hash of the node public key: stable across certificate renewals that keep the key. */
  id: string;
  /** The certificate's common name, for logs and `peers()`. */
  name: string;
  publicKey: Uint8Array;
  certificate: ParsedCertificate;
}

export type AdmissionResult = { ok: true; peer: PeerIdentity } | { ok: false; refusal: Refusal };

/** Certificate-validation codes (x509-chain.ts) as the refusal a peer is told. */
const CERT_CODE_TO_REFUSAL: Readonly<Record<string, RefusalCode>> = {
  CERT_UNKNOWN_ISSUER: 'P2P_UNKNOWN_CA',
  // A certificate naming a trusted CA but not signed by it was not issued by any CA we trust.
  CERT_BAD_SIGNATURE: 'P2P_UNKNOWN_CA',
  CERT_EXPIRED: 'P2P_CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'P2P_CERT_EXPIRED',
  CERT_REVOKED: 'P2P_CERT_REVOKED',
};

export function peerIdOf(suite: CryptoSuite, publicKey: Uint8Array): string {
  return toHex(suite.hash(publicKey));
}

export class Admission {
  constructor(
    private readonly suite: CryptoSuite,
    private readonly localPublicKey: Uint8Array,
    private readonly policy: AdmissionPolicy,
  ) {}

  check(certificates: readonly Uint8Array[]): AdmissionResult {
    const refuse = (code: RefusalCode, message: string): AdmissionResult => ({ ok: false, refusal: { code, message } });
    const [leafDer, ...intermediates] = certificates;
    if (leafDer === undefined) return refuse('P2P_BAD_CERTIFICATE', 'no certificate was presented');
    const nowMs = (this.policy.nowMs ?? Date.now)();
    const result = verifyCertificateChain(leafDer, intermediates, this.policy.trustedRoots, nowMs, {
      revokedSerials: this.policy.revokedSerials ?? new Set(),
      verifySignature: fastSignatureVerifier,
    });
    if (!result.ok) return refuse(CERT_CODE_TO_REFUSAL[result.error.code] ?? 'P2P_BAD_CERTIFICATE', result.error.message);
    const leaf = result.path[0]!;
    if (leaf.suite !== this.suite.name) return refuse('P2P_BAD_CERTIFICATE', `the node certificate is ${leaf.suite}; this chain uses ${this.suite.name}`);
    if (leaf.isCA) return refuse('P2P_BAD_CERTIFICATE', 'a CA certificate cannot identify a node');
    if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes('digitalSignature')) {
      return refuse('P2P_BAD_CERTIFICATE', 'the node certificate does not allow digitalSignature');
    }
    if (bytesEqual(leaf.publicKey, this.localPublicKey)) return refuse('P2P_NOT_ALLOWED', 'the peer presents this node\'s own key');
    const keyHex = toHex(leaf.publicKey);
    if (this.policy.allowedPublicKeys !== undefined && !this.policy.allowedPublicKeys.has(keyHex)) {
      return refuse('P2P_NOT_ALLOWED', `node "${leaf.subject.text}" is certified but its key is not among the allowed nodes`);
    }
    return {
      ok: true,
      peer: {
        id: peerIdOf(this.suite, leaf.publicKey),
        name: leaf.subject.commonName ?? leaf.subject.text,
        publicKey: leaf.publicKey,
        certificate: leaf,
      },
    };
  }
}
