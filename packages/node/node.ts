/**
 * Starts a node from its home directory: config, genesis, key and certificates, ledger, p2p, the chain runtime
 * and the API. `close()` stops them in the reverse order, so no block is half-written at exit.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { GovchainError } from '@govchain/base';
import { decodePem, decodePemAll, getSuite, privateKeyFromPem } from '@govchain/crypto';
import { Ledger } from '@govchain/ledger';
import { parseGenesis } from '@govchain/protocol';
import type { SystemContract } from '@govchain/vm';
import { buildApi } from './api/server.ts';
import { ChainRuntime, type PeerNetwork } from './chain/runtime.ts';
import { loadNodeConfig, resolveIn } from './config.ts';
import { HostSampler } from './host.ts';
import { NodeMetrics } from './metrics.ts';
import { PeerManager } from './p2p/peer-manager.ts';

export const GOVCHAIN_VERSION = '0.1.0';

export interface RunningNode {
  name: string;
  apiUrl: string;
  p2pPort: number;
  runtime: ChainRuntime;
  close(): Promise<void>;
}

function readFile(home: string, path: string, what: string): Uint8Array {
  const full = resolveIn(home, path);
  try {
    return new Uint8Array(readFileSync(full));
  } catch (err) {
    throw new GovchainError('NODE_FILE_MISSING', 'malformed', `cannot read the ${what} at ${full}: ${(err as Error).message}`);
  }
}

function networkOf(p2p: PeerManager): PeerNetwork {
  return {
    broadcast: (chainId, type, payload) => void p2p.broadcast(chainId, type, payload),
    send: (peerId, chainId, type, payload) => void p2p.send(peerId, chainId, type, payload),
    onMessage: (chainId, handler) => void p2p.onMessage(chainId, handler),
    onPeerConnected: (handler) => void p2p.on('connect', (peer) => peer.id !== undefined && handler(peer.id)),
    peers: () => p2p.peers().map((p) => ({ id: p.id ?? '', name: p.name, connected: p.connected })),
  };
}

export interface StartNodeOptions {
  logger?: Logger;
  /** The apps' system contracts; every node of a chain must run the same set. */
  contracts?: readonly SystemContract[];
}

export async function startNode(home: string, options: StartNodeOptions = {}): Promise<RunningNode> {
  const config = loadNodeConfig(home);
  const logger = options.logger ?? pino({ level: config.log.level, base: { node: config.name } });
  const genesisBytes = readFile(home, config.files.genesis, 'genesis file');
  const genesis = parseGenesis(genesisBytes);
  const suite = getSuite(genesis.suite);
  const curve = genesis.suite === 'gm' ? 'sm2' : 'p256';
  const { privateKey, publicKey } = privateKeyFromPem(new TextDecoder().decode(readFile(home, config.files.key, 'node key')), curve);
  const nodeCert = decodePem(new TextDecoder().decode(readFile(home, config.files.certificate, 'node certificate')));
  const caChain = decodePemAll(new TextDecoder().decode(readFile(home, config.files.caChain, 'CA chain')));
  const dataDir = resolveIn(home, config.files.data);
  mkdirSync(dataDir, { recursive: true });

  const ledger = Ledger.open({ path: join(dataDir, 'ledger'), hash: (d) => suite.hash(d) });
  const metrics = new NodeMetrics();
  const p2p = new PeerManager({
    local: { suite, chainId: genesis.chainId, privateKey, certificates: [nodeCert, ...caChain] },
    admission: { trustedRoots: genesis.organizations.map((o) => decodePem(o.rootCertificate)) },
    listen: { host: config.p2p.host, port: config.p2p.port },
    peers: config.p2p.peers,
    logger: logger.child({ module: 'p2p' }),
  });
  const runtime = new ChainRuntime({
    genesis, genesisBytes, suite, nodeName: config.name, privateKey, publicKey, ledger, dataDir,
    network: networkOf(p2p), logger, metrics, mempoolLimits: config.mempool, version: GOVCHAIN_VERSION,
    contracts: options.contracts ?? [],
  });
  const host = new HostSampler(dataDir);
  const api = await buildApi({
    service: runtime, logger: logger.child({ module: 'api' }), apiToken: config.api.token,
    metricsText: () => metrics.text(), hostStats: () => host.sample(), version: GOVCHAIN_VERSION, batchTxsMax: config.mempool.batchTxsMax,
  });

  await p2p.start();
  runtime.start();
  const address = await api.listen({ host: config.api.host, port: config.api.port });
  logger.info({ api: address, p2pPort: p2p.port, chainId: genesis.chainId, suite: genesis.suite }, 'node started');

  let closed = false;
  return {
    name: config.name,
    apiUrl: address,
    p2pPort: p2p.port ?? config.p2p.port,
    runtime,
    async close() {
      if (closed) return;
      closed = true;
      await api.close();
      runtime.stop();
      await p2p.close();
      await ledger.close();
      logger.info('node stopped');
    },
  };
}
