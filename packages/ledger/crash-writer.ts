/**
 * Child process of crash.test.ts and durability.test.ts: commits crashWorkload blocks, printing each height on
 * stdout once commitBlock has returned (that is, once the height is acknowledged as durable). Without a block
 * count it runs until killed.
 * Usage: node --import tsx crash-writer.ts <ledger dir> [blocks]
 */
import { writeSync } from 'node:fs';
import { Ledger } from './ledger.ts';
import { buildBlock, crashWorkload, sm3 } from './test-support.ts';

const [dir, count] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: crash-writer.ts <ledger dir> [blocks]');
const ledger = Ledger.open({ path: dir, hash: sm3 });
const stop = count === undefined ? Infinity : ledger.lastHeight() + 1 + Number(count);
for (let h = ledger.lastHeight() + 1; h < stop; h++) {
  ledger.commitBlock(buildBlock(ledger, h, crashWorkload(h)));
  // A synchronous write: the line is in the pipe before the next block starts.
  writeSync(1, `${h}\n`);
}
await ledger.close();
