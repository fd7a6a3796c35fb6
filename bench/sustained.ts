/**
 * `npm run bench:sustained`: steady offered load for minutes, to see whether throughput and memory stay flat as
 * the ledger grows. Every 10 s it prints one JSON line: committed TPS in the window, node1's mempool, heap used
 * and resident memory split into anonymous (heap and native allocations) and file-backed (the mapped ledger).
 * Options: --rate N (offered tx/s, default 900), --duration S (default 120), --validators N (default 4).
 */
import { parseArgs } from 'node:util';
import { GovchainClient } from '@govchain/sdk';
import { LocalNetwork, waitUntil } from '../test/e2e/local-network.ts';
import { presign } from './presign.ts';
import { memoryMb } from './proc.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '900' },
    duration: { type: 'string', default: '120' },
    validators: { type: 'string', default: '4' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.duration);
const validators = Number(values.validators);
const BATCH = 100;
const SAMPLE_MS = 10_000;
const chainId = 'bench-sustained';

async function heapUsedMb(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const m = /govchain_process_nodejs_heap_size_used_bytes (\d+)/.exec(text);
  return m ? Math.round(Number(m[1]) / 1048576) : NaN;
}

const txs = await presign('gm', chainId, Math.ceil((rate * seconds) / BATCH) * BATCH, 2);
const net = await LocalNetwork.create({ validators, suite: 'gm', chainId });
try {
  net.startAll();
  const clients = net.nodes.map((n) => new GovchainClient(n.apiUrl, { token: n.apiToken ?? undefined, timeoutMs: 30_000 }));
  await waitUntil('all APIs', async () => (await Promise.all(clients.map((c) => c.status()))).length === validators, 60_000);
  let committed = 0;
  const close = await clients[0]!.subscribe((e) => { committed += e.txs.length; });
  const start = Date.now();
  let windowStart = start;
  let committedAtWindowStart = 0;
  const samples: { tps: number; anon: number; file: number }[] = [];
  const sampler = setInterval(() => {
    void (async () => {
      const now = Date.now();
      const tps = Math.round((committed - committedAtWindowStart) / ((now - windowStart) / 1000));
      windowStart = now;
      committedAtWindowStart = committed;
      const mem = memoryMb(net.pid(0)!, ['VmRSS', 'RssAnon', 'RssFile']);
      const [rss, anon, file] = [mem.VmRSS, mem.RssAnon, mem.RssFile].map(Math.round) as [number, number, number];
      samples.push({ tps, anon, file });
      const line = { t_s: Math.round((now - start) / 1000), tps, mempool: (await clients[0]!.status()).mempool.txs, heap_used_mb: await heapUsedMb(net.nodes[0]!.apiUrl), node1_rss_mb: rss, node1_anon_mb: anon, node1_file_mb: file };
      console.log(JSON.stringify(line));
    })();
  }, SAMPLE_MS);
  let sent = 0;
  while (sent < txs.length) {
    const due = Math.min(txs.length, Math.floor(((Date.now() - start) / 1000) * rate));
    for (; sent + BATCH <= due; sent += BATCH) {
      void clients[(sent / BATCH) % clients.length]!.submitBatch(txs.slice(sent, sent + BATCH).map((t) => t.hex)).catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await waitUntil('the last txs to commit', async () => committed >= txs.length, 60_000).catch(() => undefined);
  clearInterval(sampler);
  close();
  const full = samples.filter((_, i) => i < Math.floor(seconds / (SAMPLE_MS / 1000)));
  console.log(JSON.stringify({
    scenario: 'sustained', offered_rate: rate, duration_s: seconds, committed: committed,
    tps_min: Math.min(...full.map((s) => s.tps)), tps_max: Math.max(...full.map((s) => s.tps)),
    node1_anon_mb_max: Math.max(...samples.map((s) => s.anon)), node1_file_mb_last: samples.at(-1)?.file ?? NaN,
  }));
} finally {
  await net.stopAll().catch(() => undefined);
  await net.destroy();
}
process.exit(0);
