import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual, fromUtf8, utf8 } from '@govchain/base';
import { Ledger } from './ledger.ts';
import { EMPTY_ROOT, verifyStateProof } from './proof.ts';
import { crashWorkload, sm3, tempLedgerDir } from './test-support.ts';

const CHILD = join(import.meta.dirname, 'crash-writer.ts');
const ITERATIONS = 6;
const TIME_BUDGET_MS = 14_000;
const START_TIMEOUT_MS = 8_000;

/**
 * Runs the writer, SIGKILLs it `killAfterMs` after its first acknowledgement (start-up time varies too much under
 * load to aim from the spawn), and returns the heights it acknowledged.
 */
function runAndKill(dir: string, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      if (out === '') {
        clearTimeout(timer);
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited on its own (code ${code}): ${err}`));
        return;
      }
      // Only complete lines count: a height is acknowledged once its whole line was written.
      resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

/** The state the workload must have produced after `last`, replayed in memory. */
function expectedState(last: number): Map<string, string> {
  const state = new Map<string, string>();
  for (let h = 0; h <= last; h++) {
    for (const tx of crashWorkload(h)) {
      for (const [k, v] of tx.writes) {
        if (v === null) state.delete(k);
        else state.set(k, v);
      }
    }
  }
  return state;
}

function checkConsistent(ledger: Ledger): void {
  const last = ledger.lastHeight();
  for (let h = 0; h <= last; h++) {
    const block = ledger.getBlock(h);
    assert.ok(block !== undefined, `block ${h} missing`);
    assert.ok(ledger.getCertificate(h) !== undefined, `certificate ${h} missing`);
    assert.ok(ledger.stateRoot(h) !== undefined, `state root ${h} missing`);
    const txs = ledger.getBlockTxs(h);
    assert.equal(txs.length, block.txCount, `txs of ${h}`);
    txs.forEach((tx, i) => {
      const found = ledger.getTx(tx.id);
      assert.ok(found !== undefined && found.height === h && found.index === i, `tx ${h}/${i} not indexed`);
      assert.ok(ledger.getReceipt(tx.id) !== undefined, `receipt ${h}/${i} missing`);
    });
  }
  // Nothing of the height that was being written when the process died.
  assert.equal(ledger.getBlock(last + 1), undefined);
  assert.equal(ledger.hasTx(sm3(utf8(crashWorkload(last + 1)[0]!.bytes))), false);

  const root = ledger.currentStateRoot();
  assert.ok(bytesEqual(root, last < 0 ? EMPTY_ROOT : ledger.stateRoot(last)!));
  assert.ok(bytesEqual(ledger.recomputeStateRoot(), root), 'stored state root differs from the state table');
  const state = new Map<string, string>();
  let cursor: Uint8Array | undefined = utf8('key-');
  do {
    const page = ledger.rangeState(cursor, undefined, 1000);
    for (const e of page.entries) state.set(fromUtf8(e.key), fromUtf8(e.value));
    cursor = page.cursor;
  } while (cursor !== undefined);
  assert.deepEqual(state, expectedState(last), `state after height ${last}`);
  for (const key of ['key-0', 'key-1', 'key-150', 'key-300']) {
    const proof = ledger.proveKey(root, utf8(key));
    assert.ok(verifyStateProof(root, utf8(key), proof, sm3), `proof of ${key}`);
    assert.equal(proof.value === null ? undefined : fromUtf8(proof.value), state.get(key));
  }
}

test('SIGKILL at random moments never loses an acknowledged height and never leaves a partial one', async (t) => {
  const dir = tempLedgerDir();
  const started = Date.now();
  let acknowledged = 0;
  try {
    for (let i = 0; i < ITERATIONS && Date.now() - started < TIME_BUDGET_MS; i++) {
      const killAfterMs = Math.floor(Math.random() * 500);
      const acked = await runAndKill(dir, killAfterMs);
      const ledger = Ledger.open({ path: dir, hash: sm3 });
      try {
        t.diagnostic(`killed after ${killAfterMs} ms having acknowledged ${acked.length} heights ` +
          `(${acked.at(0) ?? '-'}..${acked.at(-1) ?? '-'}); reopened at height ${ledger.lastHeight()}`);
        for (const h of acked) assert.ok(h <= ledger.lastHeight(), `acknowledged height ${h} lost`);
        checkConsistent(ledger);
        acknowledged += acked.length;
      } finally {
        await ledger.close();
      }
    }
    assert.ok(acknowledged > 0, 'the writer never committed anything');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
