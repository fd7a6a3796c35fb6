import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { fromHex, toHex } from '@govchain/base';
import { getSuite, privateKeyFromPem } from '@govchain/crypto';
import { decodeSignedTx, decodeTxBody } from '@govchain/protocol';
import type { ChainEvent } from '@govchain/protocol';
import type { GatewayApp, ChainClient } from '@govchain/apps';
import { openDatabase } from '../db.ts';
import { startGateway } from '../gateway.ts';
import { SUPER_ADMIN } from '../auth/permissions.ts';
import { FakeChain, TEST_KDF, eventually, login, makeTestHome } from '../testkit.ts';
import { BlockFollower } from './follower.ts';
import { ChainIndex } from './indexer.ts';

const silent = pino({ level: 'silent' });
const kv = (key: string, sender?: string) => ({ contract: 'kv', method: 'put', args: { key, value: 'v' }, ...(sender ? { sender } : {}) });

test('the index backfills headers and tx ids page by page, then fills tx details newest first', async () => {
  const chain = new FakeChain('c', ['node1']);
  for (let h = 1; h <= 250; h++) chain.addBlock(h % 50 === 0 ? [kv(`k${h}`, 'cd'.repeat(20)), kv(`j${h}`)] : [], 1_000_000 + h * 1000);
  const index = new ChainIndex(openDatabase(':memory:'), silent);
  const api = chain.api('http://node1.test');
  assert.equal(await index.backfill(api), 250);
  assert.equal(index.indexedHeight, 250);
  assert.equal(index.txTotal, 10);
  assert.equal(index.recentBlocks(1)[0]!.height, 250);
  assert.equal(index.pendingDetails(), 10);
  assert.equal(await index.fillDetails(api), 10);
  assert.equal(index.senderTxCount('cd'.repeat(20)), 5);
  const txs = index.txsOfSender('cd'.repeat(20), 2);
  assert.deepEqual(txs.map((t) => [t.height, t.contract, t.method, t.status]), [[250, 'kv', 'put', 'ok'], [200, 'kv', 'put', 'ok']]);
});

test('tx details of a block larger than one page are read page by page', async () => {
  const chain = new FakeChain('c', ['node1']);
  chain.addBlock(Array.from({ length: 2500 }, (_, i) => kv(`big${i}`, i === 2499 ? 'ef'.repeat(20) : undefined)));
  const index = new ChainIndex(openDatabase(':memory:'), silent);
  const api = chain.api('http://node1.test');
  await index.backfill(api);
  assert.equal(index.pendingDetails(), 2500);
  assert.equal(await index.fillDetails(api), 2500);
  assert.equal(index.pendingDetails(), 0);
  assert.deepEqual(index.txsOfSender('ef'.repeat(20), 10).map((t) => t.index), [2499]);
});

test('the follower delivers every block in order, reading back the ones missed while the stream was down', async () => {
  const chain = new FakeChain('c', ['node1']);
  chain.addBlock();
  const follower = new BlockFollower(chain.api('http://node1.test'), 1, silent);
  const seen: ChainEvent[] = [];
  follower.onBlock((e) => seen.push(e));
  follower.start();
  chain.addBlock([kv('a')]);
  await eventually('block 2', () => seen.length === 1);
  chain.dropStreams();
  chain.addBlock([{ ...kv('b'), fail: true }]); // committed while disconnected
  chain.addBlock();
  await eventually('reconnected', () => (chain as unknown as { streams: Set<unknown> }).streams.size === 1, 5000);
  chain.addBlock([kv('c')]);
  await eventually('blocks 3 to 5', () => seen.length === 4, 5000);
  follower.stop();
  assert.deepEqual(seen.map((e) => e.header.height), [2, 3, 4, 5]);
  assert.deepEqual(seen[1]!.txs.map((t) => [t.status, t.errorCode]), [['failed', 'KV_NOT_FOUND']]);
});

test('apps get a chain client that signs with the organization admin key and sees committed blocks', async () => {
  const t = makeTestHome();
  const chain = new FakeChain(t.genesis.chainId, t.nodeNames);
  chain.addBlock();
  let client: ChainClient | null = null;
  const probe: GatewayApp = { name: 'probe', contracts: [], permissions: [], async register(_app, ctx) { client = ctx.chain; } };
  const gw = await startGateway(t.home, { nodeApi: chain.factory(), kdf: TEST_KDF, listen: false, apps: [probe] });
  try {
    const c = client as unknown as ChainClient;
    assert.equal(c.chainId, 'gw-test');
    await c.submit('kv', 'put', { key: 'x', value: 'y' });
    const signed = decodeSignedTx(fromHex(chain.submitted[0]!));
    const body = decodeTxBody(signed.bodyBytes);
    const admin = privateKeyFromPem(readFileSync(join(t.home, 'admin.key'), 'utf8'), 'sm2');
    assert.equal(toHex(body.senderPublicKey), toHex(admin.publicKey));
    assert.ok(body.senderCertificate !== null, 'the admin certificate travels with the tx');
    assert.ok(getSuite('gm').verify(body.senderPublicKey, signed.bodyBytes, signed.signature));
    assert.equal(body.contract, 'kv');
    await eventually('following', () => gw.index.indexedHeight === 1);
    await new Promise((r) => setTimeout(r, 50));
    const heights: number[] = [];
    c.onBlock((e) => heights.push(e.header.height));
    chain.addBlock();
    await eventually('block 2 seen by the app', () => heights.includes(2));
  } finally {
    await gw.close();
  }
});

test('the gateway watches every node: a node going down shows on the nodes page and fires the node-down alert', async () => {
  const t = makeTestHome({ orgs: 3 });
  const chain = new FakeChain(t.genesis.chainId, t.nodeNames);
  chain.addBlock();
  const gw = await startGateway(t.home, { nodeApi: chain.factory(), kdf: TEST_KDF, listen: false });
  try {
    await gw.accounts.createUser({ username: 'ops', displayName: 'Ops', password: 'Watch-Password-1', roles: [SUPER_ADMIN], mustChangePassword: false });
    const ops = await login(gw.app, 'ops', 'Watch-Password-1');
    const rules = (await ops.request('GET', '/api/alerts/rules')).json.rules;
    const down = rules.find((r: { kind: string }) => r.kind === 'node_down');
    await ops.request('PATCH', `/api/alerts/rules/${down.id}`, { threshold: 1 });
    await eventually('all nodes up', async () => (await ops.request('GET', '/api/nodes')).json.nodes.every((n: { reachable: boolean }) => n.reachable));
    const shown = (await ops.request('GET', '/api/nodes')).json.nodes as { host: { cpuCount: number; memoryTotalBytes: number } | null }[];
    assert.ok(shown.every((n) => n.host !== null && n.host.cpuCount > 0 && n.host.memoryTotalBytes > 0), 'each node reports its own host');
    chain.down.add('node3');
    await eventually('node3 shown down', async () => (await ops.request('GET', '/api/nodes')).json.nodes.find((n: { name: string }) => n.name === 'node3').reachable === false);
    const ev = await eventually('alert fired', async () => (await ops.request('GET', '/api/alerts/events?state=firing')).json.events.find((e: { subject: string }) => e.subject === 'node3'), 5000);
    assert.equal(ev.kind, 'node_down');
    chain.down.delete('node3');
    await eventually('alert resolved', async () => (await ops.request('GET', '/api/alerts/events?state=firing')).json.total === 0, 5000);
    const dash = (await ops.request('GET', '/api/dashboard')).json;
    assert.equal(dash.nodesTotal, 3);
    assert.equal(dash.validators.length, 3);
  } finally {
    await gw.close();
  }
});

test('the dashboard reports totals, block time and TPS computed from committed blocks', async () => {
  const t = makeTestHome();
  const chain = new FakeChain(t.genesis.chainId, t.nodeNames);
  const now = Date.now();
  for (let i = 0; i < 20; i++) chain.addBlock(Array.from({ length: 30 }, (_, j) => kv(`${i}-${j}`)), now - (20 - i) * 2000);
  const gw = await startGateway(t.home, { nodeApi: chain.factory(), kdf: TEST_KDF, listen: false });
  try {
    await gw.accounts.createUser({ username: 'viewer', displayName: 'V', password: 'Dash-Pass-2024', roles: ['user'], mustChangePassword: false });
    const v = await login(gw.app, 'viewer', 'Dash-Pass-2024');
    await eventually('indexed', () => gw.index.indexedHeight === 20);
    const d = (await v.request('GET', '/api/dashboard')).json;
    assert.equal(d.height, 20);
    assert.equal(d.txTotal, 600);
    assert.equal(d.blockTimeAvgMs, 2000);
    assert.equal(d.tpsLastMinute, 10);
    assert.equal(d.recentBlocks.length, 10);
    const s = (await v.request('GET', '/api/dashboard/series?minutes=1')).json;
    assert.ok(s.blocks.every((b: { blockTimeMs: number; txCount: number }) => b.blockTimeMs === 2000 && b.txCount === 30));
    const total = s.tps.reduce((a: number, b: { tps: number }) => a + b.tps * 10, 0);
    assert.ok(total >= 570 && total <= 600, `txs in the TPS buckets: ${total}`);
  } finally {
    await gw.close();
  }
});
