/**
 * Ledger benchmark (not a test): prints one JSON object per measurement on stdout.
 *
 *   node --import tsx packages/ledger/bench.ts [--keys 1000000] [--dir /path] [--blocks 20] [--reuse]
 *
 * --reuse skips steps 1 and the empty-ledger run of 3, on a --dir loaded by an earlier run with the same --keys.
 * --warm first reads every table once, so that measurements see the database mapped in memory as a long-running
 * node would (a fresh process pays a page fault on first touch of each page: several times the cost of a read).
 *
 * 1. Loads `keys` state entries in blocks of 20,000 block-level writes.
 * 2. trie: blocks of 2,000 writes (1,000 updates of existing keys, 1,000 new keys) on that state: time to compute
 *    the root (prepareState), node hashes and stored node bytes per update, commit time.
 * 3. txs: blocks of 1,000 txs (~300 bytes, one state write of a new key each, a receipt each): blocks/s and txs/s
 *    through overlay + prepareState + commitBlock, bytes LMDB wrote (syscalls) and file growth per tx. Run on an
 *    empty ledger first, then on the loaded one.
 * SM3 from node:crypto; every call is counted. Times are given as wall clock and as this process's CPU time
 * (user + system), which stays meaningful when other processes share the machine; the load average is printed.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { concatBytes, toHex, u32be, u64be, utf8 } from '@govchain/base';
import { Ledger } from './ledger.ts';
import { StateOverlay } from './overlay.ts';
import { TABLE_NAMES, openStore } from './tables.ts';
import { tempLedgerDir } from './test-support.ts';
import type { BlockCommit } from './commit.ts';
import type { StateWrite } from './types.ts';

const { values: args } = parseArgs({
  options: {
    keys: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    blocks: { type: 'string', default: '20' },
    reuse: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
  },
});
const KEYS = Number(args.keys);
const BLOCKS = Number(args.blocks);
const LOAD_BATCH = 20_000;

let hashCalls = 0;
function sm3(data: Uint8Array): Uint8Array {
  hashCalls++;
  return new Uint8Array(createHash('sm3').update(data).digest());
}

/** Bytes this process passed to write-family syscalls (LMDB's page writes), from /proc. */
function writtenBytes(): number {
  return Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

/** Disk space of the data file: LMDB grows it sparsely, so allocated blocks, not the apparent size. */
function fileBytes(ledgerDir: string): number {
  return statSync(join(ledgerDir, 'data.mdb')).blocks * 512;
}

/** Bytes of B-tree pages in use over all tables (the file may also hold free pages LMDB will reuse). */
function usedBytes(ledger: Ledger): number {
  return Object.values(ledger.storageStats()).reduce((n, t) => n + t.bytes, 0);
}

/** This process's CPU time so far, in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

function commitWrites(ledger: Ledger, writes: StateWrite[]): BlockCommit {
  const height = ledger.lastHeight() + 1;
  const preparedState = ledger.prepareState(height, writes);
  const blockBytes = u64be(height);
  return {
    height, blockHash: sm3(blockBytes), blockBytes, certificateBytes: new Uint8Array(100), txs: [], receipts: [],
    stateWrites: writes.map((w) => ({ ...w, txIndex: null })), preparedState,
  };
}

function load(ledger: Ledger): void {
  const started = performance.now();
  for (let i = 0; i < KEYS; i += LOAD_BATCH) {
    const writes: StateWrite[] = [];
    for (let j = i; j < Math.min(KEYS, i + LOAD_BATCH); j++) writes.push({ key: keyOf(j), value: randomBytes(64) });
    ledger.commitBlock(commitWrites(ledger, writes));
  }
  emit({ phase: 'load', keys: KEYS, seconds: round((performance.now() - started) / 1000, 1) });
}

function keyOf(i: number): Uint8Array {
  return utf8(`acct/${i.toString().padStart(9, '0')}`);
}

function trieBlocks(ledger: Ledger): void {
  let prepareMs = 0;
  let commitMs = 0;
  let prepareCpu = 0;
  let commitCpu = 0;
  let nodeHashes = 0;
  let nodeBytes = 0;
  let nodes = 0;
  let allHashes = 0;
  const written0 = writtenBytes();
  const used0 = usedBytes(ledger);
  for (let b = 0; b < BLOCKS; b++) {
    const writes = new Map<string, StateWrite>();
    while (writes.size < 1000) {
      const key = keyOf(Math.floor(Math.random() * KEYS));
      writes.set(toHex(key), { key, value: randomBytes(64) });
    }
    for (let i = 0; i < 1000; i++) {
      const key = utf8(`doc/${toHex(randomBytes(16))}`);
      writes.set(toHex(key), { key, value: randomBytes(64) });
    }
    const h0 = hashCalls;
    const [t0, c0] = [performance.now(), cpuMs()];
    const commit = commitWrites(ledger, [...writes.values()]);
    const [t1, c1] = [performance.now(), cpuMs()];
    allHashes += hashCalls - h0 - 1; // minus the fake block hash
    ledger.commitBlock(commit);
    prepareMs += t1 - t0;
    commitMs += performance.now() - t1;
    prepareCpu += c1 - c0;
    commitCpu += cpuMs() - c1;
    nodeHashes += commit.preparedState.nodeHashes;
    nodes += commit.preparedState.nodes.length;
    nodeBytes += commit.preparedState.nodes.reduce((n, x) => n + x.bytes.length + 40, 0);
  }
  const updates = BLOCKS * 2000;
  emit({
    phase: 'trie', existingKeys: KEYS, updatesPerBlock: 2000, blocks: BLOCKS,
    rootComputationMsPerBlock: round(prepareMs / BLOCKS, 1),
    rootComputationCpuMsPerBlock: round(prepareCpu / BLOCKS, 1),
    commitMsPerBlock: round(commitMs / BLOCKS, 1),
    commitCpuMsPerBlock: round(commitCpu / BLOCKS, 1),
    nodeHashesPerUpdate: round(nodeHashes / updates),
    allHashesPerUpdate: round(allHashes / updates),
    newNodesPerUpdate: round(nodes / updates),
    nodeBytesPerUpdate: round(nodeBytes / updates, 0),
    lmdbBytesWrittenPerUpdate: round((writtenBytes() - written0) / updates, 0),
    usedBytesPerUpdate: round((usedBytes(ledger) - used0) / updates, 0),
  });
}

function txBlocks(ledger: Ledger, label: string): void {
  const TXS = 1000;
  let prepareMs = 0;
  let commitMs = 0;
  let prepareCpu = 0;
  let commitCpu = 0;
  let rootMs = 0;
  const written0 = writtenBytes();
  const used0 = usedBytes(ledger);
  const started = performance.now();
  const cpuStarted = cpuMs();
  for (let b = 0; b < BLOCKS; b++) {
    const [t0, c0] = [performance.now(), cpuMs()];
    const height = ledger.lastHeight() + 1;
    const overlay = new StateOverlay(ledger);
    const txs = Array.from({ length: TXS }, (_, i) => {
      const bytes = concatBytes(u64be(height), u32be(i), randomBytes(288));
      const id = sm3(bytes);
      overlay.set(utf8(`doc/${toHex(id)}`), randomBytes(64), i);
      return { id, bytes };
    });
    const r0 = performance.now();
    const preparedState = ledger.prepareState(height, overlay.writes());
    rootMs += performance.now() - r0;
    const blockBytes = concatBytes(u64be(height), ...txs.map((t) => t.id));
    const commit: BlockCommit = {
      height, blockHash: sm3(blockBytes), blockBytes, headerBytes: randomBytes(200), certificateBytes: randomBytes(300),
      txs, receipts: txs.map((t) => ({ txId: t.id, bytes: randomBytes(60) })), stateWrites: overlay.log(), preparedState,
    };
    const [t1, c1] = [performance.now(), cpuMs()];
    ledger.commitBlock(commit);
    prepareMs += t1 - t0;
    commitMs += performance.now() - t1;
    prepareCpu += c1 - c0;
    commitCpu += cpuMs() - c1;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpuMs() - cpuStarted) / 1000;
  emit({
    phase: 'txs', ledger: label, txsPerBlock: TXS, writesPerTx: 1, blocks: BLOCKS,
    blocksPerSecond: round(BLOCKS / seconds, 1), txsPerSecond: round((BLOCKS * TXS) / seconds, 0),
    txsPerCpuSecond: round((BLOCKS * TXS) / cpuSeconds, 0),
    executeAndRootMsPerBlock: round(prepareMs / BLOCKS, 1), executeAndRootCpuMsPerBlock: round(prepareCpu / BLOCKS, 1),
    rootComputationMsPerBlock: round(rootMs / BLOCKS, 1),
    commitMsPerBlock: round(commitMs / BLOCKS, 1), commitCpuMsPerBlock: round(commitCpu / BLOCKS, 1),
    lmdbBytesWrittenPerTx: round((writtenBytes() - written0) / (BLOCKS * TXS), 0),
    usedBytesPerTx: round((usedBytes(ledger) - used0) / (BLOCKS * TXS), 0),
  });
}

/** hasTx for ids committed in the last block (present) and random ids (absent). */
function replayChecks(ledger: Ledger): void {
  const present = ledger.getBlockTxs(ledger.lastHeight()).map((t) => t.id);
  const absent = Array.from({ length: present.length }, () => randomBytes(32));
  const t0 = performance.now();
  let found = 0;
  for (const id of [...present, ...absent]) if (ledger.hasTx(id)) found++;
  const micros = ((performance.now() - t0) * 1000) / (present.length + absent.length);
  emit({ phase: 'hasTx', lookups: present.length + absent.length, found, microsecondsPerLookup: round(micros) });
}

/**
 * Touches every page of every table, through a second handle on the environment (lmdb-js shares the mapping).
 * The handle is closed at once: its read snapshot would otherwise stop LMDB from reusing freed pages.
 */
async function warm(ledgerDir: string): Promise<void> {
  const started = performance.now();
  const { env, tables } = openStore(ledgerDir);
  let bytes = 0;
  for (const name of TABLE_NAMES) for (const { value } of tables[name].getRange({})) bytes += value.length;
  await env.close();
  emit({ phase: 'warm', megabytesRead: round(bytes / 1e6, 0), seconds: round((performance.now() - started) / 1000, 1) });
}

const dir = args.dir ?? tempLedgerDir();
try {
  const ledger = Ledger.open({ path: dir, hash: sm3 });
  if (args.warm) await warm(dir);
  if (!args.reuse) {
    txBlocks(ledger, 'empty');
    load(ledger);
  }
  trieBlocks(ledger);
  txBlocks(ledger, `${KEYS} keys`);
  replayChecks(ledger);
  const stats = ledger.storageStats();
  emit({
    phase: 'end', lastHeight: ledger.lastHeight(), fileBytes: fileBytes(dir), usedBytes: usedBytes(ledger),
    tables: Object.fromEntries(Object.entries(stats).map(([name, t]) => [name, t.bytes])), loadAverage: loadavg(),
  });
  await ledger.close();
} finally {
  if (args.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
