/**
 * The node's REST API (Fastify) with its OpenAPI document at /openapi.json, a browsable page at /docs, a
 * WebSocket stream of committed blocks at /v1/events, Prometheus metrics at /metrics and health at /health.
 * Reads are open to whoever can reach the API; writes need the node's API token when one is configured.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { GovchainError, fromHex, isHex } from '@govchain/base';
import type { HostStats } from '@govchain/protocol';
import type { JsonValue } from '@govchain/vm';
import { makeErrorHandler } from './errors.ts';
import { errorResponses, hex, sharedSchemas, waitQuery } from './schemas.ts';
import type { ChainService } from './service.ts';

export interface ApiOptions {
  service: ChainService;
  logger: Logger;
  /** When set, every state-changing route requires `Authorization: Bearer <token>`. */
  apiToken: string | null;
  metricsText(): Promise<string>;
  /** CPU, memory and disk of this node's machine. */
  hostStats(): HostStats;
  version: string;
  batchTxsMax: number;
  subscribersMax?: number;
}

const SINGLE_BODY_BYTES_MAX = 512 * 1024;
const BATCH_BODY_BYTES_MAX = 32 * 1024 * 1024;
const WS_BUFFERED_BYTES_MAX = 8 * 1024 * 1024;
/** Txs per page of GET /v1/blocks/:height/txs (a page of summaries is about 250 bytes per tx). */
const BLOCK_TXS_PAGE_MAX = 1000;

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function decodeTxHex(value: string, index?: number): Uint8Array {
  if (!isHex(value) || value.length === 0) {
    throw new GovchainError('REQUEST_INVALID', 'malformed', `tx${index === undefined ? '' : `[${index}]`} must be the hex of the signed tx bytes`);
  }
  return fromHex(value);
}

export async function buildApi(opts: ApiOptions): Promise<FastifyInstance> {
  const { service } = opts;
  // pino's Logger is Fastify's logger at runtime; the cast only bridges a declared-type difference (msgPrefix).
  const app: FastifyInstance = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // Per-request log lines would cost more than handling a tx submission; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: SINGLE_BODY_BYTES_MAX,
  });
  app.setErrorHandler(makeErrorHandler(opts.logger));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; see /docs` });
  });
  for (const s of sharedSchemas) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      info: { title: 'govchain node API', version: opts.version, description: 'Submit transactions, read blocks, transactions and state of a govchain chain.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const requireToken = async (request: FastifyRequest): Promise<void> => {
    if (opts.apiToken === null) return;
    if (!request.headers.authorization) throw new GovchainError('UNAUTHENTICATED', 'unauthenticated', 'this route needs Authorization: Bearer <api token>');
    if (!bearerMatches(request, opts.apiToken)) throw new GovchainError('FORBIDDEN', 'forbidden', 'the API token is not valid for this node');
  };
  const writeSecurity = opts.apiToken === null ? {} : { security: [{ bearer: [] }] };

  app.post<{ Body: { tx: string }; Querystring: { wait: boolean; timeoutMs: number } }>('/v1/txs', {
    preHandler: requireToken,
    schema: {
      summary: 'Submit one signed transaction',
      description: 'Body `tx` is the hex of the signed wire bytes (see docs/protocol.md). With `wait=true` the response comes once the tx is committed.',
      tags: ['transactions'],
      ...writeSecurity,
      querystring: waitQuery,
      body: { type: 'object', required: ['tx'], additionalProperties: false, properties: { tx: hex() } },
      response: { 200: { $ref: 'TxSubmission#' }, 202: { $ref: 'TxSubmission#' }, ...errorResponses(400, 401, 403, 409, 413, 503) },
    },
  }, async (request, reply) => {
    const result = await service.submit(decodeTxHex(request.body.tx), request.query.wait, request.query.timeoutMs);
    return reply.status(result.status === 'committed' ? 200 : 202).send(result);
  });

  app.post<{ Body: { txs: string[] }; Querystring: { wait: boolean; timeoutMs: number } }>('/v1/txs/batch', {
    preHandler: requireToken,
    bodyLimit: BATCH_BODY_BYTES_MAX,
    schema: {
      summary: 'Submit many signed transactions at once',
      description: 'All or nothing: if any tx is refused, none is admitted and `details.errors` lists each refusal by index.',
      tags: ['transactions'],
      ...writeSecurity,
      querystring: waitQuery,
      body: { type: 'object', required: ['txs'], additionalProperties: false, properties: { txs: { type: 'array', minItems: 1, maxItems: opts.batchTxsMax, items: hex() } } },
      response: { 200: { type: 'object', properties: { results: { type: 'array', items: { $ref: 'TxSubmission#' } } } }, ...errorResponses(400, 401, 403, 409, 413, 503) },
    },
  }, async (request) => {
    const list = request.body.txs.map((t, i) => decodeTxHex(t, i));
    return { results: await service.submitBatch(list, request.query.wait, request.query.timeoutMs) };
  });

  app.get<{ Params: { id: string } }>('/v1/txs/:id', {
    schema: {
      summary: 'A committed transaction with its receipt',
      tags: ['transactions'],
      params: { type: 'object', properties: { id: hex(32) }, required: ['id'] },
      response: { 200: { $ref: 'TxRecord#' }, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const rec = service.getTx(request.params.id.toLowerCase());
    if (rec === null) throw new GovchainError('TX_NOT_FOUND', 'not_found', `no committed tx ${request.params.id} (it may still be pending)`);
    return rec;
  });

  app.get<{ Params: { id: string } }>('/v1/txs/:id/proof', {
    schema: {
      summary: 'A self-contained proof that a tx and its receipt were committed (docs/proof-format.md)',
      tags: ['transactions'],
      params: { type: 'object', properties: { id: hex(32) }, required: ['id'] },
      response: errorResponses(400, 404),
    },
  }, async (request) => {
    const proof = service.txProof(request.params.id.toLowerCase());
    if (proof === null) throw new GovchainError('TX_NOT_FOUND', 'not_found', `no committed tx ${request.params.id}`);
    return proof;
  });

  app.get<{ Params: { id: string } }>('/v1/blocks/:id', {
    schema: {
      summary: 'A block by height or by hash',
      tags: ['blocks'],
      params: { type: 'object', properties: { id: { type: 'string', pattern: '^([0-9]{1,15}|[0-9a-fA-F]{64})$' } }, required: ['id'] },
      response: { 200: { $ref: 'Block#' }, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const id = request.params.id;
    const block = service.getBlock(id.length === 64 ? id.toLowerCase() : Number(id));
    if (block === null) throw new GovchainError('BLOCK_NOT_FOUND', 'not_found', `no block ${id}`);
    return block;
  });

  app.get<{ Params: { height: number }; Querystring: { offset: number; limit: number } }>('/v1/blocks/:height/txs', {
    schema: {
      summary: 'A page of a block\'s txs in block order: id, sender address, contract, method and outcome',
      tags: ['blocks'],
      params: { type: 'object', properties: { height: { type: 'integer', minimum: 1 } }, required: ['height'] },
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { offset: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: BLOCK_TXS_PAGE_MAX, default: 100 } },
      },
      response: errorResponses(400, 404),
    },
  }, async (request) => {
    const page = service.blockTxs(request.params.height, request.query.offset, request.query.limit);
    if (page === null) throw new GovchainError('BLOCK_NOT_FOUND', 'not_found', `no block ${request.params.height}`);
    return page;
  });

  app.get<{ Querystring: { from?: number; limit: number } }>('/v1/blocks', {
    schema: {
      summary: 'Blocks, newest first, starting at `from` (default: the latest)',
      tags: ['blocks'],
      querystring: { type: 'object', additionalProperties: false, properties: { from: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
      response: { 200: { type: 'object', properties: { blocks: { type: 'array', items: { $ref: 'Block#' } } } }, ...errorResponses(400) },
    },
  }, async (request) => {
    const from = request.query.from ?? service.status().height;
    return { blocks: service.listBlocks(from, request.query.limit) };
  });

  app.get('/v1/status', { schema: { summary: 'Chain and node status', tags: ['node'] } }, async () => service.status());
  app.get('/v1/validators', { schema: { summary: 'The validator set', tags: ['node'] } }, async () => ({ validators: service.validators() }));
  app.get('/v1/contracts', { schema: { summary: 'System contracts and their methods', tags: ['contracts'] } }, async () => ({ methods: service.contracts() }));

  app.post<{ Body: { contract: string; method: string; args?: JsonValue } }>('/v1/query', {
    schema: {
      summary: 'Run a read-only contract method against the latest committed state',
      tags: ['contracts'],
      body: {
        type: 'object', required: ['contract', 'method'], additionalProperties: false,
        properties: { contract: { type: 'string', maxLength: 64 }, method: { type: 'string', maxLength: 64 }, args: { type: 'object' } },
      },
      response: errorResponses(400, 404),
    },
  }, async (request) => ({ result: service.query(request.body.contract, request.body.method, request.body.args ?? {}) }));

  app.get('/health', { schema: { summary: 'Liveness and readiness', tags: ['node'] } }, async (_request, reply) => {
    const h = service.health();
    return reply.status(h.ok ? 200 : 503).send(h);
  });
  app.get('/v1/host', { schema: { summary: 'CPU, memory and disk of the machine this node runs on (disk: the data directory)', tags: ['node'] } },
    async () => ({ host: opts.hostStats() }));
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['node'] } }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(await opts.metricsText()));

  attachEventStream(app, service, opts.subscribersMax ?? 256);
  return app;
}

/** WebSocket /v1/events: one JSON message per committed block with its txs' outcomes. Slow readers are dropped. */
function attachEventStream(app: FastifyInstance, service: ChainService, subscribersMax: number): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  const unsubscribe = service.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const ws of clients) {
      if (ws.bufferedAmount > WS_BUFFERED_BYTES_MAX) ws.close(1013, 'too slow: events buffered beyond the limit');
      else ws.send(text);
    }
  });
  app.server.on('upgrade', (request, socket, head) => {
    if ((request.url ?? '').split('?')[0] !== '/v1/events') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (clients.size >= subscribersMax) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });
  // preClose, not onClose: closing the HTTP server waits for open connections, and upgraded sockets count, so
  // subscribers must be cut before that wait or shutdown would hang for as long as a client stays connected.
  app.addHook('preClose', async () => {
    unsubscribe();
    for (const ws of clients) ws.terminate();
    wss.close();
  });
}
