/**
 * The evidence scenario of `npm run bench`: on a local network of validator processes (running the evidence
 * contract), how many evidence records per second are committed when recorded one per tx and in batches of 50 per
 * tx (txs pre-signed with org1's admin key and certificate, as a gateway signs, submitted through the batch API
 * round-robin as fast as the nodes accept them), and how many evidence proofs per second one core verifies offline
 * (Node suite with the native SM2 verifier when built; and the pure-TypeScript path browsers use).
 *
 * Standalone: `npx tsx bench/evidence-bench.ts [--validators 4] [--single 4000] [--batches 100]`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toHex, utf8 } from '@govchain/base';
import { decodePem, getPureSuite, getSuite, privateKeyFromPem, sm2VerifyImplementation } from '@govchain/crypto';
import { EVIDENCE_PROOF_FORMAT, GovchainClient, buildTx, verifyEvidenceProof, type EvidenceProofJson, type EvidenceRecord, type Signer } from '@govchain/sdk';
import { LocalNetwork, waitUntil } from '../test/e2e/local-network.ts';

export interface EvidenceBenchOptions {
  validators: number;
  /** Txs of one record each. */
  singleTxs: number;
  /** Txs of `batchSize` records each. */
  batchTxs: number;
  batchSize: number;
  verifySeconds: number;
}

export interface EvidenceBenchResult {
  scenario: 'evidence';
  validators: number;
  suite: 'gm';
  record_single_per_s: number;
  record_batch_per_s: number;
  batch_size: number;
  proof_verify_per_s: number;
  proof_verify_pure_per_s: number;
  sm2_verify_impl: string;
  failed_txs: number;
}

// Sized so that no block holds more than ~2,000 records. Much larger blocks commit far slower on a 2-core machine:
// 4,000 records in one block took 14 s, and in one run 100 such txs (5,000 records, ~25,000 state writes) had not all
// committed after 180 s (likely rounds timing out while validators execute the block; reported to the node's owner).
export const EVIDENCE_BENCH_DEFAULTS: EvidenceBenchOptions = { validators: 4, singleTxs: 2000, batchTxs: 40, batchSize: 50, verifySeconds: 3 };

export async function runEvidenceBench(options: Partial<EvidenceBenchOptions> = {}, log: (line: string) => void = console.log): Promise<EvidenceBenchResult> {
  const o = { ...EVIDENCE_BENCH_DEFAULTS, ...options };
  const chainId = 'evidence-bench';
  const suite = getSuite('gm');
  const net = await LocalNetwork.create({ validators: o.validators, suite: 'gm', chainId });
  try {
    const orgDir = join(net.dir, 'orgs', 'org1');
    const admin = privateKeyFromPem(readFileSync(join(orgDir, 'admin.key'), 'utf8'), 'sm2');
    const signer: Signer = { suite, ...admin, certificate: decodePem(readFileSync(join(orgDir, 'admin.pem'), 'utf8')) };
    let n = 0;
    const item = (): Record<string, unknown> => {
      n++;
      return { type: 'bench-archive', hash: toHex(suite.hash(utf8(`bench document ${n}`))), businessRef: `BENCH-${n}`, metadata: { pages: n % 50 } };
    };
    const t0 = Date.now();
    const single = Array.from({ length: o.singleTxs }, () => buildTx({ chainId, contract: 'evidence', method: 'record', args: item(), ttlMs: 3_600_000 }, signer));
    const batched = Array.from({ length: o.batchTxs }, () =>
      buildTx({ chainId, contract: 'evidence', method: 'recordBatch', args: { items: Array.from({ length: o.batchSize }, item) }, ttlMs: 3_600_000 }, signer));
    log(`evidence: pre-signed ${single.length} single-record txs and ${batched.length} txs of ${o.batchSize} records in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    net.startAll();
    const clients = net.nodes.map((x) => new GovchainClient(x.apiUrl, { token: x.apiToken ?? undefined, timeoutMs: 60_000 }));
    await waitUntil('all APIs', async () => (await Promise.all(clients.map((c) => c.status()))).length === o.validators, 60_000);
    await waitUntil('the first block', async () => (await clients[0]!.status()).height >= 1, 60_000);

    let failed = 0;
    /** Submits every tx round-robin in calls of `perCall`; resolves with records/s from first send to last commit. */
    const run = async (txs: { txId: string; hex: string }[], recordsPerTx: number, perCall: number): Promise<number> => {
      const pending = new Set(txs.map((t) => t.txId));
      let lastCommit = 0;
      const unsubscribe = await clients[0]!.subscribe((event) => {
        for (const t of event.txs) {
          if (!pending.delete(t.txId)) continue;
          if (t.status !== 'ok') failed++;
          lastCommit = Date.now();
        }
      });
      const start = Date.now();
      let rr = 0;
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < txs.length; i += perCall) {
        const part = txs.slice(i, i + perCall).map((t) => t.hex);
        const client = clients[rr++ % clients.length]!;
        inflight.push((async () => {
          for (let attempt = 0; ; attempt++) {
            try {
              await client.submitBatch(part);
              return;
            } catch (err) {
              if ((err as { code?: string }).code !== 'MEMPOOL_FULL' || attempt > 200) throw err;
              await new Promise((r) => setTimeout(r, 50));
            }
          }
        })());
        if (inflight.length >= clients.length * 4) await inflight.shift();
      }
      await Promise.all(inflight);
      await waitUntil('every tx to commit', async () => pending.size === 0, 120_000);
      unsubscribe();
      return Math.round((txs.length * recordsPerTx) / ((lastCommit - start) / 1000));
    };

    const singleRate = await run(single, 1, 200);
    log(`evidence: ${singleRate} records/s recorded one per tx (${single.length} txs, ${o.validators} validators)`);
    const batchRate = await run(batched, o.batchSize, 10);
    log(`evidence: ${batchRate} records/s recorded ${o.batchSize} per tx (${batched.length} txs)`);

    // A real proof from this network: the last single record's tx.
    const proof = await clients[1]!.txProof(single[single.length - 1]!.txId);
    const record = (await clients[0]!.getTx(single[single.length - 1]!.txId)).receipt.result as unknown as { records: EvidenceRecord[] };
    const bundle: EvidenceProofJson = { format: EVIDENCE_PROOF_FORMAT, evidenceId: record.records[0]!.id, record: record.records[0]!, txProof: proof };
    const genesis = new Uint8Array(readFileSync(join(net.nodes[0]!.home, 'genesis.json')));
    const measure = (impl: typeof suite, seconds: number): number => {
      if (!verifyEvidenceProof(bundle, { suite: impl, trustedGenesis: genesis, hash: bundle.record.hash }).ok) throw new Error('the bench proof does not verify');
      let count = 0;
      const begin = performance.now();
      while (performance.now() - begin < seconds * 1000) {
        verifyEvidenceProof(bundle, { suite: impl, trustedGenesis: genesis, hash: bundle.record.hash });
        count++;
      }
      return Math.round(count / ((performance.now() - begin) / 1000));
    };
    const verifyRate = measure(suite, o.verifySeconds);
    const pureRate = measure(getPureSuite('gm'), Math.max(1, o.verifySeconds / 2));
    log(`evidence: ${verifyRate} proof verifications/s on one core (${sm2VerifyImplementation()} SM2; ${o.validators} validator signatures, tx signature, Merkle paths, anchored to genesis); pure TypeScript (browser path): ${pureRate}/s`);
    return {
      scenario: 'evidence', validators: o.validators, suite: 'gm', record_single_per_s: singleRate, record_batch_per_s: batchRate, batch_size: o.batchSize,
      proof_verify_per_s: verifyRate, proof_verify_pure_per_s: pureRate, sm2_verify_impl: sm2VerifyImplementation(), failed_txs: failed,
    };
  } finally {
    await net.stopAll().catch(() => undefined);
    await net.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { validators: { type: 'string' }, single: { type: 'string' }, batches: { type: 'string' } } });
  const result = await runEvidenceBench({
    ...(values.validators === undefined ? {} : { validators: Number(values.validators) }),
    ...(values.single === undefined ? {} : { singleTxs: Number(values.single) }),
    ...(values.batches === undefined ? {} : { batchTxs: Number(values.batches) }),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}
