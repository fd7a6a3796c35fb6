/**
 * Starts a gateway from its home directory: configuration, genesis, the organization's admin key, the database
 * (with the first super admin on a new one), the chain follower and block index, the node monitor and alert
 * evaluation, and the HTTP server. `close()` stops them in reverse order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { GovchainError } from '@govchain/base';
import type { FileStore, GatewayApp } from '@govchain/apps';
import { decodePem, getSuite, privateKeyFromPem } from '@govchain/crypto';
import { parseGenesis } from '@govchain/protocol';
import { Accounts } from './auth/accounts.ts';
import { CORE_PERMISSIONS, SUPER_ADMIN, type PermissionDef } from './auth/permissions.ts';
import { DEFAULT_KDF, generatePassword, type KdfParams } from './auth/password.ts';
import { Sessions } from './auth/sessions.ts';
import { AlertEngine } from './alerts/engine.ts';
import { WebhookSender } from './alerts/webhook.ts';
import { AuditLog } from './audit/log.ts';
import { organizationsOf, watchedCertificates } from './chain/certificates.ts';
import { OrgChainClient } from './chain/chain-client.ts';
import { BlockFollower } from './chain/follower.ts';
import { ChainIndex } from './chain/indexer.ts';
import { httpNodeApi, type NodeApiFactory } from './chain/node-api.ts';
import { loadGatewayConfig, resolveIn, type GatewayConfig } from './config.ts';
import { openDatabase, type Db } from './db.ts';
import { HostSampler } from '@govchain/node';
import { NodeMonitor } from './monitor/monitor.ts';
import { buildGatewayServer, type RouteRuleEntry } from './server.ts';
import { ConsoleFiles } from './static.ts';

export const INITIAL_ADMIN_USERNAME = 'admin';
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../console/dist', import.meta.url));
const DETAILS_INTERVAL_MS = 1000;
const HOUSEKEEPING_INTERVAL_MS = 3600_000;

export interface StartGatewayOptions {
  /** Apps to host; their permissions join the catalog and their routes are mounted under /api/apps/<name>/. */
  apps?: readonly GatewayApp[];
  /** Default roles (other than super admin, who has everything) that get each app permission the first time it is seen. */
  appPermissionGrants?: Readonly<Record<string, readonly string[]>>;
  files?: FileStore;
  logger?: Logger;
  /** Tests: an in-memory chain instead of HTTP. */
  nodeApi?: NodeApiFactory;
  /** Tests: cheaper password hashing. */
  kdf?: KdfParams;
  /** Tests: override parts of config.json. */
  configOverride?: (c: GatewayConfig) => GatewayConfig;
  /** Default true; false builds everything without opening a port (use `app.inject`). */
  listen?: boolean;
}

export interface RunningGateway {
  url: string;
  app: FastifyInstance;
  rules: RouteRuleEntry[];
  config: GatewayConfig;
  db: Db;
  accounts: Accounts;
  /** The first super admin's password when this start created it (also written to a 0600 file); else null. */
  initialPassword: string | null;
  initialPasswordFile: string;
  follower: BlockFollower;
  index: ChainIndex;
  close(): Promise<void>;
}

const unavailableFiles: FileStore = {
  put: async () => { throw new GovchainError('FILE_STORE_UNAVAILABLE', 'unavailable', 'this gateway was started without a file store'); },
  grant: async () => { throw new GovchainError('FILE_STORE_UNAVAILABLE', 'unavailable', 'this gateway was started without a file store'); },
  get: async () => { throw new GovchainError('FILE_STORE_UNAVAILABLE', 'unavailable', 'this gateway was started without a file store'); },
  has: async () => false,
};

function productVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new GovchainError('GATEWAY_FILE_MISSING', 'malformed', `cannot read the ${what} at ${path}: ${(err as Error).message}`);
  }
}

export async function startGateway(home: string, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  let config = loadGatewayConfig(home);
  if (options.configOverride) config = options.configOverride(config);
  const logger = options.logger ?? pino({ level: config.log.level, base: { gateway: config.organization } });
  const apps = options.apps ?? [];
  const kdf = options.kdf ?? DEFAULT_KDF;

  const genesis = parseGenesis(new TextEncoder().encode(readText(resolveIn(home, config.files.genesis), 'genesis file')));
  if (!genesis.organizations.some((o) => o.id === config.organization)) {
    throw new GovchainError('CONFIG_INVALID', 'malformed', `organization ${config.organization} is not a member of chain ${genesis.chainId}`);
  }
  const suite = getSuite(genesis.suite);
  const adminKey = privateKeyFromPem(readText(resolveIn(home, config.files.adminKey), 'admin key'), genesis.suite === 'gm' ? 'sm2' : 'p256');
  const adminCertPem = readText(resolveIn(home, config.files.adminCertificate), 'admin certificate');
  const organizations = organizationsOf(genesis, { organization: config.organization, pem: adminCertPem });
  const certs = watchedCertificates(organizations);

  const db = openDatabase(resolveIn(home, config.files.database));
  const accounts = new Accounts(db, kdf);
  const catalog: PermissionDef[] = [...CORE_PERMISSIONS];
  for (const a of apps) for (const p of a.permissions) catalog.push({ name: p.name, description: p.description, group: a.name });
  accounts.syncCatalog(catalog, options.appPermissionGrants ?? {});

  const initialPasswordFile = resolveIn(home, config.files.initialPassword);
  let initialPassword: string | null = null;
  if (accounts.userCount() === 0) {
    initialPassword = generatePassword();
    await accounts.createUser({ username: INITIAL_ADMIN_USERNAME, displayName: '超级管理员', password: initialPassword, roles: [SUPER_ADMIN], mustChangePassword: true });
    writeFileSync(initialPasswordFile, `${INITIAL_ADMIN_USERNAME}\n${initialPassword}\n`, { mode: 0o600 });
    logger.warn({ username: INITIAL_ADMIN_USERNAME, file: initialPasswordFile }, 'created the first super admin; its password is in the file (change it at first sign-in, then delete the file)');
  }

  const sessions = new Sessions(db, accounts, {
    idleMs: config.session.idleMinutes * 60_000, absoluteMs: config.session.absoluteHours * 3600_000,
    failuresMax: config.lockout.failuresMax, failureWindowMs: config.lockout.windowMinutes * 60_000, lockMs: config.lockout.lockMinutes * 60_000,
  }, config.organization, kdf);
  const audit = new AuditLog(db);
  const makeNodeApi = options.nodeApi ?? httpNodeApi;
  const node = makeNodeApi(config.node.url, config.node.token);
  const monitor = new NodeMonitor(config.nodes.map((n) => ({ name: n.name, url: n.url, api: makeNodeApi(n.url, null) })));
  const host = new HostSampler(home);
  const sender = new WebhookSender(logger.child({ module: 'webhook' }));
  const alerts = new AlertEngine(db, sender, config.organization);
  alerts.seedDefaults();
  const index = new ChainIndex(db, logger.child({ module: 'index' }));
  const follower = new BlockFollower(node, index.indexedHeight, logger.child({ module: 'follower' }));
  follower.onBlock((event) => index.addEvent(event));
  const chainClient = new OrgChainClient(
    { chainId: genesis.chainId, suite: genesis.suite },
    node,
    { suite, privateKey: adminKey.privateKey, publicKey: adminKey.publicKey, certificate: decodePem(adminCertPem) },
    follower,
  );
  const consoleFiles = new ConsoleFiles(resolveConsoleDir(config, home));
  if (!consoleFiles.available) logger.warn({ dir: consoleFiles.dir }, 'the console is not built (npm run build:console); serving the API only');

  const { app, rules } = await buildGatewayServer({
    organization: config.organization, version: productVersion(), chain: { chainId: genesis.chainId, suite: genesis.suite },
    session: { absoluteMs: config.session.absoluteHours * 3600_000, secureCookie: config.session.secureCookie }, trustProxy: config.trustProxy,
    db, accounts, sessions, audit, node, index, monitor, host, alerts, organizations, consoleFiles, logger, apps, chainClient,
    files: options.files ?? unavailableFiles,
  });

  // Background work. Each loop guards against overlapping itself, so a slow node never piles up requests.
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const every = (ms: number, name: string, task: () => Promise<unknown> | unknown): void => {
    let running = false;
    const run = (): void => {
      if (running || stopped) return;
      running = true;
      const p = (async () => {
        try {
          await task();
        } catch (err) {
          if (!stopped) logger.warn({ err, task: name }, 'background task failed; it runs again at its next interval');
        } finally {
          running = false;
        }
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    timers.push(setInterval(run, ms));
    run();
  };
  let following = false;
  every(2000, 'index backfill', async () => {
    if (following) return;
    await index.backfill(node);
    following = true;
    follower.resumeFrom(index.indexedHeight);
    follower.start();
  });
  every(DETAILS_INTERVAL_MS, 'tx details', () => (following ? index.fillDetails(node) : 0));
  every(config.monitor.intervalMs, 'monitor', async () => {
    await monitor.poll();
    alerts.evaluate(monitor.all(), certs);
  });
  every(HOUSEKEEPING_INTERVAL_MS, 'housekeeping', () => {
    sessions.sweep();
    audit.prune();
    alerts.prune();
    index.prune();
  });

  let url = '';
  if (options.listen !== false) url = await app.listen({ host: config.listen.host, port: config.listen.port });
  logger.info({ url, organization: config.organization, chainId: genesis.chainId, apps: apps.map((a) => a.name) }, 'gateway started');

  let closed = false;
  return {
    url, app, rules, config, db, accounts, initialPassword, initialPasswordFile, follower, index,
    async close() {
      if (closed) return;
      closed = true;
      stopped = true;
      for (const t of timers) clearInterval(t);
      follower.stop();
      sender.stop();
      await app.close();
      await Promise.all([...inFlight]);
      await follower.idle();
      db.close();
      logger.info('gateway stopped');
    },
  };
}

function resolveConsoleDir(config: GatewayConfig, home: string): string | null {
  const dir = config.files.console === null ? DEFAULT_CONSOLE_DIR : resolveIn(home, config.files.console);
  try {
    readFileSync(`${dir}/index.html`);
    return dir;
  } catch {
    return null;
  }
}
