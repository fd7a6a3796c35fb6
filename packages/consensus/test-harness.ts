/**
 * Test support for the machine's unit tests (not exported from index.ts): Ed25519 keys from node:crypto standing in
 * for the chain suite, a toy application, and helpers that sign messages as any validator.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { concatBytes, utf8 } from '@govchain/base';
import {
  proposalSignBytes, voteSignBytes, type BlockValue, type ConsensusMessage, type VoteType,
} from '@govchain/protocol';
import { BftMachine } from './bft.ts';
import type { BftOutput, PersistedState, TimeoutConfig } from './types.ts';
import { ValidatorSet } from './validator-set.ts';

export const CHAIN_ID = 'test-chain';

export const TIMEOUTS: TimeoutConfig = {
  timeoutProposeMs: 1000, timeoutPrevoteMs: 500, timeoutPrecommitMs: 500, timeoutDeltaMs: 250, emptyBlockIntervalMs: 5000,
};

const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export interface TestKey {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A deterministic Ed25519 key from a label. */
export function testKey(label: string): TestKey {
  const seed = sha256(utf8(label));
  const privateKey = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_ED25519_PREFIX, seed)), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

const publicKeyObjects = new Map<string, KeyObject>();

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeyObjects.get(id);
  if (key === undefined) {
    const spki = concatBytes(Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]), publicKey);
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    publicKeyObjects.set(id, key);
  }
  return signature.length === 64 && verify(null, message, key, signature);
}

/** A block whose hash binds its bytes; the toy application refuses any whose text starts with "invalid". */
export function testBlock(text: string): BlockValue {
  const bytes = utf8(text);
  return { hash: sha256(bytes), bytes };
}

export function validateTestBlock(_height: number, block: BlockValue): boolean {
  const hashOk = Buffer.from(sha256(block.bytes)).equals(Buffer.from(block.hash));
  return hashOk && !Buffer.from(block.bytes).toString('utf8').startsWith('invalid');
}

export class Cluster {
  readonly keys: TestKey[];
  readonly validators: ValidatorSet;

  constructor(readonly size: number) {
    this.keys = Array.from({ length: size }, (_, i) => testKey(`validator-${i}`));
    this.validators = new ValidatorSet(this.keys.map((k) => ({ publicKey: k.publicKey, power: 1 })));
  }

  machine(ownIndex: number | null, height = 1, persisted: PersistedState | null = null): BftMachine {
    const key = ownIndex === null ? null : this.keys[ownIndex]!;
    return new BftMachine(
      { chainId: CHAIN_ID, validators: this.validators, ownIndex, timeouts: TIMEOUTS },
      {
        sign: (m) => {
          if (key === null) throw new Error('a replica never signs');
          return key.sign(m);
        },
        verify: verifyEd25519,
        validateBlock: validateTestBlock,
      },
      { height, persisted },
    );
  }

  vote(index: number, type: VoteType, height: number, round: number, block: BlockValue | null): ConsensusMessage {
    const data = { type, height, round, blockHash: block === null ? null : block.hash };
    return { kind: 'vote', vote: { ...data, validatorIndex: index, signature: this.keys[index]!.sign(voteSignBytes(CHAIN_ID, data)) } };
  }

  /** A proposal by the round's proposer; a re-proposal (polRound ≥ 0) carries prevotes of `polSigners` as its proof of lock. */
  proposal(height: number, round: number, block: BlockValue, polRound = -1, polSigners: number[] = [...this.keys.keys()]): ConsensusMessage {
    const index = this.validators.proposer(height, round);
    const data = { height, round, polRound, blockHash: block.hash };
    const pol = polRound === -1 ? [] : polSigners.map((i) => {
      const m = this.vote(i, 'prevote', height, polRound, block);
      return { validatorIndex: i, signature: m.kind === 'vote' ? m.vote.signature : new Uint8Array(64) };
    });
    return {
      kind: 'proposal',
      proposal: { ...data, block: block.bytes, proposerIndex: index, pol, signature: this.keys[index]!.sign(proposalSignBytes(CHAIN_ID, data)) },
    };
  }
}

/** Short name of a vote target in test expectations: the first 8 hex digits of the hash, or "nil". */
export function short(block: BlockValue | Uint8Array | null): string {
  if (block === null) return 'nil';
  const hash = block instanceof Uint8Array ? block : block.hash;
  return Buffer.from(hash).toString('hex').slice(0, 8);
}

/** The votes a batch of outputs broadcasts, as `type:target` strings. */
export function broadcastVotes(outputs: readonly BftOutput[]): string[] {
  const out: string[] = [];
  for (const o of outputs) {
    if (o.kind === 'broadcast' && o.message.kind === 'vote') out.push(`${o.message.vote.type}:${short(o.message.vote.blockHash)}`);
  }
  return out;
}
