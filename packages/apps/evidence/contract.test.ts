import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromUtf8, toHex } from '@govchain/base';
import { getSuite } from '@govchain/crypto';
import { addressOf, decodeSignedTx } from '@govchain/protocol';
import { Executor, MemoryState, type ExecutableTx } from '@govchain/vm';
import { buildTx, evidenceFieldsHash, type EvidenceRecord } from '@govchain/sdk';
import { makeTestChain } from '../../sdk/proof-testkit.ts';
import { evidenceContract, type EvidenceCase, type CaseStep, type EvidenceTemplate } from './contract.ts';

const suite = getSuite('gm');
const hash = (d: Uint8Array): Uint8Array => suite.hash(d);
const executor = new Executor([evidenceContract], hash);
const pki = makeTestChain({ suite: 'gm', validators: 2, chainId: 'c1' });

interface Sender { privateKey: Uint8Array; publicKey: Uint8Array; certificate?: Uint8Array; address: string }
function sender(org?: number): Sender {
  const k = suite.generateKeyPair();
  const certificate = org === undefined ? undefined : pki.issueLeaf(pki.orgs[org]!, k.publicKey, `app-${org}`);
  return { ...k, ...(certificate === undefined ? {} : { certificate }), address: addressOf(hash, k.publicKey) };
}
const org1 = sender(0);
const org2 = sender(1);

function call(from: Sender, method: string, args: unknown): ExecutableTx {
  const built = buildTx({ chainId: 'c1', contract: 'evidence', method, args, nowMs: 1_700_000_000_000 }, { suite, ...from });
  const tx = decodeSignedTx(built.bytes);
  return { id: hash(tx.bodyBytes), tx };
}

class Chain {
  state = new MemoryState();
  height = 0;
  timeMs = 1_700_000_000_000;
  run(...txs: ExecutableTx[]) {
    this.height++;
    this.timeMs += 1000;
    return executor.executeBlock({ chainId: 'c1', height: this.height, timeMs: this.timeMs }, txs, this.state).receipts.map((r) => ({
      ...r, json: r.result.length === 0 ? null : JSON.parse(fromUtf8(r.result)),
    }));
  }
  one(from: Sender, method: string, args: unknown) {
    const [r] = this.run(call(from, method, args));
    return r!;
  }
  ok<T = unknown>(from: Sender, method: string, args: unknown): T {
    const r = this.one(from, method, args);
    assert.equal(r.status, 'ok', `${method}: ${r.errorCode} ${r.errorMessage}`);
    return r.json as T;
  }
  query<T = unknown>(method: string, args: unknown): T {
    return executor.query('evidence', method, args, this.state, this.height, 'c1', () => []) as T;
  }
}

const h = (s: string): string => toHex(suite.hash(new TextEncoder().encode(s)));

test('records a file hash with owner, organization from the sender certificate, business reference and metadata; finds it by id, hash, owner and reference', () => {
  const c = new Chain();
  const { records } = c.ok<{ records: EvidenceRecord[] }>(org1, 'record', { hash: h('contract.pdf'), type: 'contract', businessRef: 'HT-2026-001', metadata: { pages: 3, dept: '市场监管' }, size: 1234, mediaType: 'application/pdf' });
  const r = records[0]!;
  assert.match(r.id, /^[0-9a-f]{36}$/);
  assert.equal(r.organization, 'org1');
  assert.equal(r.owner, org1.address);
  assert.equal(r.submitter, org1.address);
  assert.equal(r.height, 1);
  assert.equal(r.recordedAtMs, c.timeMs);
  assert.deepEqual(c.query('get', { id: r.id }), r);
  assert.deepEqual(c.query<{ records: EvidenceRecord[] }>('byHash', { hash: r.hash }).records, [r]);
  assert.deepEqual(c.query<{ records: EvidenceRecord[] }>('byOwner', { owner: org1.address }).records, [r]);
  assert.deepEqual(c.query<{ records: EvidenceRecord[] }>('byBusinessRef', { businessRef: 'HT-2026-001' }).records, [r]);
  assert.throws(() => c.query('get', { id: '0'.repeat(36) }), { code: 'EVIDENCE_NOT_FOUND' });
  assert.equal(c.one(sender(), 'record', { hash: h('x'), type: 'contract' }).json.records[0].organization, null);
});

test('queries by type and time range page through results with a cursor, bounded by the limit', () => {
  const c = new Chain();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    c.ok(org1, 'record', { hash: h(`f${i}`), type: 'invoice' });
    times.push(c.timeMs);
  }
  c.ok(org1, 'record', { hash: h('other'), type: 'contract' });
  const all: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const p = c.query<{ records: EvidenceRecord[]; next: string | null }>('byType', { type: 'invoice', limit: 3, ...(cursor === undefined ? {} : { cursor }) });
    assert.ok(p.records.length <= 3);
    all.push(...p.records.map((r) => r.hash));
    cursor = p.next ?? undefined;
    pages++;
  } while (cursor !== undefined);
  assert.equal(pages, 3);
  assert.deepEqual(all, Array.from({ length: 7 }, (_, i) => h(`f${i}`)));
  const window = c.query<{ records: EvidenceRecord[] }>('byType', { type: 'invoice', fromMs: times[2], toMs: times[4] });
  assert.deepEqual(window.records.map((r) => r.recordedAtMs), [times[2], times[3], times[4]]);
  assert.throws(() => c.query('byType', { type: 'invoice', limit: 101 }), { code: 'CONTRACT_ARGS_INVALID' });
  assert.throws(() => c.query('byType', { type: 'contract', cursor: 'y/invoice/0' }), { code: 'EVIDENCE_BAD_CURSOR' });
});

test('a batch records every item in one tx or none of them', () => {
  const c = new Chain();
  const items = Array.from({ length: 50 }, (_, i) => ({ hash: h(`batch${i}`), type: 'archive', businessRef: `A-${i}` }));
  const { records } = c.ok<{ records: EvidenceRecord[] }>(org2, 'recordBatch', { items });
  assert.equal(records.length, 50);
  assert.equal(new Set(records.map((r) => r.id)).size, 50);
  assert.equal(c.query<{ records: EvidenceRecord[] }>('byBusinessRef', { businessRef: 'A-49' }).records[0]!.id, records[49]!.id);
  const bad = c.one(org2, 'recordBatch', { items: [{ hash: h('ok'), type: 'archive' }, { hash: h('bad'), type: 'archive', metadata: { phone: '13912345678' } }] });
  assert.equal(bad.status, 'failed');
  assert.equal(bad.errorCode, 'EVIDENCE_PERSONAL_DATA');
  assert.deepEqual(c.query<{ records: unknown[] }>('byHash', { hash: h('ok') }).records, []);
  assert.equal(c.one(org2, 'recordBatch', { items: Array.from({ length: 101 }, () => items[0]) }).errorCode, 'CONTRACT_ARGS_INVALID');
});

test('personal data in clear is refused: identity numbers, phone numbers and e-mail addresses in metadata or references', () => {
  const c = new Chain();
  for (const [field, value] of [['metadata', { holder: '110101199003077777' }], ['metadata', { contact: 'zhang@example.cn' }], ['businessRef', 'REF-13800138000']] as const) {
    const r = c.one(org1, 'record', { hash: h('p'), type: 'licence', [field]: value });
    assert.equal(r.errorCode, 'EVIDENCE_PERSONAL_DATA', `${field} ${JSON.stringify(value)}`);
  }
  assert.equal(c.one(org1, 'record', { hash: h('p'), type: 'licence', metadata: { nested: { a: 1 } } }).errorCode, 'CONTRACT_ARGS_INVALID');
  assert.equal(c.one(org1, 'record', { hash: h('p'), type: 'licence', metadata: { ratio: 0.5 } }).errorCode, 'CONTRACT_ARGS_INVALID');
});

test('templates define the fields of a type and which are hashed; core-field evidence follows its template and only its maintainer publishes versions', () => {
  const c = new Chain();
  const licence = {
    type: 'business-licence', name: '营业执照', nameEn: 'Business licence', kind: 'fields',
    fields: [
      { name: 'name', label: '名称', hashed: true }, { name: 'number', label: '统一社会信用代码', hashed: true },
      { name: 'holder', label: '法定代表人', hashed: true }, { name: 'issuer', label: '登记机关', hashed: false, required: true },
    ],
  };
  const t1 = c.ok<EvidenceTemplate>(org1, 'defineTemplate', licence);
  assert.equal(t1.version, 1);
  assert.equal(t1.maintainer, 'org1');
  const fields = { name: '某某科技有限公司', number: '91410200MA0000000X', holder: '张三' };
  const fieldsHash = evidenceFieldsHash('gm', 'business-licence', 1, fields);
  const { records } = c.ok<{ records: EvidenceRecord[] }>(org1, 'record', { kind: 'fields', hash: fieldsHash, type: 'business-licence', metadata: { issuer: '开封市市场监督管理局' } });
  assert.equal(records[0]!.templateVersion, 1);
  assert.equal(evidenceFieldsHash('gm', 'business-licence', 1, { holder: ' 张三 ', number: '91410200MA0000000X', name: '某某科技有限公司' }), fieldsHash, 'order and surrounding spaces do not matter');
  assert.notEqual(evidenceFieldsHash('gm', 'business-licence', 1, { ...fields, holder: '李四' }), fieldsHash);
  assert.equal(c.one(org1, 'record', { kind: 'fields', hash: fieldsHash, type: 'business-licence', metadata: { issuer: 'x', holder: '张三' } }).errorCode, 'EVIDENCE_METADATA_INVALID');
  assert.equal(c.one(org1, 'record', { kind: 'fields', hash: fieldsHash, type: 'business-licence', metadata: {} }).errorCode, 'EVIDENCE_METADATA_INVALID');
  assert.equal(c.one(org1, 'record', { kind: 'fields', hash: fieldsHash, type: 'business-licence', metadata: { issuer: 'x', colour: 'red' } }).errorCode, 'EVIDENCE_METADATA_INVALID');
  assert.equal(c.one(org1, 'record', { kind: 'file', hash: fieldsHash, type: 'business-licence', metadata: { issuer: 'x' } }).errorCode, 'EVIDENCE_KIND_MISMATCH');
  assert.equal(c.one(org1, 'record', { kind: 'fields', hash: fieldsHash, type: 'no-template' }).errorCode, 'EVIDENCE_TEMPLATE_NOT_FOUND');
  assert.equal(c.one(org2, 'defineTemplate', licence).errorCode, 'EVIDENCE_TEMPLATE_FORBIDDEN');
  const t2 = c.ok<EvidenceTemplate>(org1, 'defineTemplate', { ...licence, name: '营业执照（2026版）' });
  assert.equal(t2.version, 2);
  assert.equal(c.query<EvidenceTemplate>('getTemplate', { type: 'business-licence' }).version, 2);
  assert.equal(c.query<EvidenceTemplate>('getTemplate', { type: 'business-licence', version: 1 }).name, '营业执照');
  assert.deepEqual(c.query<{ templates: EvidenceTemplate[] }>('listTemplates', {}).templates.map((t) => [t.type, t.version]), [['business-licence', 2]]);
  assert.equal(c.one(org1, 'defineTemplate', { ...licence, fields: [{ name: 'a', label: 'A', hashed: false }] }).errorCode, 'EVIDENCE_TEMPLATE_INVALID');
});

test('an evidence chain (case) records each step in order: open, record into it, link, note, close; closed cases and other organizations are refused', () => {
  const c = new Chain();
  const opened = c.ok<EvidenceCase>(org1, 'openCase', { caseId: 'AJ-2026-0001', type: 'inspection', businessRef: 'JC-7' });
  assert.equal(opened.status, 'open');
  const { records } = c.ok<{ records: EvidenceRecord[] }>(org1, 'record', { hash: h('photo1'), type: 'photo', caseId: 'AJ-2026-0001' });
  assert.equal(records[0]!.caseSeq, 2);
  const other = c.ok<{ records: EvidenceRecord[] }>(sender(0), 'record', { hash: h('report'), type: 'report' }).records[0]!;
  assert.equal(c.ok<CaseStep>(sender(0), 'linkToCase', { caseId: 'AJ-2026-0001', evidenceId: other.id }).seq, 3, 'another key of the same organization may append');
  c.ok(org1, 'linkToCase', { caseId: 'AJ-2026-0001', note: '现场检查完成' });
  assert.equal(c.one(org2, 'linkToCase', { caseId: 'AJ-2026-0001', note: 'x' }).errorCode, 'EVIDENCE_CASE_FORBIDDEN');
  c.ok(org1, 'closeCase', { caseId: 'AJ-2026-0001' });
  assert.equal(c.one(org1, 'record', { hash: h('late'), type: 'photo', caseId: 'AJ-2026-0001' }).errorCode, 'EVIDENCE_CASE_CLOSED');
  assert.equal(c.one(org1, 'openCase', { caseId: 'AJ-2026-0001' }).errorCode, 'EVIDENCE_CASE_EXISTS');
  const got = c.query<{ case: EvidenceCase; steps: CaseStep[] }>('getCase', { caseId: 'AJ-2026-0001' });
  assert.equal(got.case.status, 'closed');
  assert.deepEqual(got.steps.map((s) => [s.seq, s.action]), [[1, 'open'], [2, 'record'], [3, 'link'], [4, 'note'], [5, 'close']]);
  assert.deepEqual(got.steps.map((s) => s.height), [1, 2, 4, 5, 7]);
  const paged = c.query<{ steps: CaseStep[]; next: string }>('getCase', { caseId: 'AJ-2026-0001', limit: 2 });
  assert.deepEqual(c.query<{ steps: CaseStep[] }>('getCase', { caseId: 'AJ-2026-0001', cursor: paged.next, limit: 10 }).steps.map((s) => s.seq), [3, 4, 5]);
});

test('executing the same evidence block twice gives identical receipts and state writes', () => {
  const txs = [call(org1, 'defineTemplate', { type: 'doc', name: '文书', kind: 'file', fields: [] }), call(org1, 'record', { hash: h('d'), type: 'doc' }), call(org2, 'openCase', {})];
  const run = () => executor.executeBlock({ chainId: 'c1', height: 3, timeMs: 5_000 }, txs, new MemoryState());
  assert.deepEqual(run(), run());
});
