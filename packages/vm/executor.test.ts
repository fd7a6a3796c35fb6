import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fromUtf8, toHex, utf8 } from '@govchain/base';
import { TX_VERSION, decodeSignedTx, encodeSignedTx, encodeTxBody, type SignedTx } from '@govchain/protocol';
import { Executor, MemoryState, TxBuffer, kvContract, stateKey, type ExecutableTx, type HistoryEntry } from './index.ts';

const sm3 = (d: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(d).digest());
const ctx = { chainId: 'c1', height: 5, timeMs: 1_000_000 };
let nonce = 0;

function tx(method: string, args: unknown, overrides: Partial<{ chainId: string; expiresAtMs: number; contract: string }> = {}): ExecutableTx {
  const n = new Uint8Array(16);
  new DataView(n.buffer).setUint32(0, ++nonce);
  const bodyBytes = encodeTxBody({
    version: TX_VERSION, chainId: overrides.chainId ?? 'c1', senderPublicKey: new Uint8Array(65).fill(4), senderCertificate: null,
    nonce: n, expiresAtMs: overrides.expiresAtMs ?? 2_000_000, contract: overrides.contract ?? 'kv', method, args: utf8(JSON.stringify(args)),
  });
  const signed: SignedTx = decodeSignedTx(encodeSignedTx(bodyBytes, new Uint8Array(64)));
  return { id: sm3(bodyBytes), tx: signed };
}

const executor = new Executor([kvContract], sm3);
const noHistory = (): HistoryEntry[] => [];

test('executes writes in order and returns one receipt per tx', () => {
  const state = new MemoryState();
  const { receipts, writeLog } = executor.executeBlock(ctx, [tx('put', { key: 'a', value: '1' }), tx('put', { key: 'a', value: '2' })], state);
  assert.deepEqual(receipts.map((r) => r.status), ['ok', 'ok']);
  assert.equal(fromUtf8(state.get(stateKey('kv', 'a'))!), '2');
  assert.deepEqual(writeLog.map((w) => [w.txIndex, w.value && fromUtf8(w.value)]), [[0, '1'], [1, '2']]);
  assert.deepEqual(JSON.parse(fromUtf8(receipts[0]!.result)), { key: 'a', created: true });
  assert.deepEqual(JSON.parse(fromUtf8(receipts[1]!.result)), { key: 'a', created: false });
});

test('a failed tx leaves no state behind and its receipt names the reason', () => {
  const state = new MemoryState();
  const { receipts, writeLog } = executor.executeBlock(ctx, [tx('delete', { key: 'missing' })], state);
  assert.equal(receipts[0]!.status, 'failed');
  assert.equal(receipts[0]!.errorCode, 'KV_NOT_FOUND');
  assert.equal(writeLog.length, 0);
});

test('refuses expired, wrong-chain, unknown-method, query-as-tx and invalid-argument txs with stable codes', () => {
  const state = new MemoryState();
  const { receipts } = executor.executeBlock(ctx, [
    tx('put', { key: 'a', value: '1' }, { expiresAtMs: 999_999 }),
    tx('put', { key: 'a', value: '1' }, { chainId: 'other' }),
    tx('nope', {}),
    tx('get', { key: 'a' }),
    tx('put', { key: 'a', value: 1 }),
    tx('put', { key: 'a', value: '1' }, { contract: 'missing' }),
  ], state);
  assert.deepEqual(receipts.map((r) => r.errorCode), [
    'TX_EXPIRED', 'TX_WRONG_CHAIN', 'CONTRACT_METHOD_UNKNOWN', 'CONTRACT_METHOD_READ_ONLY', 'CONTRACT_ARGS_INVALID', 'CONTRACT_METHOD_UNKNOWN',
  ]);
  assert.equal(state.range(new Uint8Array(0), new Uint8Array([255]), 10).length, 0);
});

test('the same block gives byte-identical receipts and writes on two executions', () => {
  const txs = [tx('put', { key: 'x', value: 'v' }), tx('delete', { key: 'x' }), tx('put', { key: 'y', value: 'w' })];
  const a = executor.executeBlock(ctx, txs, new MemoryState());
  const b = executor.executeBlock(ctx, txs, new MemoryState());
  assert.deepEqual(a, b);
});

test('range queries page through keys in byte order with a continuation key', () => {
  const state = new MemoryState();
  executor.executeBlock(ctx, ['b', 'a', 'd', 'c', 'e'].map((k) => tx('put', { key: k, value: k.toUpperCase() })), state);
  const page1 = executor.query('kv', 'range', { limit: 2 }, state, 5, 'c1', noHistory) as { entries: { key: string }[]; next: string };
  assert.deepEqual(page1.entries.map((e) => e.key), ['a', 'b']);
  assert.equal(page1.next, 'c');
  const page2 = executor.query('kv', 'range', { start: 'c', end: 'e', limit: 10 }, state, 5, 'c1', noHistory) as { entries: { key: string }[]; next: null };
  assert.deepEqual(page2.entries.map((e) => e.key), ['c', 'd']);
  assert.equal(page2.next, null);
});

test('queries refuse unknown contracts, write methods and bad arguments', () => {
  const state = new MemoryState();
  assert.throws(() => executor.query('none', 'get', {}, state, 1, 'c1', noHistory), { code: 'CONTRACT_UNKNOWN' });
  assert.throws(() => executor.query('kv', 'put', { key: 'a', value: 'b' }, state, 1, 'c1', noHistory), { code: 'CONTRACT_METHOD_NOT_QUERY' });
  assert.throws(() => executor.query('kv', 'get', { key: '' }, state, 1, 'c1', noHistory), { code: 'CONTRACT_ARGS_INVALID' });
  assert.throws(() => executor.query('kv', 'get', { key: 'zz' }, state, 1, 'c1', noHistory), { code: 'KV_NOT_FOUND' });
});

test('the history query asks for the namespaced key', () => {
  let asked = '';
  const result = executor.query('kv', 'history', { key: 'k' }, new MemoryState(), 1, 'c1', (k) => {
    asked = toHex(k);
    return [{ height: 1, txId: 'ab', value: 'v' }];
  });
  assert.equal(asked, toHex(stateKey('kv', 'k')));
  assert.deepEqual(result, { key: 'k', entries: [{ height: 1, txId: 'ab', value: 'v' }] });
});

test('a tx buffer shadows deleted parent keys in ranges', () => {
  const parent = new MemoryState();
  for (const k of ['a', 'b', 'c']) parent.set(utf8(k), utf8(k));
  const buf = new TxBuffer(parent);
  buf.delete(utf8('a'));
  buf.set(utf8('bb'), utf8('x'));
  assert.deepEqual(buf.range(utf8('a'), utf8('z'), 2).map(([k]) => fromUtf8(k)), ['b', 'bb']);
  assert.equal(buf.get(utf8('a')), undefined);
  assert.equal(fromUtf8(parent.get(utf8('a'))!), 'a');
});
