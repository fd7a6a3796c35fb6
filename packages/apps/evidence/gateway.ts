/**
 * The evidence app (可信存证) as hosted by a gateway: REST routes to record (存证), retrieve (取证), verify (查证) and
 * certify (出证) evidence, the encrypted original files, evidence chains and templates, and the public verification
 * page. Routes are relative to the app's mount point (the gateway mounts apps at /api/apps/<name>/). API reference:
 * docs/evidence.md and the gateway's OpenAPI document.
 *
 * Files: each user's files are stored under a key pair derived from the app's custody secret (kept in the gateway
 * database, or supplied by the operator) and the user's organization and id, so the file store itself enforces who
 * may read a file: the uploader, and whoever the uploader granted it to. The user's address (hash of that public
 * key) is the record's on-chain owner: a pseudonym, never a name.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GovchainError, fromHex, toHex, utf8, type ErrorClass } from '@govchain/base';
import { getSuite, type CryptoSuite, type KeyPair } from '@govchain/crypto';
import { addressOf, type JsonValue, type TxSubmission } from '@govchain/protocol';
import {
  EVIDENCE_PROOF_FORMAT, evidenceFieldsHash, verifyEvidenceProof, type EvidenceProofJson, type EvidenceRecord, type TxProofInput,
} from '@govchain/sdk';
import type { AppContext, GatewayApp, Principal } from '../app.ts';
import { EVIDENCE_CONTRACT_NAME, PAGE_LIMIT_MAX, evidenceContract, type CaseStep, type EvidenceCase, type EvidenceTemplate } from './contract.ts';
import { findCjkFont, renderCaseReport, renderEvidenceCertificate, type CertificateFont } from './certificate.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: string;
  }
}

export const EVIDENCE_PERMISSIONS = [
  { name: 'evidence:record', description: 'Record evidence (存证): files, hashes, core fields, batches, evidence chains; grant access to own files' },
  { name: 'evidence:read', description: 'Retrieve evidence (取证): records, queries, evidence chains, own or granted files, certificates (出证)' },
  { name: 'evidence:template', description: 'Define evidence templates (which fields a type carries and which are hashed)' },
] as const;

export interface EvidenceAppOptions {
  /** Public URL of this app's routes, e.g. https://zwfw.example.gov.cn/api/apps/evidence, for QR codes; default from the request. */
  publicBaseUrl?: string;
  /** CSP frame-ancestors of the verification page (the portals allowed to embed it); default `*` (any). */
  frameAncestors?: string;
  /** Name of the issuing organization printed on certificates; default the caller's organization. */
  issuer?: string;
  /** CJK font for certificates; default the first found of the usual system fonts. */
  certificateFont?: CertificateFont;
  /** 32-byte custody secret the users' file keys derive from; default generated once and kept in the gateway database. */
  custodySecret?: Uint8Array;
  /**
   * The chain's genesis file, exactly as the nodes hold it. Proof bundles then carry it (when the node's proof does
   * not), so a verifier that knows only the published genesis hash can anchor them (`--genesis-hash`).
   */
  genesis?: Uint8Array;
}

/** Items of one batch request; they are recorded in txs of RECORD_CHUNK items each. */
export const BATCH_ITEMS_MAX = 1000;
export const RECORD_CHUNK = 50;
const FILE_UPLOAD_BYTES_MAX = 64 * 1024 * 1024;
const JSON_BODY_BYTES_MAX = 48 * 1024 * 1024;

// ---- JSON schemas (OpenAPI) ----

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const evidenceId = { type: 'string', pattern: '^[0-9a-f]{36}$' } as const;
const metadataSchema = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 256 }, { type: 'integer' }, { type: 'boolean' }] }, maxProperties: 16 } as const;
const recordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, kind: { type: 'string', enum: ['file', 'fields'] }, hash: { type: 'string' }, type: { type: 'string' },
    templateVersion: { type: ['integer', 'null'] }, owner: { type: 'string' }, organization: { type: ['string', 'null'] },
    submitter: { type: 'string' }, businessRef: { type: ['string', 'null'] }, caseId: { type: ['string', 'null'] }, caseSeq: { type: ['integer', 'null'] },
    metadata: { type: 'object', additionalProperties: true }, size: { type: ['integer', 'null'] }, mediaType: { type: ['string', 'null'] },
    recordedAtMs: { type: 'integer' }, height: { type: 'integer' }, txId: { type: 'string' },
  },
} as const;
const errorSchema = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } } } as const;
const itemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  description: 'Exactly one of file (base64), hash or fields.',
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$', description: 'evidence type (a template type, or any name for plain files)' },
    file: { type: 'string', description: 'the file, base64; stored encrypted, only its hash goes on chain' },
    fileName: { type: 'string', maxLength: 255, description: 'original file name, kept off chain for downloads' },
    hash: { ...hex64, description: 'hash of a file kept elsewhere (or uploaded with POST /files)' },
    fields: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 }, maxProperties: 32, description: "all fields of the type's template: hashed ones go into the hash, the others on chain as metadata" },
    templateVersion: { type: 'integer', minimum: 1 },
    owner: { type: 'string', pattern: '^[0-9a-f]{40}$', description: "owner's key address; default the caller's" },
    businessRef: { type: 'string', minLength: 1, maxLength: 128 },
    caseId: { type: 'string', minLength: 1, maxLength: 64 },
    metadata: metadataSchema,
    mediaType: { type: 'string', maxLength: 100 },
  },
} as const;
const submittedSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['committed', 'pending'] }, txId: { type: 'string' }, height: { type: 'integer' }, records: { type: 'array', items: recordSchema } },
} as const;
const pageQuery = {
  cursor: { type: 'string', maxLength: 1024 },
  limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: 20 },
} as const;

interface ItemInput {
  type: string;
  file?: string;
  fileName?: string;
  hash?: string;
  fields?: Record<string, string>;
  templateVersion?: number;
  owner?: string;
  businessRef?: string;
  caseId?: string;
  metadata?: Record<string, string | number | boolean>;
  mediaType?: string;
}

interface PreparedItem {
  args: Record<string, JsonValue>;
  file: { bytes: Uint8Array; name: string | null; mediaType: string | null } | null;
}

function contractErrorClass(code: string): ErrorClass {
  if (code.endsWith('_NOT_FOUND')) return 'not_found';
  if (code.endsWith('_FORBIDDEN')) return 'forbidden';
  if (/_(EXISTS|CONFLICT|CLOSED|FULL)$/.test(code)) return 'conflict';
  if (code === 'MEMPOOL_FULL') return 'overloaded';
  return 'malformed';
}

function webFile(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./web/${name}`, import.meta.url)), 'utf8');
}

function asciiFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
}

export function createEvidenceApp(options: EvidenceAppOptions = {}): GatewayApp {
  return {
    name: 'evidence',
    contracts: [evidenceContract],
    permissions: EVIDENCE_PERMISSIONS,
    register: (app, ctx) => registerEvidenceRoutes(app, ctx, options),
  };
}

async function registerEvidenceRoutes(app: FastifyInstance, ctx: AppContext, options: EvidenceAppOptions): Promise<void> {
  const suite: CryptoSuite = getSuite(ctx.chain.suite);
  const algorithm = ctx.chain.suite === 'gm' ? 'SM3' : 'SHA-256';
  const db = ctx.db;
  db.exec(`
    CREATE TABLE IF NOT EXISTS evidence_custody (id INTEGER PRIMARY KEY CHECK (id = 1), secret BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS evidence_files (
      hash TEXT NOT NULL, user_id TEXT NOT NULL, organization TEXT NOT NULL, name TEXT, media_type TEXT,
      size INTEGER NOT NULL, created_ms INTEGER NOT NULL, PRIMARY KEY (hash, user_id));
  `);
  let secret = options.custodySecret;
  if (secret === undefined) {
    db.prepare('INSERT OR IGNORE INTO evidence_custody (id, secret) VALUES (1, ?)').run(Buffer.from(suite.randomBytes(32)));
    secret = new Uint8Array((db.prepare('SELECT secret FROM evidence_custody WHERE id = 1').get() as { secret: Buffer }).secret);
  }
  if (secret.length < 32) throw new RangeError('the evidence custody secret must be at least 32 bytes');
  const custody = secret;
  const keyCache = new Map<string, KeyPair>();
  /** The file key pair of a user of an organization: derived, never stored. */
  const userKeys = (organization: string, userId: string): KeyPair => {
    const id = `${organization}\u0000${userId}`;
    const cached = keyCache.get(id);
    if (cached !== undefined) return cached;
    for (let i = 0; ; i++) {
      const privateKey = suite.kdf(custody, utf8(`govchain/evidence/user-key/v1\u0000${id}\u0000${i}`), 32);
      try {
        const pair = { privateKey, publicKey: suite.publicKeyOf(privateKey) };
        if (keyCache.size > 10_000) keyCache.clear();
        keyCache.set(id, pair);
        return pair;
      } catch {
        // not a valid scalar (probability ~2^-32): try the next counter
      }
    }
  };
  const caller = (request: FastifyRequest): Principal => {
    const p = ctx.principal(request);
    if (p === null) throw new GovchainError('UNAUTHENTICATED', 'unauthenticated', 'sign in first');
    return p;
  };
  const addressOfUser = (p: Principal): string => addressOf((d) => suite.hash(d), userKeys(p.organization, p.userId).publicKey);
  const baseUrl = (request: FastifyRequest): string => {
    if (options.publicBaseUrl !== undefined) return options.publicBaseUrl.replace(/\/+$/, '');
    // Only the certificate routes ask, and they sit under <prefix>/records/ or <prefix>/cases/.
    const prefix = request.url.split('?')[0]!.replace(/\/(records|cases)\/.*$/, '');
    const proto = (request.headers['x-forwarded-proto'] as string | undefined) ?? request.protocol;
    return `${proto}://${request.headers.host}${prefix}`;
  };
  const verifyUrl = (request: FastifyRequest, id: string): string => `${baseUrl(request)}/verify?id=${id}`;

  async function query<T>(method: string, args: JsonValue): Promise<T> {
    return ctx.chain.query<T>(EVIDENCE_CONTRACT_NAME, method, args) as Promise<T>;
  }

  function outcome(sub: TxSubmission): { status: 'committed' | 'pending'; txId: string; height?: number; result: JsonValue | null } {
    if (sub.status !== 'committed' || sub.receipt === undefined) return { status: 'pending', txId: sub.txId, result: null };
    if (sub.receipt.status !== 'ok') {
      const code = sub.receipt.errorCode ?? 'CONTRACT_FAILED';
      throw new GovchainError(code, contractErrorClass(code), sub.receipt.errorMessage ?? 'the contract refused the call', { txId: sub.txId });
    }
    return { status: 'committed', txId: sub.txId, ...(sub.height === undefined ? {} : { height: sub.height }), result: sub.receipt.result };
  }

  async function prepare(item: ItemInput, p: Principal): Promise<PreparedItem> {
    const given = [item.file !== undefined, item.hash !== undefined, item.fields !== undefined].filter(Boolean).length;
    if (given !== 1) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'give exactly one of file (base64), hash or fields');
    const args: Record<string, JsonValue> = { type: item.type, owner: item.owner ?? addressOfUser(p) };
    if (item.businessRef !== undefined) args.businessRef = item.businessRef;
    if (item.caseId !== undefined) args.caseId = item.caseId;
    if (item.mediaType !== undefined) args.mediaType = item.mediaType;
    const metadata: Record<string, string | number | boolean> = { ...(item.metadata ?? {}) };
    let file: PreparedItem['file'] = null;
    if (item.file !== undefined) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(item.file)) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'file must be base64');
      const bytes = new Uint8Array(Buffer.from(item.file, 'base64'));
      args.kind = 'file';
      args.hash = toHex(suite.hash(bytes));
      args.size = bytes.length;
      file = { bytes, name: item.fileName ?? null, mediaType: item.mediaType ?? null };
    } else if (item.hash !== undefined) {
      args.kind = 'file';
      args.hash = item.hash;
      const uploaded = db.prepare('SELECT size, media_type FROM evidence_files WHERE hash = ? AND user_id = ? AND organization = ?').get(item.hash, p.userId, p.organization) as { size: number; media_type: string | null } | undefined;
      if (uploaded !== undefined) {
        args.size = uploaded.size;
        if (uploaded.media_type !== null && args.mediaType === undefined) args.mediaType = uploaded.media_type;
      }
    } else {
      const template = await query<EvidenceTemplate>('getTemplate', item.templateVersion === undefined ? { type: item.type } : { type: item.type, version: item.templateVersion });
      if (template.kind !== 'fields') throw new GovchainError('EVIDENCE_KIND_MISMATCH', 'malformed', `template ${template.type} is for files, not core fields`);
      const fields = item.fields!;
      const known = new Map(template.fields.map((f) => [f.name, f]));
      for (const name of Object.keys(fields)) {
        if (!known.has(name)) throw new GovchainError('EVIDENCE_METADATA_INVALID', 'malformed', `template ${template.type} v${template.version} has no field ${name}`);
      }
      const hashed: Record<string, string> = {};
      for (const f of template.fields) {
        const v = fields[f.name];
        if (f.hashed) {
          if (v === undefined || v.trim() === '') throw new GovchainError('EVIDENCE_FIELD_MISSING', 'malformed', `field ${f.name} (${f.label}) is hashed and must be given`);
          hashed[f.name] = v;
        } else if (v !== undefined) {
          metadata[f.name] = v;
        }
      }
      args.kind = 'fields';
      args.templateVersion = template.version;
      args.hash = evidenceFieldsHash(suite, template.type, template.version, hashed);
    }
    args.metadata = metadata;
    return { args, file };
  }

  async function storeFiles(items: PreparedItem[], p: Principal): Promise<void> {
    const keys = userKeys(p.organization, p.userId);
    for (const it of items) {
      if (it.file === null) continue;
      const stored = await ctx.files.put(it.file.bytes, keys.publicKey);
      db.prepare(`INSERT INTO evidence_files (hash, user_id, organization, name, media_type, size, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (hash, user_id) DO UPDATE SET name = COALESCE(excluded.name, name), media_type = COALESCE(excluded.media_type, media_type)`)
        .run(stored.hash, p.userId, p.organization, it.file.name, it.file.mediaType, stored.size, Date.now());
    }
  }

  const pub = { permission: 'public' } as const;
  const perm = (name: (typeof EVIDENCE_PERMISSIONS)[number]['name']) => ({ preHandler: ctx.requirePermission(name) });

  // Raw uploads for large files: POST /files with Content-Type application/octet-stream.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: FILE_UPLOAD_BYTES_MAX }, (_req, body, done) => done(null, body));

  // The verification page may be framed by other portals: replace the gateway's DENY for its three files only.
  const frameAncestors = options.frameAncestors ?? '*';
  const pageCsp = `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${frameAncestors}`;
  app.addHook('onSend', async (request, reply, payload) => {
    if (/\/verify(\.js|\.css)?$/.test(request.url.split('?')[0]!)) {
      reply.removeHeader('x-frame-options');
      reply.header('content-security-policy', pageCsp);
      reply.header('cross-origin-opener-policy', 'unsafe-none');
    }
    return payload;
  });

  // ---- 存证: record ----

  app.post('/files', {
    ...perm('evidence:record'),
    bodyLimit: FILE_UPLOAD_BYTES_MAX,
    schema: {
      summary: 'Upload a file (stored encrypted, owned by the caller); record it afterwards with POST /records {hash}',
      tags: ['evidence'],
      querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 255 }, mediaType: { type: 'string', maxLength: 100 } } },
      response: { 201: { type: 'object', properties: { hash: { type: 'string' }, size: { type: 'integer' }, algorithm: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const p = caller(request);
    if (!Buffer.isBuffer(request.body)) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'send the file as application/octet-stream');
    const q = request.query as { name?: string; mediaType?: string };
    const bytes = new Uint8Array(request.body);
    await storeFiles([{ args: {}, file: { bytes, name: q.name ?? null, mediaType: q.mediaType ?? null } }], p);
    const hash = toHex(suite.hash(bytes));
    ctx.audit(request, 'evidence.file.upload', hash, 'ok', `${bytes.length} bytes`);
    return reply.status(201).send({ hash, size: bytes.length, algorithm });
  });

  app.post('/records', {
    ...perm('evidence:record'),
    bodyLimit: JSON_BODY_BYTES_MAX,
    schema: {
      summary: 'Record one evidence item (存证): a file, the hash of one, or the core fields of a data item',
      tags: ['evidence'],
      body: itemSchema,
      response: { 201: submittedSchema, 202: submittedSchema, '4xx': errorSchema },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const prepared = await prepare(request.body as ItemInput, p);
    await storeFiles([prepared], p);
    const out = outcome(await ctx.chain.submit(EVIDENCE_CONTRACT_NAME, 'record', prepared.args));
    const records = (out.result as { records?: EvidenceRecord[] } | null)?.records ?? [];
    ctx.audit(request, 'evidence.record', records[0]?.id ?? out.txId, 'ok', `${prepared.args.kind} ${prepared.args.hash}`);
    return reply.status(out.status === 'committed' ? 201 : 202).send({ status: out.status, txId: out.txId, height: out.height, records });
  });

  app.post('/records/batch', {
    ...perm('evidence:record'),
    bodyLimit: JSON_BODY_BYTES_MAX,
    schema: {
      summary: `Record up to ${BATCH_ITEMS_MAX} items (${RECORD_CHUNK} per transaction, each transaction all or nothing)`,
      tags: ['evidence'],
      body: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: BATCH_ITEMS_MAX, items: itemSchema } } },
      response: {
        200: {
          type: 'object',
          properties: {
            records: { type: 'array', items: recordSchema },
            txs: { type: 'array', items: { type: 'object', properties: { txId: { type: 'string' }, status: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' }, errorCode: { type: 'string' }, errorMessage: { type: 'string' } } } },
          },
        },
      },
    },
  }, async (request) => {
    const p = caller(request);
    const items = (request.body as { items: ItemInput[] }).items;
    const prepared: PreparedItem[] = [];
    for (const item of items) prepared.push(await prepare(item, p));
    await storeFiles(prepared, p);
    const calls = [];
    for (let i = 0; i < prepared.length; i += RECORD_CHUNK) {
      calls.push({ contract: EVIDENCE_CONTRACT_NAME, method: 'recordBatch', args: { items: prepared.slice(i, i + RECORD_CHUNK).map((x) => x.args) } as JsonValue });
    }
    const subs = await ctx.chain.submitBatch(calls);
    const records: EvidenceRecord[] = [];
    const txs = subs.map((sub, i) => {
      const range = { from: i * RECORD_CHUNK, to: Math.min(prepared.length, (i + 1) * RECORD_CHUNK) - 1 };
      try {
        const out = outcome(sub);
        records.push(...((out.result as { records?: EvidenceRecord[] } | null)?.records ?? []));
        return { txId: sub.txId, status: out.status, ...range };
      } catch (err) {
        const e = err as GovchainError;
        return { txId: sub.txId, status: 'failed', ...range, errorCode: e.code, errorMessage: e.message };
      }
    });
    ctx.audit(request, 'evidence.recordBatch', `${records.length} records`, txs.every((t) => t.status !== 'failed') ? 'ok' : 'failed', txs.map((t) => t.txId).join(','));
    return { records, txs };
  });

  // ---- 取证: retrieve ----

  app.get('/me', {
    ...perm('evidence:read'),
    schema: { summary: "The caller's owner address and file public key", tags: ['evidence'] },
  }, async (request) => {
    const p = caller(request);
    const keys = userKeys(p.organization, p.userId);
    return { address: addressOfUser(p), publicKey: toHex(keys.publicKey) };
  });

  app.get('/records/:id', {
    ...perm('evidence:read'),
    schema: {
      summary: 'One evidence record, and whether its file is stored here and readable by the caller',
      tags: ['evidence'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
    },
  }, async (request) => {
    const p = caller(request);
    const record = await query<EvidenceRecord>('get', { id: (request.params as { id: string }).id });
    const stored = record.kind === 'file' && (await ctx.files.has(record.hash));
    let entitled = false;
    if (stored) {
      try {
        await ctx.files.get(record.hash, userKeys(p.organization, p.userId).privateKey);
        entitled = true;
      } catch {
        entitled = false;
      }
    }
    return { record, file: { stored, entitled } };
  });

  app.get('/records', {
    ...perm('evidence:read'),
    schema: {
      summary: 'Query records by hash, owner (an address or "me"), business reference, or type within a time range; paginated',
      tags: ['evidence'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          hash: hex64, owner: { type: 'string', pattern: '^(me|[0-9a-f]{40})$' }, businessRef: { type: 'string', minLength: 1, maxLength: 128 },
          type: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' }, fromMs: { type: 'integer', minimum: 0 }, toMs: { type: 'integer', minimum: 0 }, ...pageQuery,
        },
      },
      response: { 200: { type: 'object', properties: { records: { type: 'array', items: recordSchema }, next: { type: ['string', 'null'] } } } },
    },
  }, async (request) => {
    const p = caller(request);
    const q = request.query as { hash?: string; owner?: string; businessRef?: string; type?: string; fromMs?: number; toMs?: number; cursor?: string; limit: number };
    const selectors = [q.hash, q.owner, q.businessRef, q.type].filter((x) => x !== undefined).length;
    if (selectors !== 1) throw new GovchainError('EVIDENCE_QUERY_INVALID', 'malformed', 'give exactly one of hash, owner, businessRef or type');
    const pageArgs: Record<string, JsonValue> = { limit: q.limit, ...(q.cursor === undefined ? {} : { cursor: q.cursor }) };
    const range: Record<string, JsonValue> = { ...(q.fromMs === undefined ? {} : { fromMs: q.fromMs }), ...(q.toMs === undefined ? {} : { toMs: q.toMs }) };
    if (q.hash !== undefined) return query('byHash', { hash: q.hash, ...pageArgs });
    if (q.businessRef !== undefined) return query('byBusinessRef', { businessRef: q.businessRef, ...pageArgs });
    if (q.owner !== undefined) return query('byOwner', { owner: q.owner === 'me' ? addressOfUser(p) : q.owner, ...range, ...pageArgs });
    return query('byType', { type: q.type!, ...range, ...pageArgs });
  });

  app.get('/records/:id/file', {
    ...perm('evidence:read'),
    schema: {
      summary: 'Download the original file: only its uploader and those it was granted to (otherwise 403 FILE_FORBIDDEN)',
      tags: ['evidence'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const id = (request.params as { id: string }).id;
    const record = await query<EvidenceRecord>('get', { id });
    if (record.kind !== 'file') throw new GovchainError('EVIDENCE_NO_FILE', 'not_found', `evidence ${id} records core fields, not a file`);
    let bytes: Uint8Array;
    try {
      bytes = await ctx.files.get(record.hash, userKeys(p.organization, p.userId).privateKey);
    } catch (err) {
      ctx.audit(request, 'evidence.file.download', id, 'failed', (err as GovchainError).code ?? 'error');
      throw err;
    }
    const meta = db.prepare('SELECT name, media_type FROM evidence_files WHERE hash = ? ORDER BY created_ms LIMIT 1').get(record.hash) as { name: string | null; media_type: string | null } | undefined;
    const name = meta?.name ?? `${id}.bin`;
    ctx.audit(request, 'evidence.file.download', id, 'ok', `${bytes.length} bytes`);
    return reply
      .header('content-type', record.mediaType ?? meta?.media_type ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(Buffer.from(bytes));
  });

  app.post('/records/:id/grants', {
    ...perm('evidence:record'),
    schema: {
      summary: "Grant another user of this organization (userId) or any key holder (publicKey) access to one of the caller's files",
      tags: ['evidence'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
      body: {
        type: 'object', additionalProperties: false,
        properties: { userId: { type: 'string', minLength: 1, maxLength: 128 }, publicKey: { type: 'string', pattern: '^04[0-9a-f]{128}$' } },
      },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const id = (request.params as { id: string }).id;
    const body = request.body as { userId?: string; publicKey?: string };
    if ((body.userId === undefined) === (body.publicKey === undefined)) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'give exactly one of userId or publicKey');
    const record = await query<EvidenceRecord>('get', { id });
    const grantee = body.userId !== undefined ? userKeys(p.organization, body.userId).publicKey : fromHex(body.publicKey!);
    await ctx.files.grant(record.hash, userKeys(p.organization, p.userId).privateKey, grantee);
    ctx.audit(request, 'evidence.file.grant', id, 'ok', body.userId !== undefined ? `user ${body.userId}` : `key ${body.publicKey!.slice(0, 18)}…`);
    return reply.status(201).send({ granted: true, evidenceId: id, grantee: addressOf((d) => suite.hash(d), grantee) });
  });

  const genesisText = options.genesis === undefined ? undefined : new TextDecoder('utf-8', { fatal: true }).decode(options.genesis);
  const genesisHash = options.genesis === undefined ? undefined : toHex(suite.hash(options.genesis));
  async function proofBundle(id: string): Promise<EvidenceProofJson> {
    const record = await query<EvidenceRecord>('get', { id });
    let txProof: TxProofInput = await ctx.chain.txProof(record.txId);
    if (txProof.genesis === undefined && genesisText !== undefined && txProof.genesisHash === genesisHash) txProof = { ...txProof, genesis: genesisText };
    return { format: EVIDENCE_PROOF_FORMAT, evidenceId: id, record, txProof };
  }

  app.get('/records/:id/certificate.pdf', {
    ...perm('evidence:read'),
    schema: {
      summary: 'The evidence certificate (出证): PDF with what, when, by whom, block height, tx id and a QR code to the verification page',
      tags: ['evidence'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const id = (request.params as { id: string }).id;
    const bundle = await proofBundle(id);
    const verdict = verifyEvidenceProof(bundle, { suite });
    if (!verdict.ok) {
      ctx.audit(request, 'evidence.certificate', id, 'failed', verdict.failure!.code);
      throw new GovchainError('EVIDENCE_PROOF_INVALID', 'internal', `the node's proof for ${id} does not verify (${verdict.failure!.code}); no certificate issued`);
    }
    const r = bundle.record;
    const template = r.templateVersion === null ? null : await query<EvidenceTemplate>('getTemplate', { type: r.type, version: r.templateVersion }).catch(() => null);
    const pdf = await renderEvidenceCertificate({
      record: r, template, verdict, blockHash: bundle.txProof.blockHash, suite: ctx.chain.suite, chainId: ctx.chain.chainId,
      verifyUrl: verifyUrl(request, id), issuedBy: options.issuer ?? p.organization, issuedAtMs: Date.now(), font: findCjkFont(options.certificateFont),
    });
    ctx.audit(request, 'evidence.certificate', id, 'ok');
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="evidence-${id}.pdf"`).send(pdf);
  });

  // ---- evidence chains (证据链) ----

  app.post('/cases', {
    ...perm('evidence:record'),
    schema: {
      summary: 'Open an evidence chain (a case); items are appended with POST /records {caseId} or POST /cases/{caseId}/steps',
      tags: ['evidence'],
      body: {
        type: 'object', additionalProperties: false,
        properties: {
          caseId: { type: 'string', minLength: 1, maxLength: 64 }, type: { type: 'string' }, businessRef: { type: 'string', maxLength: 128 },
          metadata: metadataSchema, note: { type: 'string', maxLength: 256 },
        },
      },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const body = request.body as Record<string, JsonValue>;
    const out = outcome(await ctx.chain.submit(EVIDENCE_CONTRACT_NAME, 'openCase', { owner: addressOfUser(p), ...body }));
    ctx.audit(request, 'evidence.case.open', String((out.result as { id?: string } | null)?.id ?? out.txId), 'ok');
    return reply.status(out.status === 'committed' ? 201 : 202).send({ status: out.status, txId: out.txId, case: out.result });
  });

  app.post('/cases/:caseId/steps', {
    ...perm('evidence:record'),
    schema: {
      summary: 'Append an existing evidence record and/or a note to a case',
      tags: ['evidence'],
      params: { type: 'object', properties: { caseId: { type: 'string' } }, required: ['caseId'] },
      body: { type: 'object', additionalProperties: false, properties: { evidenceId, note: { type: 'string', maxLength: 256 } } },
    },
  }, async (request, reply) => {
    const { caseId } = request.params as { caseId: string };
    const out = outcome(await ctx.chain.submit(EVIDENCE_CONTRACT_NAME, 'linkToCase', { caseId, ...(request.body as Record<string, JsonValue>) }));
    ctx.audit(request, 'evidence.case.step', caseId, 'ok');
    return reply.status(out.status === 'committed' ? 201 : 202).send({ status: out.status, txId: out.txId, step: out.result });
  });

  app.post('/cases/:caseId/close', {
    ...perm('evidence:record'),
    schema: {
      summary: 'Close a case: nothing more can be appended',
      tags: ['evidence'],
      params: { type: 'object', properties: { caseId: { type: 'string' } }, required: ['caseId'] },
      body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 256 } } },
    },
  }, async (request) => {
    const { caseId } = request.params as { caseId: string };
    const out = outcome(await ctx.chain.submit(EVIDENCE_CONTRACT_NAME, 'closeCase', { caseId, ...((request.body as Record<string, JsonValue> | undefined) ?? {}) }));
    ctx.audit(request, 'evidence.case.close', caseId, 'ok');
    return { status: out.status, txId: out.txId, case: out.result };
  });

  app.get('/cases/:caseId', {
    ...perm('evidence:read'),
    schema: {
      summary: 'A case with a page of its steps, in order',
      tags: ['evidence'],
      params: { type: 'object', properties: { caseId: { type: 'string' } }, required: ['caseId'] },
      querystring: { type: 'object', properties: pageQuery },
    },
  }, async (request) => {
    const { caseId } = request.params as { caseId: string };
    const q = request.query as { cursor?: string; limit: number };
    return query('getCase', { caseId, limit: q.limit, ...(q.cursor === undefined ? {} : { cursor: q.cursor }) });
  });

  app.get('/cases/:caseId/report.pdf', {
    ...perm('evidence:read'),
    schema: {
      summary: 'The evidence chain report (出证): every step of a case with its record, as PDF',
      tags: ['evidence'],
      params: { type: 'object', properties: { caseId: { type: 'string' } }, required: ['caseId'] },
    },
  }, async (request, reply) => {
    const p = caller(request);
    const { caseId } = request.params as { caseId: string };
    let cursor: string | null = null;
    const steps: CaseStep[] = [];
    let info: EvidenceCase | null = null;
    do {
      const page: { case: EvidenceCase; steps: CaseStep[]; next: string | null } = await query('getCase', { caseId, limit: PAGE_LIMIT_MAX, ...(cursor === null ? {} : { cursor }) });
      info = page.case;
      steps.push(...page.steps);
      cursor = page.next;
    } while (cursor !== null && steps.length < 2000);
    const records = new Map<string, EvidenceRecord>();
    for (const s of steps) if (s.evidenceId !== null && !records.has(s.evidenceId)) records.set(s.evidenceId, await query<EvidenceRecord>('get', { id: s.evidenceId }));
    const pdf = await renderCaseReport({
      caseInfo: info!, steps, records, chainId: ctx.chain.chainId, verifyUrl: `${baseUrl(request)}/verify`,
      issuedBy: options.issuer ?? p.organization, issuedAtMs: Date.now(), font: findCjkFont(options.certificateFont),
    });
    ctx.audit(request, 'evidence.case.report', caseId, 'ok');
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="case-${asciiFileName(caseId)}.pdf"`).send(pdf);
  });

  // ---- templates ----

  app.post('/templates', {
    ...perm('evidence:template'),
    schema: {
      summary: 'Publish a template (new version when the type exists): its fields and which are hashed',
      tags: ['evidence'],
      body: {
        type: 'object', required: ['type', 'name', 'kind', 'fields'], additionalProperties: false,
        properties: {
          type: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' }, name: { type: 'string', minLength: 1, maxLength: 128 }, nameEn: { type: 'string', maxLength: 128 },
          kind: { type: 'string', enum: ['file', 'fields'] },
          fields: {
            type: 'array', maxItems: 32,
            items: {
              type: 'object', required: ['name', 'label', 'hashed'], additionalProperties: false,
              properties: { name: { type: 'string' }, label: { type: 'string' }, labelEn: { type: 'string' }, hashed: { type: 'boolean' }, required: { type: 'boolean' } },
            },
          },
        },
      },
    },
  }, async (request, reply) => {
    const out = outcome(await ctx.chain.submit(EVIDENCE_CONTRACT_NAME, 'defineTemplate', request.body as JsonValue));
    ctx.audit(request, 'evidence.template', (request.body as { type: string }).type, 'ok');
    return reply.status(out.status === 'committed' ? 201 : 202).send({ status: out.status, txId: out.txId, template: out.result });
  });

  // ---- 查证: public verification, no login ----

  app.get('/public/info', { config: pub, schema: { summary: 'Chain id, hash algorithm and genesis hash, for verifiers', tags: ['evidence-public'] } }, async () => ({
    chainId: ctx.chain.chainId, suite: ctx.chain.suite, algorithm, organization: options.issuer ?? null, genesisHash: genesisHash ?? null,
  }));

  app.get('/public/templates', {
    config: pub,
    schema: { summary: 'Every template (latest versions), so a verifier can enter core fields', tags: ['evidence-public'] },
  }, async () => {
    const templates: EvidenceTemplate[] = [];
    let cursor: string | null = null;
    do {
      const page: { templates: EvidenceTemplate[]; next: string | null } = await query('listTemplates', { limit: PAGE_LIMIT_MAX, ...(cursor === null ? {} : { cursor }) });
      templates.push(...page.templates);
      cursor = page.next;
    } while (cursor !== null && templates.length < 1000);
    return { templates };
  });

  app.get('/public/templates/:type', {
    config: pub,
    schema: {
      summary: 'One template (latest, or ?version=)',
      tags: ['evidence-public'],
      params: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'] },
      querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } } },
    },
  }, async (request) => {
    const { type } = request.params as { type: string };
    const { version } = request.query as { version?: number };
    return query('getTemplate', version === undefined ? { type } : { type, version });
  });

  app.get('/public/records', {
    config: pub,
    schema: {
      summary: 'Records of a hash (the earliest first): was this file or data recorded, and when?',
      tags: ['evidence-public'],
      querystring: { type: 'object', required: ['hash'], properties: { hash: hex64, ...pageQuery } },
      response: { 200: { type: 'object', properties: { records: { type: 'array', items: recordSchema }, next: { type: ['string', 'null'] } } } },
    },
  }, async (request) => {
    const q = request.query as { hash: string; cursor?: string; limit: number };
    return query('byHash', { hash: q.hash, limit: q.limit, ...(q.cursor === undefined ? {} : { cursor: q.cursor }) });
  });

  app.get('/public/records/:id', {
    config: pub,
    schema: {
      summary: 'One evidence record by id',
      tags: ['evidence-public'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
      response: { 200: { type: 'object', properties: { record: recordSchema } } },
    },
  }, async (request) => ({ record: await query<EvidenceRecord>('get', { id: (request.params as { id: string }).id }) }));

  app.get('/public/records/:id/proof', {
    config: pub,
    schema: {
      summary: `The proof bundle (${EVIDENCE_PROOF_FORMAT}): check it offline with govchain verify or the SDK (docs/proof-format.md)`,
      tags: ['evidence-public'],
      params: { type: 'object', properties: { id: evidenceId }, required: ['id'] },
      querystring: { type: 'object', properties: { download: { type: 'string' } } },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const bundle = await proofBundle(id);
    if ((request.query as { download?: string }).download !== undefined) reply.header('content-disposition', `attachment; filename="evidence-${id}.proof.json"`);
    return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(bundle, null, 2));
  });

  app.post('/public/verify', {
    config: pub,
    schema: {
      summary: 'Check a hash, or core fields, against the chain (optionally against one evidence id); the proof is checked by the gateway',
      tags: ['evidence-public'],
      body: {
        type: 'object', additionalProperties: false,
        properties: {
          hash: hex64, id: evidenceId, type: { type: 'string' }, templateVersion: { type: 'integer', minimum: 1 },
          fields: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 }, maxProperties: 32 },
        },
      },
    },
  }, async (request) => {
    const b = request.body as { hash?: string; id?: string; type?: string; templateVersion?: number; fields?: Record<string, string> };
    let hash = b.hash;
    if (b.fields !== undefined) {
      if (b.type === undefined) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'fields need their type');
      const template = await query<EvidenceTemplate>('getTemplate', b.templateVersion === undefined ? { type: b.type } : { type: b.type, version: b.templateVersion });
      const hashed: Record<string, string> = {};
      for (const f of template.fields) if (f.hashed) hashed[f.name] = b.fields[f.name] ?? '';
      hash = evidenceFieldsHash(suite, template.type, template.version, hashed);
    }
    if (hash === undefined && b.id === undefined) throw new GovchainError('EVIDENCE_INPUT_INVALID', 'malformed', 'give a hash, core fields, or an evidence id');
    if (b.id !== undefined) {
      let bundle: EvidenceProofJson;
      try {
        bundle = await proofBundle(b.id);
      } catch (err) {
        if ((err as GovchainError).code === 'EVIDENCE_NOT_FOUND') return { recorded: false, match: false, reason: `no evidence ${b.id}` };
        throw err;
      }
      const verdict = verifyEvidenceProof(bundle, { suite, ...(hash === undefined ? {} : { hash }) });
      return {
        recorded: true, match: verdict.ok, record: bundle.record, reason: verdict.ok ? 'the proof verifies and the hash matches' : `${verdict.failure!.code}: ${verdict.failure!.message}`,
        checks: verdict.checks, trust: verdict.trust,
      };
    }
    const { records } = await query<{ records: EvidenceRecord[] }>('byHash', { hash: hash!, limit: 20 });
    return {
      recorded: records.length > 0, match: records.length > 0, hash, records,
      reason: records.length > 0 ? `recorded ${records.length} time(s), first at ${new Date(records[0]!.recordedAtMs).toISOString()}` : `the ${algorithm} hash ${hash} was never recorded`,
    };
  });

  // The page, its script (bundled on first request) and its style.
  const html = webFile('verify.html');
  const css = webFile('verify.css');
  let script: Promise<string> | null = null;
  const bundleScript = (): Promise<string> => {
    script ??= buildVerifyPageScript().catch((err: unknown) => {
      script = null;
      throw err;
    });
    return script;
  };
  void bundleScript().catch((err: unknown) => ctx.logger.warn({ err }, 'the verification page script could not be built (esbuild missing?); /verify will not work'));
  app.get('/verify', { config: pub, schema: { summary: 'The public verification page (查证), embeddable in portals', tags: ['evidence-public'] } }, async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  app.get('/verify.css', { config: pub, schema: { hide: true } }, async (_request, reply) => reply.header('content-type', 'text/css; charset=utf-8').send(css));
  app.get('/verify.js', { config: pub, schema: { hide: true } }, async (_request, reply) => {
    let js: string;
    try {
      js = await bundleScript();
    } catch (err) {
      throw new GovchainError('EVIDENCE_PAGE_UNAVAILABLE', 'unavailable', `the verification page script could not be built: ${(err as Error).message}`);
    }
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(js);
  });
}

/** Bundles web/verify-page.ts (with the SDK's verifier and pure SM3) for browsers. */
export async function buildVerifyPageScript(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./web/verify-page.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['es2020'],
    minify: true,
    external: ['ws'],
    tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)),
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

