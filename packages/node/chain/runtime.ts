/**
 * One chain on one node: the consensus driver around the pure BFT machine, with the mempool, executor, ledger
 * and peer network around it. All consensus events go through one queue drained in order, so outputs are applied
 * in the order the machine emitted them (persist before broadcast, commit before commit_durable).
 */
import type { Logger } from 'pino';
import { GovchainError, bytesEqual, fromHex, isHex, toHex, utf8 } from '@govchain/base';
import { merkleProof, type CryptoSuite } from '@govchain/crypto';
import { BftMachine, ValidatorSet, type BftEvent, type BftOutput } from '@govchain/consensus';
import { StateOverlay, type Ledger } from '@govchain/ledger';
import {
  addressOf, decodeBlock, decodeCommitCertificate, decodeConsensusMessage, decodeHeader, decodeReceipt, decodeSignedTx,
  encodeCommitCertificate, encodeConsensusMessage, validatorSetOf, validatorsHashOf,
  type BlockJson, type BlockTxsJson, type BlockValue, type ChainEvent, type CommitCertificate, type Genesis, type SignedTx, type StatusJson,
  type TxProofJson, type TxRecord, type TxSubmission, type ValidatorJson,
} from '@govchain/protocol';
import { Executor, kvContract, type HistoryEntry, type JsonValue, type SystemContract } from '@govchain/vm';
import type { ChainService } from '../api/service.ts';
import { Mempool, type MempoolLimits, type PoolEntry } from '../mempool/mempool.ts';
import type { NodeMetrics } from '../metrics.ts';
import { BlockExecutor, type ExecutedBlock } from './blocks.ts';
import { ConsensusStateFile } from './consensus-store.ts';
import { CommittedState, ExecState } from './exec-state.ts';
import {
  GOSSIP_TXS_MAX, MSG_CONSENSUS, MSG_STATUS, MSG_SYNC_REQUEST, MSG_SYNC_RESPONSE, MSG_TXS, SYNC_BLOCKS_MAX,
  decodeStatus, decodeSyncRequest, decodeSyncResponse, decodeTxs, encodeStatus, encodeSyncRequest, encodeSyncResponse, encodeTxs,
} from './messages.ts';
import { renderHeader, renderReceipt, renderTx } from './render.ts';
import { SenderPolicy } from './sender-policy.ts';

/** What the runtime needs from the p2p layer. */
export interface PeerNetwork {
  broadcast(chainId: string, type: number, payload: Uint8Array): void;
  send(peerId: string, chainId: string, type: number, payload: Uint8Array): void;
  onMessage(chainId: string, handler: (peerId: string, type: number, payload: Uint8Array) => void): void;
  onPeerConnected(handler: (peerId: string) => void): void;
  peers(): { id: string; name: string; connected: boolean }[];
}

export interface ChainRuntimeOptions {
  genesis: Genesis;
  genesisBytes: Uint8Array;
  suite: CryptoSuite;
  nodeName: string;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  ledger: Ledger;
  dataDir: string;
  network: PeerNetwork;
  logger: Logger;
  metrics: NodeMetrics;
  mempoolLimits: MempoolLimits;
  version: string;
  /** System contracts beyond the built-in kv (the apps' contracts); identical on every node of the chain. */
  contracts?: readonly SystemContract[];
  nowMs?: () => number;
}

const CLOCK_DRIFT_MS_MAX = 10_000;
const TICK_MS = 1000;
const GOSSIP_FLUSH_MS = 5;
const WAITERS_MAX = 100_000;
const STALL_UNHEALTHY_MS = 60_000;

type Waiter = (submission: TxSubmission) => void;

export class ChainRuntime implements ChainService {
  readonly chainId: string;
  private readonly suite: CryptoSuite;
  private readonly hash: (d: Uint8Array) => Uint8Array;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly validatorSet: ValidatorSet;
  private readonly ownIndex: number | null;
  private readonly machine: BftMachine;
  private readonly mempool: Mempool;
  private readonly executor: Executor;
  private readonly blocks: BlockExecutor<ExecState>;
  private readonly stateFile: ConsensusStateFile;
  private readonly senders: SenderPolicy;
  private readonly committedState: CommittedState;
  private readonly executed = new Map<string, ExecutedBlock<ExecState>>();
  private readonly queue: BftEvent[] = [];
  private draining = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private tickTimer: NodeJS.Timeout | null = null;
  private gossipBuffer: Uint8Array[] = [];
  private gossipTimer: NodeJS.Timeout | null = null;
  private readonly waiters = new Map<string, Waiter[]>();
  private waiterCount = 0;
  private readonly subscribers = new Set<(e: ChainEvent) => void>();
  private readonly peerHeights = new Map<string, number>();
  private readonly lastSignedHeight: (number | null)[];
  private tip: { height: number; hash: Uint8Array; timeMs: number };
  private lastCommitAtMs: number;
  private heightAtLastTick = -1;
  private stalledTicks = 0;
  private stopped = false;

  constructor(private readonly opts: ChainRuntimeOptions) {
    const { genesis, suite } = opts;
    this.chainId = genesis.chainId;
    this.suite = suite;
    this.hash = (d) => suite.hash(d);
    this.log = opts.logger.child({ chain: genesis.chainId });
    this.now = opts.nowMs ?? Date.now;
    const entries = validatorSetOf(genesis);
    this.validatorSet = new ValidatorSet(entries);
    const own = entries.findIndex((v) => bytesEqual(v.publicKey, opts.publicKey));
    this.ownIndex = own >= 0 ? own : null;
    this.lastSignedHeight = entries.map(() => null);
    this.executor = new Executor([kvContract, ...(opts.contracts ?? [])], this.hash);
    this.committedState = new CommittedState(opts.ledger);
    this.stateFile = new ConsensusStateFile(opts.dataDir);
    this.senders = new SenderPolicy(genesis, this.hash);

    this.ensureGenesisCommitted();
    this.tip = this.readTip();
    this.lastCommitAtMs = this.now();

    this.mempool = new Mempool(opts.mempoolLimits, {
      chainId: this.chainId,
      hash: this.hash,
      verifyBatch: (items) => suite.verifyBatch(items),
      nowMs: this.now,
      isCommitted: (id) => opts.ledger.hasTx(id),
      precheck: (tx) => this.precheck(tx),
    });
    this.blocks = new BlockExecutor<ExecState>(
      {
        chainId: this.chainId,
        hash: this.hash,
        validatorsHash: validatorsHashOf(this.hash, entries),
        validatorCount: entries.length,
        blockTxsMax: genesis.consensus.blockTxsMax,
        blockBytesMax: genesis.consensus.blockBytesMax,
        clockDriftMsMax: CLOCK_DRIFT_MS_MAX,
        verifyBatch: (items) => suite.verifyBatch(items),
        admitted: (bytes) => this.mempool.admitted(bytes),
        checkSender: (tx, atMs) => this.senders.check(tx, atMs),
      },
      this.executor,
      {
        tipHeight: () => this.tip.height,
        tipHash: () => this.tip.hash,
        tipTimeMs: () => this.tip.timeMs,
        hasTx: (id) => opts.ledger.hasTx(id),
        overlay: () => new ExecState(new StateOverlay(opts.ledger), opts.ledger, this.tip.height + 1),
      },
    );
    this.machine = new BftMachine(
      { chainId: this.chainId, validators: this.validatorSet, ownIndex: this.ownIndex, timeouts: genesis.consensus },
      {
        sign: (m) => suite.sign(opts.privateKey, m),
        verify: (pk, m, s) => suite.verify(pk, m, s),
        validateBlock: (height, block) => this.validateBlock(height, block),
      },
      { height: this.tip.height + 1, persisted: this.stateFile.load() },
    );
    opts.network.onMessage(this.chainId, (peer, type, payload) => this.onPeerMessage(peer, type, payload));
    opts.network.onPeerConnected((peer) => this.onPeerConnected(peer));
  }

  start(): void {
    this.feed({ kind: 'start' });
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.log.info({ height: this.tip.height, validatorIndex: this.ownIndex }, 'chain started');
  }

  stop(): void {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.gossipTimer) clearTimeout(this.gossipTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const [id, ws] of this.waiters) for (const w of ws) w({ txId: id, status: 'pending' });
    this.waiters.clear();
  }

  /** Height 0 is the genesis document itself: its hash becomes block 1's parent. */
  private ensureGenesisCommitted(): void {
    const ledger = this.opts.ledger;
    if (ledger.lastHeight() >= 0) {
      const g = ledger.getBlock(0);
      if (g === undefined || !bytesEqual(g.blockBytes, this.opts.genesisBytes)) {
        throw new GovchainError('GENESIS_MISMATCH', 'malformed', 'this data directory belongs to a chain with a different genesis file');
      }
      return;
    }
    const overlay = new StateOverlay(ledger);
    overlay.set(utf8('sys\u0000genesis'), this.hash(this.opts.genesisBytes), null);
    ledger.commitBlock({
      height: 0,
      blockHash: this.hash(this.opts.genesisBytes),
      blockBytes: this.opts.genesisBytes,
      certificateBytes: new Uint8Array(0),
      txs: [],
      receipts: [],
      stateWrites: overlay.log(),
      preparedState: ledger.prepareState(0, overlay.writes()),
    });
  }

  private readTip(): { height: number; hash: Uint8Array; timeMs: number } {
    const height = this.opts.ledger.lastHeight();
    const stored = this.opts.ledger.getBlock(height)!;
    if (height === 0) return { height, hash: stored.blockHash, timeMs: this.opts.genesis.genesisTimeMs };
    return { height, hash: stored.blockHash, timeMs: decodeBlock(stored.blockBytes).header.timeMs };
  }

  private precheck(tx: SignedTx): GovchainError | null {
    // No separate point check of the sender key: an invalid key fails the signature check, which runs anyway.
    return this.senders.check(tx, this.now()) ?? this.executor.precheck(tx.body.contract, tx.body.method);
  }

  // ---- consensus driving ----

  private feed(event: BftEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) this.apply(this.machine.handle(this.queue.shift()!));
    } finally {
      this.draining = false;
    }
    const s = this.machine.status();
    this.opts.metrics.round.set(s.round);
  }

  private apply(outputs: BftOutput[]): void {
    for (const out of outputs) {
      switch (out.kind) {
        case 'persist':
          this.stateFile.save(out.state);
          break;
        case 'broadcast':
          this.opts.network.broadcast(this.chainId, MSG_CONSENSUS, encodeConsensusMessage(out.message));
          break;
        case 'schedule_timeout': {
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.feed({ kind: 'timeout', timeout: out.timeout });
          }, out.delayMs);
          this.timers.add(t);
          break;
        }
        case 'request_build':
          this.queue.push({ kind: 'block_built', height: out.height, round: out.round, block: this.buildBlock() });
          break;
        case 'commit':
          this.commit(out.height, out.block, out.certificate);
          this.queue.push({ kind: 'commit_durable', height: out.height });
          if (this.mempool.size > 0) this.queue.push({ kind: 'txs_available' });
          break;
        case 'request_sync':
          this.requestSync(out.fromHeight);
          break;
        case 'evidence':
          this.opts.metrics.evidence.inc();
          this.log.warn({ validatorIndex: out.evidence.first.validatorIndex, height: out.evidence.first.height }, 'validator signed two different votes');
          break;
        case 'refused':
          this.opts.metrics.consensusRefused.inc();
          this.log.debug({ reason: out.reason, validatorIndex: out.validatorIndex }, 'consensus input refused');
          break;
      }
    }
  }

  private buildBlock(): BlockValue {
    const c = this.opts.genesis.consensus;
    const txs = this.mempool.reap(c.blockTxsMax, c.blockBytesMax);
    const built = this.blocks.build(txs, this.ownIndex ?? 0, this.now());
    this.executed.set(toHex(built.blockHash), built);
    return { hash: built.blockHash, bytes: built.blockBytes };
  }

  private validateBlock(height: number, block: BlockValue): boolean {
    if (height !== this.tip.height + 1) return false;
    const known = this.executed.get(toHex(block.hash));
    if (known !== undefined) return bytesEqual(known.blockBytes, block.bytes);
    try {
      const ex = this.blocks.validate(block.bytes, this.now());
      if (!bytesEqual(ex.blockHash, block.hash)) return false;
      this.executed.set(toHex(block.hash), ex);
      return true;
    } catch (err) {
      this.log.warn({ height, code: (err as GovchainError).code, reason: (err as Error).message }, 'refused an invalid block');
      return false;
    }
  }

  private commit(height: number, block: BlockValue, certificate: CommitCertificate): void {
    const ex = this.executed.get(toHex(block.hash));
    if (ex === undefined) throw new GovchainError('COMMIT_UNVALIDATED', 'internal', `height ${height} decided on a block this node never validated`);
    const ledger = this.opts.ledger;
    ledger.commitBlock({
      height,
      blockHash: ex.blockHash,
      blockBytes: ex.blockBytes,
      headerBytes: ex.block.headerBytes,
      certificateBytes: encodeCommitCertificate(certificate),
      txs: ex.txIds.map((id, i) => ({ id, bytes: ex.block.txs[i]! })),
      receipts: ex.receipts.map((r, i) => ({ txId: r.txId, bytes: ex.receiptBytes[i]! })),
      stateWrites: ex.writeLog,
      preparedState: ex.overlay.preparedState(),
    });
    this.executed.clear();
    const header = ex.block.header;
    this.tip = { height, hash: ex.blockHash, timeMs: header.timeMs };
    const now = this.now();
    this.lastCommitAtMs = now;
    for (const sig of certificate.votes) this.lastSignedHeight[sig.validatorIndex] = height;

    const idHexes = ex.txIds.map(toHex);
    for (const idHex of idHexes) {
      const entry = this.mempool.get(idHex);
      if (entry !== undefined) this.opts.metrics.commitLatency.observe((now - entry.admittedAtMs) / 1000);
    }
    this.mempool.remove(idHexes);
    this.mempool.evictExpired(header.timeMs);
    const m = this.opts.metrics;
    m.height.set(height);
    m.blocksCommitted.inc();
    m.txsCommitted.inc(ex.receipts.length);
    m.txsFailed.inc(ex.receipts.filter((r) => r.status === 'failed').length);
    m.blockTxs.observe(ex.receipts.length);
    m.mempoolTxs.set(this.mempool.size);
    m.mempoolBytes.set(this.mempool.sizeBytes);

    ex.receipts.forEach((r, i) => {
      const ws = this.waiters.get(idHexes[i]!);
      if (ws === undefined) return;
      this.waiters.delete(idHexes[i]!);
      this.waiterCount -= ws.length;
      const submission: TxSubmission = { txId: idHexes[i]!, status: 'committed', height, receipt: renderReceipt(r) };
      for (const w of ws) w(submission);
    });
    if (this.subscribers.size > 0) {
      const event: ChainEvent = {
        type: 'block',
        header: renderHeader(header, ex.blockHash),
        txs: ex.receipts.map((r, i) => (r.status === 'ok' ? { txId: idHexes[i]!, status: 'ok' } : { txId: idHexes[i]!, status: 'failed', errorCode: r.errorCode })),
      };
      for (const s of this.subscribers) s(event);
    }
  }

  // ---- peers: consensus messages, tx gossip, status and block sync ----

  private onPeerMessage(peer: string, type: number, payload: Uint8Array): void {
    try {
      switch (type) {
        case MSG_CONSENSUS:
          this.feed({ kind: 'message', message: decodeConsensusMessage(payload) });
          break;
        case MSG_TXS:
          this.admitGossip(decodeTxs(payload));
          break;
        case MSG_STATUS:
          this.peerHeights.set(peer, decodeStatus(payload));
          break;
        case MSG_SYNC_REQUEST:
          this.serveSync(peer, decodeSyncRequest(payload));
          break;
        case MSG_SYNC_RESPONSE:
          this.applySync(decodeSyncResponse(payload));
          break;
        default:
          this.log.debug({ peer, type }, 'unknown message type');
      }
    } catch (err) {
      if (!(err instanceof GovchainError)) throw err;
      this.log.warn({ peer, type, code: err.code, reason: err.message }, 'refused a peer message');
    }
  }

  private onPeerConnected(peer: string): void {
    this.opts.network.send(peer, this.chainId, MSG_STATUS, encodeStatus(this.tip.height));
    // Messages signed at this height may never have reached a peer that was down: repeat them to it.
    for (const m of this.machine.ownMessages()) this.opts.network.send(peer, this.chainId, MSG_CONSENSUS, encodeConsensusMessage(m));
  }

  private admitGossip(list: Uint8Array[]): void {
    const admitted = this.mempool.addEach(list).length;
    if (admitted > 0) {
      this.opts.metrics.txsAdmitted.inc(admitted);
      this.feed({ kind: 'txs_available' });
    }
  }

  private gossip(entries: readonly PoolEntry[]): void {
    for (const e of entries) this.gossipBuffer.push(e.tx.bytes);
    if (this.gossipBuffer.length >= GOSSIP_TXS_MAX) this.flushGossip();
    else this.gossipTimer ??= setTimeout(() => this.flushGossip(), GOSSIP_FLUSH_MS);
  }

  private flushGossip(): void {
    if (this.gossipTimer) clearTimeout(this.gossipTimer);
    this.gossipTimer = null;
    while (this.gossipBuffer.length > 0) {
      const chunk = this.gossipBuffer.splice(0, GOSSIP_TXS_MAX);
      this.opts.network.broadcast(this.chainId, MSG_TXS, encodeTxs(chunk));
    }
  }

  private requestSync(fromHeight: number): void {
    let best: string | null = null;
    let bestHeight = fromHeight - 1;
    for (const [peer, h] of this.peerHeights) {
      if (h > bestHeight) {
        best = peer;
        bestHeight = h;
      }
    }
    const targets = best !== null ? [best] : this.opts.network.peers().filter((p) => p.connected).map((p) => p.id);
    for (const peer of targets) {
      this.opts.network.send(peer, this.chainId, MSG_SYNC_REQUEST, encodeSyncRequest({ fromHeight, count: SYNC_BLOCKS_MAX }));
    }
  }

  private serveSync(peer: string, req: { fromHeight: number; count: number }): void {
    if (req.fromHeight < 1 || req.fromHeight > this.tip.height) return;
    const blocks = this.opts.ledger.readBlocks(req.fromHeight, req.count);
    const entries = blocks.map((b) => ({ blockBytes: b.blockBytes, certificateBytes: b.certificateBytes }));
    if (entries.length > 0) this.opts.network.send(peer, this.chainId, MSG_SYNC_RESPONSE, encodeSyncResponse(entries));
  }

  private applySync(entries: { blockBytes: Uint8Array; certificateBytes: Uint8Array }[]): void {
    for (const e of entries) {
      const header = decodeHeader(decodeBlock(e.blockBytes).headerBytes);
      if (header.height !== this.machine.status().height || this.machine.status().committing) continue;
      const certificate = decodeCommitCertificate(e.certificateBytes);
      const blockHash = this.hash(decodeBlock(e.blockBytes).headerBytes);
      this.feed({ kind: 'block_synced', block: { hash: blockHash, bytes: e.blockBytes }, certificate });
    }
  }

  /** Once a second: tell peers our height, sync when a peer is ahead, repeat our votes when stuck. */
  private tick(): void {
    this.opts.network.broadcast(this.chainId, MSG_STATUS, encodeStatus(this.tip.height));
    this.opts.metrics.peers.set(this.opts.network.peers().filter((p) => p.connected).length);
    const height = this.machine.status().height;
    let peerAhead = false;
    for (const h of this.peerHeights.values()) if (h >= height) peerAhead = true;
    if (height === this.heightAtLastTick) {
      this.stalledTicks++;
      if (peerAhead) this.requestSync(height);
      if (this.stalledTicks >= 2) {
        for (const m of this.machine.ownMessages()) this.opts.network.broadcast(this.chainId, MSG_CONSENSUS, encodeConsensusMessage(m));
      }
    } else {
      this.stalledTicks = 0;
    }
    this.heightAtLastTick = height;
  }

  // ---- ChainService ----

  async submit(txBytes: Uint8Array, wait: boolean, timeoutMs: number): Promise<TxSubmission> {
    const [result] = await this.submitBatch([txBytes], wait, timeoutMs);
    return result!;
  }

  async submitBatch(list: Uint8Array[], wait: boolean, timeoutMs: number): Promise<TxSubmission[]> {
    let entries: PoolEntry[];
    try {
      entries = list.length === 1 ? [this.mempool.add(list[0]!)] : this.mempool.addBatch(list);
    } catch (err) {
      if (err instanceof GovchainError) this.opts.metrics.txsRefused.inc({ code: err.code });
      throw err;
    }
    this.opts.metrics.txsAdmitted.inc(entries.length);
    this.opts.metrics.mempoolTxs.set(this.mempool.size);
    this.opts.metrics.mempoolBytes.set(this.mempool.sizeBytes);
    const waits = wait ? entries.map((e) => this.waitFor(e.idHex, timeoutMs)) : null;
    this.gossip(entries);
    this.feed({ kind: 'txs_available' });
    if (waits === null) return entries.map((e) => ({ txId: e.idHex, status: 'pending' }));
    return Promise.all(waits);
  }

  private waitFor(idHex: string, timeoutMs: number): Promise<TxSubmission> {
    if (this.waiterCount >= WAITERS_MAX) return Promise.resolve({ txId: idHex, status: 'pending' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const ws = this.waiters.get(idHex);
        if (ws === undefined) return;
        const i = ws.indexOf(done);
        if (i >= 0) {
          ws.splice(i, 1);
          this.waiterCount--;
        }
        if (ws.length === 0) this.waiters.delete(idHex);
        resolve({ txId: idHex, status: 'pending' });
      }, timeoutMs);
      const done: Waiter = (s) => {
        clearTimeout(timer);
        resolve(s);
      };
      const ws = this.waiters.get(idHex) ?? [];
      ws.push(done);
      this.waiters.set(idHex, ws);
      this.waiterCount++;
    });
  }

  getTx(txIdHex: string): TxRecord | null {
    if (!isHex(txIdHex, 32)) return null;
    const id = fromHex(txIdHex);
    const stored = this.opts.ledger.getTx(id);
    const receiptBytes = this.opts.ledger.getReceipt(id);
    if (stored === undefined || receiptBytes === undefined) return null;
    const block = this.opts.ledger.getBlock(stored.height)!;
    return {
      tx: renderTx(decodeSignedTx(stored.bytes), this.hash),
      height: stored.height,
      index: stored.index,
      blockHash: toHex(block.blockHash),
      receipt: renderReceipt(decodeReceipt(receiptBytes)),
    };
  }

  txProof(txIdHex: string): TxProofJson | null {
    if (!isHex(txIdHex, 32)) return null;
    const ledger = this.opts.ledger;
    const stored = ledger.getTx(fromHex(txIdHex));
    if (stored === undefined) return null;
    const block = ledger.getBlock(stored.height)!;
    const txs = ledger.getBlockTxs(stored.height);
    const receipts = txs.map((t) => ledger.getReceipt(t.id)!);
    const txLeaves = txs.map((t) => t.bytes);
    const genesis = this.opts.genesis;
    return {
      format: 'govchain-tx-proof/1',
      chainId: this.chainId,
      suite: genesis.suite,
      height: stored.height,
      txIndex: stored.index,
      txCount: txs.length,
      tx: toHex(stored.bytes),
      txPath: merkleProof(txLeaves, stored.index, this.hash).path.map(toHex),
      receipt: toHex(receipts[stored.index]!),
      receiptPath: merkleProof(receipts, stored.index, this.hash).path.map(toHex),
      header: toHex(decodeBlock(block.blockBytes).headerBytes),
      blockHash: toHex(block.blockHash),
      certificate: toHex(ledger.getCertificate(stored.height)!),
      validators: genesis.validators.map((v) => ({ name: v.name, organization: v.organization, publicKey: v.publicKey, power: v.power, certificate: v.certificate })),
      organizations: genesis.organizations.map((o) => ({ id: o.id, name: o.name, rootCertificate: o.rootCertificate, caCertificates: o.caCertificates })),
      genesisHash: toHex(this.hash(this.opts.genesisBytes)),
    };
  }

  getBlock(heightOrHash: number | string): BlockJson | null {
    const ledger = this.opts.ledger;
    const stored = typeof heightOrHash === 'number' ? ledger.getBlock(heightOrHash) : isHex(heightOrHash, 32) ? ledger.getBlockByHash(fromHex(heightOrHash)) : undefined;
    if (stored === undefined || stored.height === 0) return null;
    const block = decodeBlock(stored.blockBytes);
    const certBytes = ledger.getCertificate(stored.height);
    const cert = certBytes === undefined || certBytes.length === 0 ? null : decodeCommitCertificate(certBytes);
    return {
      header: renderHeader(block.header, stored.blockHash),
      txIds: block.txs.map((t) => toHex(this.hash(decodeSignedTx(t).bodyBytes))),
      certificate: cert === null ? null : { round: cert.round, signers: cert.votes.map((s) => s.validatorIndex) },
    };
  }

  blockTxs(height: number, offset: number, limit: number): BlockTxsJson | null {
    const ledger = this.opts.ledger;
    if (height < 1 || height > this.tip.height) return null;
    const txs = ledger.getBlockTxs(height);
    const receipts = ledger.getBlockReceipts(height);
    const page = txs.slice(offset, offset + limit).map((t, k) => {
      const tx = decodeSignedTx(t.bytes);
      const receipt = decodeReceipt(receipts[offset + k]!);
      return {
        txId: toHex(t.id),
        index: offset + k,
        sender: addressOf(this.hash, tx.body.senderPublicKey),
        contract: tx.body.contract,
        method: tx.body.method,
        status: receipt.status,
        ...(receipt.status === 'failed' ? { errorCode: receipt.errorCode } : {}),
      };
    });
    return { height, txCount: txs.length, offset, txs: page };
  }

  listBlocks(fromHeight: number, limit: number): BlockJson[] {
    const out: BlockJson[] = [];
    for (let h = Math.min(fromHeight, this.tip.height); h >= 1 && out.length < limit; h--) {
      const b = this.getBlock(h);
      if (b !== null) out.push(b);
    }
    return out;
  }

  status(): StatusJson {
    const s = this.machine.status();
    return {
      chainId: this.chainId,
      suite: this.suite.name,
      nodeName: this.opts.nodeName,
      height: this.tip.height,
      lastBlockHash: toHex(this.tip.hash),
      lastBlockTimeMs: this.tip.timeMs,
      consensus: { height: s.height, round: s.round, step: s.step, isValidator: this.ownIndex !== null },
      mempool: { txs: this.mempool.size, bytes: this.mempool.sizeBytes },
      peers: this.opts.network.peers().map((p) => ({ name: p.name, connected: p.connected })),
      version: this.opts.version,
    };
  }

  validators(): ValidatorJson[] {
    return this.opts.genesis.validators.map((v, index) => ({
      index,
      name: v.name,
      organization: v.organization,
      publicKey: v.publicKey,
      address: addressOf(this.hash, fromHex(v.publicKey)),
      power: v.power,
      lastSignedHeight: this.lastSignedHeight[index] ?? null,
    }));
  }

  query(contract: string, method: string, args: JsonValue): JsonValue {
    return this.executor.query(contract, method, args, this.committedState, this.tip.height, this.chainId, (key, limit) => this.history(key, limit));
  }

  private history(key: Uint8Array, limit: number): HistoryEntry[] {
    return this.opts.ledger.keyHistory(key, limit).entries.map((e) => ({
      height: e.height,
      txId: e.txId === null ? '' : toHex(e.txId),
      value: e.value === null ? null : new TextDecoder().decode(e.value),
    }));
  }

  contracts(): { contract: string; method: string; kind: string; description: string }[] {
    return this.executor.describe();
  }

  subscribe(listener: (event: ChainEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  health(): { ok: boolean; reasons: string[] } {
    const reasons: string[] = [];
    const connected = this.opts.network.peers().filter((p) => p.connected).length;
    if (this.validatorSet.size > 1 && connected === 0) reasons.push('no peers connected');
    const idleMs = this.now() - this.lastCommitAtMs;
    if (idleMs > Math.max(STALL_UNHEALTHY_MS, this.opts.genesis.consensus.emptyBlockIntervalMs * 3)) {
      reasons.push(`no block committed for ${Math.round(idleMs / 1000)} s`);
    }
    return { ok: reasons.length === 0, reasons };
  }
}
