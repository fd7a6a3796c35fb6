/**
 * `govchain gateway start --home <dir>` and the gateway directory of a generated network: config.json pointing at
 * the organization's node (with its API token) and at every node to watch, plus copies of genesis and the
 * organization's admin key and certificate, so the directory can be moved to the gateway's machine whole.
 */
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GatewayApp } from '@govchain/apps';
import { createEvidenceApp } from '@govchain/apps/evidence';
import { getSuite } from '@govchain/crypto';
import { createFileStore, startGateway, type GatewayConfigInput } from '@govchain/gateway';
import { parseGenesis } from '@govchain/protocol';
import type { GeneratedNode } from './network.ts';

/**
 * The apps a gateway hosts (each app's contracts must also run on every node: see node-process.ts). The evidence
 * app gets the exact genesis file so its proof bundles can be anchored by the published genesis hash.
 */
function gatewayApps(genesisBytes: Uint8Array): GatewayApp[] {
  return [createEvidenceApp({ genesis: genesisBytes })];
}

/** Which default roles get each app permission when it first appears (super admin has everything). */
const APP_PERMISSION_GRANTS: Readonly<Record<string, readonly string[]>> = {
  'evidence:record': ['org_admin', 'developer', 'user'],
  'evidence:read': ['org_admin', 'developer', 'operations', 'auditor', 'user'],
  'evidence:template': ['org_admin'],
};

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface GatewayHomeSpec {
  networkDir: string;
  organization: string;
  nodes: readonly GeneratedNode[];
  host: string;
  port: number;
}

/** Writes <networkDir>/gateways/<org>/ unless it exists; returns its path. The organization's node is node<N> of org<N>. */
export function ensureGatewayHome(spec: GatewayHomeSpec): string {
  const home = join(spec.networkDir, 'gateways', spec.organization);
  if (existsSync(join(home, 'config.json'))) return home;
  const orgDir = join(spec.networkDir, 'orgs', spec.organization);
  const own = spec.nodes.find((n) => n.name === spec.organization.replace(/^org/, 'node')) ?? spec.nodes[0]!;
  mkdirSync(join(home, 'data'), { recursive: true });
  copyFileSync(join(spec.networkDir, 'genesis.json'), join(home, 'genesis.json'));
  writeFileSync(join(home, 'admin.key'), readFileSync(join(orgDir, 'admin.key')), { mode: 0o600 });
  copyFileSync(join(orgDir, 'admin.pem'), join(home, 'admin.pem'));
  const config: GatewayConfigInput = {
    organization: spec.organization,
    listen: { host: spec.host, port: spec.port },
    node: { url: own.apiUrl, token: own.apiToken },
    nodes: spec.nodes.map((n) => ({ name: n.name, url: n.apiUrl })),
  };
  writeFileSync(join(home, 'config.json'), JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  return home;
}

/** The initial super admin's user name and password while its file exists (deleted by the operator after the first sign-in). */
export function initialCredentials(home: string): { username: string; password: string; file: string } | null {
  const file = join(home, 'initial-admin-password.txt');
  if (!existsSync(file)) return null;
  const [username, password] = readFileSync(file, 'utf8').split('\n');
  return username && password ? { username, password, file } : null;
}

/** Starts `govchain gateway start` for `home`; a launcher that prints the first sign-in itself passes printPassword: false. */
export function spawnGateway(home: string, logFile?: string, opts: { printPassword?: boolean } = {}): ChildProcess {
  const args = ['--import', 'tsx', MAIN, 'gateway', 'start', '--home', home, ...(opts.printPassword === false ? ['--no-print-password'] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', logFile === undefined ? 'inherit' : 'pipe', 'inherit'],
  });
  if (logFile !== undefined) child.stdout?.pipe(createWriteStream(logFile, { flags: 'a' }));
  return child;
}

/** Runs a gateway in this process until SIGINT or SIGTERM. */
export async function startGatewayProcess(home: string, opts: { printPassword: boolean } = { printPassword: true }): Promise<void> {
  const genesisBytes = new Uint8Array(readFileSync(join(home, 'genesis.json')));
  const suite = getSuite(parseGenesis(genesisBytes).suite);
  const files = await createFileStore(suite, { kind: 'local', dir: join(home, 'data', 'files') });
  const gateway = await startGateway(home, { apps: gatewayApps(genesisBytes), files, appPermissionGrants: APP_PERMISSION_GRANTS });
  if (gateway.initialPassword !== null && opts.printPassword) {
    console.error(`created the first super admin: user "admin", password ${gateway.initialPassword} (also in ${gateway.initialPasswordFile}); change it at first sign-in`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(() => process.exit(0), (err: unknown) => {
      console.error('error while stopping the gateway:', err);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
