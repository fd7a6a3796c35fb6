/**
 * Consensus messages: votes, proposals, commit certificates and duplicate-vote evidence, with their canonical
 * encodings and the exact bytes each signature covers. Blocks are opaque here: consensus orders `{hash, bytes}`
 * values and leaves their meaning (and the check that `hash` really is the hash of `bytes`) to the application.
 *
 * Sign bytes start with a domain tag and the chain id, so a signature made for one message kind or one chain can
 * never be replayed as another. A vote's validator index is not in its sign bytes: the signature is checked
 * against the public key at that index, which binds it.
 */
import { GovchainError, Reader, Writer, bytesEqual, decodeExact, utf8 } from '@govchain/base';
import { BLOCK_BYTES_MAX, CHAIN_ID_BYTES_MAX, HASH_BYTES, SIGNATURE_BYTES } from './limits.ts';
import type { ValidatorEntry } from './genesis.ts';

export const VOTE_SIGN_DOMAIN = 'govchain/vote/v1';
export const PROPOSAL_SIGN_DOMAIN = 'govchain/proposal/v1';
/** Matches the genesis bound; indices at or above it are refused by every decoder. */
export const VALIDATOR_SET_SIZE_MAX = 256;

/** A block as consensus sees it. */
export interface BlockValue {
  hash: Uint8Array;
  bytes: Uint8Array;
}

export type VoteType = 'prevote' | 'precommit';

/** What a vote says; exactly what its signature covers (with the chain id). */
export interface VoteData {
  type: VoteType;
  height: number;
  round: number;
  /** null: a vote for nil (no block this round). */
  blockHash: Uint8Array | null;
}

export interface Vote extends VoteData {
  validatorIndex: number;
  signature: Uint8Array;
}

/** What a proposal says; exactly what its signature covers (with the chain id). The block bytes are bound by hash. */
export interface ProposalData {
  height: number;
  round: number;
  /** The round whose 2/3+ prevotes made this block the proposer's valid value; -1 when none (a fresh block). */
  polRound: number;
  blockHash: Uint8Array;
}

export interface Proposal extends ProposalData {
  block: Uint8Array;
  proposerIndex: number;
  signature: Uint8Array;
  /**
   * Proof of lock: prevote signatures of more than 2/3 of the power for `blockHash` at `polRound`, ascending by
   * validator index; empty when `polRound` is -1. Carrying the proof lets every receiver check the re-proposal
   * without having seen those prevotes itself (a byzantine validator may have shown them to the proposer only).
   * Not covered by the proposal signature: each prevote signature authenticates itself.
   */
  pol: CommitSignature[];
}

export type ConsensusMessage = { kind: 'proposal'; proposal: Proposal } | { kind: 'vote'; vote: Vote };

export interface CommitSignature {
  validatorIndex: number;
  signature: Uint8Array;
}

/** Precommits of more than 2/3 of the voting power for one block at one height and round. */
export interface CommitCertificate {
  height: number;
  round: number;
  blockHash: Uint8Array;
  /** Strictly ascending by validator index, so one certificate has one encoding. */
  votes: CommitSignature[];
}

/** Two different signed votes by one validator for the same height, round and type. */
export interface DuplicateVoteEvidence {
  first: Vote;
  second: Vote;
}

/** Same shape as CryptoSuite.verify, so a node passes its chain's suite directly. */
export type VerifyFn = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export type CheckResult = { ok: true } | { ok: false; reason: string };

const VOTE_TYPE_CODES: Record<VoteType, number> = { prevote: 1, precommit: 2 };
const MESSAGE_PROPOSAL = 1;
const MESSAGE_VOTE = 2;

function decodeError(code: string, message: string): GovchainError {
  return new GovchainError(code, 'malformed', message);
}

/** Integer form of power > 2/3 of total, the quorum of every decision. */
export function exceedsTwoThirds(power: number, total: number): boolean {
  return 3 * power > 2 * total;
}

/** Integer form of power > 1/3 of total: at least one honest validator is among them. */
export function exceedsOneThird(power: number, total: number): boolean {
  return 3 * power > total;
}

function writeOptionalHash(w: Writer, hash: Uint8Array | null): Writer {
  return hash === null ? w.u8(0) : w.u8(1).fixed(hash, HASH_BYTES);
}

function readOptionalHash(r: Reader): Uint8Array | null {
  const tag = r.u8();
  if (tag === 0) return null;
  if (tag !== 1) throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `block hash tag must be 0 or 1, got ${tag}`);
  return r.fixed(HASH_BYTES);
}

function writePolRound(w: Writer, polRound: number): Writer {
  return polRound === -1 ? w.u8(0) : w.u8(1).u32(polRound);
}

function readPolRound(r: Reader): number {
  const tag = r.u8();
  if (tag === 0) return -1;
  if (tag !== 1) throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `POL round tag must be 0 or 1, got ${tag}`);
  return r.u32();
}

function readHeight(r: Reader): number {
  const height = r.u64();
  if (height === 0) throw decodeError('CONSENSUS_MESSAGE_MALFORMED', 'height 0 is genesis and has no votes');
  return height;
}

function readValidatorIndex(r: Reader): number {
  const index = r.u32();
  if (index >= VALIDATOR_SET_SIZE_MAX) {
    throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `validator index ${index} is above the set size limit ${VALIDATOR_SET_SIZE_MAX}`);
  }
  return index;
}

function voteTypeCode(type: VoteType): number {
  return VOTE_TYPE_CODES[type];
}

function readVoteType(r: Reader): VoteType {
  const code = r.u8();
  if (code === 1) return 'prevote';
  if (code === 2) return 'precommit';
  throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `unknown vote type ${code}`);
}

function assertChainId(chainId: string): void {
  if (chainId.length === 0 || utf8(chainId).length > CHAIN_ID_BYTES_MAX) {
    throw new RangeError(`chain id must be 1..${CHAIN_ID_BYTES_MAX} bytes`);
  }
}

export function voteSignBytes(chainId: string, vote: VoteData): Uint8Array {
  assertChainId(chainId);
  const w = new Writer(128).string(VOTE_SIGN_DOMAIN).string(chainId).u8(voteTypeCode(vote.type)).u64(vote.height).u32(vote.round);
  return writeOptionalHash(w, vote.blockHash).finish();
}

export function proposalSignBytes(chainId: string, proposal: ProposalData): Uint8Array {
  assertChainId(chainId);
  const w = new Writer(128).string(PROPOSAL_SIGN_DOMAIN).string(chainId).u64(proposal.height).u32(proposal.round);
  return writePolRound(w, proposal.polRound).fixed(proposal.blockHash, HASH_BYTES).finish();
}

function writeCommitSignature(w: Writer, v: CommitSignature): void {
  w.u32(v.validatorIndex).fixed(v.signature, SIGNATURE_BYTES);
}

/** A list of signatures, strictly ascending by validator index so that one set has one encoding. */
function readSignatures(r: Reader, what: string, code = 'CONSENSUS_MESSAGE_MALFORMED'): CommitSignature[] {
  const votes = r.list(VALIDATOR_SET_SIZE_MAX, (x) => ({ validatorIndex: readValidatorIndex(x), signature: x.fixed(SIGNATURE_BYTES) }));
  for (let i = 1; i < votes.length; i++) {
    if (votes[i]!.validatorIndex <= votes[i - 1]!.validatorIndex) {
      throw decodeError(code, `${what} signatures must be strictly ascending by validator index`);
    }
  }
  return votes;
}

function writeVote(w: Writer, vote: Vote): Writer {
  w.u8(voteTypeCode(vote.type)).u64(vote.height).u32(vote.round);
  return writeOptionalHash(w, vote.blockHash).u32(vote.validatorIndex).fixed(vote.signature, SIGNATURE_BYTES);
}

export function readVote(r: Reader): Vote {
  const type = readVoteType(r);
  const height = readHeight(r);
  const round = r.u32();
  const blockHash = readOptionalHash(r);
  const validatorIndex = readValidatorIndex(r);
  const signature = r.fixed(SIGNATURE_BYTES);
  return { type, height, round, blockHash, validatorIndex, signature };
}

export function encodeVote(vote: Vote): Uint8Array {
  return writeVote(new Writer(128), vote).finish();
}

export function decodeVote(bytes: Uint8Array): Vote {
  return decodeExact(bytes, readVote);
}

function writeProposal(w: Writer, p: Proposal): Writer {
  w.u64(p.height).u32(p.round);
  return writePolRound(w, p.polRound)
    .fixed(p.blockHash, HASH_BYTES)
    .u32(p.proposerIndex)
    .bytes(p.block)
    .list(p.pol, writeCommitSignature)
    .fixed(p.signature, SIGNATURE_BYTES);
}

export function readProposal(r: Reader): Proposal {
  const height = readHeight(r);
  const round = r.u32();
  const polRound = readPolRound(r);
  if (polRound >= round) {
    throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `POL round ${polRound} must be below the proposal round ${round}`);
  }
  const blockHash = r.fixed(HASH_BYTES);
  const proposerIndex = readValidatorIndex(r);
  const block = r.bytes(BLOCK_BYTES_MAX);
  const pol = readSignatures(r, 'proof of lock');
  if ((polRound === -1) !== (pol.length === 0)) {
    throw decodeError('CONSENSUS_MESSAGE_MALFORMED', 'a proposal carries a proof of lock exactly when it names a POL round');
  }
  const signature = r.fixed(SIGNATURE_BYTES);
  return { height, round, polRound, blockHash, proposerIndex, block, pol, signature };
}

export function encodeProposal(proposal: Proposal): Uint8Array {
  return writeProposal(new Writer(proposal.block.length + 160), proposal).finish();
}

export function decodeProposal(bytes: Uint8Array): Proposal {
  return decodeExact(bytes, readProposal);
}

export function writeConsensusMessage(w: Writer, message: ConsensusMessage): Writer {
  return message.kind === 'proposal'
    ? writeProposal(w.u8(MESSAGE_PROPOSAL), message.proposal)
    : writeVote(w.u8(MESSAGE_VOTE), message.vote);
}

export function readConsensusMessage(r: Reader): ConsensusMessage {
  const tag = r.u8();
  if (tag === MESSAGE_PROPOSAL) return { kind: 'proposal', proposal: readProposal(r) };
  if (tag === MESSAGE_VOTE) return { kind: 'vote', vote: readVote(r) };
  throw decodeError('CONSENSUS_MESSAGE_MALFORMED', `unknown consensus message tag ${tag}`);
}

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  const size = message.kind === 'proposal' ? message.proposal.block.length + 160 : 128;
  return writeConsensusMessage(new Writer(size), message).finish();
}

/** Decodes one whole message; anything malformed throws a GovchainError with code CONSENSUS_MESSAGE_MALFORMED or DECODE_ERROR. */
export function decodeConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  return decodeExact(bytes, readConsensusMessage);
}

export function encodeCommitCertificate(cert: CommitCertificate): Uint8Array {
  return new Writer(64 + cert.votes.length * 68)
    .u64(cert.height)
    .u32(cert.round)
    .fixed(cert.blockHash, HASH_BYTES)
    .list(cert.votes, writeCommitSignature)
    .finish();
}

export function readCommitCertificate(r: Reader): CommitCertificate {
  const height = readHeight(r);
  const round = r.u32();
  const blockHash = r.fixed(HASH_BYTES);
  const votes = readSignatures(r, 'commit certificate', 'CERTIFICATE_MALFORMED');
  if (votes.length === 0) throw decodeError('CERTIFICATE_MALFORMED', 'a commit certificate carries at least one signature');
  return { height, round, blockHash, votes };
}

export function decodeCommitCertificate(bytes: Uint8Array): CommitCertificate {
  return decodeExact(bytes, readCommitCertificate);
}

export function encodeDuplicateVoteEvidence(evidence: DuplicateVoteEvidence): Uint8Array {
  return writeVote(writeVote(new Writer(256), evidence.first), evidence.second).finish();
}

export function decodeDuplicateVoteEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  return decodeExact(bytes, (r) => ({ first: readVote(r), second: readVote(r) }));
}

function totalPowerOf(validators: readonly ValidatorEntry[]): number {
  let total = 0;
  for (const v of validators) total += v.power;
  return total;
}

/**
 * Checks that `votes` are valid signatures of distinct validators holding more than 2/3 of the power, all over the
 * same vote. Any bad signature fails the whole set: an honest node only ever assembles verified votes.
 */
function verifyQuorum(
  vote: VoteData,
  votes: readonly CommitSignature[],
  validators: readonly ValidatorEntry[],
  chainId: string,
  verify: VerifyFn,
): CheckResult {
  if (vote.blockHash !== null && vote.blockHash.length !== HASH_BYTES) return { ok: false, reason: `block hash must be ${HASH_BYTES} bytes` };
  let power = 0;
  let previous = -1;
  for (const v of votes) {
    if (v.validatorIndex <= previous) return { ok: false, reason: 'signatures are not strictly ascending by validator index' };
    const validator = validators[v.validatorIndex];
    if (validator === undefined) return { ok: false, reason: `validator index ${v.validatorIndex} is not in the validator set` };
    previous = v.validatorIndex;
    power += validator.power;
  }
  const total = totalPowerOf(validators);
  if (!exceedsTwoThirds(power, total)) {
    return { ok: false, reason: `signers hold ${power} of ${total} voting power, not more than 2/3` };
  }
  const message = voteSignBytes(chainId, vote);
  for (const v of votes) {
    if (!verify(validators[v.validatorIndex]!.publicKey, message, v.signature)) {
      return { ok: false, reason: `signature of validator ${v.validatorIndex} does not verify` };
    }
  }
  return { ok: true };
}

/**
 * Checks that `cert` proves a decision: distinct validators of `validators` holding more than 2/3 of the voting
 * power signed precommits for `cert.blockHash` at `cert.height` and `cert.round`. The caller checks the height
 * is the one it expects.
 */
export function verifyCommitCertificate(
  cert: CommitCertificate,
  validators: readonly ValidatorEntry[],
  chainId: string,
  verify: VerifyFn,
): CheckResult {
  const vote: VoteData = { type: 'precommit', height: cert.height, round: cert.round, blockHash: cert.blockHash };
  return verifyQuorum(vote, cert.votes, validators, chainId, verify);
}

/** Checks a re-proposal's proof of lock: more than 2/3 of the power prevoted its block at its POL round. */
export function verifyProofOfLock(
  proposal: Proposal,
  validators: readonly ValidatorEntry[],
  chainId: string,
  verify: VerifyFn,
): CheckResult {
  if (proposal.polRound < 0 || proposal.polRound >= proposal.round) return { ok: false, reason: `POL round ${proposal.polRound} is not below round ${proposal.round}` };
  const vote: VoteData = { type: 'prevote', height: proposal.height, round: proposal.polRound, blockHash: proposal.blockHash };
  return verifyQuorum(vote, proposal.pol, validators, chainId, verify);
}

/** Equality of optional block hashes, where null (nil) equals only null. */
export function sameBlockHash(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}

/** Checks that evidence really shows one validator signing two different votes for one height, round and type. */
export function verifyDuplicateVoteEvidence(
  evidence: DuplicateVoteEvidence,
  validators: readonly ValidatorEntry[],
  chainId: string,
  verify: VerifyFn,
): CheckResult {
  const { first, second } = evidence;
  if (first.validatorIndex !== second.validatorIndex) return { ok: false, reason: 'the votes are from different validators' };
  if (first.type !== second.type || first.height !== second.height || first.round !== second.round) {
    return { ok: false, reason: 'the votes are for different heights, rounds or types' };
  }
  if (sameBlockHash(first.blockHash, second.blockHash)) return { ok: false, reason: 'the votes are for the same block' };
  const validator = validators[first.validatorIndex];
  if (validator === undefined) return { ok: false, reason: `validator index ${first.validatorIndex} is not in the validator set` };
  for (const vote of [first, second]) {
    if (!verify(validator.publicKey, voteSignBytes(chainId, vote), vote.signature)) {
      return { ok: false, reason: 'a vote signature does not verify' };
    }
  }
  return { ok: true };
}
