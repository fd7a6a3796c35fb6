/** Dashboard (概览) and explorer (区块链浏览器): the chain as the organization's node and the block index see it. */
import type { FastifyInstance } from 'fastify';
import { GovchainError } from '@govchain/base';
import type { ValidatorJson } from '@govchain/protocol';
import { nodeError } from '../errors.ts';
import type { GatewayDeps } from '../server.ts';

/** Transactions shown on a block's page. */
const BLOCK_PAGE_TXS = 500;

const SERIES_POINTS_MAX = 2000;
const TPS_BUCKET_MS = 10_000;

function fromNode<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw nodeError(err);
  });
}

const hex64 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } as const;

export function chainRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { index, node, monitor } = deps;

  const validatorsView = (validators: ValidatorJson[], height: number) => {
    const snaps = new Map(monitor.all().map((s) => [s.status?.nodeName ?? s.name, s]));
    return validators.map((v) => {
      const snap = snaps.get(v.name);
      // Online: its node answers, or (if it is not one we watch) it signed one of the last few blocks.
      const online = snap !== undefined ? snap.reachable : v.lastSignedHeight !== null && height - v.lastSignedHeight <= 3;
      return { ...v, online, height: snap?.status?.height ?? null, watched: snap !== undefined };
    });
  };

  app.get('/api/dashboard', {
    config: { permission: 'dashboard:read' },
    schema: { summary: 'Height, totals, recent rates, validators, recent blocks and transactions', tags: ['dashboard'] },
  }, async () => {
    const [status, { validators }] = await Promise.all([fromNode(node.status()), fromNode(node.validators())]);
    const now = Date.now();
    const recent = index.recentBlocks(51);
    const gaps = recent.slice(0, -1).map((b, i) => b.timeMs - recent[i + 1]!.timeMs);
    const lastMinute = index.blocksSince(now - 60_000, 100_000);
    const snaps = monitor.all();
    return {
      chain: deps.chain,
      nodeName: status.nodeName,
      height: status.height,
      lastBlockTimeMs: status.lastBlockTimeMs,
      mempoolTxs: status.mempool.txs,
      consensus: status.consensus,
      txTotal: index.txTotal,
      indexedHeight: index.indexedHeight,
      blockTimeAvgMs: gaps.length === 0 ? null : Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length),
      tpsLastMinute: Math.round((lastMinute.reduce((a, b) => a + b.txCount, 0) / 60) * 100) / 100,
      nodesOnline: snaps.filter((s) => s.reachable).length,
      nodesTotal: snaps.length,
      alertsFiring: deps.alerts.history({ state: 'firing', limit: 1, offset: 0 }).total,
      validators: validatorsView(validators, status.height),
      recentBlocks: recent.slice(0, 10).map((b) => ({ ...b, proposer: validators[b.proposerIndex]?.name ?? null })),
      recentTxs: index.recentTxs(10),
    };
  });

  app.get<{ Querystring: { minutes: number } }>('/api/dashboard/series', {
    config: { permission: 'dashboard:read' },
    schema: {
      summary: 'Per-block tx counts and block times, and TPS in 10-second buckets, over the last minutes', tags: ['dashboard'],
      querystring: { type: 'object', additionalProperties: false, properties: { minutes: { type: 'integer', minimum: 1, maximum: 1440, default: 15 } } },
    },
  }, async (request) => {
    const now = Date.now();
    const since = now - request.query.minutes * 60_000;
    const blocks = index.blocksSince(since - 60_000, SERIES_POINTS_MAX + 1);
    const points = blocks.slice(1).map((b, i) => ({ height: b.height, timeMs: b.timeMs, txCount: b.txCount, blockTimeMs: b.timeMs - blocks[i]!.timeMs }))
      .filter((p) => p.timeMs >= since);
    const bucketCount = Math.ceil((now - since) / TPS_BUCKET_MS);
    const first = now - bucketCount * TPS_BUCKET_MS;
    const txs = new Array<number>(bucketCount).fill(0);
    for (const b of blocks) {
      const i = Math.floor((b.timeMs - first) / TPS_BUCKET_MS);
      if (i >= 0 && i < bucketCount) txs[i]! += b.txCount;
    }
    return {
      bucketMs: TPS_BUCKET_MS,
      tps: txs.map((n, i) => ({ timeMs: first + (i + 1) * TPS_BUCKET_MS, tps: n / (TPS_BUCKET_MS / 1000) })),
      blocks: points,
    };
  });

  const tags = ['explorer'];

  app.get<{ Querystring: { from?: number; limit: number } }>('/api/explorer/blocks', {
    config: { permission: 'explorer:read' },
    schema: {
      summary: 'Blocks, newest first, from a height (default the latest)', tags,
      querystring: { type: 'object', additionalProperties: false, properties: { from: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
    },
  }, async (request) => {
    const from = request.query.from ?? (await fromNode(node.status())).height;
    if (from < 1) return { blocks: [], latest: 0 };
    const blocks = await fromNode(node.listBlocks(from, request.query.limit));
    return { blocks, latest: (await fromNode(node.status())).height };
  });

  app.get<{ Params: { id: string } }>('/api/explorer/blocks/:id', {
    config: { permission: 'explorer:read' },
    schema: {
      summary: 'A block by height or hash, with its first 500 transactions (sender, call, outcome)', tags,
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^([0-9]{1,15}|[0-9a-fA-F]{64})$' } } },
    },
  }, async (request) => {
    const id = request.params.id;
    const block = await fromNode(node.getBlock(id.length === 64 ? id.toLowerCase() : Number(id)));
    const { validators } = await fromNode(node.validators());
    const height = block.header.height;
    const page = await fromNode(node.blockTxs(height, { offset: 0, limit: BLOCK_PAGE_TXS }));
    const txs = page.txs.map((t) => ({ txId: t.txId, height, index: t.index, status: t.status, sender: t.sender, contract: t.contract, method: t.method }));
    return {
      block,
      proposer: validators[block.header.proposerIndex]?.name ?? null,
      signers: (block.certificate?.signers ?? []).map((i) => validators[i]?.name ?? `#${i}`),
      txs,
      txsShown: txs.length,
    };
  });

  app.get<{ Querystring: { limit: number } }>('/api/explorer/txs', {
    config: { permission: 'explorer:read' },
    schema: {
      summary: 'Recent transactions from the block index', tags,
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
    },
  }, async (request) => ({ txs: index.recentTxs(request.query.limit) }));

  app.get<{ Params: { id: string } }>('/api/explorer/txs/:id', {
    config: { permission: 'explorer:read' },
    schema: { summary: 'A committed transaction: decoded call, sender, receipt, block', tags, params: { type: 'object', required: ['id'], properties: { id: hex64 } } },
  }, async (request) => {
    const rec = await fromNode(node.getTx(request.params.id.toLowerCase()));
    return { record: rec };
  });

  app.get<{ Params: { id: string } }>('/api/explorer/txs/:id/proof', {
    config: { permission: 'explorer:read' },
    schema: { summary: 'The self-contained commit proof of a transaction (docs/proof-format.md)', tags, params: { type: 'object', required: ['id'], properties: { id: hex64 } } },
  }, async (request) => fromNode(node.txProof(request.params.id.toLowerCase())));

  app.get<{ Params: { address: string }; Querystring: { limit: number; beforeHeight?: number } }>('/api/explorer/accounts/:address', {
    config: { permission: 'explorer:read' },
    schema: {
      summary: 'Transactions sent by an account address (from the block index)', tags,
      params: { type: 'object', required: ['address'], properties: { address: { type: 'string', pattern: '^[0-9a-fA-F]{40}$' } } },
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, beforeHeight: { type: 'integer', minimum: 1 } } },
    },
  }, async (request) => {
    const address = request.params.address.toLowerCase();
    return {
      address,
      txCount: index.senderTxCount(address),
      txs: index.txsOfSender(address, request.query.limit, request.query.beforeHeight),
      indexPending: index.pendingDetails(),
    };
  });

  app.get<{ Querystring: { q: string } }>('/api/explorer/search', {
    config: { permission: 'explorer:read', action: 'explorer.search', auditReads: true },
    schema: {
      summary: 'What a query names: a height, a block hash, a tx id, an account address or a certificate fingerprint', tags,
      querystring: { type: 'object', required: ['q'], additionalProperties: false, properties: { q: { type: 'string', minLength: 1, maxLength: 80 } } },
    },
  }, async (request) => {
    const q = request.query.q.trim().replace(/^0x/i, '').toLowerCase();
    request.auditTarget = q;
    if (/^[0-9]{1,15}$/.test(q)) {
      await fromNode(node.getBlock(Number(q)));
      return { kind: 'block', id: q };
    }
    if (/^[0-9a-f]{40}$/.test(q)) return { kind: 'account', id: q };
    if (/^[0-9a-f]{64}$/.test(q)) {
      const cert = deps.organizations.flatMap((o) => o.certificates).find((c) => c.fingerprint === q);
      if (cert !== undefined) return { kind: 'certificate', id: q, organization: cert.organization };
      if (index.tx(q) !== null) return { kind: 'tx', id: q };
      const asTx = await node.getTx(q).then(() => true, () => false);
      if (asTx) return { kind: 'tx', id: q };
      const asBlock = await node.getBlock(q).then(() => true, () => false);
      if (asBlock) return { kind: 'block', id: q };
      throw new GovchainError('SEARCH_NOT_FOUND', 'not_found', `no transaction, block or certificate ${q}`);
    }
    throw new GovchainError('SEARCH_QUERY_INVALID', 'malformed', 'search for a height, a 64-hex tx id, block hash or certificate fingerprint, or a 40-hex account address');
  });
}
