/**
 * The consensus machine's contract with its driver: configuration, injected dependencies, the events it is fed
 * and the outputs it returns. The machine does no I/O and reads no clock; the driver owns the network, timers,
 * storage and the application, and must honour the ordering rules written on each output.
 */
import type {
  BlockValue, CommitCertificate, CommitSignature, ConsensusMessage, DuplicateVoteEvidence, VerifyFn,
} from '@govchain/protocol';
import type { ValidatorSet } from './validator-set.ts';

export type Step = 'propose' | 'prevote' | 'precommit';

/** `wait_txs` ends round 0's wait for transactions: an idle chain still makes an (empty) block this often. */
export type TimeoutStep = Step | 'wait_txs';

export interface Timeout {
  step: TimeoutStep;
  height: number;
  round: number;
}

/** Same names as the genesis `consensus` parameters, so a node passes them through unchanged. */
export interface TimeoutConfig {
  timeoutProposeMs: number;
  timeoutPrevoteMs: number;
  timeoutPrecommitMs: number;
  /** Added to each timeout once per round, so rounds lengthen until they cover the network's real delay. */
  timeoutDeltaMs: number;
  /** How long round 0 of a height waits for transactions before building an empty block anyway. */
  emptyBlockIntervalMs: number;
}

export interface BftConfig {
  chainId: string;
  validators: ValidatorSet;
  /** This node's index in `validators`; null for a replica that follows and never signs. */
  ownIndex: number | null;
  timeouts: TimeoutConfig;
}

export interface BftDeps {
  /** Signs with this validator's key. Never called on a replica. */
  sign(message: Uint8Array): Uint8Array;
  verify: VerifyFn;
  /**
   * The application's verdict on a block proposed for `height`, on top of the block the driver committed at
   * height - 1. Must return false unless `block.hash` is the chain's hash of `block.bytes`: consensus never
   * hashes, it trusts this check to bind what validators sign (the hash) to what is committed (the bytes).
   * Must be deterministic; the machine remembers verdicts for the current height.
   */
  validateBlock(height: number, block: BlockValue): boolean;
}

/** Everything the machine needs to never sign two different messages for one height, round and step after a crash. */
export interface PersistedState {
  height: number;
  /** -1 with a null value: not locked. */
  lockedRound: number;
  lockedValue: BlockValue | null;
  validRound: number;
  validValue: BlockValue | null;
  /** Proof of lock for `validValue`, so it can be re-proposed after a restart. */
  validPol: CommitSignature[];
  /** The latest round and step this validator signed something for at `height`; null: nothing signed yet. */
  lastSigned: { round: number; step: Step } | null;
  /** The messages signed in `lastSigned.round`, re-broadcast after a restart (they may never have left the node). */
  signed: ConsensusMessage[];
}

export interface StartOptions {
  /** The block store's last committed height + 1. */
  height: number;
  /** The last state the driver persisted, or null on a first start. */
  persisted: PersistedState | null;
}

export type BftEvent =
  | { kind: 'start' }
  | { kind: 'message'; message: ConsensusMessage }
  | { kind: 'timeout'; timeout: Timeout }
  /** The mempool holds transactions (or the app wants a block now); ends round 0's wait. Idempotent. */
  | { kind: 'txs_available' }
  /** The answer to `request_build`. A late answer (another round by now) is ignored. */
  | { kind: 'block_built'; height: number; round: number; block: BlockValue }
  /** The committed block of `height` is durable in the block store. */
  | { kind: 'commit_durable'; height: number }
  /** A block and its certificate fetched from a peer for the current height. */
  | { kind: 'block_synced'; block: BlockValue; certificate: CommitCertificate };

export type BftOutput =
  /**
   * Always the first output when present. The driver writes it durably (fsync) BEFORE acting on any later
   * output of the same batch, above all before broadcasting: a signature that left the node is covered by
   * persisted state, so a restarted node can never sign a conflicting message for the same height/round/step.
   */
  | { kind: 'persist'; state: PersistedState }
  | { kind: 'broadcast'; message: ConsensusMessage }
  /** Feed `{kind:'timeout', timeout}` back after `delayMs`. Timeouts are never cancelled; stale ones are ignored. */
  | { kind: 'schedule_timeout'; timeout: Timeout; delayMs: number }
  /** Build a block for `height` on the last committed block and answer with `block_built`. */
  | { kind: 'request_build'; height: number; round: number }
  /** `height` is decided. Write block and certificate durably, then feed `commit_durable`. */
  | { kind: 'commit'; height: number; block: BlockValue; certificate: CommitCertificate }
  /**
   * Blocks from `fromHeight` on are decided elsewhere (validators with more than 1/3 of the power are at
   * `seenHeight`, or a quorum precommitted a block this node does not hold). Fetch blocks with certificates from
   * peers and feed them in order as `block_synced`; keep retrying while the machine's height is below
   * `seenHeight`. Emitted once per new `seenHeight`.
   */
  | { kind: 'request_sync'; fromHeight: number; seenHeight: number }
  /** A validator signed two different votes for one height, round and type. */
  | { kind: 'evidence'; evidence: DuplicateVoteEvidence }
  /** A message or synced block was refused; `validatorIndex` names the signer it claimed, when it named one. */
  | { kind: 'refused'; reason: string; validatorIndex: number | null };

export interface BftStatus {
  height: number;
  round: number;
  step: Step;
  /** The height is decided and the machine waits for `commit_durable`. */
  committing: boolean;
}
