import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import { getSuite } from '@govchain/crypto';
import { Ledger, StateOverlay } from '@govchain/ledger';
import { decodeBlock, decodeSignedTx, encodeBlock, encodeHeader, type SignedTx } from '@govchain/protocol';
import { buildTx } from '@govchain/sdk';
import { Executor, kvContract } from '@govchain/vm';
import { BlockExecutor } from './blocks.ts';
import { ExecState } from './exec-state.ts';

const suite = getSuite('gm');
const hash = (d: Uint8Array): Uint8Array => suite.hash(d);
const signer = { suite, ...suite.generateKeyPair() };
const NOW = 1_800_000_000_000;

interface Setup {
  blocks: BlockExecutor<ExecState>;
  ledger: Ledger;
  /** Txs "admitted" by this node, by their exact bytes (hex). */
  admitted: Map<string, { id: Uint8Array; idHex: string; tx: SignedTx }>;
  /** Signatures verified by block validation so far. */
  verifications: { count: number };
}

function setup(): Setup {
  const ledger = Ledger.open({ path: join(mkdtempSync(join(tmpdir(), 'blocks-')), 'ledger'), hash });
  const overlay = new StateOverlay(ledger);
  ledger.commitBlock({
    height: 0, blockHash: hash(new Uint8Array([1])), blockBytes: new Uint8Array([1]), certificateBytes: new Uint8Array(0),
    txs: [], receipts: [], stateWrites: overlay.log(), preparedState: ledger.prepareState(0, overlay.writes()),
  });
  const admitted: Setup['admitted'] = new Map();
  const verifications = { count: 0 };
  const blocks = new BlockExecutor<ExecState>(
    {
      chainId: 'c1', hash, validatorsHash: new Uint8Array(32).fill(7), validatorCount: 4, blockTxsMax: 100, blockBytesMax: 1 << 20,
      clockDriftMsMax: 10_000, verifyBatch: (items) => {
        verifications.count += items.length;
        return suite.verifyBatch(items);
      },
      admitted: (bytes) => admitted.get(toHex(bytes)),
      checkSender: (t) => (t.body.method === 'put' && JSON.parse(new TextDecoder().decode(t.body.args)).key === 'outsider' ? new GovchainError('TX_SENDER_NOT_MEMBER', 'forbidden', 'not a member') : null),
    },
    new Executor([kvContract], hash),
    {
      tipHeight: () => ledger.lastHeight(),
      tipHash: () => ledger.getBlock(ledger.lastHeight())!.blockHash,
      tipTimeMs: () => NOW - 10_000,
      hasTx: (id) => ledger.hasTx(id),
      overlay: () => new ExecState(new StateOverlay(ledger), ledger, ledger.lastHeight() + 1),
    },
  );
  return { blocks, ledger, admitted, verifications };
}

function tx(key: string, chainId = 'c1'): { id: Uint8Array; tx: SignedTx } {
  const built = buildTx({ chainId, contract: 'kv', method: 'put', args: { key, value: 'v' }, nowMs: NOW }, signer);
  const signed = decodeSignedTx(built.bytes);
  return { id: hash(signed.bodyBytes), tx: signed };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GovchainError, String(err));
    return err.code;
  }
  return 'accepted';
}

/** Re-encode a block with its header changed, keeping its txs. */
function withHeader(blockBytes: Uint8Array, change: (h: ReturnType<typeof decodeBlock>['header']) => void): Uint8Array {
  const b = decodeBlock(blockBytes);
  const h = { ...b.header };
  change(h);
  return encodeBlock(encodeHeader(h), b.txs);
}

test('a built block validates on another node to the same hash and roots', () => {
  const a = setup();
  const b = setup();
  const built = a.blocks.build([tx('x'), tx('y')], 0, NOW);
  const checked = b.blocks.validate(built.blockBytes, NOW);
  assert.ok(bytesEqual(checked.blockHash, built.blockHash));
  assert.equal(checked.receipts.length, 2);
});

test('validation refuses wrong parent, height, chain, time, proposer and validator set with stable codes', () => {
  const a = setup();
  const { blockBytes } = a.blocks.build([tx('x')], 0, NOW);
  const v = setup().blocks;
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.prevHash = new Uint8Array(32); }), NOW)), 'BLOCK_WRONG_PARENT');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.height = 5; }), NOW)), 'BLOCK_WRONG_HEIGHT');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.chainId = 'c2'; }), NOW)), 'BLOCK_WRONG_CHAIN');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.timeMs = NOW - 20_000; }), NOW)), 'BLOCK_TIME_NOT_MONOTONIC');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.timeMs = NOW + 60_000; }), NOW)), 'BLOCK_TIME_IN_FUTURE');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.proposerIndex = 9; }), NOW)), 'BLOCK_BAD_PROPOSER');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.validatorsHash = new Uint8Array(32); }), NOW)), 'BLOCK_WRONG_VALIDATORS');
});

test('validation refuses roots that execution does not reproduce', () => {
  const { blockBytes } = setup().blocks.build([tx('x')], 0, NOW);
  const v = setup().blocks;
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.stateRoot = new Uint8Array(32).fill(1); }), NOW)), 'BLOCK_STATE_ROOT_MISMATCH');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.resultsRoot = new Uint8Array(32).fill(1); }), NOW)), 'BLOCK_RESULTS_ROOT_MISMATCH');
  assert.equal(refusal(() => v.validate(withHeader(blockBytes, (h) => { h.txRoot = new Uint8Array(32).fill(1); }), NOW)), 'BLOCK_TX_ROOT_MISMATCH');
});

test('validation refuses duplicate, foreign-chain and badly signed txs, and verifies only txs it has not admitted', () => {
  const a = setup();
  const t = tx('x');
  const dup = a.blocks.build([t], 0, NOW);
  const twice = encodeBlock(encodeHeader({ ...dup.block.header, txCount: 2 }), [t.tx.bytes, t.tx.bytes]);
  assert.equal(refusal(() => setup().blocks.validate(twice, NOW)), 'BLOCK_DUPLICATE_TX');

  const foreign = tx('f', 'other');
  const withForeign = encodeBlock(encodeHeader({ ...dup.block.header, txCount: 1 }), [foreign.tx.bytes]);
  assert.equal(refusal(() => setup().blocks.validate(withForeign, NOW)), 'BLOCK_FOREIGN_TX');

  const bad = tx('b');
  const badBytes = bad.tx.bytes.slice();
  badBytes[badBytes.length - 1]! ^= 1;
  const withBad = encodeBlock(encodeHeader({ ...dup.block.header, txCount: 1 }), [badBytes]);
  assert.equal(refusal(() => setup().blocks.validate(withBad, NOW)), 'BLOCK_BAD_TX_SIGNATURE');
  // A node that admitted the genuine tx (same body, so the same id) still refuses it with another signature: its
  // verdict is reused only for identical bytes.
  const holder = setup();
  holder.admitted.set(toHex(bad.tx.bytes), { id: bad.id, idHex: toHex(bad.id), tx: bad.tx });
  assert.equal(refusal(() => holder.blocks.validate(withBad, NOW)), 'BLOCK_BAD_TX_SIGNATURE');
});

test('txs this node admitted with exactly the block\'s bytes are not verified again; the others are', () => {
  const proposer = setup();
  const [a, b, c] = [tx('ra'), tx('rb'), tx('rc')];
  const built = proposer.blocks.build([a, b, c], 0, NOW);
  const validator = setup();
  for (const t of [a, c]) validator.admitted.set(toHex(t.tx.bytes), { id: t.id, idHex: toHex(t.id), tx: t.tx });
  const ex = validator.blocks.validate(built.blockBytes, NOW);
  assert.equal(validator.verifications.count, 1, 'only the tx this node had not admitted is verified');
  assert.deepEqual(ex.txIds.map(toHex), [a, b, c].map((t) => toHex(t.id)));
  assert.deepEqual(ex.block.header.stateRoot, built.block.header.stateRoot);
});

test('building skips txs that are already committed or expire before the block', () => {
  const { blocks, ledger } = setup();
  const t = tx('x');
  const first = blocks.build([t], 0, NOW);
  ledger.commitBlock({
    height: 1, blockHash: first.blockHash, blockBytes: first.blockBytes, certificateBytes: new Uint8Array(0),
    txs: first.txIds.map((id, i) => ({ id, bytes: first.block.txs[i]! })), receipts: first.receipts.map((r, i) => ({ txId: r.txId, bytes: first.receiptBytes[i]! })),
    stateWrites: first.writeLog, preparedState: first.overlay.preparedState(),
  });
  const expired = buildTx({ chainId: 'c1', contract: 'kv', method: 'put', args: { key: 'e', value: 'v' }, nowMs: NOW - 700_000 }, signer);
  const e = decodeSignedTx(expired.bytes);
  const second = blocks.build([t, { id: hash(e.bodyBytes), tx: e }], 0, NOW);
  assert.equal(second.block.header.txCount, 0);
});

test('validation refuses a tx whose sender the policy refuses at block time, and building leaves it out', () => {
  const a = setup();
  const outsider = tx('outsider');
  const built = a.blocks.build([outsider, tx('member')], 0, NOW);
  assert.equal(built.block.header.txCount, 1);
  const forced = encodeBlock(encodeHeader({ ...built.block.header, txCount: 1 }), [outsider.tx.bytes]);
  assert.equal(refusal(() => setup().blocks.validate(forced, NOW)), 'BLOCK_TX_SENDER_REFUSED');
});
