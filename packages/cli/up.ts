/**
 * `govchain up` (behind `npm start`): generates a local network the first time, starts one process per validator,
 * prints the API addresses, and on Ctrl-C stops every node cleanly before exiting.
 */
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SuiteName } from '@govchain/crypto';
import { generateNetwork, type GeneratedNode } from './network.ts';
import { ensureGatewayHome, initialCredentials, spawnGateway } from './gateway.ts';

export interface UpOptions {
  dir: string;
  organizations: number;
  suite: SuiteName;
  fresh: boolean;
  p2pBasePort: number;
  apiBasePort: number;
  /** Port of org1's gateway, which serves the management console. */
  consolePort: number;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * Starts `govchain node start` for `home`; its JSON log lines are appended to `logFile` when given.
 * GOVCHAIN_NODE_ARGS adds Node.js options to each node process (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export function spawnNode(home: string, logFile?: string): ChildProcess {
  const extra = (process.env.GOVCHAIN_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', MAIN, 'node', 'start', '--home', home], {
    stdio: ['ignore', logFile === undefined ? 'inherit' : 'pipe', 'inherit'],
  });
  if (logFile !== undefined) child.stdout?.pipe(createWriteStream(logFile, { flags: 'a' }));
  return child;
}

async function waitForApi(url: string, timeoutMs: number, path = '/v1/status'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function runUp(o: UpOptions): Promise<void> {
  if (o.fresh) rmSync(o.dir, { recursive: true, force: true });
  const manifest = join(o.dir, 'network.json');
  let nodes: GeneratedNode[];
  if (existsSync(manifest)) {
    nodes = (JSON.parse(readFileSync(manifest, 'utf8')) as { nodes: GeneratedNode[] }).nodes;
    console.log(`using the network in ${o.dir} (pass --fresh to start over)`);
  } else {
    nodes = generateNetwork({
      dir: o.dir, chainId: 'govchain-local', suite: o.suite, organizations: o.organizations, host: '127.0.0.1',
      p2pBasePort: o.p2pBasePort, apiBasePort: o.apiBasePort, withApiToken: true,
    }).nodes;
    console.log(`generated a ${o.organizations}-validator ${o.suite} network in ${o.dir}`);
  }
  // Node logs are JSON lines; each goes to its node's directory rather than interleaved on the terminal.
  const gatewayHome = ensureGatewayHome({ networkDir: o.dir, organization: 'org1', nodes, host: '127.0.0.1', port: o.consolePort });
  const consoleUrl = `http://127.0.0.1:${o.consolePort}`;
  const children = [...nodes.map((n) => spawnNode(n.home, join(n.home, 'node.log'))), spawnGateway(gatewayHome, join(gatewayHome, 'gateway.log'), { printPassword: false })];
  const names = [...nodes.map((n) => n.name), 'gateway (org1)'];
  let stopping = false;
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping all nodes and the gateway…');
    for (const c of children) c.kill('SIGTERM');
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  const exits = children.map((c, i) => new Promise<void>((resolve) => c.on('exit', (code, signal) => {
    if (!stopping) console.error(`${names[i]} exited (${signal ?? code}); stopping the others`);
    stopAll();
    resolve();
  })));
  const ready = await Promise.all(nodes.map((n) => waitForApi(n.apiUrl, 30_000)));
  if (ready.every(Boolean)) {
    console.log('\ngovchain local network is running:');
    for (const n of nodes) console.log(`  ${n.name}  API ${n.apiUrl}  (docs ${n.apiUrl}/docs)`);
    if (nodes[0]!.apiToken !== null) console.log(`\nAPI token of node1 (for writes): ${nodes[0]!.apiToken}`);
    if (await waitForApi(consoleUrl, 30_000, '/api/health')) {
      console.log(`\nmanagement console (org1): ${consoleUrl}`);
      const initial = initialCredentials(gatewayHome);
      if (initial !== null) {
        console.log(`  first sign-in: user ${initial.username}, password ${initial.password} — you will be asked to change it;`);
        console.log(`  then delete ${initial.file}`);
      }
    }
    console.log(`logs: ${o.dir}/nodes/<node>/node.log, ${gatewayHome}/gateway.log — press Ctrl-C to stop`);
  }
  await Promise.all(exits);
}
