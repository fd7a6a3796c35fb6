/**
 * Everything received for the current height: per round, the proposer's proposal and the prevote and precommit
 * tallies, plus the highest round each validator has been seen in. Memory is bounded: only rounds within a window
 * around the current round are stored (at most ROUNDS_KEPT × (1 proposal + 2 × validators) messages); for rounds
 * beyond it only each validator's highest round is remembered, which is all the round-skip rule needs.
 */
import { bytesEqual } from '@govchain/base';
import type { BlockValue, Proposal, VoteType } from '@govchain/protocol';
import type { ValidatorSet } from './validator-set.ts';
import { VoteTally } from './vote-tally.ts';

/** Past rounds kept: their prevotes justify a re-proposal's POL and their precommits can still decide the height. */
export const ROUNDS_KEPT_BEHIND = 8;
/** Future rounds kept: a node slightly behind keeps the votes that will matter when it catches up. */
export const ROUNDS_KEPT_AHEAD = 2;

export interface RoundMessages {
  proposal: Proposal | null;
  prevotes: VoteTally;
  precommits: VoteTally;
}

export class HeightLog {
  private readonly rounds = new Map<number, RoundMessages>();
  /** Highest round each validator sent a verified message for at this height; -1: none yet. */
  private readonly highestRound: number[];

  constructor(private readonly validators: ValidatorSet) {
    this.highestRound = new Array<number>(validators.size).fill(-1);
  }

  /** Whether `round` is inside the stored window around `currentRound`. */
  static inWindow(round: number, currentRound: number): boolean {
    return round >= currentRound - ROUNDS_KEPT_BEHIND && round <= currentRound + ROUNDS_KEPT_AHEAD;
  }

  round(round: number): RoundMessages | undefined {
    return this.rounds.get(round);
  }

  roundOrCreate(round: number): RoundMessages {
    let r = this.rounds.get(round);
    if (r === undefined) {
      r = { proposal: null, prevotes: new VoteTally(this.validators), precommits: new VoteTally(this.validators) };
      this.rounds.set(round, r);
    }
    return r;
  }

  tally(round: number, type: VoteType): VoteTally {
    const r = this.roundOrCreate(round);
    return type === 'prevote' ? r.prevotes : r.precommits;
  }

  /** Stored rounds, ascending. */
  storedRounds(): number[] {
    return [...this.rounds.keys()].sort((a, b) => a - b);
  }

  /** Drops rounds that fell out of the window after the current round moved to `currentRound`. */
  evictOutside(currentRound: number): void {
    for (const round of [...this.rounds.keys()]) {
      if (!HeightLog.inWindow(round, currentRound)) this.rounds.delete(round);
    }
  }

  noteRound(validatorIndex: number, round: number): void {
    if (round > this.highestRound[validatorIndex]!) this.highestRound[validatorIndex] = round;
  }

  /** The highest round that validators with more than 1/3 of the power have all reached (the paper's f+1 rule). */
  oneThirdRound(): number | null {
    return this.validators.oneThirdFloor(this.highestRound);
  }

  /** Every stored proposal's block with this hash, oldest round first (a byzantine proposer may pair a hash with wrong bytes). */
  blocksWithHash(hash: Uint8Array): BlockValue[] {
    const out: BlockValue[] = [];
    for (const round of this.storedRounds()) {
      const p = this.rounds.get(round)!.proposal;
      if (p !== null && bytesEqual(p.blockHash, hash)) out.push({ hash: p.blockHash, bytes: p.block });
    }
    return out;
  }
}
