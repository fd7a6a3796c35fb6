/**
 * The votes of one type in one round of one height. Each validator counts once: its first verified vote is the
 * one tallied, and a later different vote is returned as a conflict (equivocation) without being counted, so a
 * byzantine validator can never add its power to two blocks.
 */
import { toHex } from '@govchain/base';
import { sameBlockHash, type CommitSignature, type Vote } from '@govchain/protocol';
import type { ValidatorSet } from './validator-set.ts';

/** `conflict` is returned once per validator: evidence is reported once, however often the second vote is resent. */
export type AddVoteResult = { kind: 'added' } | { kind: 'duplicate' } | { kind: 'conflict'; existing: Vote };

const NIL_KEY = 'nil';

function keyOf(blockHash: Uint8Array | null): string {
  return blockHash === null ? NIL_KEY : toHex(blockHash);
}

export class VoteTally {
  private readonly votes: (Vote | undefined)[];
  private readonly conflictReported: boolean[];
  private readonly powerByKey = new Map<string, number>();
  private readonly hashByKey = new Map<string, Uint8Array>();
  private anyPower = 0;

  constructor(private readonly validators: ValidatorSet) {
    this.votes = new Array<Vote | undefined>(validators.size);
    this.conflictReported = new Array<boolean>(validators.size).fill(false);
  }

  get(validatorIndex: number): Vote | undefined {
    return this.votes[validatorIndex];
  }

  /** The caller has checked the vote's height, round, type, index and signature. */
  add(vote: Vote): AddVoteResult {
    const existing = this.votes[vote.validatorIndex];
    if (existing !== undefined) {
      if (sameBlockHash(existing.blockHash, vote.blockHash) || this.conflictReported[vote.validatorIndex]) return { kind: 'duplicate' };
      this.conflictReported[vote.validatorIndex] = true;
      return { kind: 'conflict', existing };
    }
    this.votes[vote.validatorIndex] = vote;
    const key = keyOf(vote.blockHash);
    const power = this.validators.power(vote.validatorIndex);
    this.powerByKey.set(key, (this.powerByKey.get(key) ?? 0) + power);
    if (vote.blockHash !== null) this.hashByKey.set(key, vote.blockHash);
    this.anyPower += power;
    return { kind: 'added' };
  }

  hasTwoThirdsAny(): boolean {
    return this.validators.hasTwoThirds(this.anyPower);
  }

  hasTwoThirdsFor(blockHash: Uint8Array | null): boolean {
    return this.validators.hasTwoThirds(this.powerByKey.get(keyOf(blockHash)) ?? 0);
  }

  /** The block (never nil) holding more than 2/3 of the power, if any; there is at most one. */
  twoThirdsBlock(): Uint8Array | null {
    for (const [key, power] of this.powerByKey) {
      if (key !== NIL_KEY && this.validators.hasTwoThirds(power)) return this.hashByKey.get(key)!;
    }
    return null;
  }

  /** Signatures of the votes for `blockHash`, ascending by validator index, as a commit certificate holds them. */
  signaturesFor(blockHash: Uint8Array): CommitSignature[] {
    const out: CommitSignature[] = [];
    for (const vote of this.votes) {
      if (vote !== undefined && sameBlockHash(vote.blockHash, blockHash)) {
        out.push({ validatorIndex: vote.validatorIndex, signature: vote.signature });
      }
    }
    return out;
  }
}
