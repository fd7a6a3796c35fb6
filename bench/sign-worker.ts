/** Worker thread: signs `count` kv.put txs with its own key and posts back their hex wire bytes. */
import { parentPort, workerData } from 'node:worker_threads';
import { getSuite, type SuiteName } from '@govchain/crypto';
import { buildTx } from '@govchain/sdk';

const { suiteName, chainId, count, prefix } = workerData as { suiteName: SuiteName; chainId: string; count: number; prefix: string };
const suite = getSuite(suiteName);
const signer = { suite, ...suite.generateKeyPair() };
const out: { txId: string; hex: string }[] = [];
for (let i = 0; i < count; i++) {
  const tx = buildTx({ chainId, contract: 'kv', method: 'put', args: { key: `${prefix}-${i}`, value: `value-${i}-xxxxxxxxxxxxxxxx` }, ttlMs: 3_600_000 }, signer);
  out.push({ txId: tx.txId, hex: tx.hex });
}
parentPort!.postMessage(out);
