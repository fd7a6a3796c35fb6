/**
 * The public verification page (查证), bundled for browsers by the evidence app (esbuild) and served at
 * <app>/verify.js. A dropped file is hashed here, in the browser, with pure SM3 (or SHA-256 on an intl chain); only
 * the hash goes to the gateway. Each matching record's proof bundle is then verified here too, offline, with the SDK's
 * verifier (header hash, Merkle paths, > 2/3 validator signatures, validator certificate chains).
 */
import { toHex } from '@govchain/base';
import { getPureSuite } from '@govchain/crypto/pure';
import { evidenceFieldsHash, verifyEvidenceProof, type EvidenceProofJson, type EvidenceRecord } from '@govchain/sdk';

type Lang = 'zh' | 'en';
const TEXT = {
  zh: {
    title: '存证核验', lang: 'English',
    lead: '上传文件或输入存证编号、哈希值，查询是否已在区块链上存证以及存证时间。文件只在您的浏览器中计算哈希，不会上传。',
    tabFile: '文件核验', tabId: '编号 / 哈希', tabFields: '证照信息', drop: '点击选择文件，或将文件拖到这里',
    queryPlaceholder: '存证编号（36位）或哈希值（64位）', search: '查询', type: '证照类型', check: '核验',
    foot: '核验结果由您的浏览器根据区块链证明独立计算：检查区块头哈希、默克尔路径、验证节点签名（超过三分之二）与证书链。',
    hashing: '正在计算文件哈希…', hashOf: '文件哈希', searching: '正在查询…', notFound: '未找到存证记录：该文件（或数据）没有在本链上存证，或内容已被修改。',
    found: (n: number) => `已找到 ${n} 条存证记录`, recorded: '已存证', id: '存证编号', time: '存证时间', typeL: '类型', org: '提交机构', height: '区块高度',
    tx: '交易哈希', hash: '哈希值', ref: '业务编号', caseL: '证据链', verifying: '正在本机验证区块链证明…',
    proofOk: (n: number) => `✓ 区块链证明已在本机验证通过（${n} 项检查）`, proofBad: '✗ 区块链证明验证失败', download: '下载证明文件',
    notAnchored: '提示：请将以下创世哈希与官方公布值核对，以确认本证明来自正确的区块链。', genesis: '创世哈希', checks: '检查明细',
    anchored: '✓ 已与公布的创世哈希核对，证明来自该区块链',
    badQuery: '请输入36位存证编号或64位哈希值', error: '查询失败', noTemplates: '暂无证照模板', mismatch: '哈希不一致',
  },
  en: {
    title: 'Evidence verification', lang: '中文',
    lead: 'Drop a file or enter an evidence ID or hash to see whether and when it was recorded on the chain. Files are hashed in your browser and never uploaded.',
    tabFile: 'File', tabId: 'ID / hash', tabFields: 'Licence fields', drop: 'Choose a file, or drop it here',
    queryPlaceholder: 'Evidence ID (36 hex) or hash (64 hex)', search: 'Search', type: 'Type', check: 'Check',
    foot: 'Your browser checks the chain proof itself: block header hash, Merkle paths, signatures of more than 2/3 of the validators, and their certificate chains.',
    hashing: 'Hashing the file…', hashOf: 'File hash', searching: 'Searching…', notFound: 'Not recorded: this file (or data) was never recorded on this chain, or it has been changed.',
    found: (n: number) => `${n} record(s) found`, recorded: 'Recorded', id: 'Evidence ID', time: 'Recorded at', typeL: 'Type', org: 'Organization', height: 'Block height',
    tx: 'Transaction', hash: 'Hash', ref: 'Business ref.', caseL: 'Evidence chain', verifying: 'Verifying the chain proof in this browser…',
    proofOk: (n: number) => `✓ Chain proof verified in this browser (${n} checks)`, proofBad: '✗ Chain proof verification failed', download: 'Download the proof',
    notAnchored: 'Note: compare the genesis hash below with the officially published value to be sure the proof comes from the right chain.', genesis: 'Genesis hash', checks: 'Checks',
    anchored: '✓ Anchored to the published genesis hash: the proof comes from that chain',
    badQuery: 'Enter a 36-character evidence ID or a 64-character hash', error: 'Request failed', noTemplates: 'No templates yet', mismatch: 'hash differs',
  },
};

interface Info { chainId: string; suite: 'gm' | 'intl'; organization: string | null }
interface TemplateField { name: string; label: string; labelEn: string | null; hashed: boolean }
interface Template { type: string; version: number; name: string; nameEn: string | null; kind: string; fields: TemplateField[] }

const params = new URLSearchParams(location.search);
let lang: Lang = params.get('lang') === 'en' ? 'en' : 'zh';
const base = location.pathname.replace(/\/verify\/?$/, '');
/** A portal embedding the page passes the officially published genesis hash; proofs are then anchored to it. */
const publishedGenesisHash = /^[0-9a-fA-F]{64}$/.test(params.get('genesisHash') ?? '') ? params.get('genesisHash')!.toLowerCase() : null;
let info: Info | null = null;
let templates: Template[] = [];

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const t = () => TEXT[lang];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function applyLang(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = lang === 'zh' ? '存证核验 · Evidence verification' : 'Evidence verification · 存证核验';
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-t]'))) {
    const v = (t() as Record<string, unknown>)[node.dataset.t!];
    if (typeof v === 'string') node.textContent = v;
  }
  for (const node of Array.from(document.querySelectorAll<HTMLInputElement>('[data-tp]'))) {
    const v = (t() as Record<string, unknown>)[node.dataset.tp!];
    if (typeof v === 'string') node.placeholder = v;
  }
  $('lang').textContent = t().lang;
  renderTemplates();
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(base + path, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null) as T & { code?: string; message?: string };
  if (!res.ok) throw new Error(body?.message ?? `${res.status}`);
  return body;
}

function status(text: string): void {
  $('status').textContent = text;
}

function formatTime(ms: number): string {
  const d = new Date(ms);
  const local = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(d);
  return `${local} (UTC+8)`;
}

function recordCard(r: EvidenceRecord, hash: string | null): HTMLElement {
  const dl = el('dl');
  const add = (k: string, v: string): void => void dl.append(el('dt', {}, k), el('dd', {}, v));
  add(t().id, r.id);
  add(t().time, formatTime(r.recordedAtMs));
  add(t().typeL, r.type);
  add(t().org, r.organization ?? '-');
  add(t().height, String(r.height));
  add(t().tx, r.txId);
  add(t().hash, r.hash);
  if (r.businessRef !== null) add(t().ref, r.businessRef);
  if (r.caseId !== null) add(t().caseL, `${r.caseId} #${r.caseSeq}`);
  const proof = el('div', { class: 'proof' }, t().verifying);
  const download = el('a', { href: `${base}/public/records/${r.id}/proof?download=1`, download: `evidence-${r.id}.json` }, t().download);
  const card = el('article', { class: 'card', 'data-evidence-id': r.id }, el('h2', {}, `✔ ${t().recorded}`), dl, proof, el('div', { class: 'actions' }, download));
  void verifyInBrowser(r, hash, card, proof);
  return card;
}

async function verifyInBrowser(r: EvidenceRecord, hash: string | null, card: HTMLElement, box: HTMLElement): Promise<void> {
  try {
    const bundle = await getJson<EvidenceProofJson>(`/public/records/${r.id}/proof`);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const verdict = verifyEvidenceProof(bundle, { ...(hash === null ? {} : { hash }), ...(publishedGenesisHash === null ? {} : { trustedGenesisHash: publishedGenesisHash }) });
    box.textContent = '';
    box.className = `proof ${verdict.ok ? 'ok' : 'bad'}`;
    card.classList.add(verdict.ok ? 'ok' : 'bad');
    card.dataset.proof = verdict.ok ? 'valid' : 'invalid';
    box.append(el('strong', {}, verdict.ok ? t().proofOk(verdict.checks.length) : `${t().proofBad}: ${verdict.failure?.code}`));
    if (!verdict.ok) box.append(el('div', {}, verdict.failure?.message ?? ''));
    if (verdict.trust !== undefined) {
      card.dataset.anchor = verdict.trust.anchor;
      box.append(el('div', {}, verdict.trust.anchor === 'none' ? t().notAnchored : t().anchored), el('div', {}, `${t().genesis}: `, el('code', {}, verdict.trust.genesisHash)));
    }
    const list = el('ul');
    for (const c of verdict.checks) list.append(el('li', {}, `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`));
    box.append(el('details', {}, el('summary', {}, t().checks), list));
  } catch (err) {
    box.className = 'proof bad';
    box.textContent = `${t().proofBad}: ${(err as Error).message}`;
  }
}

function showRecords(records: EvidenceRecord[], hash: string | null): void {
  const results = $('results');
  results.textContent = '';
  if (records.length === 0) {
    results.append(el('article', { class: 'card bad', id: 'not-found' }, el('h2', {}, `✗ ${t().notFound}`)));
    return;
  }
  results.append(el('p', { id: 'found' }, t().found(records.length)));
  for (const r of records) results.append(recordCard(r, hash));
}

async function lookupHash(hash: string, prefix = ''): Promise<void> {
  status(`${prefix}${t().searching}`);
  try {
    const { records } = await getJson<{ records: EvidenceRecord[] }>(`/public/records?hash=${hash}`);
    status(prefix.trim());
    showRecords(records, hash);
  } catch (err) {
    status(`${t().error}: ${(err as Error).message}`);
  }
}

async function lookupId(id: string): Promise<void> {
  status(t().searching);
  try {
    const res = await fetch(`${base}/public/records/${id}`);
    if (res.status === 404) {
      status('');
      showRecords([], null);
      return;
    }
    const body = await res.json() as { record: EvidenceRecord };
    status('');
    showRecords([body.record], null);
  } catch (err) {
    status(`${t().error}: ${(err as Error).message}`);
  }
}

async function suiteName(): Promise<'gm' | 'intl'> {
  info ??= await getJson<Info>('/public/info');
  return info.suite;
}

async function onFile(file: File): Promise<void> {
  status(t().hashing);
  $('results').textContent = '';
  const bytes = new Uint8Array(await file.arrayBuffer());
  const suite = getPureSuite(await suiteName());
  const hash = toHex(suite.hash(bytes));
  await lookupHash(hash, `${t().hashOf} (${suite.name === 'gm' ? 'SM3' : 'SHA-256'}): ${hash}\n`);
}

function onQuery(raw: string): void {
  const q = raw.trim().toLowerCase();
  $('results').textContent = '';
  if (/^[0-9a-f]{36}$/.test(q)) void lookupId(q);
  else if (/^[0-9a-f]{64}$/.test(q)) void lookupHash(q);
  else status(t().badQuery);
}

function renderTemplates(): void {
  const select = $<HTMLSelectElement>('template');
  const current = select.value;
  select.textContent = '';
  const usable = templates.filter((x) => x.kind === 'fields');
  if (usable.length === 0) select.append(el('option', { value: '' }, t().noTemplates));
  for (const x of usable) select.append(el('option', { value: x.type }, lang === 'zh' ? x.name : (x.nameEn ?? x.name)));
  if (current !== '') select.value = current;
  renderFieldInputs();
}

function renderFieldInputs(): void {
  const box = $('field-inputs');
  box.textContent = '';
  const tpl = templates.find((x) => x.type === $<HTMLSelectElement>('template').value);
  if (tpl === undefined) return;
  for (const f of tpl.fields.filter((x) => x.hashed)) {
    box.append(el('label', { class: 'field' }, el('span', {}, lang === 'zh' ? f.label : (f.labelEn ?? f.label)), el('input', { type: 'text', name: f.name, 'data-field': f.name })));
  }
}

async function onFields(): Promise<void> {
  const tpl = templates.find((x) => x.type === $<HTMLSelectElement>('template').value);
  if (tpl === undefined) return;
  const fields: Record<string, string> = {};
  for (const input of Array.from($('field-inputs').querySelectorAll<HTMLInputElement>('input[data-field]'))) fields[input.dataset.field!] = input.value;
  const suite = await suiteName();
  // Records keep the template version their fields were hashed under: try the latest versions, newest first.
  const found: EvidenceRecord[] = [];
  let lastHash = '';
  for (let v = tpl.version; v >= Math.max(1, tpl.version - 4); v--) {
    const hash = evidenceFieldsHash(suite, tpl.type, v, fields);
    lastHash = hash;
    const { records } = await getJson<{ records: EvidenceRecord[] }>(`/public/records?hash=${hash}`);
    found.push(...records);
    if (records.length > 0) {
      lastHash = hash;
      break;
    }
  }
  status('');
  showRecords(found, found.length > 0 ? found[0]!.hash : lastHash);
}

function selectTab(which: 'file' | 'id' | 'fields'): void {
  for (const name of ['file', 'id', 'fields'] as const) {
    $(`tab-${name}`).classList.toggle('active', name === which);
    $(`tab-${name}`).setAttribute('aria-selected', String(name === which));
    $(`panel-${name}`).hidden = name !== which;
  }
  $('results').textContent = '';
  status('');
}

function start(): void {
  applyLang();
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    applyLang();
  });
  $('tab-file').addEventListener('click', () => selectTab('file'));
  $('tab-id').addEventListener('click', () => selectTab('id'));
  $('tab-fields').addEventListener('click', () => selectTab('fields'));
  const input = $<HTMLInputElement>('file');
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f !== undefined) void onFile(f);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void onFile(f);
  });
  $('id-form').addEventListener('submit', (e) => {
    e.preventDefault();
    onQuery($<HTMLInputElement>('query').value);
  });
  $('template').addEventListener('change', renderFieldInputs);
  $('fields-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void onFields();
  });
  void getJson<{ templates: Template[] }>('/public/templates').then((r) => {
    templates = r.templates;
    renderTemplates();
  }).catch(() => undefined);
  const id = params.get('id') ?? params.get('hash');
  if (id !== null) {
    selectTab('id');
    $<HTMLInputElement>('query').value = id;
    onQuery(id);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
