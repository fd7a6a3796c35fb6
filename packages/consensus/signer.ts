/**
 * This validator's signatures at the current height and the double-sign guard: it signs at most once per
 * (height, round, step), in increasing order. The machine persists `lastSigned` (and the messages of that round)
 * before anything leaves the node, so the guard holds across crashes. Asking it to sign at or before the last
 * signed step is a bug in the machine; it throws rather than sign.
 */
import { GovchainError } from '@govchain/base';
import {
  proposalSignBytes, voteSignBytes,
  type BlockValue, type CommitSignature, type ConsensusMessage, type Proposal, type Vote, type VoteType,
} from '@govchain/protocol';
import { HeightLog } from './height-log.ts';
import type { Step } from './types.ts';

const STEP_ORDER: Record<Step, number> = { propose: 0, prevote: 1, precommit: 2 };

export type SignedStep = { round: number; step: Step };

function roundOf(message: ConsensusMessage): number {
  return message.kind === 'proposal' ? message.proposal.round : message.vote.round;
}

export class Signer {
  private last: SignedStep | null = null;
  /** Oldest first; only rounds inside the height log's window are kept. */
  private signed: ConsensusMessage[] = [];

  constructor(
    private readonly chainId: string,
    private readonly ownIndex: number,
    private readonly sign: (message: Uint8Array) => Uint8Array,
  ) {}

  get lastSigned(): SignedStep | null {
    return this.last;
  }

  /** Everything signed at this height in the kept rounds, for retransmission. */
  all(): readonly ConsensusMessage[] {
    return this.signed;
  }

  /** What a restarted node must re-broadcast: the messages of the last signed round. */
  ofLastRound(): ConsensusMessage[] {
    const last = this.last;
    return last === null ? [] : this.signed.filter((m) => roundOf(m) === last.round);
  }

  restore(last: SignedStep | null, signed: readonly ConsensusMessage[]): void {
    this.last = last;
    this.signed = [...signed];
  }

  newHeight(): void {
    this.last = null;
    this.signed = [];
  }

  keepWindow(currentRound: number): void {
    this.signed = this.signed.filter((m) => HeightLog.inWindow(roundOf(m), currentRound));
  }

  proposal(height: number, round: number, block: BlockValue, polRound: number, pol: CommitSignature[]): ConsensusMessage {
    this.authorize(height, round, 'propose');
    const data = { height, round, polRound, blockHash: block.hash };
    const proposal: Proposal = { ...data, block: block.bytes, proposerIndex: this.ownIndex, pol, signature: this.sign(proposalSignBytes(this.chainId, data)) };
    return this.record({ kind: 'proposal', proposal }, round, 'propose');
  }

  vote(type: VoteType, height: number, round: number, blockHash: Uint8Array | null): ConsensusMessage {
    this.authorize(height, round, type);
    const data = { type, height, round, blockHash };
    const vote: Vote = { ...data, validatorIndex: this.ownIndex, signature: this.sign(voteSignBytes(this.chainId, data)) };
    return this.record({ kind: 'vote', vote }, round, type);
  }

  private authorize(height: number, round: number, step: Step): void {
    const last = this.last;
    if (last !== null && (round < last.round || (round === last.round && STEP_ORDER[step] <= STEP_ORDER[last.step]))) {
      throw new GovchainError('CONSENSUS_INTERNAL', 'internal',
        `refusing to sign ${step} at height ${height} round ${round}: already signed ${last.step} at round ${last.round}`);
    }
  }

  private record(message: ConsensusMessage, round: number, step: Step): ConsensusMessage {
    this.last = { round, step };
    this.signed.push(message);
    return message;
  }
}
