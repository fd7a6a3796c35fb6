/**
 * Canonical bytes of the state a validator persists before broadcasting anything it signed (see `persist` in
 * types.ts). Decoding checks the state is self-consistent, so a corrupted file is refused rather than trusted.
 */
import { GovchainError, Reader, Writer, decodeExact } from '@govchain/base';
import {
  BLOCK_BYTES_MAX, HASH_BYTES, SIGNATURE_BYTES, VALIDATOR_SET_SIZE_MAX, readConsensusMessage, writeConsensusMessage,
  type BlockValue, type CommitSignature, type ConsensusMessage,
} from '@govchain/protocol';
import type { PersistedState, Step } from './types.ts';

const PERSISTED_STATE_VERSION = 1;
/** A validator signs at most a proposal, a prevote and a precommit in one round. */
const SIGNED_PER_ROUND_MAX = 3;
const STEP_CODES: Record<Step, number> = { propose: 0, prevote: 1, precommit: 2 };
const STEPS: readonly Step[] = ['propose', 'prevote', 'precommit'];

function corrupt(message: string): GovchainError {
  return new GovchainError('CONSENSUS_STATE_CORRUPT', 'malformed', `persisted consensus state: ${message}`);
}

function writeRoundValue(w: Writer, round: number, value: BlockValue | null): void {
  if (value === null) {
    w.u8(0);
    return;
  }
  w.u8(1).u32(round).fixed(value.hash, HASH_BYTES).bytes(value.bytes);
}

function readRoundValue(r: Reader): { round: number; value: BlockValue | null } {
  const tag = r.u8();
  if (tag === 0) return { round: -1, value: null };
  if (tag !== 1) throw corrupt(`value tag must be 0 or 1, got ${tag}`);
  const round = r.u32();
  return { round, value: { hash: r.fixed(HASH_BYTES), bytes: r.bytes(BLOCK_BYTES_MAX) } };
}

export function encodePersistedState(s: PersistedState): Uint8Array {
  const w = new Writer(256).u8(PERSISTED_STATE_VERSION).u64(s.height);
  writeRoundValue(w, s.lockedRound, s.lockedValue);
  writeRoundValue(w, s.validRound, s.validValue);
  w.list(s.validPol, (x, v) => x.u32(v.validatorIndex).fixed(v.signature, SIGNATURE_BYTES));
  if (s.lastSigned === null) w.u8(0);
  else w.u8(1).u32(s.lastSigned.round).u8(STEP_CODES[s.lastSigned.step]);
  return w.list(s.signed, writeConsensusMessage).finish();
}

function messageHeightRound(m: ConsensusMessage): [number, number] {
  return m.kind === 'proposal' ? [m.proposal.height, m.proposal.round] : [m.vote.height, m.vote.round];
}

function readState(r: Reader): PersistedState {
  const version = r.u8();
  if (version !== PERSISTED_STATE_VERSION) throw corrupt(`version ${version} is not supported`);
  const height = r.u64();
  const locked = readRoundValue(r);
  const valid = readRoundValue(r);
  const validPol: CommitSignature[] = r.list(VALIDATOR_SET_SIZE_MAX, (x) => ({ validatorIndex: x.u32(), signature: x.fixed(SIGNATURE_BYTES) }));
  if ((valid.value === null) !== (validPol.length === 0)) throw corrupt('a valid value comes with its proof of lock');
  const signedTag = r.u8();
  let lastSigned: PersistedState['lastSigned'] = null;
  if (signedTag === 1) {
    const round = r.u32();
    const step = STEPS[r.u8()];
    if (step === undefined) throw corrupt('unknown step');
    lastSigned = { round, step };
  } else if (signedTag !== 0) throw corrupt(`last-signed tag must be 0 or 1, got ${signedTag}`);
  const signed = r.list(SIGNED_PER_ROUND_MAX, readConsensusMessage);
  for (const m of signed) {
    const [h, round] = messageHeightRound(m);
    if (lastSigned === null || h !== height || round !== lastSigned.round) {
      throw corrupt('a signed message does not belong to the last signed height and round');
    }
  }
  if (locked.round > (lastSigned?.round ?? -1)) throw corrupt('locked in a round after the last signed one');
  return { height, lockedRound: locked.round, lockedValue: locked.value, validRound: valid.round, validValue: valid.value, validPol, lastSigned, signed };
}

export function decodePersistedState(bytes: Uint8Array): PersistedState {
  return decodeExact(bytes, readState);
}
