/**
 * Four validators as four processes on loopback, under load: one is SIGKILLed and the rest keep committing; a
 * second is killed and the chain stops without committing anything; both restart, sync, and the chain resumes.
 * At the end every node holds the same block at every height and every tx acknowledged as committed is there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getSuite } from '@govchain/crypto';
import { GovchainClient, buildTx } from '@govchain/sdk';
import { LocalNetwork, waitUntil } from './local-network.ts';

const suite = getSuite('gm');
const signer = { suite, ...suite.generateKeyPair() };
let net: LocalNetwork;
let clients: GovchainClient[];

interface Acked {
  txId: string;
  key: string;
  value: string;
  height: number;
}

const acked: Acked[] = [];
let seq = 0;
let loadRunning = false;
let chainId = '';

async function height(i: number): Promise<number> {
  return (await clients[i]!.status()).height;
}

/** One load worker: submit a kv put to a random live node and wait for its commit. */
async function worker(live: () => number[]): Promise<void> {
  while (loadRunning) {
    const nodes = live();
    const i = nodes[Math.floor(Math.random() * nodes.length)]!;
    const key = `k${++seq}`;
    const value = `v${seq}`;
    const tx = buildTx({ chainId, contract: 'kv', method: 'put', args: { key, value } }, signer);
    try {
      const r = await clients[i]!.submit(tx.hex, { wait: true, timeoutMs: 3000 });
      if (r.status === 'committed' && r.receipt?.status === 'ok') acked.push({ txId: tx.txId, key, value, height: r.height! });
    } catch {
      // The node may have just been killed; the tx may or may not commit later, and it is not acknowledged.
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let liveNodes = [0, 1, 2, 3];

before(async () => {
  net = await LocalNetwork.create({ validators: 4, suite: 'gm' });
  clients = net.nodes.map((n) => new GovchainClient(n.apiUrl, { token: n.apiToken ?? undefined, timeoutMs: 10_000 }));
  net.startAll();
  await waitUntil('all four APIs', async () => (await Promise.all(clients.map((c) => c.status()))).length === 4, 60_000);
  chainId = (await clients[0]!.status()).chainId;
});

after(async () => {
  loadRunning = false;
  if (net) await net.destroy();
});

test('4 validators keep committing with one killed, stop safely with two killed, and converge after restart', { timeout: 240_000 }, async () => {
  loadRunning = true;
  const workers = Array.from({ length: 6 }, () => worker(() => liveNodes));

  await waitUntil('30 committed txs with all validators up', async () => acked.length >= 30, 60_000);

  await net.kill(3);
  liveNodes = [0, 1, 2];
  const ackedBeforeFirstKill = acked.length;
  await waitUntil('30 more commits with node4 killed', async () => acked.length >= ackedBeforeFirstKill + 30, 60_000);

  await net.kill(2);
  liveNodes = [0, 1];
  // Let anything already precommitted land, then the chain must stand still: 2 of 4 is not a quorum.
  await new Promise((r) => setTimeout(r, 1500));
  const stalledHeight = Math.max(await height(0), await height(1));
  const ackedAtStall = acked.length;
  const pendingTx = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: 'during-stall', value: 'x' } }, signer);
  const pending = await clients[0]!.submit(pendingTx.hex);
  assert.equal(pending.status, 'pending');
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(Math.max(await height(0), await height(1)), stalledHeight, 'no block may commit with only 2 of 4 validators');
  assert.equal(acked.length, ackedAtStall, 'no tx may be acknowledged as committed while the chain is stalled');
  assert.equal((await clients[0]!.status()).mempool.txs >= 1, true);

  net.start(2);
  net.start(3);
  liveNodes = [0, 1, 2, 3];
  await waitUntil('the tx submitted during the stall commits', async () => {
    try {
      return await clients[0]!.getTx(pendingTx.txId);
    } catch {
      return undefined;
    }
  }, 90_000);
  const resumedAcked = acked.length;
  await waitUntil('20 more commits after the restart', async () => acked.length >= resumedAcked + 20, 90_000);

  loadRunning = false;
  await Promise.all(workers);

  const finalHeight = await waitUntil('all four nodes at one height', async () => {
    const hs = await Promise.all([0, 1, 2, 3].map(height));
    return hs.every((h) => h === hs[0]) && hs[0]! > stalledHeight ? hs[0] : undefined;
  }, 60_000);

  for (let h = 1; h <= finalHeight; h++) {
    const blocks = (await Promise.all(clients.map((c) => c.getBlock(h)))) as { header: { hash: string } }[];
    const hashes = new Set(blocks.map((b) => b.header.hash));
    assert.equal(hashes.size, 1, `nodes disagree at height ${h}`);
  }
  for (const a of acked) {
    for (const c of clients) {
      const rec = (await c.getTx(a.txId)) as { height: number; receipt: { status: string } };
      assert.equal(rec.height, a.height, `tx ${a.txId} height differs on a node`);
      assert.equal(rec.receipt.status, 'ok');
    }
  }
  const sample = acked.slice(-5);
  for (const a of sample) {
    for (const c of clients) assert.deepEqual(await c.query('kv', 'get', { key: a.key }), { key: a.key, value: a.value });
  }
  const log = readFileSync(`${net.nodes[3]!.home}/node.log`, 'utf8');
  assert.match(log, /chain started/);
});
