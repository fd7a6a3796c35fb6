/**
 * Redial delays: exponential growth from a base to a cap, with jitter so that nodes that lost a peer at the same
 * moment do not all redial at the same moment. "Equal jitter": half the delay is fixed, half random, so a redial
 * is never immediate even after a run of small draws.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the ceiling until it reaches the cap. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
