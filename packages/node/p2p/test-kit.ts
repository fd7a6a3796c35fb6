/**
 * Fixtures for the p2p tests (not exported): a consortium PKI per suite, node identities, a log capture and a
 * record-aware man-in-the-middle proxy. Real sockets on loopback throughout.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { getSuite, issueCertificate, parseCertificate, type ParsedCertificate, type SuiteName } from '@govchain/crypto';
import type { LocalNode } from './secure-channel.ts';
import type { AdmissionPolicy } from './admission.ts';
import { PeerManager, type PeerAddress, type PeerManagerOptions } from './peer-manager.ts';

export const DAY_MS = 86_400_000;
const NOW = Date.now();

let serial = 0x5000;
const nextSerial = (): string => (serial++).toString(16).padStart(4, '0');

export interface Ca {
  suite: SuiteName;
  privateKey: Uint8Array;
  der: Uint8Array;
  cert: ParsedCertificate;
}

function caCertificate(suite: SuiteName, commonName: string, issuer: Ca | undefined): Ca {
  const keys = getSuite(suite).generateKeyPair();
  const der = issueCertificate({
    suite,
    issuerPrivateKey: issuer?.privateKey ?? keys.privateKey,
    ...(issuer === undefined ? {} : { issuerCertificate: issuer.cert }),
    subject: { commonName, organization: 'Test Bureau', country: 'CN' },
    subjectPublicKey: keys.publicKey,
    serialNumber: nextSerial(),
    notBeforeMs: NOW - DAY_MS,
    notAfterMs: NOW + 3650 * DAY_MS,
    isCA: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  return { suite, privateKey: keys.privateKey, der, cert: parseCertificate(der) };
}

/** An organization: offline root CA and the operating CA that issues node certificates. */
export interface Organization {
  root: Ca;
  operating: Ca;
}

export function organization(suite: SuiteName, name: string): Organization {
  const root = caCertificate(suite, `${name} Root CA`, undefined);
  return { root, operating: caCertificate(suite, `${name} Operating CA`, root) };
}

export interface NodeIdentity {
  local: LocalNode;
  serialNumber: string;
  publicKeyHex: string;
}

export function nodeIdentity(
  org: Organization,
  name: string,
  options: { chainId?: string; notBeforeMs?: number; notAfterMs?: number } = {},
): NodeIdentity {
  const suite = getSuite(org.operating.suite);
  const keys = suite.generateKeyPair();
  const serialNumber = nextSerial();
  const der = issueCertificate({
    suite: suite.name,
    issuerPrivateKey: org.operating.privateKey,
    issuerCertificate: org.operating.cert,
    subject: { commonName: name, organization: 'Test Bureau', country: 'CN' },
    subjectPublicKey: keys.publicKey,
    serialNumber,
    notBeforeMs: options.notBeforeMs ?? NOW - DAY_MS,
    notAfterMs: options.notAfterMs ?? NOW + 365 * DAY_MS,
    isCA: false,
    keyUsage: ['digitalSignature', 'keyAgreement'],
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
  });
  return {
    local: { suite, chainId: options.chainId ?? 'test-chain', privateKey: keys.privateKey, certificates: [der, org.operating.der] },
    serialNumber: parseCertificate(der).serialNumber,
    publicKeyHex: Buffer.from(keys.publicKey).toString('hex'),
  };
}

export interface LogCapture {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

/** A pino logger writing JSON lines into memory, so tests can assert on what an operator would read. */
export function captureLogs(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestNode {
  manager: PeerManager;
  logs: LogCapture;
  identity: NodeIdentity;
}

/** Start a manager on a free loopback port with test-speed redials. */
export async function startNode(
  identity: NodeIdentity,
  admission: AdmissionPolicy,
  options: { peers?: PeerAddress[]; port?: number; extra?: Partial<PeerManagerOptions> } = {},
): Promise<TestNode> {
  const logs = captureLogs();
  const manager = new PeerManager({
    local: identity.local,
    admission,
    listen: { host: '127.0.0.1', port: options.port ?? 0 },
    peers: options.peers ?? [],
    logger: logs.logger,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    ...options.extra,
  });
  await manager.start();
  return { manager, logs, identity };
}

export function addressOf(node: TestNode, name: string): PeerAddress {
  return { name, host: '127.0.0.1', port: node.manager.port };
}

/** Log lines carrying a p2p code, for assertions. */
export function codesLogged(logs: LogCapture): Array<{ code: unknown; by: unknown }> {
  return logs.lines.filter((l) => l.code !== undefined).map((l) => ({ code: l.code, by: l.by }));
}

/**
 * A TCP proxy that understands record boundaries on the client → server direction and lets a test rewrite each
 * record (tamper, replay, drop); the server → client direction is forwarded untouched. `transform` receives the
 * whole record (header included) and the connection's index, and returns the buffers to forward in its place.
 */
export class RecordProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  private readonly upstreams = new Set<Socket>();
  private connections = 0;

  constructor(targetPort: number, transform: (record: Buffer, connection: number) => Buffer[]) {
    this.server = createServer((client) => {
      const index = this.connections++;
      const upstream = connect({ host: '127.0.0.1', port: targetPort });
      this.clients.add(client);
      this.upstreams.add(upstream);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      let pending = Buffer.alloc(0);
      client.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
          const length = 4 + pending.readUInt32BE(0);
          for (const out of transform(pending.subarray(0, length), index)) upstream.write(out);
          pending = pending.subarray(length);
        }
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  /** Stop reading from the dialing side, as a peer that cannot keep up would: its send buffers fill. */
  stall(): void {
    for (const client of this.clients) client.pause();
  }

  /** Send FIN to the accepting side, as a network cutting the stream would (after a transform truncated a record). */
  endUpstream(): void {
    for (const upstream of this.upstreams) upstream.end();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
