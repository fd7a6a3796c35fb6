import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { GovchainError } from '@govchain/base';
import {
  TX_VERSION, decodeBlock, decodeHeader, decodeReceipt, decodeSignedTx, encodeBlock, encodeHeader, encodeReceipt,
  encodeSignedTx, encodeTxBody, txIdOf, type BlockHeader, type TxBody,
} from './index.ts';

const sm3 = (d: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(d).digest());

function sampleBody(): TxBody {
  return {
    version: TX_VERSION,
    chainId: 'gov-test',
    senderPublicKey: new Uint8Array(65).fill(4),
    senderCertificate: null,
    nonce: new Uint8Array(randomBytes(16)),
    expiresAtMs: 1_800_000_000_000,
    contract: 'kv',
    method: 'put',
    args: new TextEncoder().encode('{"key":"a","value":"b"}'),
  };
}

test('a signed tx decodes to the exact body bytes that were signed', () => {
  const body = sampleBody();
  const bodyBytes = encodeTxBody(body);
  const wire = encodeSignedTx(bodyBytes, new Uint8Array(64).fill(7));
  const tx = decodeSignedTx(wire);
  assert.deepEqual(tx.bodyBytes, bodyBytes);
  assert.deepEqual(tx.body, body);
  assert.deepEqual(txIdOf(sm3, tx.bodyBytes), sm3(bodyBytes));
});

test('a tx id does not depend on the signature', () => {
  const bodyBytes = encodeTxBody(sampleBody());
  const a = decodeSignedTx(encodeSignedTx(bodyBytes, new Uint8Array(64).fill(1)));
  const b = decodeSignedTx(encodeSignedTx(bodyBytes, new Uint8Array(64).fill(2)));
  assert.deepEqual(txIdOf(sm3, a.bodyBytes), txIdOf(sm3, b.bodyBytes));
});

test('a certificate-carrying sender round-trips', () => {
  const body = { ...sampleBody(), senderCertificate: new Uint8Array(300).fill(9) };
  assert.deepEqual(decodeSignedTx(encodeSignedTx(encodeTxBody(body), new Uint8Array(64))).body, body);
});

test('refuses an unknown tx version with a stable code', () => {
  const bytes = encodeTxBody(sampleBody());
  bytes[0] = 9;
  assert.throws(() => decodeSignedTx(encodeSignedTx(bytes, new Uint8Array(64))), { code: 'TX_UNSUPPORTED_VERSION' });
});

test('refuses an oversized tx before decoding it', () => {
  assert.throws(() => decodeSignedTx(new Uint8Array(200 * 1024)), { code: 'TX_TOO_LARGE' });
});

test('fuzz: random and mutated bytes never crash the tx decoder, every refusal is a GovchainError', () => {
  const valid = encodeSignedTx(encodeTxBody(sampleBody()), new Uint8Array(64).fill(3));
  const check = (bytes: Uint8Array): void => {
    try {
      decodeSignedTx(bytes);
    } catch (err) {
      assert.ok(err instanceof GovchainError, `non-GovchainError thrown: ${String(err)}`);
      assert.ok(err.code.length > 0 && err.message.length > 0);
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => check(b)), { numRuns: 3000 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(valid.length), (muts, cut) => {
      const b = valid.slice(0, Math.max(1, cut));
      for (const [i, v] of muts) if (i < b.length) b[i] = v;
      check(b);
    }),
    { numRuns: 3000 },
  );
});

function sampleHeader(): BlockHeader {
  return {
    version: 1, chainId: 'gov-test', height: 42, timeMs: 1_700_000_000_123, prevHash: new Uint8Array(32).fill(1),
    proposerIndex: 3, txCount: 2, txRoot: new Uint8Array(32).fill(2), resultsRoot: new Uint8Array(32).fill(3),
    stateRoot: new Uint8Array(32).fill(4), validatorsHash: new Uint8Array(32).fill(5),
  };
}

test('header and block round-trip and the block refuses a tx count that disagrees with its header', () => {
  const h = sampleHeader();
  const hb = encodeHeader(h);
  assert.deepEqual(decodeHeader(hb), h);
  const block = decodeBlock(encodeBlock(hb, [new Uint8Array([1]), new Uint8Array([2, 3])]));
  assert.deepEqual(block.header, h);
  assert.equal(block.txs.length, 2);
  assert.throws(() => decodeBlock(encodeBlock(hb, [new Uint8Array([1])])), { code: 'BLOCK_TX_COUNT_MISMATCH' });
});

test('receipt round-trips and refuses an unknown status byte', () => {
  const r = {
    txId: new Uint8Array(32).fill(8), status: 'failed' as const, errorCode: 'KV_NOT_FOUND', errorMessage: 'no such key',
    result: new Uint8Array(0), events: [{ name: 'put', data: new TextEncoder().encode('{}') }],
  };
  const bytes = encodeReceipt(r);
  assert.deepEqual(decodeReceipt(bytes), r);
  bytes[32] = 5;
  assert.throws(() => decodeReceipt(bytes), { code: 'DECODE_ERROR' });
});
