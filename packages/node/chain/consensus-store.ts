/**
 * Durable storage of the consensus machine's persisted state: one small file replaced atomically (write a
 * temporary file, fsync it, rename over the old one, fsync the directory). The machine's contract is that this
 * completes before any message it signed is broadcast, so a restarted validator never signs a conflicting vote.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GovchainError } from '@govchain/base';
import { decodePersistedState, encodePersistedState, type PersistedState } from '@govchain/consensus';

export class ConsensusStateFile {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'consensus-state.bin');
  }

  load(): PersistedState | null {
    if (!existsSync(this.path)) return null;
    try {
      return decodePersistedState(new Uint8Array(readFileSync(this.path)));
    } catch (err) {
      throw new GovchainError('CONSENSUS_STATE_CORRUPT', 'internal', `cannot decode ${this.path}: ${(err as Error).message}; refusing to start rather than risk double-signing`);
    }
  }

  save(state: PersistedState): void {
    const bytes = encodePersistedState(state);
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dirFd = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
