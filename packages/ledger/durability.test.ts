// Watches the real system calls of a process committing blocks (strace), to prove what the docs of lmdb-js only
// imply: commitBlock returns after exactly one fdatasync of the data file followed by the meta page written through
// an O_DSYNC descriptor, i.e. once the height is on disk, and it never syncs more than that per block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempLedgerDir } from './test-support.ts';

const CHILD = join(import.meta.dirname, 'crash-writer.ts');
const BLOCKS = 5;

interface Call {
  readonly name: string;
  readonly fd: number;
}

test('each commitBlock is one fdatasync plus a synchronous meta-page write, done before it returns', (t) => {
  const dir = tempLedgerDir();
  const trace = join(dir, 'strace.txt');
  try {
    const run = spawnSync('strace', [
      '-f', '-qq', '-o', trace, '-e', 'trace=openat,fdatasync,fsync,msync,sync_file_range,pwrite64,write',
      process.execPath, '--import', 'tsx', CHILD, join(dir, 'ledger'), String(BLOCKS),
    ], { encoding: 'utf8', timeout: 30_000 });
    if (run.error !== undefined || (run.status !== 0 && /ptrace|not permitted/i.test(run.stderr))) {
      t.skip(`strace is not usable here: ${run.error?.message ?? run.stderr.trim()}`);
      return;
    }
    assert.equal(run.status, 0, run.stderr);

    const lines = readFileSync(trace, 'utf8').split('\n');
    const dataFile = join(dir, 'ledger', 'data.mdb');
    const dataFds = new Set<number>();
    const metaFds = new Set<number>();
    // Calls between one acknowledgement (the height printed on stdout) and the next.
    const segments: Call[][] = [[]];
    for (const line of lines) {
      const open = /openat\(AT_FDCWD, "([^"]+)", ([A-Z_|]+).*\) = (\d+)$/.exec(line);
      if (open !== null && open[1] === dataFile) {
        (open[2]!.includes('O_DSYNC') ? metaFds : dataFds).add(Number(open[3]));
        continue;
      }
      if (/ write\(1, "\d+\\n"/.test(line)) {
        segments.push([]);
        continue;
      }
      const call = /^\d+\s+(\w+)\((\d+)/.exec(line);
      if (call !== null) segments.at(-1)!.push({ name: call[1]!, fd: Number(call[2]) });
    }
    assert.equal(segments.length, BLOCKS + 1, 'one acknowledgement per block');
    assert.ok(dataFds.size > 0 && metaFds.size > 0, 'data.mdb opened both plainly and with O_DSYNC');

    for (let h = 0; h < BLOCKS; h++) {
      const calls = segments[h]!;
      const syncs = calls.filter((c) => ['fdatasync', 'fsync', 'msync', 'sync_file_range'].includes(c.name));
      // Height 0's segment also holds opening the environment (creating its tables is a few commits).
      if (h > 0) assert.deepEqual(syncs.map((c) => c.name), ['fdatasync'], `height ${h}: one sync`);
      assert.ok(syncs.length > 0, `height ${h}: acknowledged without any sync`);
      const lastSync = calls.lastIndexOf(syncs.at(-1)!);
      assert.ok(dataFds.has(calls[lastSync]!.fd), `height ${h}: the sync is of the data file`);
      const metaWrite = calls.findIndex((c, i) => i > lastSync && c.name === 'pwrite64' && metaFds.has(c.fd));
      assert.ok(metaWrite > lastSync, `height ${h}: meta page written synchronously after the data sync`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
