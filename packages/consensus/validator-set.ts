/**
 * The validator set one height is decided by: an ordered list of public keys with voting power. Quorum questions
 * are asked in power, never in counts, so unequal powers stay correct even though proposer rotation treats every
 * validator alike.
 */
import { GovchainError } from '@govchain/base';
import { VALIDATOR_SET_SIZE_MAX, exceedsOneThird, exceedsTwoThirds, type ValidatorEntry } from '@govchain/protocol';

/** Keeps 3 × total power a safe integer, so the quorum tests never round. */
const TOTAL_POWER_MAX = Math.floor(Number.MAX_SAFE_INTEGER / 3);

function invalid(message: string): GovchainError {
  return new GovchainError('CONSENSUS_VALIDATORS_INVALID', 'malformed', message);
}

export class ValidatorSet {
  readonly entries: readonly ValidatorEntry[];
  readonly totalPower: number;

  constructor(entries: readonly ValidatorEntry[]) {
    if (entries.length === 0 || entries.length > VALIDATOR_SET_SIZE_MAX) {
      throw invalid(`a validator set has 1..${VALIDATOR_SET_SIZE_MAX} validators, got ${entries.length}`);
    }
    let total = 0;
    for (const [i, v] of entries.entries()) {
      if (!Number.isSafeInteger(v.power) || v.power < 1) throw invalid(`validator ${i} has power ${v.power}; power is a positive integer`);
      total += v.power;
    }
    if (total > TOTAL_POWER_MAX) throw invalid(`total voting power ${total} exceeds ${TOTAL_POWER_MAX}`);
    this.entries = entries.map((v) => ({ publicKey: v.publicKey, power: v.power }));
    this.totalPower = total;
  }

  get size(): number {
    return this.entries.length;
  }

  has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.entries.length;
  }

  publicKey(index: number): Uint8Array {
    return this.entry(index).publicKey;
  }

  power(index: number): number {
    return this.entry(index).power;
  }

  /** Round-robin by height + round: every node computes the same proposer with no shared state. */
  proposer(height: number, round: number): number {
    return (height + round) % this.entries.length;
  }

  /** More than 2/3 of the power: a quorum, any two of which share an honest validator when at most f < n/3 are faulty. */
  hasTwoThirds(power: number): boolean {
    return exceedsTwoThirds(power, this.totalPower);
  }

  /** More than 1/3 of the power: at least one honest validator is among them. */
  hasOneThird(power: number): boolean {
    return exceedsOneThird(power, this.totalPower);
  }

  /**
   * The largest value v such that validators holding more than 1/3 of the power each reported a value ≥ v, or
   * null when no such value exists. `reported[i]` is validator i's value (-1: nothing reported).
   * Used to follow rounds and heights that at least one honest validator has reached, which a byzantine minority
   * cannot fake.
   */
  oneThirdFloor(reported: readonly number[]): number | null {
    const order = [...reported.keys()].filter((i) => reported[i]! >= 0).sort((a, b) => reported[b]! - reported[a]! || a - b);
    let power = 0;
    for (const i of order) {
      power += this.power(i);
      if (this.hasOneThird(power)) return reported[i]!;
    }
    return null;
  }

  private entry(index: number): ValidatorEntry {
    const v = this.entries[index];
    if (v === undefined) throw new GovchainError('CONSENSUS_UNKNOWN_VALIDATOR', 'malformed', `no validator at index ${index}`);
    return v;
  }
}
