/**
 * One deterministic simulation run: N validators in one process on a virtual clock, a faulty network, crashes
 * and restarts, byzantine validators, and the invariant checker watching every commit and every honest send.
 *
 * A run has two phases. Until GST (`chaosMs`) the network drops, duplicates, delays and partitions, and honest
 * nodes crash (some right after persisting, before broadcasting) and restart. At GST the network heals (no drops,
 * bounded delay) and every node is up; from then on all honest nodes must reach `heightsAfterGst` heights above
 * the best height at GST within `livenessBoundMs`, or the run reports a liveness violation.
 */
import { ValidatorSet, type TimeoutConfig } from '@govchain/consensus';
import { ChaoticByzantine, Coalition } from './byzantine.ts';
import { InvariantChecker, type Violation } from './invariants.ts';
import { SimNetwork, type LinkFaults } from './network.ts';
import { SimNode, type ByzantineBehaviour, type NodeEnv } from './node.ts';
import { Prng } from './prng.ts';
import { Scheduler } from './scheduler.ts';
import { validatorKey } from './sim-crypto.ts';

export const SIM_CHAIN_ID = 'govchain-sim';

export interface SimOptions {
  seed: number;
  validators: number;
  /** `chaotic`: one faulty validator; `coalition`: `coalitionSize` colluding validators starting at index 1. */
  byzantine: 'none' | 'chaotic' | 'coalition';
  coalitionSize: number;
  /** Virtual time of GST; 0 runs a clean network from the start. */
  chaosMs: number;
  heightsAfterGst: number;
  livenessBoundMs: number;
  /** The mempool is always empty: blocks come only from the empty-block interval. */
  idle: boolean;
  timeouts: TimeoutConfig;
  /** A deliberately broken driver that restarts validators without their persisted state (for checking the checker). */
  forgetPersistedState: boolean;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  timeoutProposeMs: 300, timeoutPrevoteMs: 150, timeoutPrecommitMs: 150, timeoutDeltaMs: 100, emptyBlockIntervalMs: 2000,
};

export function simOptions(seed: number, overrides: Partial<SimOptions> = {}): SimOptions {
  return {
    seed, validators: 4, byzantine: 'chaotic', coalitionSize: 0, chaosMs: 6000, heightsAfterGst: 3,
    livenessBoundMs: 30_000, idle: false, timeouts: DEFAULT_TIMEOUTS,
    forgetPersistedState: false, ...overrides,
  };
}

export interface SimResult {
  seed: number;
  violation: Violation | null;
  traceHash: string;
  traceTail: readonly string[];
  virtualMs: number;
  events: number;
  /** Last committed height of each node (byzantine included). */
  heights: number[];
  /** Each node's machine status at the end, for failure reports. */
  nodes: string[];
  /** Highest round any honest commit was decided in. */
  maxCommitRound: number;
  messagesSent: number;
  messagesDropped: number;
  crashes: number;
  evidence: number;
  refused: number;
  undecodable: number;
  syncedBlocks: number;
}

const CLEAN_LINKS: LinkFaults = { dropRate: 0, duplicateRate: 0.02, delayMsMin: 1, delayMsMax: 40 };

function chaoticLinks(rng: Prng): LinkFaults {
  return { dropRate: 0.02 + rng.float() * 0.18, duplicateRate: 0.05, delayMsMin: 1, delayMsMax: rng.int(20, 150) };
}

export function runSimulation(options: SimOptions): SimResult {
  const rng = new Prng(options.seed);
  const scheduler = new Scheduler();
  const n = options.validators;
  const validators = new ValidatorSet(Array.from({ length: n }, (_, i) => ({ publicKey: validatorKey(i).publicKey, power: 1 })));
  const byzantineIndices = options.byzantine === 'chaotic' ? [rng.int(0, n - 1)]
    : options.byzantine === 'coalition' ? Array.from({ length: options.coalitionSize }, (_, k) => 1 + k) : [];
  const isByzantine = (i: number): boolean => byzantineIndices.includes(i);
  const checker = new InvariantChecker(validators.entries, SIM_CHAIN_ID, isByzantine, () => scheduler.now);
  const gstMs = options.chaosMs;
  const chaos = (): boolean => scheduler.now < gstMs;

  const nodes: SimNode[] = [];
  const network = new SimNetwork(scheduler, rng.fork(), n, gstMs > 0 ? chaoticLinks(rng) : CLEAN_LINKS,
    (to, from, packet) => nodes[to]!.receive(from, packet));
  const restart = (node: SimNode, delayMs: number): void => {
    scheduler.after(Math.min(delayMs, Math.max(0, gstMs - scheduler.now)), `restart n${node.index}`, () => {
      if (!node.up) node.boot();
    });
  };
  const env: NodeEnv = {
    scheduler, network, checker, validators, chainId: SIM_CHAIN_ID, timeouts: options.timeouts, txsAlways: !options.idle,
    crashAfterPersistRate: () => (chaos() ? 0.01 : 0),
    forgetPersistedState: options.forgetPersistedState,
    onSelfCrash: (node) => restart(node, rng.int(50, 1500)),
  };
  const coalition = options.byzantine === 'coalition' ? new Coalition(byzantineIndices, n) : null;
  for (let i = 0; i < n; i++) {
    let behaviour: ByzantineBehaviour | null = null;
    if (isByzantine(i)) behaviour = coalition?.behaviour() ?? new ChaoticByzantine();
    nodes.push(new SimNode(i, env, rng.fork(), behaviour));
  }
  const honest = nodes.filter((node) => node.isHonest);

  for (const node of nodes) scheduler.at(rng.int(0, 50), `boot n${node.index}`, () => node.boot());
  if (gstMs > 0) scheduleChaos(scheduler, rng.fork(), network, n, honest, gstMs, restart);
  scheduler.at(gstMs, 'GST', () => {
    network.setFaults(CLEAN_LINKS);
    network.heal();
    for (const node of honest) if (!node.up) node.boot();
  });

  const deadlineMs = gstMs + options.livenessBoundMs;
  let targetHeight = Number.POSITIVE_INFINITY;
  scheduler.at(gstMs, 'fix liveness target', () => {
    targetHeight = Math.max(...honest.map((node) => node.lastHeight)) + options.heightsAfterGst;
  });
  const reached = (): boolean => honest.every((node) => node.lastHeight >= targetHeight);
  while (checker.violation === null && !reached()) {
    if (!scheduler.step(deadlineMs)) {
      const behind = honest.filter((node) => node.lastHeight < targetHeight).map((node) => `n${node.index}@${node.lastHeight}`);
      checker.failLiveness(`honest nodes ${behind.join(', ')} did not reach height ${targetHeight} within ${options.livenessBoundMs} ms after GST`);
    }
  }

  const sum = (pick: (node: SimNode) => number): number => nodes.reduce((total, node) => total + pick(node), 0);
  let maxCommitRound = 0;
  for (const node of honest) {
    for (let h = 1; h <= node.lastHeight; h++) maxCommitRound = Math.max(maxCommitRound, node.storedBlock(h)?.certificate.round ?? 0);
  }
  return {
    seed: options.seed,
    violation: checker.violation,
    traceHash: scheduler.traceHash(),
    traceTail: scheduler.traceTail(),
    virtualMs: scheduler.now,
    events: scheduler.executed,
    heights: nodes.map((node) => node.lastHeight),
    nodes: nodes.map((node) => node.describe()),
    maxCommitRound,
    messagesSent: network.stats.sent,
    messagesDropped: network.stats.dropped,
    crashes: sum((node) => node.stats.crashes),
    evidence: sum((node) => node.stats.evidence),
    refused: sum((node) => node.stats.refused),
    undecodable: sum((node) => node.stats.undecodable),
    syncedBlocks: sum((node) => node.stats.syncedBlocks),
  };
}

/** Partitions and crashes at random times before GST; everything heals at GST. */
function scheduleChaos(
  scheduler: Scheduler, rng: Prng, network: SimNetwork, n: number, honest: readonly SimNode[], gstMs: number,
  restart: (node: SimNode, delayMs: number) => void,
): void {
  for (let t = rng.int(200, 1500); t < gstMs; t += rng.int(500, 2500)) {
    scheduler.at(t, 'partition', () => {
      if (network.isPartitioned() || !rng.chance(0.6)) return;
      const shuffled = rng.shuffle([...Array(n).keys()]);
      const cut = rng.int(1, n - 1);
      network.partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
      scheduler.after(rng.int(300, 2000), 'heal', () => network.heal());
    });
  }
  for (let t = rng.int(300, 2000); t < gstMs; t += rng.int(700, 3000)) {
    scheduler.at(t, 'crash', () => {
      const up = honest.filter((node) => node.up);
      if (up.length === 0) return;
      const victim = rng.pick(up);
      victim.crash();
      restart(victim, rng.int(200, 3000));
    });
  }
}
