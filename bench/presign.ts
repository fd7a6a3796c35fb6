/** Pre-signs the bench's transactions in worker threads, before the network starts, so signing does not compete with it. */
import { Worker } from 'node:worker_threads';
import type { SuiteName } from '@govchain/crypto';

export interface PresignedTx {
  txId: string;
  hex: string;
}

export async function presign(suiteName: SuiteName, chainId: string, total: number, workers: number): Promise<PresignedTx[]> {
  const per = Math.ceil(total / workers);
  const parts = await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<PresignedTx[]>((resolve, reject) => {
    const worker = new Worker(new URL('./sign-worker.mjs', import.meta.url), {
      workerData: { suiteName, chainId, count: per, prefix: `w${w}` },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  return parts.flat().slice(0, total);
}
