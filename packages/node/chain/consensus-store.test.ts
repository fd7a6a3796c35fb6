import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedState } from '@govchain/consensus';
import { ConsensusStateFile } from './consensus-store.ts';

const hashA = new Uint8Array(32).fill(0xaa);
const hashB = new Uint8Array(32).fill(0xbb);
const blockA = new Uint8Array(50_000).fill(1);
const blockB = new Uint8Array(40_000).fill(2);

function state(height: number, value: { hash: Uint8Array; bytes: Uint8Array }): PersistedState {
  return {
    height,
    lockedRound: 0,
    lockedValue: value,
    validRound: 0,
    validValue: value,
    validPol: [{ validatorIndex: 0, signature: new Uint8Array(64).fill(3) }],
    lastSigned: { round: 0, step: 'prevote' },
    signed: [
      { kind: 'proposal', proposal: { height, round: 0, polRound: -1, blockHash: value.hash, block: value.bytes, proposerIndex: 0, signature: new Uint8Array(64).fill(4), pol: [] } },
      { kind: 'vote', vote: { type: 'prevote', height, round: 0, blockHash: value.hash, validatorIndex: 0, signature: new Uint8Array(64).fill(5) } },
    ],
  };
}

test('a saved state loads back identical, block bytes included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cstate-'));
  const file = new ConsensusStateFile(dir);
  assert.equal(file.load(), null);
  const s = state(7, { hash: hashA, bytes: blockA });
  file.save(s);
  assert.deepEqual(new ConsensusStateFile(dir).load(), s);
});

test('a block named three times is written once, and the state file stays small', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cstate-'));
  new ConsensusStateFile(dir).save(state(7, { hash: hashA, bytes: blockA }));
  assert.deepEqual(readdirSync(join(dir, 'consensus-blocks')), [`${'aa'.repeat(32)}.bin`]);
  assert.ok(statSync(join(dir, 'consensus-state.bin')).size < 2_000);
});

test('blocks no longer referenced are removed after the next save', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cstate-'));
  const file = new ConsensusStateFile(dir);
  file.save(state(7, { hash: hashA, bytes: blockA }));
  file.save(state(8, { hash: hashB, bytes: blockB }));
  assert.deepEqual(readdirSync(join(dir, 'consensus-blocks')), [`${'bb'.repeat(32)}.bin`]);
  assert.deepEqual(file.load()?.lockedValue?.bytes, blockB);
});

test('a missing or corrupt file refuses to start with CONSENSUS_STATE_CORRUPT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cstate-'));
  const file = new ConsensusStateFile(dir);
  file.save(state(7, { hash: hashA, bytes: blockA }));
  writeFileSync(join(dir, 'consensus-blocks', `${'aa'.repeat(32)}.bin`), '');
  writeFileSync(join(dir, 'consensus-state.bin'), new Uint8Array([9, 9, 9]));
  assert.throws(() => file.load(), { code: 'CONSENSUS_STATE_CORRUPT' });
});
