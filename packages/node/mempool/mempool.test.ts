import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GovchainError, toHex, utf8 } from '@govchain/base';
import { TX_VERSION, decodeSignedTx, encodeSignedTx, encodeTxBody } from '@govchain/protocol';
import { BatchRefused, Mempool, type AdmissionDeps } from './mempool.ts';

// The signature check is injected; this test verifier accepts a signature equal to sm3(key||msg) twice, so
// the tests can make good and bad signatures without a key pair. The real suites are tested in packages/crypto.
const sm3 = (d: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(d).digest());
const testSignature = (pub: Uint8Array, msg: Uint8Array): Uint8Array => {
  const h = sm3(new Uint8Array([...pub, ...msg]));
  return new Uint8Array([...h, ...h]);
};

let now = 1_000_000;
let counter = 0;
const committed = new Set<string>();

function deps(overrides: Partial<AdmissionDeps> = {}): AdmissionDeps {
  return {
    chainId: 'c1',
    hash: sm3,
    verifyBatch: (items) => items.map((i) => toHex(i.signature) === toHex(testSignature(i.publicKey, i.message))),
    nowMs: () => now,
    isCommitted: (id) => committed.has(toHex(id)),
    precheck: () => null,
    ...overrides,
  };
}

function makeTx(opts: { chainId?: string; expiresAtMs?: number; badSig?: boolean } = {}): Uint8Array {
  const nonce = new Uint8Array(16);
  new DataView(nonce.buffer).setUint32(0, ++counter);
  const pub = new Uint8Array(65).fill(4);
  const body = encodeTxBody({
    version: TX_VERSION, chainId: opts.chainId ?? 'c1', senderPublicKey: pub, senderCertificate: null, nonce,
    expiresAtMs: opts.expiresAtMs ?? now + 60_000, contract: 'kv', method: 'put', args: utf8('{}'),
  });
  const sig = testSignature(pub, body);
  if (opts.badSig) sig[0]! ^= 1;
  return encodeSignedTx(body, sig);
}

const limits = { txsMax: 5, bytesMax: 1_000_000, batchTxsMax: 10 };

test('admits a valid tx and reaps it oldest first', () => {
  const pool = new Mempool(limits, deps());
  const a = pool.add(makeTx());
  const b = pool.add(makeTx());
  assert.equal(pool.size, 2);
  assert.deepEqual(pool.reap(10, 1e9).map((e) => e.idHex), [a.idHex, b.idHex]);
  assert.deepEqual(pool.reap(1, 1e9).map((e) => e.idHex), [a.idHex]);
});

test('refuses bad signature, wrong chain, expired, far expiry, duplicate and committed txs with stable codes', () => {
  const pool = new Mempool(limits, deps());
  const code = (bytes: Uint8Array): string => {
    try {
      pool.add(bytes);
      return 'admitted';
    } catch (err) {
      assert.ok(err instanceof GovchainError);
      return err.code;
    }
  };
  assert.equal(code(makeTx({ badSig: true })), 'TX_BAD_SIGNATURE');
  assert.equal(code(makeTx({ chainId: 'other' })), 'TX_WRONG_CHAIN');
  assert.equal(code(makeTx({ expiresAtMs: now - 1 })), 'TX_EXPIRED');
  assert.equal(code(makeTx({ expiresAtMs: now + 48 * 3_600_000 })), 'TX_EXPIRY_TOO_FAR');
  const tx = makeTx();
  assert.equal(code(tx), 'admitted');
  assert.equal(code(tx), 'TX_DUPLICATE');
  const done = makeTx();
  committed.add(toHex(sm3(decodeSignedTx(done).bodyBytes)));
  assert.equal(code(done), 'TX_ALREADY_COMMITTED');
  assert.equal(code(new Uint8Array([1, 2, 3])), 'DECODE_ERROR');
  assert.equal(pool.size, 1);
});

test('a batch with one bad tx admits nothing and names the bad index', () => {
  const pool = new Mempool(limits, deps());
  const err = (() => {
    try {
      pool.addBatch([makeTx(), makeTx({ badSig: true }), makeTx()]);
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof BatchRefused);
  assert.deepEqual(err.itemErrors.map((e) => [e.index, e.code]), [[1, 'TX_BAD_SIGNATURE']]);
  assert.equal(pool.size, 0);
});

test('a full pool refuses with MEMPOOL_FULL (503) and a batch that does not fit admits nothing', () => {
  const pool = new Mempool(limits, deps());
  pool.addBatch([makeTx(), makeTx(), makeTx()]);
  assert.throws(() => pool.addBatch([makeTx(), makeTx(), makeTx()]), (e: unknown) => e instanceof GovchainError && e.code === 'MEMPOOL_FULL' && e.httpStatus === 503);
  assert.equal(pool.size, 3);
  pool.addBatch([makeTx(), makeTx()]);
  assert.equal(pool.size, 5);
  assert.throws(() => pool.add(makeTx()), { code: 'MEMPOOL_FULL' });
});

test('refuses a batch above the batch limit before looking at it', () => {
  const pool = new Mempool(limits, deps());
  assert.throws(() => pool.addBatch(Array.from({ length: 11 }, () => makeTx())), { code: 'BATCH_TOO_LARGE' });
});

test('removing committed txs and evicting expired ones frees their bytes', () => {
  const pool = new Mempool(limits, deps());
  const a = pool.add(makeTx({ expiresAtMs: now + 10 }));
  const b = pool.add(makeTx({ expiresAtMs: now + 1000 }));
  pool.remove([b.idHex]);
  assert.equal(pool.size, 1);
  assert.equal(pool.evictExpired(now + 11), 1);
  assert.equal(pool.has(a.idHex), false);
  assert.equal(pool.sizeBytes, 0);
});

test('a pending tx is found by its exact bytes only, and no longer once removed', () => {
  const pool = new Mempool(limits, deps());
  const bytes = makeTx();
  const entry = pool.add(bytes);
  assert.equal(pool.admitted(bytes.slice()), entry);
  const other = bytes.slice();
  other[other.length - 1]! ^= 1;
  assert.equal(pool.admitted(other), undefined);
  pool.remove([entry.idHex]);
  assert.equal(pool.admitted(bytes), undefined);
});

test('relayed txs are admitted one by one: bad, duplicate and committed ones are dropped, the rest kept while they fit', () => {
  let verifyCalls = 0;
  let verified = 0;
  const pool = new Mempool({ ...limits, txsMax: 4 }, deps({
    verifyBatch: (items) => {
      verifyCalls++;
      verified += items.length;
      return deps().verifyBatch(items);
    },
  }));
  const pending = pool.add(makeTx());
  verifyCalls = 0;
  verified = 0;
  const good = [makeTx(), makeTx(), makeTx(), makeTx()];
  const admitted = pool.addEach([good[0]!, makeTx({ badSig: true }), pending.tx.bytes, makeTx({ chainId: 'other' }), good[0]!, good[1]!, good[2]!, good[3]!]);
  assert.equal(verifyCalls, 1, 'one signature batch for the whole message');
  assert.equal(verified, 3, 'only as many txs as the pool has room for are verified');
  assert.deepEqual(admitted.map((e) => e.tx.bytes), [good[0], good[1]], 'the bad signature is dropped; good[2] and good[3] did not fit');
  assert.equal(pool.size, 3);
  assert.deepEqual(pool.addEach([]), []);
});

test('a full pool refuses a batch before checking any signature', () => {
  let verified = 0;
  const pool = new Mempool({ ...limits, txsMax: 2 }, deps({
    verifyBatch: (items) => {
      verified += items.length;
      return deps().verifyBatch(items);
    },
  }));
  pool.addBatch([makeTx(), makeTx()]);
  verified = 0;
  assert.throws(() => pool.addBatch([makeTx()]), { code: 'MEMPOOL_FULL' });
  assert.deepEqual(pool.addEach([makeTx(), makeTx()]), []);
  assert.equal(verified, 0);
});
