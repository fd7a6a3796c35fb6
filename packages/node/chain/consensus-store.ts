/**
 * Durable storage of the consensus machine's persisted state. The machine's contract is that a save completes
 * before any message it signed is broadcast, so a restarted validator never signs a conflicting vote.
 *
 * The state names up to three blocks (locked, valid, own proposal) that are usually one and the same, and it is
 * saved at every step. So block bytes go to side files written once per block hash (fsync), and the state file
 * (replaced atomically: write temp, fsync, rename, fsync dir) holds the rest with the block bytes emptied; loading
 * puts the bytes back by hash. Side files no longer referenced are removed after each save.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GovchainError, toHex } from '@govchain/base';
import { decodePersistedState, encodePersistedState, type PersistedState } from '@govchain/consensus';
import type { BlockValue, ConsensusMessage } from '@govchain/protocol';

const EMPTY = new Uint8Array(0);

function writeDurably(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Every block the state refers to, by hex hash. */
function blocksOf(state: PersistedState): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const add = (v: BlockValue | null): void => {
    if (v !== null && v.bytes.length > 0) out.set(toHex(v.hash), v.bytes);
  };
  add(state.lockedValue);
  add(state.validValue);
  for (const m of state.signed) if (m.kind === 'proposal') add({ hash: m.proposal.blockHash, bytes: m.proposal.block });
  return out;
}

function mapBlocks(state: PersistedState, bytesOf: (hash: Uint8Array) => Uint8Array): PersistedState {
  const value = (v: BlockValue | null): BlockValue | null => (v === null ? null : { hash: v.hash, bytes: bytesOf(v.hash) });
  const signed = state.signed.map((m): ConsensusMessage =>
    m.kind === 'proposal' ? { kind: 'proposal', proposal: { ...m.proposal, block: bytesOf(m.proposal.blockHash) } } : m);
  return { ...state, lockedValue: value(state.lockedValue), validValue: value(state.validValue), signed };
}

export class ConsensusStateFile {
  private readonly path: string;
  private readonly blockDir: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'consensus-state.bin');
    this.blockDir = join(dataDir, 'consensus-blocks');
    mkdirSync(this.blockDir, { recursive: true });
  }

  load(): PersistedState | null {
    if (!existsSync(this.path)) return null;
    try {
      const stripped = decodePersistedState(new Uint8Array(readFileSync(this.path)));
      return mapBlocks(stripped, (hash) => new Uint8Array(readFileSync(join(this.blockDir, `${toHex(hash)}.bin`))));
    } catch (err) {
      throw new GovchainError('CONSENSUS_STATE_CORRUPT', 'internal', `cannot read the consensus state in ${this.path}: ${(err as Error).message}; refusing to start rather than risk double-signing`);
    }
  }

  save(state: PersistedState): void {
    const blocks = blocksOf(state);
    for (const [hash, bytes] of blocks) {
      const file = join(this.blockDir, `${hash}.bin`);
      if (!existsSync(file)) writeDurably(file, bytes);
    }
    writeDurably(this.path, encodePersistedState(mapBlocks(state, () => EMPTY)));
    for (const name of readdirSync(this.blockDir)) {
      if (!blocks.has(name.replace(/\.bin(\.tmp)?$/, ''))) rmSync(join(this.blockDir, name), { force: true });
    }
  }
}
