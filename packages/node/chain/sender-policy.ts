/**
 * Who may send txs. A sender certificate, when a tx carries one, must chain to a member organization's root
 * (through its operating CA, both from genesis), be valid at the time that matters (the local clock at admission,
 * the block time at validation) and certify the sender key: contracts take the certificate's organization as
 * the sender's, so an unchecked certificate would let anyone claim any organization. Under the `members` policy a
 * certificate is required. Verdicts are cached per certificate with the validity window of its whole path, so the
 * result is the same for the same time whether cached or not, as block validation requires.
 */
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import { decodePem, fastSignatureVerifier, verifyCertificateChain } from '@govchain/crypto';
import type { Genesis, SignedTx } from '@govchain/protocol';

const CACHE_ENTRIES_MAX = 10_000;

interface Verdict {
  publicKey: Uint8Array;
  notBeforeMs: number;
  notAfterMs: number;
}

function forbidden(code: string, message: string): GovchainError {
  return new GovchainError(code, 'forbidden', message);
}

export class SenderPolicy {
  private readonly roots: Uint8Array[];
  private readonly intermediates: Uint8Array[];
  private readonly requireCertificate: boolean;
  private readonly verdicts = new Map<string, Verdict>();

  constructor(genesis: Genesis, private readonly hash: (d: Uint8Array) => Uint8Array) {
    this.roots = genesis.organizations.map((o) => decodePem(o.rootCertificate));
    this.intermediates = genesis.organizations.flatMap((o) => o.caCertificates.map((c) => decodePem(c)));
    this.requireCertificate = genesis.admission.senders === 'members';
  }

  /** Null when the sender may send at `atMs`; otherwise the refusal. */
  check(tx: SignedTx, atMs: number): GovchainError | null {
    const cert = tx.body.senderCertificate;
    if (cert === null) {
      return this.requireCertificate
        ? forbidden('TX_SENDER_NOT_MEMBER', 'this chain admits only senders with a certificate from a member organization')
        : null;
    }
    const fingerprint = toHex(this.hash(cert));
    let verdict = this.verdicts.get(fingerprint);
    if (verdict === undefined) {
      const result = verifyCertificateChain(cert, this.intermediates, this.roots, atMs, { verifySignature: fastSignatureVerifier });
      if (!result.ok) return forbidden('TX_SENDER_CERT_INVALID', `the sender certificate is not valid here: ${result.error.message}`);
      verdict = {
        publicKey: result.path[0]!.publicKey,
        notBeforeMs: Math.max(...result.path.map((c) => c.notBeforeMs)),
        notAfterMs: Math.min(...result.path.map((c) => c.notAfterMs)),
      };
      if (this.verdicts.size >= CACHE_ENTRIES_MAX) this.verdicts.clear();
      this.verdicts.set(fingerprint, verdict);
    }
    if (atMs < verdict.notBeforeMs || atMs > verdict.notAfterMs) {
      return forbidden('TX_SENDER_CERT_EXPIRED', 'the sender certificate (or a CA above it) is not valid at this time');
    }
    if (!bytesEqual(verdict.publicKey, tx.body.senderPublicKey)) {
      return forbidden('TX_SENDER_CERT_MISMATCH', 'the sender certificate certifies a different key than the one that signed the tx');
    }
    return null;
  }
}
