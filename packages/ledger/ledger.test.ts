import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { fromUtf8, toHex, utf8 } from '@govchain/base';
import { Ledger } from './ledger.ts';
import { EMPTY_ROOT, verifyStateProof } from './proof.ts';
import { buildBlock, sm3, tempLedgerDir, type FakeTx } from './test-support.ts';
import type { StateEntry } from './types.ts';

async function withLedger(run: (ledger: Ledger, dir: string) => void | Promise<void>): Promise<void> {
  const dir = tempLedgerDir();
  const ledger = Ledger.open({ path: dir, hash: sm3 });
  try {
    await run(ledger, dir);
  } finally {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const tx = (bytes: string, ...writes: FakeTx['writes']): FakeTx => ({ bytes, writes });
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : fromUtf8(b));
const keysOf = (entries: readonly StateEntry[]): string[] => entries.map((e) => fromUtf8(e.key));

test('a committed block reads back whole: block, header, certificate, txs, receipts, state and root', async () => {
  await withLedger((ledger) => {
    assert.equal(ledger.lastHeight(), -1);
    assert.deepEqual(ledger.currentStateRoot(), EMPTY_ROOT);
    const genesis = buildBlock(ledger, 0, [], [['org/1', 'ministry']]);
    ledger.commitBlock(genesis);
    const block = buildBlock(ledger, 1, [tx('t1', ['doc/a', 'A']), tx('t2', ['doc/b', 'B'], ['org/1', null])]);
    ledger.commitBlock(block);

    assert.equal(ledger.lastHeight(), 1);
    const stored = ledger.getBlock(1)!;
    assert.deepEqual(stored.blockBytes, block.blockBytes);
    assert.deepEqual(stored.blockHash, block.blockHash);
    assert.deepEqual(stored.headerBytes, block.headerBytes);
    assert.equal(stored.txCount, 2);
    assert.deepEqual(ledger.getBlockByHash(block.blockHash), stored);
    assert.equal(ledger.getBlockByHash(sm3(utf8('nope'))), undefined);
    assert.deepEqual(ledger.getCertificate(1), block.certificateBytes);
    assert.deepEqual(ledger.getBlockTxs(1), block.txs);
    assert.deepEqual(ledger.getTx(block.txs[1]!.id), { height: 1, index: 1, bytes: utf8('t2') });
    assert.ok(ledger.hasTx(block.txs[0]!.id));
    assert.equal(ledger.hasTx(sm3(utf8('t3'))), false);
    assert.equal(ledger.getTx(sm3(utf8('t3'))), undefined);
    assert.equal(str(ledger.getReceipt(block.txs[0]!.id)), 'receipt of t1');
    assert.deepEqual(ledger.getBlockReceipts(1).map(str), ['receipt of t1', 'receipt of t2']);
    assert.deepEqual(ledger.getBlockReceipts(2), []);
    assert.equal(str(ledger.getState(utf8('doc/a'))), 'A');
    assert.equal(ledger.getState(utf8('org/1')), undefined);
    assert.deepEqual(ledger.stateRoot(1), block.preparedState.root);
    assert.deepEqual(ledger.stateRoot(0), genesis.preparedState.root);
    assert.deepEqual(ledger.currentStateRoot(), block.preparedState.root);
    assert.equal(ledger.stateRoot(2), undefined);
    assert.equal(ledger.getBlock(2), undefined);
    assert.deepEqual(ledger.recomputeStateRoot(), ledger.currentStateRoot());
    const stats = ledger.storageStats();
    assert.deepEqual([stats.block.entries, stats.tx.entries, stats.tx_id.entries, stats.receipt.entries, stats.state.entries,
      stats.history.entries], [2, 2, 2, 2, 2, 4]);
    assert.ok(stats.node.bytes > 0);
  });
});

test('readBlocks returns consecutive blocks with certificates and txs, bounded by count and bytes', async () => {
  await withLedger((ledger) => {
    for (let h = 0; h < 5; h++) {
      const { headerBytes, ...withoutHeader } = buildBlock(ledger, h, [tx(`t${h}`, [`k${h}`, 'v'])]);
      // Odd heights are stored without a header: it is optional.
      ledger.commitBlock(h % 2 === 1 ? withoutHeader : { ...withoutHeader, headerBytes });
    }
    const all = ledger.readBlocks(1);
    assert.deepEqual(all.map((b) => b.height), [1, 2, 3, 4]);
    assert.deepEqual(all[0]!.txs.map((t) => str(t.bytes)), ['t1']);
    assert.equal(str(all[0]!.certificateBytes), 'certificate of 1');
    assert.equal(all[0]!.headerBytes, undefined);
    assert.ok(all[1]!.headerBytes !== undefined);
    assert.deepEqual(ledger.readBlocks(1, 2).map((b) => b.height), [1, 2]);
    assert.deepEqual(ledger.readBlocks(1, 100, 1).map((b) => b.height), [1]);
    assert.deepEqual(ledger.readBlocks(9), []);
    assert.throws(() => ledger.readBlocks(0, 101), { code: 'LEDGER_BAD_ARGUMENT' });
  });
});

test('a height other than last + 1 is refused and nothing is written', async () => {
  await withLedger((ledger) => {
    ledger.commitBlock(buildBlock(ledger, 0, [tx('t0', ['a', '1'])]));
    const gap = buildBlock(ledger, 2, [tx('t2', ['b', '2'])]);
    assert.throws(() => ledger.commitBlock(gap), { code: 'LEDGER_HEIGHT_NOT_NEXT', errorClass: 'conflict' });
    const repeat = buildBlock(ledger, 0, [tx('t0b', ['b', '2'])]);
    assert.throws(() => ledger.commitBlock(repeat), { code: 'LEDGER_HEIGHT_NOT_NEXT' });
    assert.equal(ledger.lastHeight(), 0);
    assert.equal(ledger.getState(utf8('b')), undefined);
    assert.equal(ledger.hasTx(gap.txs[0]!.id), false);
    assert.equal(ledger.getBlock(2), undefined);
  });
});

test('a tx id already committed, or twice in one block, is refused', async () => {
  await withLedger((ledger) => {
    ledger.commitBlock(buildBlock(ledger, 0, [tx('t0', ['a', '1'])]));
    assert.throws(() => ledger.commitBlock(buildBlock(ledger, 1, [tx('t0', ['b', '1'])])),
      { code: 'LEDGER_DUPLICATE_TX', errorClass: 'conflict' });
    assert.throws(() => ledger.commitBlock(buildBlock(ledger, 1, [tx('t1'), tx('t1')])), { code: 'LEDGER_DUPLICATE_TX' });
    assert.equal(ledger.lastHeight(), 0);
  });
});

test('a block whose parts disagree is refused: foreign receipt, tx index out of range, known block hash', async () => {
  await withLedger((ledger) => {
    const first = buildBlock(ledger, 0, [tx('t0', ['a', '1'])]);
    ledger.commitBlock(first);
    const block = buildBlock(ledger, 1, [tx('t1', ['b', '1'])]);
    assert.throws(() => ledger.commitBlock({ ...block, receipts: [{ txId: sm3(utf8('x')), bytes: utf8('r') }] }),
      { code: 'LEDGER_BAD_BLOCK' });
    assert.throws(() => ledger.commitBlock({ ...block, receipts: [...block.receipts, ...block.receipts] }),
      { code: 'LEDGER_BAD_BLOCK' });
    assert.throws(() => ledger.commitBlock({ ...block, stateWrites: [{ ...block.stateWrites[0]!, txIndex: 1 }] }),
      { code: 'LEDGER_BAD_BLOCK' });
    assert.throws(() => ledger.commitBlock({ ...block, blockHash: first.blockHash }), { code: 'LEDGER_DUPLICATE_BLOCK' });
    ledger.commitBlock(block);
  });
});

test('a prepared state from another base root, other writes or another ledger is refused', async () => {
  await withLedger(async (ledger) => {
    ledger.commitBlock(buildBlock(ledger, 0, [tx('t0', ['a', '1'])]));
    const early = buildBlock(ledger, 1, [tx('t1', ['b', '1'])]);
    const late = buildBlock(ledger, 1, [tx('t1x', ['c', '1'])]);
    ledger.commitBlock(late);
    // Computed on the root of height 0; height 1 has been committed since.
    const stale = { ...early, height: 2, preparedState: ledger.prepareState(1, [{ key: utf8('b'), value: utf8('1') }]) };
    assert.throws(() => ledger.commitBlock(stale), { code: 'LEDGER_STALE_STATE' });
    const next = buildBlock(ledger, 2, [tx('t2', ['d', '1'])]);
    const otherWrites = ledger.prepareState(2, [{ key: utf8('d'), value: utf8('2') }]);
    assert.throws(() => ledger.commitBlock({ ...next, preparedState: otherWrites }), { code: 'LEDGER_STATE_MISMATCH' });
    await withLedger((other) => {
      const foreign = other.prepareState(2, [{ key: utf8('d'), value: utf8('1') }]);
      assert.throws(() => ledger.commitBlock({ ...next, preparedState: foreign }), { code: 'LEDGER_STALE_STATE' });
    });
    ledger.commitBlock(next);
    assert.equal(str(ledger.getState(utf8('d'))), '1');
  });
});

test('rangeState returns keys in byte order within bounds, at most limit, with a cursor that resumes', async () => {
  await withLedger((ledger) => {
    const keys = ['b/2', 'a/1', 'b/10', 'c', 'b/1', 'a/2', 'b/3', 'b'];
    ledger.commitBlock(buildBlock(ledger, 0, [tx('t0', ...keys.map((k) => [k, `v:${k}`] as const))]));
    const sorted = [...keys].sort();
    const first = ledger.rangeState(utf8('a'), undefined, 100);
    assert.deepEqual(keysOf(first.entries), sorted);
    assert.equal(first.cursor, undefined);
    assert.equal(str(first.entries[0]!.value), 'v:a/1');

    const bounded = ledger.rangeState(utf8('b/'), utf8('b/3'), 100);
    assert.deepEqual(keysOf(bounded.entries), ['b/1', 'b/10', 'b/2']);

    const pages: string[][] = [];
    let cursor: Uint8Array | undefined = utf8('a');
    do {
      const page = ledger.rangeState(cursor, undefined, 3);
      pages.push(keysOf(page.entries));
      cursor = page.cursor;
    } while (cursor !== undefined);
    assert.deepEqual(pages, [sorted.slice(0, 3), sorted.slice(3, 6), sorted.slice(6)]);
    assert.throws(() => ledger.rangeState(utf8('a'), undefined, 0), { code: 'LEDGER_BAD_ARGUMENT' });
    assert.throws(() => ledger.rangeState(utf8('a'), undefined, 1001), { code: 'LEDGER_BAD_ARGUMENT' });
  });
});

test('key history lists every write oldest first, deletes included, with height, tx index and tx id', async () => {
  await withLedger((ledger) => {
    ledger.commitBlock(buildBlock(ledger, 0, [], [['k', 'genesis']]));
    ledger.commitBlock(buildBlock(ledger, 1, [tx('t1', ['k', 'one']), tx('t2', ['other', 'x'], ['k', 'two'], ['k', 'three'])]));
    ledger.commitBlock(buildBlock(ledger, 2, [tx('t3', ['other', 'y'])]));
    ledger.commitBlock(buildBlock(ledger, 3, [tx('t4', ['k', null])]));
    ledger.commitBlock(buildBlock(ledger, 4, [tx('t5', ['k', 'back'])]));
    // A key that shares a prefix with 'k' must not leak into its history.
    ledger.commitBlock(buildBlock(ledger, 5, [tx('t6', ['kk', 'other key'])]));

    const { entries, cursor } = ledger.keyHistory(utf8('k'), 100);
    assert.equal(cursor, undefined);
    assert.deepEqual(entries.map((e) => [e.height, e.txIndex, e.txId === null ? null : toHex(e.txId), str(e.value ?? undefined) ?? null]), [
      [0, null, null, 'genesis'],
      [1, 0, toHex(sm3(utf8('t1'))), 'one'],
      [1, 1, toHex(sm3(utf8('t2'))), 'two'],
      [1, 1, toHex(sm3(utf8('t2'))), 'three'],
      [3, 0, toHex(sm3(utf8('t4'))), null],
      [4, 0, toHex(sm3(utf8('t5'))), 'back'],
    ]);

    const paged: (string | null)[] = [];
    let next: Uint8Array | undefined;
    do {
      const page = ledger.keyHistory(utf8('k'), 4, next);
      paged.push(...page.entries.map((e) => str(e.value ?? undefined) ?? null));
      next = page.cursor;
    } while (next !== undefined);
    assert.deepEqual(paged, ['genesis', 'one', 'two', 'three', null, 'back']);
    assert.deepEqual(ledger.keyHistory(utf8('never'), 10).entries, []);
    assert.throws(() => ledger.keyHistory(utf8('k'), 10, new Uint8Array(3)), { code: 'LEDGER_BAD_ARGUMENT' });
  });
});

test('proveKey gives proofs that verify against the current and older roots, for present and absent keys', async () => {
  await withLedger((ledger) => {
    const txs = Array.from({ length: 200 }, (_, i) => tx(`t${i}`, [`key-${i}`, `v0-${i}`]));
    ledger.commitBlock(buildBlock(ledger, 0, txs));
    const oldRoot = ledger.currentStateRoot();
    ledger.commitBlock(buildBlock(ledger, 1, [tx('u1', ['key-1', 'v1-1'], ['key-2', null], ['new', 'n'])]));
    ledger.commitBlock(buildBlock(ledger, 2, [])); // no state change: same root, proofs still served
    const root = ledger.currentStateRoot();

    const check = (r: Uint8Array, key: string, expected: string | null): void => {
      const proof = ledger.proveKey(r, utf8(key));
      assert.equal(proof.value === null ? null : fromUtf8(proof.value), expected, key);
      assert.ok(verifyStateProof(r, utf8(key), proof, sm3), key);
    };
    check(root, 'key-1', 'v1-1');
    check(root, 'key-2', null);
    check(root, 'new', 'n');
    check(root, 'key-3', 'v0-3');
    check(oldRoot, 'key-1', 'v0-1');
    check(oldRoot, 'key-2', 'v0-2');
    check(oldRoot, 'new', null);
    check(EMPTY_ROOT, 'key-1', null);
    assert.equal(verifyStateProof(oldRoot, utf8('key-1'), ledger.proveKey(root, utf8('key-1')), sm3), false);
    assert.throws(() => ledger.proveKey(sm3(utf8('not a root')), utf8('key-1')), { code: 'LEDGER_UNKNOWN_ROOT' });
  });
});

test('reopening preserves every block, tx, receipt, state entry, history row and root, and continues', async () => {
  const dir = tempLedgerDir();
  try {
    let ledger = Ledger.open({ path: dir, hash: sm3 });
    const commits = [
      buildBlock(ledger, 0, [], [['g', 'genesis']]),
    ];
    ledger.commitBlock(commits[0]!);
    for (let h = 1; h <= 3; h++) {
      const block = buildBlock(ledger, h, [tx(`t${h}`, [`k${h}`, `v${h}`], ['g', `g${h}`])]);
      ledger.commitBlock(block);
      commits.push(block);
    }
    const snapshot = (l: Ledger): unknown => ({
      last: l.lastHeight(),
      root: toHex(l.currentStateRoot()),
      blocks: commits.map((c) => [l.getBlock(c.height), l.getCertificate(c.height), l.stateRoot(c.height), l.getBlockTxs(c.height)]),
      txs: commits.flatMap((c) => c.txs.map((t) => [l.getTx(t.id), l.getReceipt(t.id)])),
      state: l.rangeState(utf8('a'), undefined, 100),
      history: l.keyHistory(utf8('g'), 100),
    });
    const before = snapshot(ledger);
    await ledger.close();
    ledger = Ledger.open({ path: dir, hash: sm3 });
    assert.deepEqual(snapshot(ledger), before);
    assert.deepEqual(ledger.recomputeStateRoot(), ledger.currentStateRoot());
    ledger.commitBlock(buildBlock(ledger, 4, [tx('t4', ['k4', 'v4'])]));
    assert.equal(ledger.lastHeight(), 4);
    await ledger.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a ledger written with one hash function refuses to open with another', async () => {
  const dir = tempLedgerDir();
  try {
    const ledger = Ledger.open({ path: dir, hash: sm3 });
    await ledger.close();
    const sha256 = (d: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(d).digest());
    assert.throws(() => Ledger.open({ path: dir, hash: sha256 }), { code: 'LEDGER_INCOMPATIBLE_STORE' });
    const short = (d: Uint8Array): Uint8Array => sm3(d).subarray(0, 20);
    assert.throws(() => Ledger.open({ path: dir, hash: short }), { code: 'LEDGER_BAD_ARGUMENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory already open in this process is refused until the first ledger is closed', async () => {
  await withLedger(async (ledger, dir) => {
    assert.throws(() => Ledger.open({ path: dir, hash: sm3 }), { code: 'LEDGER_ALREADY_OPEN' });
    assert.equal(ledger.lastHeight(), -1);
  });
  const dir = tempLedgerDir();
  try {
    await Ledger.open({ path: dir, hash: sm3 }).close();
    await Ledger.open({ path: dir, hash: sm3 }).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys and ids are refused when empty or too long, on reads as on writes', async () => {
  await withLedger((ledger) => {
    assert.throws(() => ledger.getState(new Uint8Array(0)), { code: 'LEDGER_BAD_ARGUMENT' });
    assert.throws(() => ledger.rangeState(new Uint8Array(513), undefined, 10), { code: 'LEDGER_TOO_LARGE' });
    assert.throws(() => ledger.hasTx(new Uint8Array(65)), { code: 'LEDGER_BAD_ARGUMENT' });
    assert.throws(() => ledger.getTx(new Uint8Array(0)), { code: 'LEDGER_BAD_ARGUMENT' });
    assert.throws(() => ledger.prepareState(0, [{ key: new Uint8Array(513), value: utf8('x') }]), { code: 'LEDGER_TOO_LARGE' });
    assert.throws(() => ledger.prepareState(0, [{ key: utf8('a'), value: utf8('1') }, { key: utf8('a'), value: null }]),
      { code: 'LEDGER_BAD_ARGUMENT' });
  });
});

test('the ledger file is mapped once however much it grows, so the resident pages of old maps never pile up', { skip: process.platform !== 'linux' }, async () => {
  await withLedger((ledger, dir) => {
    const big = 'v'.repeat(64 * 1024);
    ledger.commitBlock(buildBlock(ledger, 0, []));
    for (let h = 1; h <= 16; h++) {
      const writes = Array.from({ length: 8 }, (_, i): [string, string] => [`big-${h}-${i}`, big]);
      ledger.commitBlock(buildBlock(ledger, h, [tx(`grow ${h}`, ...writes)]));
      assert.equal(str(ledger.getState(utf8(`big-${h}-0`)))?.length, big.length);
    }
    const file = `${dir}/data.mdb`;
    assert.ok(statSync(file).size > 8 * 1024 * 1024, 'the file grew well past lmdb-js\'s 128 KB starting map');
    const maps = readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.endsWith(file));
    assert.equal(maps.length, 1, maps.join('\n'));
  });
});
