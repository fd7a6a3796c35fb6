/**
 * The chain benchmark: a local network of validator processes under a fixed offered load of pre-signed kv.put
 * txs, submitted through the batch API round-robin across the nodes. Latency is from the moment a batch is sent
 * to the moment node1's event stream reports the block that commits the tx. GOVCHAIN_BENCH_KEEP_LOGS=<dir> copies
 * each node's log there before the network's directory is removed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureSm2VerifyPerSecond, sm2VerifyImplementation, type SuiteName } from '@govchain/crypto';
import { GovchainClient } from '@govchain/sdk';
import { LocalNetwork, waitUntil } from '../test/e2e/local-network.ts';
import { presign } from './presign.ts';
import { cpuMs, memoryMb } from './proc.ts';

export interface ChainBenchOptions {
  suite: SuiteName;
  validators: number;
  ratePerSecond: number;
  durationSeconds: number;
  warmupSeconds: number;
  batchSize: number;
}

export interface ChainBenchResult {
  tps: number;
  p50_ms: number;
  p99_ms: number;
  sm2_verify_per_s: number;
  rss_mb_max: number;
  /**
   * Peak anonymous resident memory (heap and native allocations) of any validator, sampled every second. RSS also
   * counts the pages of the memory-mapped ledger file a node has touched, which grow with the ledger and which the
   * kernel can reclaim; this is the part that does not.
   */
  rss_anon_mb_max: number;
  disk_bytes_per_tx: number;
  validators: number;
  suite: SuiteName;
  offered_rate: number;
  refused: number;
  sm2_verify_impl: string;
  /** CPU time of all validators together per tx committed in the measured window. */
  cpu_ms_per_tx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Current anonymous RSS (RssAnon) of a process, in MB; 0 once it has exited. */
function anonRssMb(pid: number): number {
  try {
    return memoryMb(pid, ['RssAnon']).RssAnon;
  } catch {
    return 0;
  }
}

function diskBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split(/\s/)[0]);
}

export async function runChainBench(o: ChainBenchOptions, log: (line: string) => void): Promise<ChainBenchResult> {
  const sm2 = measureSm2VerifyPerSecond(2000);
  log(`SM2 verify, one core (${sm2.implementation}): ${sm2.perSecond}/s`);

  const chainId = 'govchain-bench';
  const total = Math.ceil(o.ratePerSecond * (o.durationSeconds + o.warmupSeconds) * 1.05);
  const t0 = Date.now();
  const txs = await presign(o.suite, chainId, total, 2);
  log(`pre-signed ${txs.length} txs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const net = await LocalNetwork.create({ validators: o.validators, suite: o.suite, chainId });
  try {
    net.startAll();
    const clients = net.nodes.map((n) => new GovchainClient(n.apiUrl, { token: n.apiToken ?? undefined, timeoutMs: 30_000 }));
    await waitUntil('all APIs', async () => (await Promise.all(clients.map((c) => c.status()))).length === o.validators, 60_000);

    const sentAt = new Map<string, number>();
    const latencies: { sentAt: number; ms: number }[] = [];
    const commitTimes: number[] = [];
    let committedTotal = 0;
    const unsubscribe = await clients[0]!.subscribe((event) => {
      const now = Date.now();
      for (const t of event.txs) {
        committedTotal++;
        commitTimes.push(now);
        const s = sentAt.get(t.txId);
        if (s !== undefined) {
          latencies.push({ sentAt: s, ms: now - s });
          sentAt.delete(t.txId);
        }
      }
    });

    let refused = 0;
    let next = 0;
    const pids = net.nodes.map((_, i) => net.pid(i)!);
    let cpuAtWindowStart = 0;
    let cpuAtWindowEnd = 0;
    const start = Date.now();
    const sampleCpu = (): number => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    let anonMax = 0;
    const anonSampler = setInterval(() => { anonMax = Math.max(anonMax, ...pids.map(anonRssMb)); }, 1000).unref();
    const windowTimers = [
      setTimeout(() => { cpuAtWindowStart = sampleCpu(); }, o.warmupSeconds * 1000),
      setTimeout(() => { cpuAtWindowEnd = sampleCpu(); }, (o.warmupSeconds + o.durationSeconds) * 1000),
    ];
    const endSending = start + (o.warmupSeconds + o.durationSeconds) * 1000;
    const inflight = new Set<Promise<void>>();
    let rr = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = Date.now();
        if (now >= endSending || next >= txs.length) {
          clearInterval(timer);
          resolve();
          return;
        }
        const due = Math.min(txs.length, Math.floor(((now - start) / 1000) * o.ratePerSecond));
        while (next < due) {
          const batch = txs.slice(next, Math.min(due, next + o.batchSize));
          next += batch.length;
          const client = clients[rr++ % clients.length]!;
          const sent = Date.now();
          for (const t of batch) sentAt.set(t.txId, sent);
          const p = client.submitBatch(batch.map((t) => t.hex)).then(
            () => undefined,
            (err: unknown) => {
              if (refused === 0) log(`first refusal: ${err instanceof Error ? err.message : String(err)}`);
              refused += batch.length;
              for (const t of batch) sentAt.delete(t.txId);
            },
          );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
      }, 20);
    });
    await Promise.all(inflight);
    windowTimers.forEach(clearTimeout);
    if (cpuAtWindowEnd === 0) cpuAtWindowEnd = sampleCpu();
    await waitUntil('the last txs to commit', async () => sentAt.size === 0, 30_000).catch(() => undefined);
    unsubscribe();

    const windowStart = start + o.warmupSeconds * 1000;
    const windowEnd = windowStart + o.durationSeconds * 1000;
    const inWindow = commitTimes.filter((t) => t >= windowStart && t < windowEnd).length;
    const lat = latencies.filter((l) => l.sentAt >= windowStart && l.sentAt < windowEnd).map((l) => l.ms).sort((a, b) => a - b);
    clearInterval(anonSampler);
    const rssMax = Math.max(...pids.map((pid) => memoryMb(pid, ['VmHWM']).VmHWM));
    const ledgerBytes = net.nodes.map((n) => diskBytes(join(n.home, 'data', 'ledger')));
    const result: ChainBenchResult = {
      tps: Math.round(inWindow / o.durationSeconds),
      p50_ms: percentile(lat, 50),
      p99_ms: percentile(lat, 99),
      sm2_verify_per_s: sm2.perSecond,
      rss_mb_max: Math.round(rssMax),
      rss_anon_mb_max: Math.round(anonMax),
      disk_bytes_per_tx: Math.round(ledgerBytes.reduce((a, b) => a + b, 0) / ledgerBytes.length / Math.max(1, committedTotal)),
      validators: o.validators,
      suite: o.suite,
      offered_rate: o.ratePerSecond,
      refused,
      sm2_verify_impl: sm2VerifyImplementation(),
      cpu_ms_per_tx: inWindow === 0 ? NaN : Math.round(((cpuAtWindowEnd - cpuAtWindowStart) / inWindow) * 100) / 100,
    };
    log(`offered ${o.ratePerSecond} tx/s for ${o.durationSeconds} s (after ${o.warmupSeconds} s warm-up), batches of ${o.batchSize}`);
    log(`committed: ${result.tps} tx/s; latency p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms (${lat.length} txs measured); refused ${refused}`);
    log(`validators' CPU: ${result.cpu_ms_per_tx} ms per committed tx, all ${o.validators} together (a 2-core machine offers 2,000 CPU-ms per second)`);
    log(`validator peak RSS max ${result.rss_mb_max} MB (anonymous: heap and native, ${result.rss_anon_mb_max} MB; the rest is the memory-mapped ledger); ledger ${result.disk_bytes_per_tx} bytes/tx (${committedTotal} txs committed)`);
    return result;
  } finally {
    await net.stopAll().catch(() => undefined);
    const keepLogsIn = process.env.GOVCHAIN_BENCH_KEEP_LOGS;
    if (keepLogsIn) for (const n of net.nodes) copyFileSync(join(n.home, 'node.log'), join(keepLogsIn, `${n.name}.log`));
    await net.destroy();
  }
}
