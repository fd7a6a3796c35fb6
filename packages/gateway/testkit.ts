/**
 * Test kit: a gateway home directory with a real genesis and certificates (without the CLI, which sits above the
 * gateway), and an in-memory chain that answers like a node's API, so gateway tests run in milliseconds.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GovchainError, toHex } from '@govchain/base';
import { encodePem, getSuite, issueCertificate, parseCertificate, privateKeyToPem, type KeyPair } from '@govchain/crypto';
import type { BlockJson, ChainEvent, Genesis, JsonValue, StatusJson, TxProofJson, TxRecord, TxSubmission, ValidatorJson } from '@govchain/protocol';
import { HostSampler } from '@govchain/node';
import type { GatewayConfigInput } from './config.ts';
import type { EventStream, NodeApi, NodeApiFactory } from './chain/node-api.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const suite = getSuite('gm');

function serial(): string {
  const s = randomBytes(16);
  s[0]! &= 0x7f;
  s[0]! |= 0x01;
  return toHex(s);
}

export interface TestHome {
  home: string;
  genesis: Genesis;
  nodeNames: string[];
}

/**
 * Writes a gateway home for org1 of a chain of `orgs` organizations, one validator each. `nodeCertDays` sets the
 * node certificates' lifetime (to test expiry alerts).
 */
export function makeTestHome(opts: { orgs?: number; nodeCertDays?: number; config?: Partial<GatewayConfigInput> } = {}): TestHome {
  const orgs = opts.orgs ?? 2;
  const now = Date.now();
  const home = mkdtempSync(join(tmpdir(), 'govchain-gw-'));
  const organizations: Genesis['organizations'] = [];
  const validators: Genesis['validators'] = [];
  let admin: { key: KeyPair; pem: string } | null = null;
  for (let i = 1; i <= orgs; i++) {
    const org = `org${i}`;
    const rootKey = suite.generateKeyPair();
    const rootDer = issueCertificate({
      suite: 'gm', issuerPrivateKey: rootKey.privateKey, subject: { commonName: `${org} Root CA`, organization: org, country: 'CN' },
      subjectPublicKey: rootKey.publicKey, serialNumber: serial(), notBeforeMs: now - 60_000, notAfterMs: now + 20 * YEAR_MS, isCA: true, pathLength: 1,
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    const caKey = suite.generateKeyPair();
    const caDer = issueCertificate({
      suite: 'gm', issuerPrivateKey: rootKey.privateKey, issuerCertificate: parseCertificate(rootDer),
      subject: { commonName: `${org} Operating CA`, organization: org, country: 'CN' }, subjectPublicKey: caKey.publicKey,
      serialNumber: serial(), notBeforeMs: now - 60_000, notAfterMs: now + 5 * YEAR_MS, isCA: true, pathLength: 0, keyUsage: ['keyCertSign', 'cRLSign'],
    });
    const leaf = (cn: string, key: KeyPair, days: number): string => encodePem(issueCertificate({
      suite: 'gm', issuerPrivateKey: caKey.privateKey, issuerCertificate: parseCertificate(caDer),
      subject: { commonName: cn, organization: org, country: 'CN' }, subjectPublicKey: key.publicKey, serialNumber: serial(),
      notBeforeMs: now - 60_000, notAfterMs: now + days * DAY_MS, isCA: false, keyUsage: ['digitalSignature', 'keyAgreement'],
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
    }));
    organizations.push({ id: org, name: `组织 ${i} (${org})`, rootCertificate: encodePem(rootDer), caCertificates: [encodePem(caDer)] });
    const nodeKey = suite.generateKeyPair();
    validators.push({ name: `node${i}`, organization: org, publicKey: toHex(nodeKey.publicKey), certificate: leaf(`node${i}`, nodeKey, opts.nodeCertDays ?? 2 * 365), power: 1 });
    if (i === 1) {
      const key = suite.generateKeyPair();
      admin = { key, pem: leaf('org1-admin', key, 2 * 365) };
    }
  }
  const genesis: Genesis = {
    chainId: 'gw-test', suite: 'gm', genesisTimeMs: now, organizations, validators,
    consensus: { timeoutProposeMs: 3000, timeoutPrevoteMs: 1000, timeoutPrecommitMs: 1000, timeoutDeltaMs: 500, blockTxsMax: 5000, blockBytesMax: 8 << 20, emptyBlockIntervalMs: 5000 },
    admission: { senders: 'any' },
  };
  writeFileSync(join(home, 'genesis.json'), JSON.stringify(genesis, null, 2));
  writeFileSync(join(home, 'admin.key'), privateKeyToPem(admin!.key.privateKey, 'sm2'), { mode: 0o600 });
  writeFileSync(join(home, 'admin.pem'), admin!.pem);
  mkdirSync(join(home, 'data'));
  const nodeNames = validators.map((v) => v.name);
  const config: GatewayConfigInput = {
    organization: 'org1',
    listen: { host: '127.0.0.1', port: 0 },
    node: { url: 'http://node1.test', token: 'test-token-0123456789' },
    nodes: nodeNames.map((n) => ({ name: n, url: `http://${n}.test` })),
    monitor: { intervalMs: 200 },
    log: { level: 'error' },
    ...opts.config,
  };
  writeFileSync(join(home, 'config.json'), JSON.stringify(config, null, 2));
  return { home, genesis, nodeNames };
}

export interface FakeTx {
  contract: string;
  method: string;
  args: JsonValue;
  sender?: string;
  fail?: boolean;
}

/** An in-memory chain answering like a node's API; each configured node URL is one "node" that can be taken down. */
export class FakeChain {
  readonly blocks: BlockJson[] = [];
  readonly txs = new Map<string, TxRecord>();
  readonly down = new Set<string>();
  readonly mempool = new Map<string, number>();
  readonly submitted: string[] = [];
  private readonly streams = new Set<{ onEvent: (e: ChainEvent) => void; onClose: (r: string) => void }>();

  constructor(readonly chainId: string, readonly nodeNames: string[]) {}

  addBlock(txs: FakeTx[] = [], timeMs = Date.now()): BlockJson {
    const height = this.blocks.length + 1;
    const hash = toHex(suite.hash(new TextEncoder().encode(`block-${height}-${timeMs}`)));
    const ids = txs.map((t, i) => toHex(suite.hash(new TextEncoder().encode(`tx-${height}-${i}-${JSON.stringify(t.args)}`))));
    const header = {
      chainId: this.chainId, height, timeMs, hash, prevHash: this.blocks.at(-1)?.header.hash ?? '00'.repeat(32), proposerIndex: height % this.nodeNames.length,
      txCount: txs.length, txRoot: '00'.repeat(32), resultsRoot: '00'.repeat(32), stateRoot: '00'.repeat(32), validatorsHash: '00'.repeat(32),
    };
    const block: BlockJson = { header, txIds: ids, certificate: { round: 0, signers: this.nodeNames.map((_, i) => i) } };
    this.blocks.push(block);
    txs.forEach((t, i) => {
      const sender = t.sender ?? 'ab'.repeat(20);
      this.txs.set(ids[i]!, {
        tx: { txId: ids[i]!, chainId: this.chainId, sender: { address: sender, publicKey: '04' + 'cd'.repeat(64), certificate: false }, nonce: '00', expiresAtMs: timeMs + 600_000, contract: t.contract, method: t.method, args: t.args, signature: '00', raw: '00' },
        height, index: i, blockHash: hash,
        receipt: t.fail
          ? { txId: ids[i]!, status: 'failed', errorCode: 'KV_NOT_FOUND', errorMessage: 'no such key', result: null, events: [] }
          : { txId: ids[i]!, status: 'ok', result: null, events: [] },
      });
    });
    const event: ChainEvent = { type: 'block', header, txs: ids.map((txId, i) => (txs[i]!.fail ? { txId, status: 'failed', errorCode: 'KV_NOT_FOUND' } : { txId, status: 'ok' })) };
    for (const s of this.streams) s.onEvent(event);
    return block;
  }

  get height(): number {
    return this.blocks.length;
  }

  private nameOf(url: string): string {
    return new URL(url).hostname.split('.')[0]!;
  }

  /** Ends every open event stream, as a node restart would. */
  dropStreams(): void {
    for (const s of [...this.streams]) s.onClose('dropped by the test');
    this.streams.clear();
  }

  api(url: string): NodeApi {
    const name = this.nameOf(url);
    const up = (): void => {
      if (this.down.has(name)) throw new TypeError('fetch failed');
    };
    const validators = (): ValidatorJson[] => this.nodeNames.map((n, i) => ({
      index: i, name: n, organization: `org${i + 1}`, publicKey: '04' + 'ef'.repeat(64), address: `${i + 1}`.padStart(40, '0'), power: 1,
      lastSignedHeight: this.down.has(n) ? null : this.height,
    }));
    const notFound = (code: string, what: string): GovchainError => new GovchainError(code, 'not_found', `no ${what}`);
    const host = new HostSampler(tmpdir());
    const api: NodeApi = {
      host: async () => {
        up();
        return host.sample();
      },
      status: async (): Promise<StatusJson> => {
        up();
        const last = this.blocks.at(-1);
        return {
          chainId: this.chainId, suite: 'gm', nodeName: name, height: this.height, lastBlockHash: last?.header.hash ?? '', lastBlockTimeMs: last?.header.timeMs ?? 0,
          consensus: { height: this.height + 1, round: 0, step: 'propose', isValidator: true }, mempool: { txs: this.mempool.get(name) ?? 0, bytes: 0 },
          peers: this.nodeNames.filter((n) => n !== name).map((n) => ({ name: n, connected: !this.down.has(n) })), version: '0.1.0-test',
        };
      },
      validators: async () => { up(); return { validators: validators() }; },
      getBlock: async (id) => {
        up();
        const b = typeof id === 'number' ? this.blocks[id - 1] : this.blocks.find((x) => x.header.hash === id);
        if (b === undefined) throw notFound('BLOCK_NOT_FOUND', `block ${id}`);
        return b;
      },
      listBlocks: async (from, limit) => { up(); return this.blocks.slice(Math.max(0, from - limit), from).reverse(); },
      blockTxs: async (height, { offset = 0, limit = 100 }) => {
        up();
        if (height < 1 || height > this.blocks.length) throw notFound('BLOCK_NOT_FOUND', `block ${height}`);
        const inBlock = [...this.txs.values()].filter((t) => t.height === height).sort((a, b) => a.index - b.index);
        return {
          height, txCount: inBlock.length, offset,
          txs: inBlock.slice(offset, offset + limit).map((t) => ({
            txId: t.tx.txId, index: t.index, sender: t.tx.sender.address, contract: t.tx.contract, method: t.tx.method, status: t.receipt.status,
            ...(t.receipt.errorCode === undefined ? {} : { errorCode: t.receipt.errorCode }),
          })),
        };
      },
      getTx: async (id) => {
        up();
        const t = this.txs.get(id);
        if (t === undefined) throw notFound('TX_NOT_FOUND', `tx ${id}`);
        return t;
      },
      txProof: async (id): Promise<TxProofJson> => {
        up();
        const t = this.txs.get(id);
        if (t === undefined) throw notFound('TX_NOT_FOUND', `tx ${id}`);
        return {
          format: 'govchain-tx-proof/1', chainId: this.chainId, suite: 'gm', height: t.height, txIndex: t.index, txCount: 1, tx: '00', txPath: [], receipt: '00',
          receiptPath: [], header: '00', blockHash: t.blockHash, certificate: '00', validators: [], organizations: [], genesisHash: '00'.repeat(32),
        };
      },
      query: async <T>() => { up(); return null as T; },
      submit: async (txHex): Promise<TxSubmission> => { up(); this.submitted.push(txHex); return { txId: '00'.repeat(32), status: 'pending' }; },
      submitBatch: async (txHexes) => { up(); this.submitted.push(...txHexes); return txHexes.map(() => ({ txId: '00'.repeat(32), status: 'pending' as const })); },
      openEvents: (onEvent, onClose): EventStream => {
        const s = { onEvent, onClose };
        if (this.down.has(name)) {
          setTimeout(() => onClose('node down'), 0);
          return { close: () => undefined };
        }
        this.streams.add(s);
        return { close: () => { if (this.streams.delete(s)) onClose('closed'); } };
      },
    };
    return api;
  }

  factory(): NodeApiFactory {
    return (url) => this.api(url);
  }
}

/** Polls until `probe` returns a value other than undefined/false. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Cheap scrypt parameters for tests (1 MiB); production uses DEFAULT_KDF. */
export const TEST_KDF = { log2N: 10, r: 8, p: 1 };

export interface Client {
  cookie: string;
  csrf: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string; headers: Record<string, unknown> }>;
}

type Injectable = { inject(opts: object): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }> };

/** Requests through Fastify's inject, with the session cookie and CSRF header of a signed-in user when given. */
export function clientOf(app: Injectable, session: { cookie: string; csrf: string } | null): Client {
  return {
    cookie: session?.cookie ?? '',
    csrf: session?.csrf ?? '',
    async request(method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (session !== null) {
        h.cookie = session.cookie;
        if (!['GET', 'HEAD'].includes(method) && h['x-csrf-token'] === undefined) h['x-csrf-token'] = session.csrf;
      }
      const res = await app.inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as object }) });
      let json: unknown = null;
      try { json = JSON.parse(res.body); } catch { /* not JSON (CSV, PEM) */ }
      return { status: res.statusCode, json, text: res.body, headers: res.headers };
    },
  };
}

export async function login(app: Injectable, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  return clientOf(app, { cookie, csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken });
}
