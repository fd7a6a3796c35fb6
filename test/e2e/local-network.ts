/**
 * Test and bench kit: generates a network in a temporary directory on reserved loopback ports (ports.ts), runs
 * each node as its own process (the real `govchain node start`), and kills or restarts them on demand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { generateNetwork, type GeneratedNode } from '../../packages/cli/network.ts';
import { spawnNode } from '../../packages/cli/up.ts';
import type { SuiteName } from '@govchain/crypto';
import { reservePorts, type PortBlock } from './ports.ts';

export class LocalNetwork {
  readonly dir: string;
  readonly nodes: GeneratedNode[];
  private readonly procs: (ChildProcess | null)[];
  private readonly ports: PortBlock[];

  private constructor(dir: string, nodes: GeneratedNode[], ports: PortBlock[]) {
    this.dir = dir;
    this.nodes = nodes;
    this.ports = ports;
    this.procs = nodes.map(() => null);
  }

  static async create(opts: { validators: number; suite: SuiteName; chainId?: string; emptyBlockIntervalMs?: number }): Promise<LocalNetwork> {
    const dir = mkdtempSync(join(tmpdir(), 'govchain-net-'));
    const p2p = await reservePorts(opts.validators);
    const api = await reservePorts(opts.validators);
    const { nodes } = generateNetwork({
      dir, chainId: opts.chainId ?? 'govchain-test', suite: opts.suite, organizations: opts.validators, host: '127.0.0.1',
      p2pBasePort: p2p.base, apiBasePort: api.base, withApiToken: true,
    });
    return new LocalNetwork(dir, nodes, [p2p, api]);
  }

  start(i: number): void {
    if (this.procs[i] !== null) throw new Error(`node ${i} already running`);
    const child = spawnNode(this.nodes[i]!.home, join(this.nodes[i]!.home, 'node.log'));
    child.on('exit', () => {
      if (this.procs[i] === child) this.procs[i] = null;
    });
    this.procs[i] = child;
  }

  startAll(): void {
    this.nodes.forEach((_, i) => this.start(i));
  }

  isRunning(i: number): boolean {
    return this.procs[i] !== null;
  }

  pid(i: number): number | undefined {
    return this.procs[i]?.pid;
  }

  /** SIGKILL: no chance to flush or close anything. */
  async kill(i: number): Promise<void> {
    const child = this.procs[i];
    if (child === null || child === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.procs[i] = null;
  }

  async stop(i: number): Promise<void> {
    const child = this.procs[i];
    if (child === null || child === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.procs[i] = null;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.stop(i)));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.kill(i)));
    rmSync(this.dir, { recursive: true, force: true });
    for (const block of this.ports) block.release();
  }
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
