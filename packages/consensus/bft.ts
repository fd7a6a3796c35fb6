/**
 * Tendermint BFT as a pure state machine: Algorithm 1 of "The latest gossip on BFT consensus" (Buchman, Kwon,
 * Milosevic, arXiv:1807.04938). Comments tagged `L22`, `L28`… name the paper's line numbers. Each `handle` call
 * applies one event, then fires the paper's "upon" rules until none is enabled, and returns what the driver must do.
 *
 * Departures from the paper, each for a reason (docs/consensus.md explains them at length):
 * - A re-proposal carries its proof of lock (the 2f+1 prevotes of its POL round), so L28 does not depend on the
 *   receiver having seen those prevotes: without relaying gossip, an equivocating validator could otherwise leave
 *   one honest node locked on a block no other node can accept.
 * - The proposer asks the application for a block (`request_build`) and proposes when it answers, so block
 *   building may take time; it also schedules timeoutPropose, so a slow builder costs a round, not liveness.
 * - Round 0 waits for transactions (`txs_available`) up to `emptyBlockIntervalMs`, so an idle chain is quiet
 *   instead of cycling through rounds.
 * - L55 (f+1 messages of a higher round) is applied as: jump to the highest round that validators holding more
 *   than 1/3 of the power have all reached. With equal power and all of them in one round this is the paper's rule.
 * - A decision is made once per height and the next height starts only after the driver made the block durable
 *   (`commit_durable`); blocks decided elsewhere arrive with their certificate as `block_synced`.
 */
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import {
  proposalSignBytes, sameBlockHash, verifyCommitCertificate, verifyProofOfLock, voteSignBytes,
  type BlockValue, type CommitCertificate, type CommitSignature, type ConsensusMessage, type VoteType,
} from '@govchain/protocol';
import { HeightLog } from './height-log.ts';
import { Signer } from './signer.ts';
import type {
  BftConfig, BftDeps, BftEvent, BftOutput, BftStatus, PersistedState, StartOptions, Step, Timeout, TimeoutStep,
} from './types.ts';

/** Messages buffered per validator for the next height, while this node finishes the current one. */
const NEXT_HEIGHT_MESSAGES_PER_VALIDATOR_MAX = 4;
/** Each rule fires at most once per state change; far fewer iterations than this means the rules settled. */
const RULE_FIRINGS_PER_EVENT_MAX = 1000;
/** Validation verdicts kept per height; a long height with many proposals starts over rather than grow. */
const VERDICTS_MAX = 32;
/** Timeouts grow per round for liveness under an unknown delay, but a node never sleeps longer than this. */
const TIMEOUT_MS_MAX = 120_000;

function internal(message: string): GovchainError {
  return new GovchainError('CONSENSUS_INTERNAL', 'internal', message);
}

export class BftMachine {
  private readonly config: BftConfig;
  private readonly deps: BftDeps;
  private readonly startOptions: StartOptions;
  private started = false;

  private height: number;
  private round = 0;
  private step: Step = 'propose';
  /** The height is decided and its commit was emitted; waiting for `commit_durable`. */
  private committing = false;
  private lockedRound = -1;
  private lockedValue: BlockValue | null = null;
  private validRound = -1;
  private validValue: BlockValue | null = null;
  /** The prevotes that made `validValue` valid: the proof of lock a re-proposal of it carries. */
  private validPol: CommitSignature[] = [];
  /** Null on a replica, which never signs. */
  private readonly signer: Signer | null;
  private log: HeightLog;
  /** Verdicts of `validateBlock` at this height, keyed by hash, with the exact bytes that were judged. */
  private verdicts = new Map<string, { bytes: Uint8Array; valid: boolean }>();

  // Once-per-round flags of the paper's "for the first time" rules, and round 0's wait for transactions.
  private waitingForTxs = false;
  private prevoteTimeoutScheduled = false; // L34
  private precommitTimeoutScheduled = false; // L47
  private validValueUpdated = false; // L36

  /** Verified messages for height + 1, replayed when it starts. */
  private nextHeightMessages: ConsensusMessage[][];
  /** Highest height each validator sent a verified message for; -1: none seen. */
  private readonly highestHeight: number[];
  private syncRequestedUpTo = 0;

  private outputs: BftOutput[] = [];
  private persistNeeded = false;

  constructor(config: BftConfig, deps: BftDeps, start: StartOptions) {
    if (config.ownIndex !== null && !config.validators.has(config.ownIndex)) {
      throw new GovchainError('CONSENSUS_CONFIG_INVALID', 'malformed', `own index ${config.ownIndex} is not in the validator set`);
    }
    if (!Number.isSafeInteger(start.height) || start.height < 1) {
      throw new GovchainError('CONSENSUS_CONFIG_INVALID', 'malformed', `start height must be ≥ 1, got ${start.height}`);
    }
    this.config = config;
    this.deps = deps;
    this.signer = config.ownIndex === null ? null : new Signer(config.chainId, config.ownIndex, deps.sign);
    this.startOptions = start;
    this.height = start.height;
    this.log = new HeightLog(config.validators);
    this.nextHeightMessages = this.emptyBuffers();
    this.highestHeight = new Array<number>(config.validators.size).fill(-1);
  }

  status(): BftStatus {
    return { height: this.height, round: this.round, step: this.step, committing: this.committing };
  }

  /**
   * What this node signed at its current height, oldest first. Tendermint's liveness assumes messages between
   * correct nodes are eventually delivered; a driver on a lossy network re-broadcasts these periodically.
   */
  ownMessages(): readonly ConsensusMessage[] {
    return this.signer?.all() ?? [];
  }

  handle(event: BftEvent): BftOutput[] {
    this.outputs = [];
    this.persistNeeded = false;
    if (event.kind === 'start') {
      if (this.started) throw internal('start was fed twice');
      this.started = true;
      this.onStart();
    } else {
      if (!this.started) throw internal(`${event.kind} fed before start`);
      this.dispatch(event);
    }
    const out = this.outputs;
    this.outputs = [];
    if (this.persistNeeded && this.signer !== null) out.unshift({ kind: 'persist', state: this.persistedState(this.signer) });
    return out;
  }

  private dispatch(event: Exclude<BftEvent, { kind: 'start' }>): void {
    switch (event.kind) {
      case 'message':
        this.onMessage(event.message);
        break;
      case 'timeout':
        this.onTimeout(event.timeout);
        break;
      case 'txs_available':
        if (this.waitingForTxs && !this.committing) this.beginPropose();
        break;
      case 'block_built':
        this.onBlockBuilt(event.height, event.round, event.block);
        break;
      case 'commit_durable':
        this.onCommitDurable(event.height);
        break;
      case 'block_synced':
        this.onBlockSynced(event.block, event.certificate);
        break;
    }
    this.evaluate();
  }

  // ---- start and restore ----------------------------------------------------------------------------------

  private onStart(): void {
    const persisted = this.startOptions.persisted;
    if (persisted !== null && persisted.height > this.height) {
      throw new GovchainError('CONSENSUS_STATE_AHEAD', 'internal',
        `persisted consensus state is at height ${persisted.height} but the block store ends at ${this.height - 1}: a committed block was lost`);
    }
    if (persisted !== null && persisted.height === this.height) this.restore(persisted);
    else {
      // Nothing signed at this height yet (or the state predates the last durable commit): start clean.
      this.persistNeeded = true;
      this.startRound(0);
    }
    this.evaluate();
  }

  private restore(p: PersistedState): void {
    this.lockedRound = p.lockedRound;
    this.lockedValue = p.lockedValue;
    this.validRound = p.validRound;
    this.validValue = p.validValue;
    this.validPol = p.validPol;
    if (p.lastSigned === null) {
      this.startRound(0);
      return;
    }
    // Resume exactly where the last signature left off: the sign guard then refuses anything at or before it.
    this.signer?.restore(p.lastSigned, p.signed);
    this.enterRound(p.lastSigned.round);
    this.step = p.lastSigned.step;
    for (const message of p.signed) {
      this.storeOwn(message);
      this.outputs.push({ kind: 'broadcast', message });
    }
    if (this.step === 'propose') this.scheduleTimeout('propose');
  }

  // ---- rounds ---------------------------------------------------------------------------------------------

  /** Enters `round` at step propose with fresh per-round flags; nothing is signed or scheduled. */
  private enterRound(round: number): void {
    this.round = round;
    this.step = 'propose';
    this.waitingForTxs = false;
    this.prevoteTimeoutScheduled = false;
    this.precommitTimeoutScheduled = false;
    this.validValueUpdated = false;
    this.log.evictOutside(round);
    this.signer?.keepWindow(round);
  }

  /** StartRound of the paper (L11). */
  private startRound(round: number): void {
    this.enterRound(round);
    if (round === 0) {
      this.waitingForTxs = true;
      this.scheduleTimeout('wait_txs');
      return;
    }
    this.beginPropose();
  }

  /** The part of StartRound after any wait for transactions: propose or start the propose timer. */
  private beginPropose(): void {
    this.waitingForTxs = false;
    if (this.isOwnTurnToPropose()) {
      if (this.validValue !== null) this.propose(this.validValue, this.validRound, this.validPol);
      else this.outputs.push({ kind: 'request_build', height: this.height, round: this.round });
    }
    this.scheduleTimeout('propose');
  }

  private isOwnTurnToPropose(): boolean {
    return this.config.ownIndex !== null && this.config.validators.proposer(this.height, this.round) === this.config.ownIndex;
  }

  private scheduleTimeout(step: TimeoutStep): void {
    const t = this.config.timeouts;
    const base = { wait_txs: t.emptyBlockIntervalMs, propose: t.timeoutProposeMs, prevote: t.timeoutPrevoteMs, precommit: t.timeoutPrecommitMs }[step];
    const delta = step === 'wait_txs' ? 0 : t.timeoutDeltaMs * this.round;
    const timeout: Timeout = { step, height: this.height, round: this.round };
    this.outputs.push({ kind: 'schedule_timeout', timeout, delayMs: Math.min(base + delta, TIMEOUT_MS_MAX) });
  }

  private onTimeout(t: Timeout): void {
    if (t.height !== this.height || t.round !== this.round || this.committing) return;
    if (t.step === 'wait_txs') {
      if (this.waitingForTxs) this.beginPropose();
    } else if (t.step === 'propose') {
      // OnTimeoutPropose (L57)
      if (this.step === 'propose') this.castVote('prevote', null);
    } else if (t.step === 'prevote') {
      // OnTimeoutPrevote (L61)
      if (this.step === 'prevote') this.castVote('precommit', null);
    } else {
      // OnTimeoutPrecommit (L65)
      this.startRound(this.round + 1);
    }
  }

  private onBlockBuilt(height: number, round: number, block: BlockValue): void {
    const stillWanted = height === this.height && round === this.round && this.step === 'propose' && !this.committing
      && this.isOwnTurnToPropose() && this.log.round(round)?.proposal == null;
    if (stillWanted) this.propose(block, -1, []);
  }

  // ---- the upon rules -------------------------------------------------------------------------------------

  private evaluate(): void {
    for (let i = 0; i < RULE_FIRINGS_PER_EVENT_MAX; i++) {
      if (this.committing) return;
      if (this.tryDecide()) return;
      if (this.trySkipRound() || this.tryPrevote() || this.tryScheduleTimeoutPrevote() || this.tryPrecommitBlock()
        || this.tryPrecommitNil() || this.tryScheduleTimeoutPrecommit()) continue;
      return;
    }
    throw internal(`consensus rules did not settle after ${RULE_FIRINGS_PER_EVENT_MAX} firings`);
  }

  /** L49: a proposal and 2f+1 precommits for it in any round decide the height. */
  private tryDecide(): boolean {
    for (const round of this.log.storedRounds()) {
      const tally = this.log.round(round)!.precommits;
      const hash = tally.twoThirdsBlock();
      if (hash === null) continue;
      const block = this.findValidBlock(hash);
      if (block === null) {
        // Decided, but this node never received (a valid copy of) the block: fetch it with its certificate.
        this.requestSync(this.height + 1);
        continue;
      }
      this.decide(block, { height: this.height, round, blockHash: hash, votes: tally.signaturesFor(hash) });
      return true;
    }
    return false;
  }

  /** L55, as generalized in the header comment. */
  private trySkipRound(): boolean {
    const target = this.log.oneThirdRound();
    if (target === null || target <= this.round) return false;
    this.startRound(target);
    return true;
  }

  /**
   * L22 (fresh proposal) and L28 (re-proposal backed by 2f+1 prevotes from round vr). A re-proposal carries
   * those prevotes as its proof of lock, checked on receipt, so L28's condition holds as soon as it is stored.
   */
  private tryPrevote(): boolean {
    if (this.step !== 'propose') return false;
    const p = this.log.round(this.round)?.proposal;
    if (p == null) return false;
    const block = { hash: p.blockHash, bytes: p.block };
    const acceptable = p.polRound === -1
      ? this.lockedRound === -1 || this.isLockedOn(block.hash)
      : this.lockedRound <= p.polRound || this.isLockedOn(block.hash);
    this.castVote('prevote', acceptable && this.isValid(block) ? block.hash : null);
    return true;
  }

  /** L34 */
  private tryScheduleTimeoutPrevote(): boolean {
    if (this.step !== 'prevote' || this.prevoteTimeoutScheduled) return false;
    if (!this.log.round(this.round)?.prevotes.hasTwoThirdsAny()) return false;
    this.prevoteTimeoutScheduled = true;
    this.scheduleTimeout('prevote');
    return true;
  }

  /** L36: 2f+1 prevotes for the round's valid proposal lock it (when still prevoting) and make it the valid value. */
  private tryPrecommitBlock(): boolean {
    if (this.step === 'propose' || this.validValueUpdated) return false;
    const r = this.log.round(this.round);
    const p = r?.proposal;
    if (r === undefined || p == null || !r.prevotes.hasTwoThirdsFor(p.blockHash)) return false;
    const block = { hash: p.blockHash, bytes: p.block };
    if (!this.isValid(block)) return false;
    this.validValueUpdated = true;
    if (this.step === 'prevote') {
      this.lockedValue = block;
      this.lockedRound = this.round;
      this.castVote('precommit', block.hash);
    }
    this.validValue = block;
    this.validRound = this.round;
    this.validPol = r.prevotes.signaturesFor(block.hash);
    this.persistNeeded = true;
    return true;
  }

  /** L44 */
  private tryPrecommitNil(): boolean {
    if (this.step !== 'prevote' || !this.log.round(this.round)?.prevotes.hasTwoThirdsFor(null)) return false;
    this.castVote('precommit', null);
    return true;
  }

  /** L47 */
  private tryScheduleTimeoutPrecommit(): boolean {
    if (this.precommitTimeoutScheduled || !this.log.round(this.round)?.precommits.hasTwoThirdsAny()) return false;
    this.precommitTimeoutScheduled = true;
    this.scheduleTimeout('precommit');
    return true;
  }

  private isLockedOn(hash: Uint8Array): boolean {
    return this.lockedValue !== null && bytesEqual(this.lockedValue.hash, hash);
  }

  /** valid(v) of the paper, asked of the application once per block per height. */
  private isValid(block: BlockValue): boolean {
    const key = toHex(block.hash);
    const known = this.verdicts.get(key);
    if (known !== undefined && bytesEqual(known.bytes, block.bytes)) return known.valid;
    const valid = this.deps.validateBlock(this.height, block);
    // Keep the first verdict per hash: a different byte string under the same hash is judged afresh every time.
    if (known === undefined) {
      if (this.verdicts.size >= VERDICTS_MAX) this.verdicts.clear();
      this.verdicts.set(key, { bytes: block.bytes, valid });
    }
    return valid;
  }

  private findValidBlock(hash: Uint8Array): BlockValue | null {
    const candidates = [...this.log.blocksWithHash(hash), this.lockedValue, this.validValue];
    for (const block of candidates) {
      if (block !== null && bytesEqual(block.hash, hash) && this.isValid(block)) return block;
    }
    return null;
  }

  private decide(block: BlockValue, certificate: CommitCertificate): void {
    this.committing = true;
    this.outputs.push({ kind: 'commit', height: this.height, block, certificate });
  }

  // ---- heights --------------------------------------------------------------------------------------------

  private onCommitDurable(height: number): void {
    if (!this.committing || height !== this.height) {
      throw internal(`commit_durable for height ${height}, but the machine is ${this.committing ? 'committing' : 'deciding'} height ${this.height}`);
    }
    this.height += 1;
    this.committing = false;
    this.lockedRound = -1;
    this.lockedValue = null;
    this.validRound = -1;
    this.validValue = null;
    this.validPol = [];
    this.signer?.newHeight();
    this.log = new HeightLog(this.config.validators);
    this.verdicts = new Map();
    this.persistNeeded = true;
    this.startRound(0);
    const buffered = this.nextHeightMessages;
    this.nextHeightMessages = this.emptyBuffers();
    for (const messages of buffered) for (const m of messages) this.acceptVerified(m);
    this.checkLagging();
  }

  private onBlockSynced(block: BlockValue, certificate: CommitCertificate): void {
    if (certificate.height < this.height || (certificate.height === this.height && this.committing)) return;
    if (certificate.height > this.height) {
      this.refuse(`synced block for height ${certificate.height} arrived while deciding height ${this.height}`, null);
      return;
    }
    if (!bytesEqual(certificate.blockHash, block.hash)) {
      this.refuse('synced block does not match its certificate', null);
      return;
    }
    const v = this.config.validators;
    const check = verifyCommitCertificate(certificate, v.entries, this.config.chainId, this.deps.verify);
    if (!check.ok) {
      this.refuse(`synced certificate: ${check.reason}`, null);
      return;
    }
    if (!this.isValid(block)) {
      this.refuse('synced block fails validation', null);
      return;
    }
    this.decide(block, certificate);
  }

  /**
   * When validators with more than 1/3 of the power are at higher heights, at least one honest node decided ours.
   * While committing, the next height is already ours: others being there is no reason to sync.
   */
  private checkLagging(): void {
    const seen = this.config.validators.oneThirdFloor(this.highestHeight);
    if (seen !== null && seen > this.nextUndecidedHeight()) this.requestSync(seen);
  }

  private nextUndecidedHeight(): number {
    return this.committing ? this.height + 1 : this.height;
  }

  private requestSync(seenHeight: number): void {
    if (seenHeight <= this.syncRequestedUpTo) return;
    this.syncRequestedUpTo = seenHeight;
    this.outputs.push({ kind: 'request_sync', fromHeight: this.nextUndecidedHeight(), seenHeight });
  }

  // ---- receiving ------------------------------------------------------------------------------------------

  private onMessage(message: ConsensusMessage): void {
    const { height, round, index } = headerOf(message);
    const v = this.config.validators;
    if (!v.has(index)) {
      this.refuse(`validator index ${index} is not in the validator set`, null);
      return;
    }
    if (height < this.height || (height === this.height && this.committing)) return; // late: harmless
    if (message.kind === 'proposal' && index !== v.proposer(height, round)) {
      this.refuse(`validator ${index} is not the proposer of height ${height} round ${round}`, index);
      return;
    }
    if (height === this.height && !HeightLog.inWindow(round, this.round) && round < this.round) return; // stale round
    if (height === this.height && this.isKnownDuplicate(message)) return;
    const defect = this.authenticate(message);
    if (defect !== null) {
      this.refuse(defect, index);
      return;
    }
    if (height > this.height) {
      if (height > this.highestHeight[index]!) this.highestHeight[index] = height;
      if (height === this.height + 1) this.bufferNextHeight(message);
      this.checkLagging();
      return;
    }
    this.acceptVerified(message);
  }

  /** Files a verified message of the current height; messages of rounds beyond the window only move the round-skip rule. */
  private acceptVerified(message: ConsensusMessage): void {
    const { round, index } = headerOf(message);
    this.log.noteRound(index, round);
    this.trySkipRound();
    if (!HeightLog.inWindow(round, this.round)) return;
    if (message.kind === 'proposal') {
      const r = this.log.roundOrCreate(round);
      if (r.proposal === null) r.proposal = message.proposal;
      else if (!bytesEqual(r.proposal.signature, message.proposal.signature)) {
        this.refuse(`validator ${index} sent a second, different proposal for round ${round}`, index);
      }
      return;
    }
    const vote = message.vote;
    const result = this.log.tally(round, vote.type).add(vote);
    if (result.kind === 'conflict') this.outputs.push({ kind: 'evidence', evidence: { first: result.existing, second: vote } });
  }

  private isKnownDuplicate(message: ConsensusMessage): boolean {
    if (message.kind === 'proposal') {
      const existing = this.log.round(message.proposal.round)?.proposal;
      return existing != null && bytesEqual(existing.signature, message.proposal.signature);
    }
    const existing = this.log.round(message.vote.round)?.[message.vote.type === 'prevote' ? 'prevotes' : 'precommits'].get(message.vote.validatorIndex);
    // A second conflicting vote is verified and reported; only the exact same vote is skipped unverified.
    return existing !== undefined && bytesEqual(existing.signature, message.vote.signature) && sameBlockHash(existing.blockHash, message.vote.blockHash);
  }

  /** Why a message is not authentic (bad signature, or a re-proposal without a valid proof of lock), or null. */
  private authenticate(message: ConsensusMessage): string | null {
    const { chainId, validators } = this.config;
    if (message.kind === 'vote') {
      const vote = message.vote;
      const ok = this.deps.verify(validators.publicKey(vote.validatorIndex), voteSignBytes(chainId, vote), vote.signature);
      return ok ? null : `bad signature on a vote from validator ${vote.validatorIndex}`;
    }
    const p = message.proposal;
    if (!this.deps.verify(validators.publicKey(p.proposerIndex), proposalSignBytes(chainId, p), p.signature)) {
      return `bad signature on a proposal from validator ${p.proposerIndex}`;
    }
    if (p.polRound === -1) return null;
    const pol = verifyProofOfLock(p, validators.entries, chainId, this.deps.verify);
    return pol.ok ? null : `proposal from validator ${p.proposerIndex} has a bad proof of lock: ${pol.reason}`;
  }

  /** Retransmissions are common, so a message already buffered is not buffered again (it would crowd out the rest). */
  private bufferNextHeight(message: ConsensusMessage): void {
    const queue = this.nextHeightMessages[headerOf(message).index]!;
    const signature = signatureOf(message);
    if (queue.length < NEXT_HEIGHT_MESSAGES_PER_VALIDATOR_MAX && !queue.some((m) => bytesEqual(signatureOf(m), signature))) queue.push(message);
  }

  private emptyBuffers(): ConsensusMessage[][] {
    return Array.from({ length: this.config.validators.size }, () => []);
  }

  private refuse(reason: string, validatorIndex: number | null): void {
    this.outputs.push({ kind: 'refused', reason, validatorIndex });
  }

  // ---- signing ----------------------------------------------------------------------------------------

  private propose(block: BlockValue, polRound: number, pol: CommitSignature[]): void {
    const message = this.signer!.proposal(this.height, this.round, block, polRound, pol);
    this.storeOwn(message);
    this.sent(message);
  }

  /** Moves to the vote's step; a replica moves the same way but signs nothing. */
  private castVote(type: VoteType, blockHash: Uint8Array | null): void {
    this.step = type;
    this.waitingForTxs = false; // voting ends round 0's wait, e.g. on a proposal that arrived during it
    if (this.signer === null) return;
    const message = this.signer.vote(type, this.height, this.round, blockHash);
    this.storeOwn(message);
    this.sent(message);
  }

  private sent(message: ConsensusMessage): void {
    this.persistNeeded = true;
    this.outputs.push({ kind: 'broadcast', message });
  }

  private storeOwn(message: ConsensusMessage): void {
    const { round, index } = headerOf(message);
    this.log.noteRound(index, round);
    if (message.kind === 'proposal') this.log.roundOrCreate(round).proposal = message.proposal;
    else this.log.tally(round, message.vote.type).add(message.vote);
  }

  private persistedState(signer: Signer): PersistedState {
    return {
      height: this.height,
      lockedRound: this.lockedRound,
      lockedValue: this.lockedValue,
      validRound: this.validRound,
      validValue: this.validValue,
      validPol: this.validPol,
      lastSigned: signer.lastSigned,
      signed: signer.ofLastRound(),
    };
  }
}

function signatureOf(message: ConsensusMessage): Uint8Array {
  return message.kind === 'proposal' ? message.proposal.signature : message.vote.signature;
}

function headerOf(message: ConsensusMessage): { height: number; round: number; index: number } {
  return message.kind === 'proposal'
    ? { height: message.proposal.height, round: message.proposal.round, index: message.proposal.proposerIndex }
    : { height: message.vote.height, round: message.vote.round, index: message.vote.validatorIndex };
}
