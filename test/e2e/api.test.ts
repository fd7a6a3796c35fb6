/**
 * The node API against a real single-validator node started in this process: every error class answers with
 * its status and a JSON {code, message}; random and mutated requests never crash the node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pino from 'pino';
import { getSuite } from '@govchain/crypto';
import { startNode, type RunningNode } from '@govchain/node';
import { GovchainClient, buildTx } from '@govchain/sdk';
import { LocalNetwork, waitUntil } from './local-network.ts';

const suite = getSuite('gm');
const signer = { suite, ...suite.generateKeyPair() };
let net: LocalNetwork;
let node: RunningNode;
let base: string;
let token: string;
let chainId: string;

before(async () => {
  net = await LocalNetwork.create({ validators: 1, suite: 'gm', chainId: 'api-test' });
  node = await startNode(net.nodes[0]!.home, { logger: pino({ level: 'silent' }) });
  base = node.apiUrl;
  token = net.nodes[0]!.apiToken!;
  chainId = 'api-test';
});

after(async () => {
  await net?.destroy();
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    init.body = body;
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : JSON.parse(text) };
}

function assertError(r: { status: number; json: Record<string, unknown> }, status: number, code?: string): void {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(typeof r.json.code, 'string');
  assert.equal(typeof r.json.message, 'string');
  if (code !== undefined) assert.equal(r.json.code, code);
}

test('submits a tx, waits for its commit, and reads it back with its receipt and block', async () => {
  const client = new GovchainClient(base, { token });
  const tx = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: 'a', value: '1' } }, signer);
  const r = await client.submit(tx.hex, { wait: true });
  assert.equal(r.status, 'committed');
  assert.equal(r.receipt?.status, 'ok');
  const rec = await client.getTx(tx.txId);
  assert.equal(rec.tx.contract, 'kv');
  assert.deepEqual(rec.tx.args, { key: 'a', value: '1' });
  const block = await client.getBlock(rec.height);
  assert.ok(block.txIds.includes(tx.txId));
  assert.deepEqual(block.certificate?.signers, [0]);
  assert.deepEqual((await client.getBlock(block.header.hash)).header, block.header);
  const proof = await client.txProof(tx.txId);
  assert.equal(proof.tx, tx.hex);
  assert.equal(proof.blockHash, block.header.hash);
  assert.equal(proof.height, rec.height);
  assert.deepEqual(await client.query('kv', 'get', { key: 'a' }), { key: 'a', value: '1' });
  const history = await client.query<{ entries: { height: number; txId: string; value: string }[] }>('kv', 'history', { key: 'a' });
  assert.deepEqual(history.entries, [{ height: rec.height, txId: tx.txId, value: '1' }]);
});

test('a batch is committed whole, and the event stream reports its block', async () => {
  const client = new GovchainClient(base, { token });
  const seen: string[] = [];
  const close = await client.subscribe((e) => seen.push(...e.txs.map((t) => t.txId)));
  const txs = Array.from({ length: 20 }, (_, i) => buildTx({ chainId, contract: 'kv', method: 'put', args: { key: `b${i}`, value: 'x' } }, signer));
  const results = await client.submitBatch(txs.map((t) => t.hex), { wait: true });
  assert.deepEqual(results.map((r) => r.status), txs.map(() => 'committed'));
  await waitUntil('events for the batch', async () => txs.every((t) => seen.includes(t.txId)), 10_000);
  close();
});

test('a block\'s txs are listed page by page with sender, call and outcome, matching each tx record', async () => {
  const client = new GovchainClient(base, { token });
  const txs = [
    ...Array.from({ length: 5 }, (_, i) => buildTx({ chainId, contract: 'kv', method: 'put', args: { key: `p${i}`, value: 'x' } }, signer)),
    buildTx({ chainId, contract: 'kv', method: 'delete', args: { key: 'never-written' } }, signer),
  ];
  await client.submitBatch(txs.map((t) => t.hex), { wait: true });
  const records = await Promise.all(txs.map((t) => client.getTx(t.txId)));
  for (const height of new Set(records.map((r) => r.height))) {
    const all = await client.blockTxs(height, { limit: 1000 });
    assert.equal(all.txCount, all.txs.length);
    for (const rec of records.filter((r) => r.height === height)) {
      const listed = all.txs[rec.index]!;
      assert.deepEqual(listed, {
        txId: rec.tx.txId, index: rec.index, sender: rec.tx.sender.address, contract: rec.tx.contract, method: rec.tx.method, status: rec.receipt.status,
        ...(rec.receipt.status === 'failed' ? { errorCode: 'KV_NOT_FOUND' } : {}),
      });
    }
    const second = await client.blockTxs(height, { offset: 1, limit: 1 });
    assert.deepEqual(second.txs, all.txs.slice(1, 2));
    assert.deepEqual((await client.blockTxs(height, { offset: all.txCount })).txs, []);
  }
  assert.equal(records.at(-1)!.receipt.status, 'failed');
  const tip = (await client.status()).height;
  assertError(await call('GET', `/v1/blocks/${tip + 100}/txs`), 404, 'BLOCK_NOT_FOUND');
  assertError(await call('GET', '/v1/blocks/1/txs?limit=1001'), 400, 'REQUEST_INVALID');
  assertError(await call('GET', '/v1/blocks/0/txs'), 400, 'REQUEST_INVALID');
});

test('each error class answers with its status and a stable code', async () => {
  const good = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: 'c', value: '1' } }, signer);
  assertError(await call('POST', '/v1/txs', '{"tx":', {}), 400, 'REQUEST_INVALID_JSON');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: 'zz' })), 400, 'REQUEST_INVALID');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: 'abcd' })), 400, 'DECODE_ERROR');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: good.hex }), { authorization: '' }), 401, 'UNAUTHENTICATED');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: good.hex }), { authorization: 'Bearer wrong-token-wrong-token' }), 403, 'FORBIDDEN');
  assertError(await call('GET', `/v1/txs/${'00'.repeat(32)}`), 404, 'TX_NOT_FOUND');
  assertError(await call('GET', '/v1/blocks/999999'), 404, 'BLOCK_NOT_FOUND');
  assertError(await call('GET', '/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  assert.equal((await call('POST', '/v1/txs?wait=true', JSON.stringify({ tx: good.hex }))).status, 200);
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: good.hex })), 409, 'TX_ALREADY_COMMITTED');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: 'ab'.repeat(300_000) })), 413, 'REQUEST_TOO_LARGE');
  const other = buildTx({ chainId: 'other-chain', contract: 'kv', method: 'put', args: {} }, signer);
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: other.hex })), 400, 'TX_WRONG_CHAIN');
  const badMethod = buildTx({ chainId, contract: 'kv', method: 'nope', args: {} }, signer);
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: badMethod.hex })), 400, 'CONTRACT_METHOD_UNKNOWN');
  const fresh = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: 'd', value: '1' } }, signer);
  const tampered = fresh.hex.slice(0, -2) + (fresh.hex.endsWith('00') ? '01' : '00');
  assertError(await call('POST', '/v1/txs', JSON.stringify({ tx: tampered })), 401, 'TX_BAD_SIGNATURE');
  assertError(await call('POST', '/v1/query', JSON.stringify({ contract: 'kv', method: 'get', args: { key: 'missing' } })), 404, 'KV_NOT_FOUND');
});

test('publishes an OpenAPI document and a docs page', async () => {
  const spec = (await call('GET', '/openapi.json')).json as { openapi: string; paths: Record<string, unknown> };
  assert.match(spec.openapi, /^3\./);
  for (const p of ['/v1/txs', '/v1/txs/batch', '/v1/txs/{id}', '/v1/blocks/{id}', '/v1/status', '/v1/query']) assert.ok(p in spec.paths, p);
  const docs = await fetch(`${base}/docs/`);
  assert.equal(docs.status, 200);
  const host = await new GovchainClient(base).host();
  assert.ok(host.cpuCount > 0 && host.memoryTotalBytes > 0 && host.diskTotalBytes !== null);
  assert.match(host.diskPath, /data$/);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /govchain_height \d+/);
  assert.equal((await fetch(`${base}/health`)).status, 200);
});

test('fuzz: random and mutated requests always get a JSON answer and never take the node down', async () => {
  const good = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: 'f', value: '1' } }, signer);
  const paths = ['/v1/txs', '/v1/txs/batch', '/v1/query', '/v1/txs/' + good.txId, '/v1/blocks/1', '/v1/blocks', '/v1/status'];
  const bodies = [
    JSON.stringify({ tx: good.hex }),
    JSON.stringify({ txs: [good.hex, good.hex] }),
    JSON.stringify({ contract: 'kv', method: 'range', args: { limit: 5 } }),
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      fc.constantFrom(...paths),
      fc.constantFrom(...bodies),
      fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 32, max: 126 })), { maxLength: 6 }),
      fc.string({ maxLength: 12 }),
      async (method, path, body, mutations, suffix) => {
        const chars = [...body];
        for (const [i, c] of mutations) if (i < chars.length) chars[i] = String.fromCharCode(c);
        const url = base + path + encodeURI(suffix);
        const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
        if (method === 'POST' || method === 'PUT') init.body = chars.join('');
        const res = await fetch(url, init);
        const text = await res.text();
        assert.ok(res.status < 500, `${method} ${path} answered ${res.status}: ${text}`);
        if (res.status >= 400) {
          const json = JSON.parse(text) as { code?: unknown; message?: unknown };
          assert.equal(typeof json.code, 'string', text);
          assert.equal(typeof json.message, 'string', text);
        }
      },
    ),
    { numRuns: 300 },
  );
  const status = await new GovchainClient(base).status();
  assert.equal(status.chainId, chainId);
});

test('closing the node with a subscriber still connected finishes promptly', async () => {
  const client = new GovchainClient(base);
  await client.subscribe(() => undefined);
  const closed = await Promise.race([node.close().then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  assert.equal(closed, true, 'node.close() hung with a WebSocket subscriber connected');
});
