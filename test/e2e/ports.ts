/**
 * Loopback ports for multi-process tests that stay valid for the whole test, across node restarts.
 *
 * Ports are taken below the kernel's ephemeral range: a port handed out by `listen(0)` or used as the source port
 * of an outgoing connection comes from that range, so a killed node's port inside it can be taken by anyone before
 * the node restarts (CI saw EADDRINUSE on a restart). Blocks of ports are claimed with a lock file so that test
 * files running in parallel processes never pick the same block; a lock whose process is gone is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BLOCK = 16;
const LOWEST = 10_000;

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > LOWEST + BLOCK ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockPath(block: number): string {
  return join(tmpdir(), `govchain-test-ports-${block}.lock`);
}

function tryLock(block: number): boolean {
  const path = lockPath(block);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

async function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export interface PortBlock {
  /** The first of `BLOCK` consecutive ports owned by this process until `release`. */
  readonly base: number;
  release(): void;
}

/** Claims a block of consecutive ports (up to 16) outside the ephemeral range, all currently free. */
export async function reservePorts(count: number): Promise<PortBlock> {
  if (count > BLOCK) throw new Error(`at most ${BLOCK} ports per block`);
  const blocks = Math.floor((ephemeralLow() - LOWEST) / BLOCK);
  const start = Math.floor(Math.random() * blocks);
  for (let k = 0; k < blocks; k++) {
    const block = (start + k) % blocks;
    if (!tryLock(block)) continue;
    const base = LOWEST + block * BLOCK;
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await canListen(p);
    const release = (): void => rmSync(lockPath(block), { force: true });
    if (free) return { base, release };
    release();
  }
  throw new Error('no free block of loopback ports below the ephemeral range');
}
