/**
 * The evidence system contract (可信存证): records the suite hash of a file or of a data item's core fields, with its
 * type, owner (a key address, never a name), submitting organization, business reference and bounded non-personal
 * metadata; batches; evidence chains (证据链: a case whose steps are appended over time); and templates that say
 * which fields a type carries and which of them are hashed. Lookups by id, hash, owner, business reference, and by
 * type over a time range are served from index keys this contract writes, paginated and bounded.
 *
 * State layout (keys in the contract's namespace; `t15` is the block time in ms, 15 digits, zero-padded, so byte
 * order is time order):
 *   r/<id>                      record JSON
 *   h/<hash>/<t15>/<id>         ''   (by hash)
 *   o/<owner>/<t15>/<id>        ''   (by owner)
 *   b/<businessRef>/<t15>/<id>  ''   (by business reference)
 *   y/<type>/<t15>/<id>         ''   (by type and time)
 *   c/<caseId>                  case JSON
 *   s/<caseId>/<seq8>           case step JSON
 *   t/<type>                    latest template JSON;  tv/<type>/<v6>  every template version
 * Full design and rationale: docs/evidence.md.
 */
import { z } from 'zod';
import { parseCertificate } from '@govchain/crypto';
import { ContractError, type ContractState, type JsonValue, type ReadContext, type SystemContract, type WriteContext } from '@govchain/vm';
import type { EvidenceRecord, MetadataValue } from '@govchain/sdk';

export const EVIDENCE_CONTRACT_NAME = 'evidence';
export const RECORD_BATCH_MAX = 100;
export const PAGE_LIMIT_MAX = 100;
export const METADATA_KEYS_MAX = 16;
export const TEMPLATE_FIELDS_MAX = 32;
export const CASE_STEPS_MAX = 10_000;

// ---- argument schemas ----

const hashHex = z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte hash in lowercase hex');
const address = z.string().regex(/^[0-9a-f]{40}$/, 'a key address: 40 lowercase hex characters');
const typeName = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'lowercase letters, digits, _ . -, starting with a letter, at most 64');
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'letters, digits and _, starting with a letter, at most 64');
/** Business references and case ids: printable, no '/', no surrounding white space (they are parts of index keys). */
const refString = (max: number) => z.string().min(1).max(max)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[/\u0000-\u001f\u007f]/.test(s) && s.trim() === s, 'printable characters without "/" or surrounding spaces');
const label = z.string().min(1).max(128);
const metadataValue = z.union([z.string().max(256), z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1), z.boolean()]);
const metadata = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'metadata keys: letters, digits, _ . -'), metadataValue)
  .refine((m) => Object.keys(m).length <= METADATA_KEYS_MAX, `at most ${METADATA_KEYS_MAX} metadata entries`);

const recordItem = z.object({
  kind: z.enum(['file', 'fields']).default('file'),
  hash: hashHex,
  type: typeName,
  templateVersion: z.number().int().min(1).optional(),
  owner: address.optional(),
  businessRef: refString(128).optional(),
  caseId: refString(64).optional(),
  metadata: metadata.default({}),
  size: z.number().int().min(0).max(2 ** 53 - 1).optional(),
  mediaType: z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/).max(100).optional(),
}).strict();
export type RecordItem = z.input<typeof recordItem>;

const templateField = z.object({
  name: fieldName,
  label,
  labelEn: label.optional(),
  /** Hashed fields go into the evidence hash and never on chain in clear; the others may appear as metadata. */
  hashed: z.boolean(),
  required: z.boolean().default(true),
}).strict();

const templateArgs = z.object({
  type: typeName,
  name: label,
  nameEn: label.optional(),
  kind: z.enum(['file', 'fields']),
  fields: z.array(templateField).max(TEMPLATE_FIELDS_MAX),
}).strict();
export type TemplateDefinition = z.input<typeof templateArgs>;

const pageArgs = {
  cursor: z.string().max(1024).optional(),
  limit: z.number().int().min(1).max(PAGE_LIMIT_MAX).default(20),
};

// ---- stored shapes ----

export interface EvidenceTemplate {
  type: string;
  version: number;
  name: string;
  nameEn: string | null;
  kind: 'file' | 'fields';
  fields: { name: string; label: string; labelEn: string | null; hashed: boolean; required: boolean }[];
  /** Organization (certificate O) or, without a certificate, the address that may publish new versions. */
  maintainer: string;
  definedAtMs: number;
  txId: string;
}

export interface EvidenceCase {
  id: string;
  type: string | null;
  owner: string;
  organization: string | null;
  opener: string;
  businessRef: string | null;
  metadata: Record<string, MetadataValue>;
  status: 'open' | 'closed';
  steps: number;
  openedAtMs: number;
  closedAtMs: number | null;
  txId: string;
}

export interface CaseStep {
  seq: number;
  action: 'open' | 'record' | 'link' | 'note' | 'close';
  evidenceId: string | null;
  note: string | null;
  submitter: string;
  organization: string | null;
  atMs: number;
  height: number;
  txId: string;
}

// ---- helpers ----

const t15 = (ms: number): string => String(ms).padStart(15, '0');
const seq8 = (n: number): string => String(n).padStart(8, '0');
const v6 = (n: number): string => String(n).padStart(6, '0');

/**
 * Values that look like personal data are refused: a resident ID number (18 characters), a mobile number, an e-mail
 * address. This guards against mistakes; it cannot recognise every personal datum, which is why templates mark
 * personal fields as hashed and the API never sends hashed fields to the chain.
 */
const PERSONAL_PATTERNS: { what: string; re: RegExp }[] = [
  { what: 'a resident identity number', re: /(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/ },
  { what: 'a mobile phone number', re: /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/ },
  { what: 'an e-mail address', re: /[^\s@]+@[^\s@]+\.[^\s@]+/ },
];

export function personalDataIn(value: string): string | null {
  for (const p of PERSONAL_PATTERNS) if (p.re.test(value)) return p.what;
  return null;
}

function screen(what: string, value: string): void {
  const found = personalDataIn(value);
  if (found !== null) throw new ContractError('EVIDENCE_PERSONAL_DATA', `${what} looks like ${found}; personal data never goes on chain in clear (hash it as a core field)`);
}

// Parsing a certificate is deterministic but not free; the same few senders send most txs.
const orgCache = new Map<string, string | null>();

function organizationOf(certificate: Uint8Array | null): string | null {
  if (certificate === null) return null;
  let key = '';
  for (let i = 0; i < certificate.length; i++) key += String.fromCharCode(certificate[i]!);
  const cached = orgCache.get(key);
  if (cached !== undefined || orgCache.has(key)) return cached ?? null;
  let org: string | null;
  try {
    org = parseCertificate(certificate).subject.organization ?? null;
  } catch {
    org = null;
  }
  if (org !== null && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(org)) org = null;
  if (orgCache.size >= 256) orgCache.clear();
  orgCache.set(key, org);
  return org;
}

function getJson<T>(state: ContractState, key: string): T | undefined {
  const v = state.get(key);
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

function setJson(state: ContractState, key: string, value: unknown): void {
  state.set(key, JSON.stringify(value));
}

/** Index page: keys under `prefix` from `start` (inclusive) to `end` (exclusive), resuming at `cursor`. */
function page(state: ContractState, prefix: string, start: string, end: string, cursor: string | undefined, limit: number): { ids: string[]; next: string | null } {
  let from = start;
  if (cursor !== undefined) {
    if (!cursor.startsWith(prefix) || cursor < start || (end !== '' && cursor >= end)) {
      throw new ContractError('EVIDENCE_BAD_CURSOR', 'the cursor does not belong to this query; pass the `next` value of the previous page');
    }
    from = cursor;
  }
  const rows = state.range(from, end, limit + 1);
  const ids = rows.slice(0, limit).map(([k]) => k.slice(k.lastIndexOf('/') + 1));
  return { ids, next: rows.length > limit ? rows[limit]![0] : null };
}

/** End of the byte range of keys starting with `prefix` (which ends in '/'): '/' + 1 is '0'. */
const prefixEnd = (prefix: string): string => prefix.slice(0, -1) + '0';

function recordsOf(state: ContractState, ids: string[]): EvidenceRecord[] {
  return ids.map((id) => getJson<EvidenceRecord>(state, `r/${id}`)!).filter((r) => r !== undefined);
}

function latestTemplate(state: ContractState, type: string): EvidenceTemplate | undefined {
  return getJson<EvidenceTemplate>(state, `t/${type}`);
}

function appendStep(ctx: WriteContext, c: EvidenceCase, step: Omit<CaseStep, 'seq' | 'submitter' | 'organization' | 'atMs' | 'height' | 'txId'>): CaseStep {
  if (c.steps >= CASE_STEPS_MAX) throw new ContractError('EVIDENCE_CASE_FULL', `case ${c.id} has ${CASE_STEPS_MAX} steps, the maximum`, 'conflict');
  const full: CaseStep = {
    seq: c.steps + 1, ...step, submitter: ctx.sender.address, organization: organizationOf(ctx.sender.certificate),
    atMs: ctx.blockTimeMs, height: ctx.height, txId: ctx.txId,
  };
  c.steps = full.seq;
  setJson(ctx.state, `s/${c.id}/${seq8(full.seq)}`, full);
  setJson(ctx.state, `c/${c.id}`, c);
  return full;
}

/** The case, if the sender may append to it: same organization as the opener, or the opener's own key. */
function writableCase(ctx: WriteContext, caseId: string): EvidenceCase {
  const c = getJson<EvidenceCase>(ctx.state, `c/${caseId}`);
  if (c === undefined) throw new ContractError('EVIDENCE_CASE_NOT_FOUND', `no case ${caseId}`, 'not_found');
  if (c.status !== 'open') throw new ContractError('EVIDENCE_CASE_CLOSED', `case ${caseId} is closed`, 'conflict');
  const org = organizationOf(ctx.sender.certificate);
  if (c.opener !== ctx.sender.address && (c.organization === null || c.organization !== org)) {
    throw new ContractError('EVIDENCE_CASE_FORBIDDEN', `case ${caseId} belongs to ${c.organization ?? c.opener}`, 'forbidden');
  }
  return c;
}

function checkMetadata(m: Record<string, MetadataValue>, template: EvidenceTemplate | undefined): void {
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') screen(`metadata ${k}`, v);
  if (template === undefined) return;
  const byName = new Map(template.fields.map((f) => [f.name, f]));
  for (const k of Object.keys(m)) {
    const f = byName.get(k);
    if (f === undefined) throw new ContractError('EVIDENCE_METADATA_INVALID', `template ${template.type} v${template.version} has no field ${k}`);
    if (f.hashed) throw new ContractError('EVIDENCE_METADATA_INVALID', `field ${k} of ${template.type} is hashed: it never goes on chain in clear`);
  }
  for (const f of template.fields) {
    if (!f.hashed && f.required && !(f.name in m)) throw new ContractError('EVIDENCE_METADATA_INVALID', `template ${template.type} requires field ${f.name}`);
  }
}

function recordOne(ctx: WriteContext, item: z.infer<typeof recordItem>, index: number): EvidenceRecord {
  const id = `${ctx.txId.slice(0, 32)}${index.toString(16).padStart(4, '0')}`;
  if (ctx.state.get(`r/${id}`) !== undefined) throw new ContractError('EVIDENCE_ID_CONFLICT', `evidence ${id} already exists`, 'conflict');
  let template = latestTemplate(ctx.state, item.type);
  if (item.templateVersion !== undefined) {
    template = getJson<EvidenceTemplate>(ctx.state, `tv/${item.type}/${v6(item.templateVersion)}`);
    if (template === undefined) throw new ContractError('EVIDENCE_TEMPLATE_NOT_FOUND', `no template ${item.type} v${item.templateVersion}`, 'not_found');
  }
  if (item.kind === 'fields' && template === undefined) {
    throw new ContractError('EVIDENCE_TEMPLATE_NOT_FOUND', `type ${item.type} has no template; core-field evidence needs one`, 'not_found');
  }
  if (template !== undefined && template.kind !== item.kind) {
    throw new ContractError('EVIDENCE_KIND_MISMATCH', `template ${item.type} v${template.version} is for ${template.kind} evidence, not ${item.kind}`);
  }
  if (item.businessRef !== undefined) screen('businessRef', item.businessRef);
  checkMetadata(item.metadata, template);
  const owner = item.owner ?? ctx.sender.address;
  const organization = organizationOf(ctx.sender.certificate);
  let caseSeq: number | null = null;
  const c = item.caseId === undefined ? undefined : writableCase(ctx, item.caseId);
  const record: EvidenceRecord = {
    id, kind: item.kind, hash: item.hash, type: item.type, templateVersion: template?.version ?? null, owner, organization,
    submitter: ctx.sender.address, businessRef: item.businessRef ?? null, caseId: item.caseId ?? null, caseSeq: null,
    metadata: item.metadata, size: item.size ?? null, mediaType: item.mediaType ?? null,
    recordedAtMs: ctx.blockTimeMs, height: ctx.height, txId: ctx.txId,
  };
  if (c !== undefined) {
    caseSeq = appendStep(ctx, c, { action: 'record', evidenceId: id, note: null }).seq;
    record.caseSeq = caseSeq;
  }
  const t = t15(ctx.blockTimeMs);
  setJson(ctx.state, `r/${id}`, record);
  ctx.state.set(`h/${record.hash}/${t}/${id}`, '');
  ctx.state.set(`o/${owner}/${t}/${id}`, '');
  ctx.state.set(`y/${record.type}/${t}/${id}`, '');
  if (record.businessRef !== null) ctx.state.set(`b/${record.businessRef}/${t}/${id}`, '');
  return record;
}

function recordAll(ctx: WriteContext, items: z.infer<typeof recordItem>[]): JsonValue {
  const records = items.map((item, i) => recordOne(ctx, item, i));
  ctx.emit('evidence.recorded', { ids: records.map((r) => r.id) });
  return { records } as unknown as JsonValue;
}

const rangeArgs = z.object({ fromMs: z.number().int().min(0).optional(), toMs: z.number().int().min(0).optional(), ...pageArgs });

/** Start and end keys of a time range under `prefix`: [fromMs, toMs] inclusive. */
function timeRange(prefix: string, fromMs: number | undefined, toMs: number | undefined): [string, string] {
  const start = fromMs === undefined ? prefix : `${prefix}${t15(fromMs)}/`;
  const end = toMs === undefined ? prefixEnd(prefix) : `${prefix}${t15(toMs + 1)}/`;
  return [start, end];
}

function pageOfRecords(ctx: ReadContext, prefix: string, start: string, end: string, cursor: string | undefined, limit: number): JsonValue {
  const { ids, next } = page(ctx.state, prefix, start, end, cursor, limit);
  return { records: recordsOf(ctx.state, ids), next } as unknown as JsonValue;
}

export const evidenceContract: SystemContract = {
  name: EVIDENCE_CONTRACT_NAME,
  description: 'Trusted evidence (可信存证): hashes of files and core fields, evidence chains (cases), templates',
  methods: {
    record: {
      kind: 'write',
      description: 'Record one evidence item (the hash of a file or of core fields); returns {records: [record]}',
      args: recordItem,
      run: (ctx, item: z.infer<typeof recordItem>) => recordAll(ctx, [item]),
    },
    recordBatch: {
      kind: 'write',
      description: `Record up to ${RECORD_BATCH_MAX} evidence items in one tx, all or none; returns {records}`,
      args: z.object({ items: z.array(recordItem).min(1).max(RECORD_BATCH_MAX) }).strict(),
      run: (ctx, args: { items: z.infer<typeof recordItem>[] }) => recordAll(ctx, args.items),
    },
    defineTemplate: {
      kind: 'write',
      description: 'Publish a new version of an evidence template: the fields a type carries and which are hashed',
      args: templateArgs,
      run(ctx, args: z.infer<typeof templateArgs>) {
        const names = new Set(args.fields.map((f) => f.name));
        if (names.size !== args.fields.length) throw new ContractError('EVIDENCE_TEMPLATE_INVALID', 'field names must be distinct');
        if (args.kind === 'fields' && !args.fields.some((f) => f.hashed)) {
          throw new ContractError('EVIDENCE_TEMPLATE_INVALID', 'a core-field template needs at least one hashed field');
        }
        const maintainer = organizationOf(ctx.sender.certificate) ?? ctx.sender.address;
        const previous = latestTemplate(ctx.state, args.type);
        if (previous !== undefined && previous.maintainer !== maintainer) {
          throw new ContractError('EVIDENCE_TEMPLATE_FORBIDDEN', `template ${args.type} is maintained by ${previous.maintainer}`, 'forbidden');
        }
        const template: EvidenceTemplate = {
          type: args.type, version: (previous?.version ?? 0) + 1, name: args.name, nameEn: args.nameEn ?? null, kind: args.kind,
          fields: args.fields.map((f) => ({ name: f.name, label: f.label, labelEn: f.labelEn ?? null, hashed: f.hashed, required: f.required })),
          maintainer, definedAtMs: ctx.blockTimeMs, txId: ctx.txId,
        };
        setJson(ctx.state, `t/${args.type}`, template);
        setJson(ctx.state, `tv/${args.type}/${v6(template.version)}`, template);
        ctx.emit('evidence.template', { type: template.type, version: template.version });
        return template as unknown as JsonValue;
      },
    },
    openCase: {
      kind: 'write',
      description: 'Open an evidence chain (证据链): a case to which evidence is appended over time',
      args: z.object({
        caseId: refString(64).optional(), type: typeName.optional(), owner: address.optional(), businessRef: refString(128).optional(),
        metadata: metadata.default({}), note: z.string().max(256).optional(),
      }).strict(),
      run(ctx, args: { caseId?: string; type?: string; owner?: string; businessRef?: string; metadata: Record<string, MetadataValue>; note?: string }) {
        const id = args.caseId ?? `case-${ctx.txId.slice(0, 32)}`;
        if (ctx.state.get(`c/${id}`) !== undefined) throw new ContractError('EVIDENCE_CASE_EXISTS', `case ${id} already exists`, 'conflict');
        if (args.businessRef !== undefined) screen('businessRef', args.businessRef);
        if (args.note !== undefined) screen('note', args.note);
        screen('caseId', id);
        checkMetadata(args.metadata, undefined);
        const c: EvidenceCase = {
          id, type: args.type ?? null, owner: args.owner ?? ctx.sender.address, organization: organizationOf(ctx.sender.certificate),
          opener: ctx.sender.address, businessRef: args.businessRef ?? null, metadata: args.metadata, status: 'open', steps: 0,
          openedAtMs: ctx.blockTimeMs, closedAtMs: null, txId: ctx.txId,
        };
        appendStep(ctx, c, { action: 'open', evidenceId: null, note: args.note ?? null });
        ctx.emit('evidence.case', { caseId: id, action: 'open' });
        return c as unknown as JsonValue;
      },
    },
    linkToCase: {
      kind: 'write',
      description: 'Append an existing evidence record to a case, or a note, as the next step',
      args: z.object({ caseId: refString(64), evidenceId: z.string().regex(/^[0-9a-f]{36}$/).optional(), note: z.string().max(256).optional() }).strict()
        .refine((a) => a.evidenceId !== undefined || a.note !== undefined, 'give an evidenceId, a note, or both'),
      run(ctx, args: { caseId: string; evidenceId?: string; note?: string }) {
        const c = writableCase(ctx, args.caseId);
        if (args.evidenceId !== undefined && ctx.state.get(`r/${args.evidenceId}`) === undefined) {
          throw new ContractError('EVIDENCE_NOT_FOUND', `no evidence ${args.evidenceId}`, 'not_found');
        }
        if (args.note !== undefined) screen('note', args.note);
        const step = appendStep(ctx, c, { action: args.evidenceId === undefined ? 'note' : 'link', evidenceId: args.evidenceId ?? null, note: args.note ?? null });
        ctx.emit('evidence.case', { caseId: c.id, action: step.action, seq: step.seq });
        return step as unknown as JsonValue;
      },
    },
    closeCase: {
      kind: 'write',
      description: 'Close a case: no further steps may be appended',
      args: z.object({ caseId: refString(64), note: z.string().max(256).optional() }).strict(),
      run(ctx, args: { caseId: string; note?: string }) {
        const c = writableCase(ctx, args.caseId);
        if (args.note !== undefined) screen('note', args.note);
        appendStep(ctx, c, { action: 'close', evidenceId: null, note: args.note ?? null });
        c.status = 'closed';
        c.closedAtMs = ctx.blockTimeMs;
        setJson(ctx.state, `c/${c.id}`, c);
        ctx.emit('evidence.case', { caseId: c.id, action: 'close' });
        return c as unknown as JsonValue;
      },
    },
    get: {
      kind: 'read',
      description: 'One evidence record by id',
      args: z.object({ id: z.string().regex(/^[0-9a-f]{36}$/, 'an evidence id: 36 lowercase hex characters') }).strict(),
      run(ctx, args: { id: string }) {
        const r = getJson<EvidenceRecord>(ctx.state, `r/${args.id}`);
        if (r === undefined) throw new ContractError('EVIDENCE_NOT_FOUND', `no evidence ${args.id}`, 'not_found');
        return r as unknown as JsonValue;
      },
    },
    byHash: {
      kind: 'read',
      description: 'Records of a hash, oldest first',
      args: z.object({ hash: hashHex, ...pageArgs }).strict(),
      run(ctx, a: { hash: string; cursor?: string; limit: number }) {
        const prefix = `h/${a.hash}/`;
        return pageOfRecords(ctx, prefix, prefix, prefixEnd(prefix), a.cursor, a.limit);
      },
    },
    byOwner: {
      kind: 'read',
      description: 'Records of an owner address, oldest first, optionally within [fromMs, toMs]',
      args: rangeArgs.extend({ owner: address }).strict(),
      run(ctx, a: { owner: string; fromMs?: number; toMs?: number; cursor?: string; limit: number }) {
        const prefix = `o/${a.owner}/`;
        const [start, end] = timeRange(prefix, a.fromMs, a.toMs);
        return pageOfRecords(ctx, prefix, start, end, a.cursor, a.limit);
      },
    },
    byBusinessRef: {
      kind: 'read',
      description: 'Records with a business reference, oldest first',
      args: z.object({ businessRef: refString(128), ...pageArgs }).strict(),
      run(ctx, a: { businessRef: string; cursor?: string; limit: number }) {
        const prefix = `b/${a.businessRef}/`;
        return pageOfRecords(ctx, prefix, prefix, prefixEnd(prefix), a.cursor, a.limit);
      },
    },
    byType: {
      kind: 'read',
      description: 'Records of a type recorded within [fromMs, toMs] (block time), oldest first',
      args: rangeArgs.extend({ type: typeName }).strict(),
      run(ctx, a: { type: string; fromMs?: number; toMs?: number; cursor?: string; limit: number }) {
        const prefix = `y/${a.type}/`;
        const [start, end] = timeRange(prefix, a.fromMs, a.toMs);
        return pageOfRecords(ctx, prefix, start, end, a.cursor, a.limit);
      },
    },
    getCase: {
      kind: 'read',
      description: 'A case and a page of its steps, in order',
      args: z.object({ caseId: refString(64), ...pageArgs }).strict(),
      run(ctx, a: { caseId: string; cursor?: string; limit: number }) {
        const c = getJson<EvidenceCase>(ctx.state, `c/${a.caseId}`);
        if (c === undefined) throw new ContractError('EVIDENCE_CASE_NOT_FOUND', `no case ${a.caseId}`, 'not_found');
        const prefix = `s/${a.caseId}/`;
        let from = prefix;
        if (a.cursor !== undefined) {
          if (!a.cursor.startsWith(prefix)) throw new ContractError('EVIDENCE_BAD_CURSOR', 'the cursor does not belong to this case');
          from = a.cursor;
        }
        const rows = ctx.state.range(from, prefixEnd(prefix), a.limit + 1);
        const steps = rows.slice(0, a.limit).map(([, v]) => JSON.parse(v) as CaseStep);
        return { case: c, steps, next: rows.length > a.limit ? rows[a.limit]![0] : null } as unknown as JsonValue;
      },
    },
    getTemplate: {
      kind: 'read',
      description: 'A template: the latest version, or the one asked for',
      args: z.object({ type: typeName, version: z.number().int().min(1).optional() }).strict(),
      run(ctx, a: { type: string; version?: number }) {
        const t = a.version === undefined ? latestTemplate(ctx.state, a.type) : getJson<EvidenceTemplate>(ctx.state, `tv/${a.type}/${v6(a.version)}`);
        if (t === undefined) throw new ContractError('EVIDENCE_TEMPLATE_NOT_FOUND', `no template ${a.type}${a.version === undefined ? '' : ` v${a.version}`}`, 'not_found');
        return t as unknown as JsonValue;
      },
    },
    listTemplates: {
      kind: 'read',
      description: 'The latest version of every template, by type name',
      args: z.object(pageArgs).strict(),
      run(ctx, a: { cursor?: string; limit: number }) {
        if (a.cursor !== undefined && !a.cursor.startsWith('t/')) throw new ContractError('EVIDENCE_BAD_CURSOR', 'not a template cursor');
        const rows = ctx.state.range(a.cursor ?? 't/', 't0', a.limit + 1);
        return { templates: rows.slice(0, a.limit).map(([, v]) => JSON.parse(v) as EvidenceTemplate), next: rows.length > a.limit ? rows[a.limit]![0] : null } as unknown as JsonValue;
      },
    },
  },
};
