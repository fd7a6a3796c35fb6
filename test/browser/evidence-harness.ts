/**
 * Test harness for the evidence app (tests, browser test, bench): a real node started in this process with the
 * evidence contract, a chain client over the SDK signing with org1's admin key and certificate, a real SQLite
 * database and encrypted file store in a temporary directory, and a small AppContext whose callers are named by an
 * `x-test-user` header with fixed permissions. The gateway of issue 5 provides the production AppContext.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import Database from 'better-sqlite3';
import pino from 'pino';
import { GovchainError } from '@govchain/base';
import { decodePem, getSuite, privateKeyFromPem, type CryptoSuite } from '@govchain/crypto';
import { startNode, type RunningNode } from '@govchain/node';
import type { ChainEvent, JsonValue, TxProofJson, TxSubmission } from '@govchain/protocol';
import { GovchainClient, buildTx, type Signer } from '@govchain/sdk';
import type { AppContext, ChainClient, FileStore, Principal } from '@govchain/apps';
import { LocalNetwork } from '../e2e/local-network.ts';
import { EncryptedFileStore, LocalDirBackend } from '../../packages/gateway/files/index.ts';
import { createEvidenceApp, evidenceContract, type EvidenceAppOptions } from '@govchain/apps/evidence';

export const APP_PREFIX = '/api/apps/evidence';

export class SdkChainClient implements ChainClient {
  readonly chainId: string;
  readonly suite: 'gm' | 'intl';
  constructor(private readonly client: GovchainClient, chain: { chainId: string; suite: 'gm' | 'intl' }, private readonly signer: Signer) {
    this.chainId = chain.chainId;
    this.suite = chain.suite;
  }
  submit(contract: string, method: string, args: JsonValue): Promise<TxSubmission> {
    return this.client.submit(buildTx({ chainId: this.chainId, contract, method, args }, this.signer).hex, { wait: true, timeoutMs: 20_000 });
  }
  submitBatch(calls: { contract: string; method: string; args: JsonValue }[]): Promise<TxSubmission[]> {
    return this.client.submitBatch(calls.map((c) => buildTx({ chainId: this.chainId, ...c }, this.signer).hex), { wait: true, timeoutMs: 30_000 });
  }
  query<T = JsonValue>(contract: string, method: string, args: JsonValue): Promise<T> {
    return this.client.query<T>(contract, method, args);
  }
  txProof(txId: string): Promise<TxProofJson> {
    return this.client.txProof(txId);
  }
  onBlock(_listener: (event: ChainEvent) => void): () => void {
    return () => undefined;
  }
}

export interface TestUser {
  userId: string;
  permissions: string[];
}

export interface Harness {
  app: FastifyInstance;
  /** Base URL of the app's routes when listening (after `listen`), else ''. */
  url: string;
  node: RunningNode;
  net: LocalNetwork;
  suite: CryptoSuite;
  genesisBytes: Uint8Array;
  files: FileStore;
  audit: { action: string; target: string; result: string; user: string | null }[];
  request(method: string, path: string, opts?: { user?: string; json?: unknown; body?: Buffer | string; headers?: Record<string, string> }): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; json: any }>;
  close(): Promise<void>;
}

export async function startHarness(opts: { users?: TestUser[]; listen?: boolean; appOptions?: EvidenceAppOptions; validators?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'govchain-evidence-'));
  const net = await LocalNetwork.create({ validators: opts.validators ?? 1, suite: 'gm', chainId: 'evidence-test' });
  const logger = pino({ level: 'silent' });
  const nodes: RunningNode[] = [];
  for (const n of net.nodes) nodes.push(await startNode(n.home, { logger, contracts: [evidenceContract] }));
  const node = nodes[0]!;
  const suite = getSuite('gm');
  const orgDir = join(net.dir, 'orgs', 'org1');
  const admin = privateKeyFromPem(readFileSync(join(orgDir, 'admin.key'), 'utf8'), 'sm2');
  const signer: Signer = { suite, ...admin, certificate: decodePem(readFileSync(join(orgDir, 'admin.pem'), 'utf8')) };
  const chain = new SdkChainClient(new GovchainClient(node.apiUrl, { token: net.nodes[0]!.apiToken! }), { chainId: 'evidence-test', suite: 'gm' }, signer);
  const db = new Database(join(dir, 'gateway.db'));
  db.pragma('journal_mode = WAL');
  const files = new EncryptedFileStore(suite, new LocalDirBackend(join(dir, 'files')));
  const users = new Map((opts.users ?? []).map((u) => [u.userId, u]));
  const audit: Harness['audit'] = [];
  const principalOf = (request: FastifyRequest): Principal | null => {
    const id = request.headers['x-test-user'];
    const u = typeof id === 'string' ? users.get(id) : undefined;
    return u === undefined ? null : { userId: u.userId, username: u.userId, organization: 'org1', roles: [], permissions: new Set(u.permissions) };
  };
  const ctx: AppContext = {
    chain, db: db as unknown as AppContext['db'], files, logger,
    requirePermission: (permission) => async (request) => {
      const p = principalOf(request);
      if (p === null) throw new GovchainError('UNAUTHENTICATED', 'unauthenticated', 'sign in first');
      if (!p.permissions.has(permission)) throw new GovchainError('FORBIDDEN', 'forbidden', `this needs the permission ${permission}`);
    },
    principal: principalOf,
    audit: (request, action, target, result) => void audit.push({ action, target, result, user: principalOf(request)?.userId ?? null }),
  };
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  // As the gateway does: JSON errors with the code's status, and deny framing by default.
  app.setErrorHandler((err: unknown, _request, reply) => {
    if (err instanceof GovchainError) return reply.status(err.httpStatus).send(err.toJSON());
    const fe = err as { validation?: unknown; message?: string; statusCode?: number; code?: string };
    if (fe.validation !== undefined) return reply.status(400).send({ code: 'REQUEST_INVALID', message: fe.message });
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ code: 'REQUEST_TOO_LARGE', message: fe.message });
    return reply.status(fe.statusCode ?? 500).send({ code: 'INTERNAL', message: fe.message });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', "default-src 'self'; frame-ancestors 'none'");
    return payload;
  });
  const genesisBytes = new Uint8Array(readFileSync(join(net.nodes[0]!.home, 'genesis.json')));
  const evidenceApp = createEvidenceApp({ genesis: genesisBytes, ...opts.appOptions });
  await app.register(async (scope) => evidenceApp.register(scope, ctx), { prefix: APP_PREFIX });
  await app.ready();
  let url = '';
  if (opts.listen) url = (await app.listen({ host: '127.0.0.1', port: 0 })) + APP_PREFIX;
  return {
    app, url, node, net, suite, genesisBytes, files, audit,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.user !== undefined) headers['x-test-user'] = o.user;
      let payload: string | Buffer | undefined;
      if (o.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(o.json);
      } else if (o.body !== undefined) {
        payload = o.body;
        headers['content-type'] ??= 'application/octet-stream';
      }
      const res = await app.inject({ method: method as 'GET', url: APP_PREFIX + path, headers, ...(payload === undefined ? {} : { payload }) });
      let json: any = null;
      try {
        json = JSON.parse(res.body);
      } catch {
        json = null;
      }
      return { status: res.statusCode, headers: res.headers, body: res.rawPayload, json };
    },
    async close() {
      await app.close();
      for (const n of nodes.reverse()) await n.close();
      db.close();
      await net.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
