/**
 * One simulated node: the consensus machine plus the driver a real node would wrap around it. The driver honours
 * the machine's contract (persist before broadcast, commit durably then `commit_durable`, timers, block building,
 * sync), re-broadcasts the node's own messages on a lossy network, and keeps two stores that survive a crash:
 * the persisted consensus state and the block store. Everything else is lost when the node crashes.
 */
import { bytesEqual } from '@govchain/base';
import {
  BftMachine, decodePersistedState, encodePersistedState, type BftEvent, type BftOutput, type TimeoutConfig, type ValidatorSet,
} from '@govchain/consensus';
import {
  decodeCommitCertificate, decodeConsensusMessage, encodeCommitCertificate, encodeConsensusMessage, verifyCommitCertificate,
  type BlockValue, type CommitCertificate, type ConsensusMessage,
} from '@govchain/protocol';
import { GENESIS_HASH, blockDefect, buildBlock } from './app.ts';
import type { InvariantChecker } from './invariants.ts';
import type { Packet, SimNetwork } from './network.ts';
import type { Prng } from './prng.ts';
import type { Scheduler } from './scheduler.ts';
import { validatorKey, verifySignature } from './sim-crypto.ts';

/** How often a node re-sends what it signed at its current height (gossip's eventual delivery). */
const RETRANSMIT_MS = 400;
const SYNC_RETRY_MS = 300;
/** Blocks per sync answer, and how far ahead of its height a node keeps synced blocks. */
const SYNC_BATCH_MAX = 8;
const BUILD_MS_MAX = 10;
const DISK_WRITE_MS_MAX = 5;

export interface NodeEnv {
  scheduler: Scheduler;
  network: SimNetwork;
  checker: InvariantChecker;
  validators: ValidatorSet;
  chainId: string;
  timeouts: TimeoutConfig;
  /** Whether the mempool always holds transactions; false models an idle chain. */
  txsAlways: boolean;
  /** Chance that a node crashes right after persisting, before acting on the rest of a batch. */
  crashAfterPersistRate: () => number;
  /** Broken on purpose when true: a crash loses the persisted consensus state, as if the driver never wrote it. */
  forgetPersistedState: boolean;
  onSelfCrash: (node: SimNode) => void;
}

/** A byzantine node replaces how it speaks; it still runs an honest machine underneath to follow the chain. */
export interface ByzantineBehaviour {
  broadcast(node: SimNode, message: ConsensusMessage): void;
  answerSync(node: SimNode, peer: number, fromHeight: number): void;
  tick(node: SimNode): void;
}

export interface NodeStats {
  crashes: number;
  refused: number;
  undecodable: number;
  evidence: number;
  syncedBlocks: number;
}

interface StoredBlock {
  block: BlockValue;
  certificate: CommitCertificate;
}

export class SimNode {
  // Durable: survives crashes.
  private persisted: Uint8Array | null = null;
  private readonly blocks = new Map<number, StoredBlock>();
  lastHeight = 0;
  // Volatile.
  private machine: BftMachine | null = null;
  private incarnation = 0;
  up = false;
  private syncTarget = 0;
  private syncRetryArmed = false;
  private readonly synced = new Map<number, StoredBlock>();
  private readonly lastHelp = new Map<number, { height: number; atMs: number }>();
  readonly stats: NodeStats = { crashes: 0, refused: 0, undecodable: 0, evidence: 0, syncedBlocks: 0 };

  constructor(
    readonly index: number,
    private readonly env: NodeEnv,
    readonly rng: Prng,
    readonly byzantine: ByzantineBehaviour | null,
  ) {}

  get isHonest(): boolean {
    return this.byzantine === null;
  }

  get size(): number {
    return this.env.validators.size;
  }

  get chainId(): string {
    return this.env.chainId;
  }

  get now(): number {
    return this.env.scheduler.now;
  }

  /** Height the machine is deciding, or the next one after the block store when down. */
  currentHeight(): number {
    return this.machine?.status().height ?? this.lastHeight + 1;
  }

  currentRound(): number {
    return this.machine?.status().round ?? 0;
  }

  /** One line for failure reports: where the machine stands. */
  describe(): string {
    const s = this.machine?.status();
    const role = this.isHonest ? '' : ' byzantine';
    return s === undefined ? `n${this.index}${role} down, stored ${this.lastHeight}` : `n${this.index}${role} h${s.height} r${s.round} ${s.step}${s.committing ? ' committing' : ''}, stored ${this.lastHeight}`;
  }

  parentHash(height: number): Uint8Array {
    return height === 1 ? GENESIS_HASH : (this.blocks.get(height - 1)?.block.hash ?? GENESIS_HASH);
  }

  storedBlock(height: number): StoredBlock | undefined {
    return this.blocks.get(height);
  }

  boot(): void {
    this.up = true;
    this.incarnation++;
    const persisted = this.persisted === null ? null : decodePersistedState(this.persisted);
    const key = validatorKey(this.index);
    this.machine = new BftMachine(
      { chainId: this.env.chainId, validators: this.env.validators, ownIndex: this.index, timeouts: this.env.timeouts },
      {
        sign: (message) => key.sign(message),
        verify: verifySignature,
        validateBlock: (height, block) => blockDefect(height, block, this.parentHash(height)) === null,
      },
      { height: this.lastHeight + 1, persisted },
    );
    this.feed({ kind: 'start' });
    if (this.env.txsAlways) this.feed({ kind: 'txs_available' });
    this.every(RETRANSMIT_MS, 'retransmit', () => {
      for (const message of this.machine?.ownMessages() ?? []) this.broadcast(message);
    });
    if (this.byzantine !== null) {
      const byzantine = this.byzantine;
      this.every(97, 'mischief', () => byzantine.tick(this));
    }
  }

  crash(): void {
    this.up = false;
    this.machine = null;
    this.incarnation++;
    this.syncTarget = 0;
    this.syncRetryArmed = false;
    this.synced.clear();
    this.lastHelp.clear();
    if (this.env.forgetPersistedState) this.persisted = null;
    this.stats.crashes++;
  }

  sendTo(peer: number, packet: Packet): void {
    this.env.network.send(this.index, peer, packet);
  }

  peers(): number[] {
    return [...Array(this.size).keys()].filter((i) => i !== this.index);
  }

  /** What an honest node does with a message it signed; a byzantine node's behaviour may do something else. */
  sendToAll(message: ConsensusMessage): void {
    if (this.isHonest) this.env.checker.onHonestSend(message);
    const bytes = encodeConsensusMessage(message);
    for (const peer of this.peers()) this.sendTo(peer, { kind: 'consensus', bytes });
  }

  answerSyncHonestly(peer: number, fromHeight: number): void {
    const entries = [];
    for (let h = fromHeight; h < fromHeight + SYNC_BATCH_MAX && this.blocks.has(h); h++) {
      const stored = this.blocks.get(h)!;
      entries.push({ hash: stored.block.hash, block: stored.block.bytes, certificate: encodeCommitCertificate(stored.certificate) });
    }
    if (entries.length > 0) this.sendTo(peer, { kind: 'sync_response', entries });
  }

  receive(from: number, packet: Packet): void {
    if (!this.up) return;
    if (packet.kind === 'consensus') {
      let message: ConsensusMessage;
      try {
        message = decodeConsensusMessage(packet.bytes);
      } catch {
        this.stats.undecodable++;
        return;
      }
      const height = message.kind === 'vote' ? message.vote.height : message.proposal.height;
      if (height < this.currentHeight()) this.helpLaggard(from, height);
      this.feed({ kind: 'message', message });
    } else if (packet.kind === 'sync_request') {
      this.answerSync(from, packet.fromHeight);
    } else {
      this.acceptSyncResponse(packet.entries);
    }
  }

  private answerSync(peer: number, fromHeight: number): void {
    if (this.byzantine !== null) this.byzantine.answerSync(this, peer, fromHeight);
    else this.answerSyncHonestly(peer, fromHeight);
  }

  /**
   * A peer still voting at a height this node committed may never gather the votes it needs (they went to a
   * quorum it is not part of, or an equivocator showed it other votes): send it the block with its certificate,
   * as CometBFT gossips the last commit. At most once per retransmit period per peer.
   */
  private helpLaggard(peer: number, height: number): void {
    const last = this.lastHelp.get(peer);
    if (last !== undefined && last.height === height && this.now - last.atMs < RETRANSMIT_MS) return;
    this.lastHelp.set(peer, { height, atMs: this.now });
    this.answerSync(peer, height);
  }

  private broadcast(message: ConsensusMessage): void {
    if (this.byzantine !== null) this.byzantine.broadcast(this, message);
    else this.sendToAll(message);
  }

  private feed(event: BftEvent): void {
    if (this.machine === null) return;
    this.apply(this.machine.handle(event));
  }

  private apply(outputs: readonly BftOutput[]): void {
    for (const out of outputs) {
      if (!this.up) return; // crashed part-way through the batch
      switch (out.kind) {
        case 'persist':
          this.persisted = encodePersistedState(out.state);
          if (this.isHonest && this.env.scheduler.now > 0 && this.rng.chance(this.env.crashAfterPersistRate())) {
            this.crash();
            this.env.onSelfCrash(this);
            return;
          }
          break;
        case 'broadcast':
          this.broadcast(out.message);
          break;
        case 'schedule_timeout': {
          const t = out.timeout;
          this.after(out.delayMs, `timeout ${t.step} h${t.height} r${t.round}`, () => this.feed({ kind: 'timeout', timeout: t }));
          break;
        }
        case 'request_build':
          this.after(this.rng.int(0, BUILD_MS_MAX), `build h${out.height} r${out.round}`, () => {
            const block = buildBlock(out.height, out.round, this.index, this.parentHash(out.height));
            this.feed({ kind: 'block_built', height: out.height, round: out.round, block });
          });
          break;
        case 'commit':
          this.after(this.rng.int(1, DISK_WRITE_MS_MAX), `write h${out.height}`, () => this.writeBlock(out.height, out.block, out.certificate));
          break;
        case 'request_sync':
          this.syncTarget = Math.max(this.syncTarget, out.seenHeight);
          this.requestSync();
          break;
        case 'evidence':
          this.stats.evidence++;
          if (this.isHonest) this.env.checker.onEvidence(this.index, out.evidence);
          break;
        case 'refused':
          this.stats.refused++;
          break;
      }
    }
  }

  private writeBlock(height: number, block: BlockValue, certificate: CommitCertificate): void {
    const parent = this.parentHash(height);
    this.blocks.set(height, { block, certificate });
    this.lastHeight = height;
    if (this.isHonest) this.env.checker.onHonestCommit(this.index, height, block, certificate, parent);
    this.feed({ kind: 'commit_durable', height });
    if (this.env.txsAlways) this.feed({ kind: 'txs_available' });
    this.feedSynced();
  }

  private requestSync(): void {
    if (this.currentHeight() >= this.syncTarget) return;
    this.sendTo(this.rng.pick(this.peers()), { kind: 'sync_request', fromHeight: this.currentHeight() });
    if (this.syncRetryArmed) return;
    this.syncRetryArmed = true;
    this.after(SYNC_RETRY_MS, 'sync retry', () => {
      this.syncRetryArmed = false;
      this.requestSync();
    });
  }

  /** Keeps only blocks whose certificate verifies for the height they claim, within a window above our height. */
  private acceptSyncResponse(entries: readonly { hash: Uint8Array; block: Uint8Array; certificate: Uint8Array }[]): void {
    const height = this.currentHeight();
    for (const e of entries.slice(0, SYNC_BATCH_MAX)) {
      let certificate: CommitCertificate;
      try {
        certificate = decodeCommitCertificate(e.certificate);
      } catch {
        this.stats.refused++;
        continue;
      }
      const h = certificate.height;
      if (h < height || h >= height + SYNC_BATCH_MAX || this.synced.has(h)) continue;
      const verdict = verifyCommitCertificate(certificate, this.env.validators.entries, this.env.chainId, verifySignature);
      if (!verdict.ok || !bytesEqual(certificate.blockHash, e.hash)) {
        this.stats.refused++;
        continue;
      }
      this.synced.set(h, { block: { hash: e.hash, bytes: e.block }, certificate });
    }
    this.feedSynced();
  }

  private feedSynced(): void {
    const status = this.machine?.status();
    if (status === undefined || status.committing) return;
    for (const h of [...this.synced.keys()]) if (h < status.height) this.synced.delete(h);
    const next = this.synced.get(status.height);
    if (next === undefined) return;
    this.synced.delete(status.height);
    this.stats.syncedBlocks++;
    this.feed({ kind: 'block_synced', block: next.block, certificate: next.certificate });
  }

  /** A timer that dies with this incarnation of the node. */
  private after(delayMs: number, label: string, run: () => void): void {
    const incarnation = this.incarnation;
    this.env.scheduler.after(delayMs, `n${this.index} ${label}`, () => {
      if (this.up && this.incarnation === incarnation) run();
    });
  }

  private every(periodMs: number, label: string, run: () => void): void {
    const tick = (): void => {
      run();
      this.after(periodMs, label, tick);
    };
    this.after(periodMs, label, tick);
  }
}
