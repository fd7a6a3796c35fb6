/**
 * The safety invariants, checked at the step that could break each one:
 * - agreement: no two honest nodes commit different blocks at one height;
 * - validity: every block an honest node commits is valid on its parent and carries a certificate that verifies;
 * - no honest equivocation: an honest validator never sends two different votes (or proposals) for one height,
 *   round and step, even across crashes — this is what the persistence contract guarantees;
 * - evidence blames only byzantine validators, and verifies.
 * Liveness is checked by the simulation's end condition. The first violation stops the run.
 */
import { toHex } from '@govchain/base';
import {
  verifyCommitCertificate, verifyDuplicateVoteEvidence, type BlockValue, type CommitCertificate,
  type ConsensusMessage, type DuplicateVoteEvidence, type ValidatorEntry,
} from '@govchain/protocol';
import { blockDefect, describeBlock } from './app.ts';
import { verifySignature } from './sim-crypto.ts';

export type ViolationKind = 'agreement' | 'validity' | 'certificate' | 'honest-equivocation' | 'false-evidence' | 'liveness';

export interface Violation {
  kind: ViolationKind;
  message: string;
  atMs: number;
}

export class InvariantChecker {
  violation: Violation | null = null;
  /** Height → the first honest commit of it. */
  private readonly decided = new Map<number, { node: number; hash: string; describe: string }>();
  /** `validator/height/round/step` → the hash an honest validator signed there. */
  private readonly signedBy = new Map<string, string>();

  constructor(
    private readonly validators: readonly ValidatorEntry[],
    private readonly chainId: string,
    private readonly isByzantine: (index: number) => boolean,
    private readonly now: () => number,
  ) {}

  private fail(kind: ViolationKind, message: string): void {
    if (this.violation === null) this.violation = { kind, message, atMs: this.now() };
  }

  onHonestCommit(node: number, height: number, block: BlockValue, certificate: CommitCertificate, parentHash: Uint8Array): void {
    const hash = toHex(block.hash);
    const first = this.decided.get(height);
    if (first === undefined) this.decided.set(height, { node, hash, describe: describeBlock(block) });
    else if (first.hash !== hash) {
      this.fail('agreement', `height ${height}: node ${first.node} committed ${first.describe}, node ${node} committed ${describeBlock(block)}`);
    }
    const defect = blockDefect(height, block, parentHash);
    if (defect !== null) this.fail('validity', `node ${node} committed an invalid block at height ${height}: ${defect}`);
    const check = verifyCommitCertificate(certificate, this.validators, this.chainId, verifySignature);
    if (!check.ok) this.fail('certificate', `node ${node} committed height ${height} with a bad certificate: ${check.reason}`);
    else if (certificate.height !== height || toHex(certificate.blockHash) !== hash) {
      this.fail('certificate', `node ${node} committed height ${height} with a certificate for another block or height`);
    }
  }

  /** Every message an honest node puts on the wire, first sends and retransmissions alike. */
  onHonestSend(message: ConsensusMessage): void {
    const [key, hash] = message.kind === 'vote'
      ? [`${message.vote.validatorIndex}/${message.vote.height}/${message.vote.round}/${message.vote.type}`, message.vote.blockHash === null ? 'nil' : toHex(message.vote.blockHash)]
      : [`${message.proposal.proposerIndex}/${message.proposal.height}/${message.proposal.round}/proposal`, toHex(message.proposal.blockHash)];
    const earlier = this.signedBy.get(key);
    if (earlier === undefined) this.signedBy.set(key, hash);
    else if (earlier !== hash) this.fail('honest-equivocation', `honest validator signed two different messages at ${key}: ${earlier.slice(0, 8)} and ${hash.slice(0, 8)}`);
  }

  onEvidence(reporter: number, evidence: DuplicateVoteEvidence): void {
    const accused = evidence.first.validatorIndex;
    const check = verifyDuplicateVoteEvidence(evidence, this.validators, this.chainId, verifySignature);
    if (!check.ok) this.fail('false-evidence', `node ${reporter} reported evidence that does not verify: ${check.reason}`);
    else if (!this.isByzantine(accused)) this.fail('false-evidence', `node ${reporter} blamed honest validator ${accused}`);
  }

  failLiveness(message: string): void {
    this.fail('liveness', message);
  }
}
