/**
 * The simulated network: point-to-point packets that are delayed, dropped, duplicated and (through random
 * delays) reordered, and partitions that cut the nodes into groups until healed. After GST the caller sets
 * faults to none: no drops and a bounded delay, the partial synchrony Tendermint's liveness needs.
 */
import type { Prng } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

export type Packet =
  | { kind: 'consensus'; bytes: Uint8Array }
  | { kind: 'sync_request'; fromHeight: number }
  | { kind: 'sync_response'; entries: { hash: Uint8Array; block: Uint8Array; certificate: Uint8Array }[] };

export interface LinkFaults {
  dropRate: number;
  duplicateRate: number;
  delayMsMin: number;
  delayMsMax: number;
}

export interface NetworkStats {
  sent: number;
  dropped: number;
}

export class SimNetwork {
  private groupOf: number[];
  readonly stats: NetworkStats = { sent: 0, dropped: 0 };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rng: Prng,
    private readonly size: number,
    private faults: LinkFaults,
    private readonly deliver: (to: number, from: number, packet: Packet) => void,
  ) {
    this.groupOf = new Array<number>(size).fill(0);
  }

  setFaults(faults: LinkFaults): void {
    this.faults = faults;
  }

  /** `groups[i]` lists the nodes of group i; nodes in no group are isolated. */
  partition(groups: readonly (readonly number[])[]): void {
    this.groupOf = Array.from({ length: this.size }, (_, node) => 1000 + node);
    groups.forEach((members, g) => members.forEach((node) => (this.groupOf[node] = g)));
  }

  heal(): void {
    this.groupOf.fill(0);
  }

  isPartitioned(): boolean {
    return this.groupOf.some((g) => g !== this.groupOf[0]);
  }

  send(from: number, to: number, packet: Packet): void {
    this.stats.sent++;
    const copies = this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      if (this.groupOf[from] !== this.groupOf[to] || this.rng.chance(this.faults.dropRate)) {
        this.stats.dropped++;
        continue;
      }
      const delay = this.rng.int(this.faults.delayMsMin, this.faults.delayMsMax);
      this.scheduler.after(delay, `deliver ${packet.kind} ${from}->${to}`, () => {
        // A partition that began while the packet was in flight cuts it too.
        if (this.groupOf[from] !== this.groupOf[to]) {
          this.stats.dropped++;
          return;
        }
        this.deliver(to, from, packet);
      });
    }
  }
}
