/**
 * `govchain network generate`: creates a consortium from nothing. Each organization gets an offline root CA
 * (its key stays under orgs/<org>/offline/ and is never copied into a node directory), an operating CA signed by
 * the root, an admin certificate, and one validator node with its own key and certificate. Each node directory
 * holds everything that node needs (config, genesis, key, certificate chain) and can be copied to another machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GovchainError, toHex, utf8 } from '@govchain/base';
import { encodePem, getSuite, issueCertificate, parseCertificate, privateKeyToPem, type KeyPair, type SuiteName } from '@govchain/crypto';
import type { Genesis } from '@govchain/protocol';
import type { NodeConfig } from '@govchain/node';

export interface NetworkSpec {
  dir: string;
  chainId: string;
  suite: SuiteName;
  organizations: number;
  /** The address every node listens on and is dialed at, when all nodes run on one machine. */
  host: string;
  /**
   * One address per node (in organization order), when the nodes run on separate machines: node i is dialed by
   * its peers (and its API reached) at hosts[i], and listens on `listen`.
   */
  hosts?: readonly string[];
  /** What nodes bind to when `hosts` is given (default 0.0.0.0: every interface of their machine). */
  listen?: string;
  p2pBasePort: number;
  apiBasePort: number;
  /** Fixed clock for reproducible output in tests; default now. */
  nowMs?: number;
  withApiToken: boolean;
}

export interface GeneratedNode {
  name: string;
  home: string;
  apiUrl: string;
  apiToken: string | null;
  p2pPort: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function serial(): string {
  const s = randomBytes(16);
  s[0]! &= 0x7f;
  s[0]! |= 0x01;
  return toHex(s);
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/** A DNS name, an IPv4 address or a bracket-free IPv6 address. */
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/;

function checkHosts(spec: NetworkSpec): void {
  const all = [spec.host, ...(spec.hosts ?? []), ...(spec.listen === undefined ? [] : [spec.listen])];
  const bad = all.find((h) => h.length === 0 || h.length > 253 || !HOST_PATTERN.test(h));
  if (bad !== undefined) throw new GovchainError('NETWORK_HOST_INVALID', 'malformed', `"${bad}" is not a host name or IP address`);
  if (spec.hosts !== undefined && spec.hosts.length !== spec.organizations) {
    throw new GovchainError('NETWORK_HOSTS_COUNT', 'malformed', `--hosts names ${spec.hosts.length} address(es) for ${spec.organizations} node(s); give one per organization, in order`);
  }
}

export function generateNetwork(spec: NetworkSpec): { genesisPath: string; nodes: GeneratedNode[] } {
  const suite = getSuite(spec.suite);
  const curve = spec.suite === 'gm' ? 'sm2' : 'p256';
  const now = spec.nowMs ?? Date.now();
  const notBeforeMs = now - 60_000;
  checkHosts(spec);
  mkdirSync(spec.dir, { recursive: true });

  const organizations: Genesis['organizations'] = [];
  const validators: Genesis['validators'] = [];
  const nodeSecrets: { name: string; org: string; key: KeyPair; certPem: string; chainPem: string }[] = [];

  for (let i = 1; i <= spec.organizations; i++) {
    const org = `org${i}`;
    const orgDir = join(spec.dir, 'orgs', org);
    mkdirSync(join(orgDir, 'offline'), { recursive: true });
    const rootKey = suite.generateKeyPair();
    const rootDer = issueCertificate({
      suite: spec.suite, issuerPrivateKey: rootKey.privateKey, subject: { commonName: `${org} Root CA`, organization: org, country: 'CN' },
      subjectPublicKey: rootKey.publicKey, serialNumber: serial(), notBeforeMs, notAfterMs: now + 20 * YEAR_MS, isCA: true, pathLength: 1,
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    const root = parseCertificate(rootDer);
    const caKey = suite.generateKeyPair();
    const caDer = issueCertificate({
      suite: spec.suite, issuerPrivateKey: rootKey.privateKey, issuerCertificate: root,
      subject: { commonName: `${org} Operating CA`, organization: org, country: 'CN' }, subjectPublicKey: caKey.publicKey,
      serialNumber: serial(), notBeforeMs, notAfterMs: now + 5 * YEAR_MS, isCA: true, pathLength: 0, keyUsage: ['keyCertSign', 'cRLSign'],
    });
    const ca = parseCertificate(caDer);
    const issueLeaf = (commonName: string, ou: string, key: KeyPair, eku: ('serverAuth' | 'clientAuth')[]): string =>
      encodePem(issueCertificate({
        suite: spec.suite, issuerPrivateKey: caKey.privateKey, issuerCertificate: ca,
        subject: { commonName, organization: org, organizationalUnit: ou, country: 'CN' }, subjectPublicKey: key.publicKey,
        serialNumber: serial(), notBeforeMs, notAfterMs: now + 2 * YEAR_MS, isCA: false, keyUsage: ['digitalSignature', 'keyAgreement'],
        extendedKeyUsage: eku,
      }));

    writeSecret(join(orgDir, 'offline', 'root-ca.key'), privateKeyToPem(rootKey.privateKey, curve));
    writeFileSync(join(orgDir, 'root-ca.pem'), encodePem(rootDer));
    writeSecret(join(orgDir, 'ca.key'), privateKeyToPem(caKey.privateKey, curve));
    writeFileSync(join(orgDir, 'ca.pem'), encodePem(caDer));
    const adminKey = suite.generateKeyPair();
    writeSecret(join(orgDir, 'admin.key'), privateKeyToPem(adminKey.privateKey, curve));
    writeFileSync(join(orgDir, 'admin.pem'), issueLeaf(`${org}-admin`, 'admin', adminKey, ['clientAuth']));

    organizations.push({ id: org, name: `组织 ${i} (${org})`, rootCertificate: encodePem(rootDer), caCertificates: [encodePem(caDer)] });
    const nodeName = `node${i}`;
    const nodeKey = suite.generateKeyPair();
    const certPem = issueLeaf(nodeName, 'node', nodeKey, ['serverAuth', 'clientAuth']);
    validators.push({ name: nodeName, organization: org, publicKey: toHex(nodeKey.publicKey), certificate: certPem, power: 1 });
    nodeSecrets.push({ name: nodeName, org, key: nodeKey, certPem, chainPem: encodePem(caDer) });
  }

  const genesis: Genesis = {
    chainId: spec.chainId,
    suite: spec.suite,
    genesisTimeMs: now,
    organizations,
    validators,
    consensus: {
      timeoutProposeMs: 3000, timeoutPrevoteMs: 1000, timeoutPrecommitMs: 1000, timeoutDeltaMs: 500,
      blockTxsMax: 2000, blockBytesMax: 8 * 1024 * 1024, emptyBlockIntervalMs: 5000,
    },
    admission: { senders: 'any' },
  };
  const genesisText = JSON.stringify(genesis, null, 2) + '\n';
  const genesisPath = join(spec.dir, 'genesis.json');
  writeFileSync(genesisPath, genesisText);

  const hostOf = (i: number): string => spec.hosts?.[i] ?? spec.host;
  const listen = spec.hosts === undefined ? spec.host : spec.listen ?? '0.0.0.0';
  const nodes: GeneratedNode[] = nodeSecrets.map((n, i) => {
    const home = join(spec.dir, 'nodes', n.name);
    mkdirSync(home, { recursive: true });
    const token = spec.withApiToken ? toHex(randomBytes(24)) : null;
    const config: NodeConfig = {
      name: n.name,
      p2p: {
        host: listen,
        port: spec.p2pBasePort + i,
        peers: nodeSecrets.flatMap((p, j) => (j === i ? [] : [{ name: p.name, host: hostOf(j), port: spec.p2pBasePort + j }])),
      },
      api: { host: listen, port: spec.apiBasePort + i, token },
      files: { genesis: 'genesis.json', key: 'node.key', certificate: 'node.pem', caChain: 'ca.pem', data: 'data' },
      mempool: { txsMax: 50_000, bytesMax: 64 * 1024 * 1024, batchTxsMax: 5_000 },
      log: { level: 'info' },
    };
    writeFileSync(join(home, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    writeFileSync(join(home, 'genesis.json'), utf8(genesisText));
    writeSecret(join(home, 'node.key'), privateKeyToPem(n.key.privateKey, curve));
    writeFileSync(join(home, 'node.pem'), n.certPem);
    writeFileSync(join(home, 'ca.pem'), n.chainPem);
    return { name: n.name, home, apiUrl: `http://${hostOf(i)}:${spec.apiBasePort + i}`, apiToken: token, p2pPort: spec.p2pBasePort + i };
  });
  writeFileSync(join(spec.dir, 'network.json'), JSON.stringify({ chainId: spec.chainId, suite: spec.suite, nodes }, null, 2) + '\n');
  return { genesisPath, nodes };
}
