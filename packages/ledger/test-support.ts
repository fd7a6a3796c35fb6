/**
 * Fixtures shared by the ledger's tests, crash-test child and benchmark: the SM3 hash and a way to build a
 * complete block commit (txs, receipts, state writes through an overlay, prepared state) from a short description.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes, u64be, utf8 } from '@govchain/base';
import type { BlockCommit } from './commit.ts';
import type { Ledger } from './ledger.ts';
import { StateOverlay } from './overlay.ts';

export function sm3(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sm3').update(data).digest());
}

export function tempLedgerDir(): string {
  return mkdtempSync(join(tmpdir(), 'govchain-ledger-'));
}

export type Write = readonly [key: string, value: string | null];

export interface FakeTx {
  /** Unique per tx: the tx id is its hash. */
  readonly bytes: string;
  readonly writes: readonly Write[];
}

/** A block whose txs make the given writes, executed through a StateOverlay on the ledger's committed state. */
export function buildBlock(ledger: Ledger, height: number, txs: readonly FakeTx[], blockWrites: readonly Write[] = []):
  BlockCommit {
  const overlay = new StateOverlay(ledger);
  const apply = (writes: readonly Write[], txIndex: number | null): void => {
    for (const [k, v] of writes) {
      if (v === null) overlay.delete(utf8(k), txIndex);
      else overlay.set(utf8(k), utf8(v), txIndex);
    }
  };
  apply(blockWrites, null);
  txs.forEach((tx, i) => apply(tx.writes, i));
  const txInputs = txs.map((tx) => ({ id: sm3(utf8(tx.bytes)), bytes: utf8(tx.bytes) }));
  const preparedState = ledger.prepareState(height, overlay.writes());
  const blockBytes = concatBytes(u64be(height), ...txInputs.map((t) => t.id));
  return {
    height,
    blockHash: sm3(blockBytes),
    blockBytes,
    headerBytes: concatBytes(u64be(height), preparedState.root),
    certificateBytes: utf8(`certificate of ${height}`),
    txs: txInputs,
    receipts: txs.map((tx, i) => ({ txId: txInputs[i]!.id, bytes: utf8(`receipt of ${tx.bytes}`) })),
    stateWrites: overlay.log(),
    preparedState,
  };
}

/**
 * The crash test's workload: the txs of block `height`, a pure function of the height so that the test can replay
 * the expected state up to whatever height survived. Keys are reused so that updates and deletes are frequent.
 */
export function crashWorkload(height: number): FakeTx[] {
  return Array.from({ length: 20 }, (_, i) => {
    const writes: Write[] = [[`key-${(height * 7 + i) % 301}`, `${height}:${i}`]];
    if (i % 3 === 0) writes.push([`key-${(height * 13 + i) % 301}`, null]);
    return { bytes: `tx ${height} ${i} ${'x'.repeat(200)}`, writes };
  });
}
