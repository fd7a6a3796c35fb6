/**
 * The evidence app through its REST API, against a real single-validator node started in this process, a real
 * SQLite database and the real encrypted file store: record → retrieve → verify offline, files only for the
 * entitled, core-field evidence, batches, evidence chains, certificates and the public verification routes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex, utf8 } from '@govchain/base';
import { verifyEvidenceProof, type EvidenceProofJson, type EvidenceRecord } from '@govchain/sdk';
import { startHarness, type Harness } from './evidence-harness.ts';

let h: Harness;
const ALL = ['evidence:record', 'evidence:read', 'evidence:template'];

before(async () => {
  h = await startHarness({
    users: [
      { userId: 'alice', permissions: ALL },
      { userId: 'bob', permissions: ['evidence:read', 'evidence:record'] },
      { userId: 'reader', permissions: ['evidence:read'] },
    ],
  });
});

after(async () => {
  await h?.close();
});

const pdfBytes = utf8('%PDF-1.4 行政许可决定书 第2026-0042号 '.repeat(200));
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

async function recordFile(user: string, bytes: Uint8Array, extra: Record<string, unknown> = {}): Promise<EvidenceRecord> {
  const r = await h.request('POST', '/records', { user, json: { type: 'permit', file: b64(bytes), fileName: '许可决定书.pdf', mediaType: 'application/pdf', ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.records[0];
}

test('record → retrieve → verify: a file recorded through the API comes back, and its proof bundle verifies offline against the genesis', async () => {
  const record = await recordFile('alice', pdfBytes, { businessRef: 'XK-2026-0042', metadata: { dept: '行政审批局' } });
  assert.equal(record.hash, toHex(h.suite.hash(pdfBytes)));
  assert.equal(record.organization, 'org1');
  assert.equal(record.kind, 'file');
  assert.equal(record.size, pdfBytes.length);

  const got = await h.request('GET', `/records/${record.id}`, { user: 'alice' });
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.record, record);
  assert.deepEqual(got.json.file, { stored: true, entitled: true });
  const byRef = await h.request('GET', '/records?businessRef=XK-2026-0042', { user: 'reader' });
  assert.deepEqual(byRef.json.records.map((r: EvidenceRecord) => r.id), [record.id]);
  const mine = await h.request('GET', '/records?owner=me', { user: 'alice' });
  assert.ok(mine.json.records.some((r: EvidenceRecord) => r.id === record.id));

  const file = await h.request('GET', `/records/${record.id}/file`, { user: 'alice' });
  assert.equal(file.status, 200);
  assert.deepEqual(new Uint8Array(file.body), pdfBytes);
  assert.match(String(file.headers['content-disposition']), /filename\*=UTF-8''/);

  // Public, no login: the verification routes and the proof bundle.
  const pub = await h.request('GET', `/public/records?hash=${record.hash}`);
  assert.deepEqual(pub.json.records.map((r: EvidenceRecord) => r.id), [record.id]);
  const proof = await h.request('GET', `/public/records/${record.id}/proof?download=1`);
  assert.equal(proof.status, 200);
  assert.match(String(proof.headers['content-disposition']), /attachment/);
  const bundle = proof.json as EvidenceProofJson;
  const verdict = verifyEvidenceProof(bundle, { file: pdfBytes, trustedGenesis: h.genesisBytes });
  assert.equal(verdict.ok, true, JSON.stringify(verdict.failure));
  assert.equal(verdict.trust?.anchor, 'genesis');
  assert.equal(verdict.record?.id, record.id);
  assert.equal(verdict.tx?.sender.organization, 'org1', 'the admin certificate in the tx names the organization');
  assert.ok(verdict.checks.some((c) => c.name === 'file-hash' && c.ok));

  // The bundle carries the genesis file, so the published genesis hash alone anchors it.
  const genesisHash = toHex(h.suite.hash(h.genesisBytes));
  const byHash = verifyEvidenceProof(bundle, { trustedGenesisHash: genesisHash });
  assert.equal(byHash.trust?.anchor, 'genesis-hash', JSON.stringify(byHash.failure));
  assert.equal((await h.request('GET', '/public/info')).json.genesisHash, genesisHash);
  const check = await h.request('POST', '/public/verify', { json: { id: record.id, hash: record.hash } });
  assert.equal(check.json.match, true, check.json.reason);
});

test('a changed file fails verification with a reason saying its hash differs from the recorded one', async () => {
  const record = await recordFile('alice', utf8('合同正文 v1'));
  const bundle = (await h.request('GET', `/public/records/${record.id}/proof`)).json as EvidenceProofJson;
  const changed = utf8('合同正文 v2');
  const verdict = verifyEvidenceProof(bundle, { file: changed });
  assert.equal(verdict.ok, false);
  assert.equal(verdict.failure?.code, 'PROOF_FILE_HASH_MISMATCH');
  assert.match(verdict.failure!.message, /SM3 hash [0-9a-f]{64} differs from the recorded hash/);
  const pub = await h.request('POST', '/public/verify', { json: { hash: toHex(h.suite.hash(changed)) } });
  assert.equal(pub.json.recorded, false);
  assert.match(pub.json.reason, /never recorded/);
  const byId = await h.request('POST', '/public/verify', { json: { id: record.id, hash: toHex(h.suite.hash(changed)) } });
  assert.equal(byId.json.match, false);
  assert.match(byId.json.reason, /PROOF_HASH_MISMATCH/);
});

test('a real node proof with one byte changed in the tx, a path, the header or a signature fails naming what failed', async () => {
  const record = await recordFile('alice', utf8('篡改测试'));
  const bundle = (await h.request('GET', `/public/records/${record.id}/proof`)).json as EvidenceProofJson;
  const flip = (hex: string, at: number): string => {
    const b = fromHex(hex);
    b[at] = b[at]! ^ 0x40;
    return toHex(b);
  };
  const tamper = (f: (p: EvidenceProofJson['txProof']) => void): string => {
    const copy = JSON.parse(JSON.stringify(bundle)) as EvidenceProofJson;
    f(copy.txProof);
    return verifyEvidenceProof(copy).failure?.code ?? 'VALID';
  };
  const txLen = bundle.txProof.tx.length / 2;
  for (const at of [3, Math.floor(txLen / 2), txLen - 1]) {
    assert.match(tamper((p) => void (p.tx = flip(p.tx, at))), /^PROOF_TX_(MALFORMED|BAD_SIGNATURE|PATH_INVALID|WRONG_CHAIN)$/);
  }
  assert.equal(tamper((p) => void (p.header = flip(p.header, 40))), 'PROOF_HEADER_HASH_MISMATCH');
  const certLen = bundle.txProof.certificate.length / 2;
  assert.equal(tamper((p) => void (p.certificate = flip(p.certificate, certLen - 5))), 'PROOF_BAD_VALIDATOR_SIGNATURE');
  assert.equal(tamper((p) => void (p.receipt = flip(p.receipt, 40))), 'PROOF_RECEIPT_PATH_INVALID');
  const withPath = bundle.txProof.txPath.length > 0;
  if (withPath) assert.equal(tamper((p) => void (p.txPath[0] = flip(p.txPath[0]!, 0))), 'PROOF_TX_PATH_INVALID');
  const edited = JSON.parse(JSON.stringify(bundle)) as EvidenceProofJson;
  edited.record.recordedAtMs -= 86_400_000;
  assert.equal(verifyEvidenceProof(edited).failure?.code, 'PROOF_RECORD_MISMATCH');
});

test('an unauthenticated caller cannot record (401), and one without evidence:record gets 403', async () => {
  const anon = await h.request('POST', '/records', { json: { type: 'permit', hash: '11'.repeat(32) } });
  assert.equal(anon.status, 401);
  assert.equal(anon.json.code, 'UNAUTHENTICATED');
  const reader = await h.request('POST', '/records', { user: 'reader', json: { type: 'permit', hash: '11'.repeat(32) } });
  assert.equal(reader.status, 403);
  assert.equal((await h.request('POST', '/files', { body: Buffer.from('x') })).status, 401);
  assert.equal((await h.request('GET', '/records?type=permit')).status, 401);
});

test("a caller without rights cannot fetch someone else's file (403 FILE_FORBIDDEN) until the owner grants it", async () => {
  const secret = utf8('身份证复印件（仅限经办人）');
  const record = await recordFile('alice', secret);
  const refused = await h.request('GET', `/records/${record.id}/file`, { user: 'bob' });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'FILE_FORBIDDEN');
  assert.deepEqual((await h.request('GET', `/records/${record.id}`, { user: 'bob' })).json.file, { stored: true, entitled: false });
  assert.ok(h.audit.some((a) => a.action === 'evidence.file.download' && a.result === 'failed' && a.user === 'bob'));
  // Bob cannot grant himself a file he holds no key to.
  assert.equal((await h.request('POST', `/records/${record.id}/grants`, { user: 'bob', json: { userId: 'bob' } })).json.code, 'FILE_FORBIDDEN');
  const grant = await h.request('POST', `/records/${record.id}/grants`, { user: 'alice', json: { userId: 'bob' } });
  assert.equal(grant.status, 201, JSON.stringify(grant.json));
  const fetched = await h.request('GET', `/records/${record.id}/file`, { user: 'bob' });
  assert.equal(fetched.status, 200);
  assert.deepEqual(new Uint8Array(fetched.body), secret);
});

test('a file uploaded raw and recorded by hash; a bare hash recorded without a file', async () => {
  const bytes = utf8('large scan '.repeat(30_000));
  const up = await h.request('POST', '/files?name=scan.tif&mediaType=image/tiff', { user: 'bob', body: Buffer.from(bytes) });
  assert.equal(up.status, 201, JSON.stringify(up.json));
  assert.equal(up.json.algorithm, 'SM3');
  const rec = await h.request('POST', '/records', { user: 'bob', json: { type: 'scan', hash: up.json.hash } });
  assert.equal(rec.status, 201);
  assert.equal(rec.json.records[0].size, bytes.length);
  assert.equal(rec.json.records[0].mediaType, 'image/tiff');
  assert.deepEqual(new Uint8Array((await h.request('GET', `/records/${rec.json.records[0].id}/file`, { user: 'bob' })).body), bytes);
  const bare = await h.request('POST', '/records', { user: 'bob', json: { type: 'scan', hash: '22'.repeat(32) } });
  assert.equal(bare.status, 201);
  assert.deepEqual((await h.request('GET', `/records/${bare.json.records[0].id}`, { user: 'bob' })).json.file, { stored: false, entitled: false });
  const two = await h.request('POST', '/records', { user: 'bob', json: { type: 'scan', hash: '22'.repeat(32), file: 'AAAA' } });
  assert.equal(two.json.code, 'EVIDENCE_INPUT_INVALID');
});

test('core-field evidence: a licence recorded by its fields is verified by name, number and holder, with personal fields never on chain', async () => {
  const tpl = await h.request('POST', '/templates', {
    user: 'alice',
    json: {
      type: 'business-licence', name: '营业执照', nameEn: 'Business licence', kind: 'fields',
      fields: [
        { name: 'name', label: '名称', labelEn: 'Name', hashed: true }, { name: 'number', label: '统一社会信用代码', labelEn: 'Credit code', hashed: true },
        { name: 'holder', label: '法定代表人', labelEn: 'Legal representative', hashed: true }, { name: 'issuer', label: '登记机关', labelEn: 'Registrar', hashed: false },
      ],
    },
  });
  assert.equal(tpl.status, 201, JSON.stringify(tpl.json));
  const fields = { name: '开封某某科技有限公司', number: '91410200MA44XXXX1Q', holder: '王小明', issuer: '开封市市场监督管理局' };
  const rec = await h.request('POST', '/records', { user: 'alice', json: { type: 'business-licence', fields } });
  assert.equal(rec.status, 201, JSON.stringify(rec.json));
  const record = rec.json.records[0] as EvidenceRecord;
  assert.equal(record.kind, 'fields');
  assert.deepEqual(record.metadata, { issuer: '开封市市场监督管理局' });
  const proof = (await h.request('GET', `/public/records/${record.id}/proof`)).json as EvidenceProofJson;
  assert.equal(proof.txProof.tx.includes(toHex(utf8('王小明'))), false, 'the holder name is not in the tx');
  assert.equal(verifyEvidenceProof(proof, { fields: { name: fields.name, number: fields.number, holder: fields.holder } }).ok, true);
  assert.equal(verifyEvidenceProof(proof, { fields: { name: fields.name, number: fields.number, holder: '王小名' } }).failure?.code, 'PROOF_FIELDS_HASH_MISMATCH');
  const ok = await h.request('POST', '/public/verify', { json: { type: 'business-licence', fields: { name: fields.name, number: ` ${fields.number} `, holder: fields.holder } } });
  assert.equal(ok.json.recorded, true);
  const wrong = await h.request('POST', '/public/verify', { json: { type: 'business-licence', fields: { ...fields, holder: '李四' } } });
  assert.equal(wrong.json.recorded, false);
  const missing = await h.request('POST', '/records', { user: 'alice', json: { type: 'business-licence', fields: { name: 'x', number: 'y' } } });
  assert.equal(missing.json.code, 'EVIDENCE_FIELD_MISSING');
  const pii = await h.request('POST', '/records', { user: 'alice', json: { type: 'permit', hash: '33'.repeat(32), metadata: { applicant: '410203199001011234' } } });
  assert.equal(pii.status, 400);
  assert.equal(pii.json.code, 'EVIDENCE_PERSONAL_DATA');
  assert.equal((await h.request('GET', '/public/templates')).json.templates[0].type, 'business-licence');
});

test('a batch of 120 items is recorded in 3 transactions and found by type, page by page', async () => {
  const items = Array.from({ length: 120 }, (_, i) => ({ type: 'archive-batch', hash: toHex(h.suite.hash(utf8(`archive ${i}`))), businessRef: `DA-${i}` }));
  const r = await h.request('POST', '/records/batch', { user: 'alice', json: { items } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.txs.length, 3);
  assert.ok(r.json.txs.every((t: { status: string }) => t.status === 'committed'));
  assert.equal(r.json.records.length, 120);
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { json: { records: EvidenceRecord[]; next: string | null } } = await h.request('GET', `/records?type=archive-batch&limit=50${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, { user: 'reader' });
    for (const rec of page.json.records) seen.add(rec.id);
    cursor = page.json.next;
  } while (cursor !== null);
  assert.equal(seen.size, 120);
});

test('an evidence chain is opened, appended to and closed, and its report and each record certificate are PDFs with a QR code to the verification page', async () => {
  const opened = await h.request('POST', '/cases', { user: 'alice', json: { caseId: 'ZF-2026-118', type: 'inspection', note: '立案' } });
  assert.equal(opened.status, 201, JSON.stringify(opened.json));
  const first = await recordFile('alice', utf8('现场照片 1'), { caseId: 'ZF-2026-118' });
  const second = await recordFile('alice', utf8('询问笔录'), { caseId: 'ZF-2026-118' });
  assert.deepEqual([first.caseSeq, second.caseSeq], [2, 3]);
  assert.equal((await h.request('POST', '/cases/ZF-2026-118/steps', { user: 'alice', json: { note: '移送法制审核' } })).status, 201);
  assert.equal((await h.request('POST', '/cases/ZF-2026-118/close', { user: 'alice', json: {} })).status, 200);
  const late = await h.request('POST', '/records', { user: 'alice', json: { type: 'permit', hash: '44'.repeat(32), caseId: 'ZF-2026-118' } });
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'EVIDENCE_CASE_CLOSED');
  const c = await h.request('GET', '/cases/ZF-2026-118', { user: 'reader' });
  assert.deepEqual(c.json.steps.map((s: { action: string }) => s.action), ['open', 'record', 'record', 'note', 'close']);

  const report = await h.request('GET', '/cases/ZF-2026-118/report.pdf', { user: 'reader' });
  assert.equal(report.status, 200, report.body.toString());
  assert.equal(report.headers['content-type'], 'application/pdf');
  assert.equal(report.body.subarray(0, 5).toString(), '%PDF-');
  const cert = await h.request('GET', `/records/${first.id}/certificate.pdf`, { user: 'reader', headers: { host: 'gw.example.gov.cn' } });
  assert.equal(cert.status, 200, cert.body.toString());
  const text = cert.body.toString('latin1');
  assert.equal(text.slice(0, 5), '%PDF-');
  assert.match(text, /%%EOF\s*$/);
  assert.ok(text.includes(`Evidence certificate ${first.id}`), 'the PDF info names the evidence id');
  assert.ok(text.includes('/Subtype /Image'), 'the QR code is embedded');
  assert.ok(text.includes(`http://gw.example.gov.cn/api/apps/evidence/verify?id=${first.id}`), 'the link leads to the verification page');
  assert.ok(h.audit.some((a) => a.action === 'evidence.certificate' && a.target === first.id && a.result === 'ok'));
});

test('the verification page is public and embeddable: no X-Frame-Options DENY, a frame-ancestors policy, and its script builds', async () => {
  const page = await h.request('GET', '/verify');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.equal(page.headers['x-frame-options'], undefined);
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors \*/);
  assert.match(page.body.toString(), /name="viewport"/);
  const js = await h.request('GET', '/verify.js');
  assert.equal(js.status, 200);
  assert.ok(js.body.length > 10_000);
  assert.doesNotMatch(js.body.toString(), /require\(["']node:/);
  const api = await h.request('GET', '/public/info');
  assert.deepEqual(api.json, { chainId: 'evidence-test', suite: 'gm', algorithm: 'SM3', organization: null, genesisHash: toHex(h.suite.hash(h.genesisBytes)) });
  assert.equal((await h.request('GET', '/records/000000000000000000000000000000000000', { user: 'reader' })).status, 404);
  assert.equal((await h.request('GET', '/public/records/000000000000000000000000000000000000')).json.code, 'EVIDENCE_NOT_FOUND');
});
