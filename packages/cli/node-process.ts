/** Runs one node in this process until SIGINT or SIGTERM, then closes it cleanly and exits. */
import { startNode } from '@govchain/node';
import { evidenceContract } from '@govchain/apps/evidence';

export async function startNodeProcess(home: string): Promise<void> {
  const node = await startNode(home, { contracts: [evidenceContract] });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    node.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`error while stopping after ${signal}:`, err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
