/**
 * The evidence certificate (出证): a one-page PDF (pdfkit) per evidence record, or a report per evidence chain, saying
 * what was recorded, when, by whom, at which block height and in which tx, which validators signed that block, and
 * the result of the offline proof check the gateway ran before issuing it — with a QR code leading to the public
 * verification page. Chinese first with English. Chinese needs a CJK font: the first of `fontPath` and a few
 * usual system locations that exists (e.g. fonts-wqy-microhei, fonts-noto-cjk); without one the PDF is English only.
 */
import { existsSync } from 'node:fs';
import type { EvidenceRecord, EvidenceVerdict } from '@govchain/sdk';
import type { CaseStep, EvidenceCase, EvidenceTemplate } from './contract.ts';

const FONT_CANDIDATES: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'MicrosoftYaHei' },
];

export interface CertificateFont {
  path: string;
  /** PostScript name of the font inside a .ttc collection (e.g. WenQuanYiMicroHei). */
  family?: string;
}

export function findCjkFont(configured?: CertificateFont): CertificateFont | null {
  if (configured !== undefined) return existsSync(configured.path) ? configured : null;
  return FONT_CANDIDATES.find((c) => existsSync(c.path)) ?? null;
}

export interface CertificateInput {
  record: EvidenceRecord;
  template: EvidenceTemplate | null;
  verdict: EvidenceVerdict;
  blockHash: string;
  suite: 'gm' | 'intl';
  chainId: string;
  verifyUrl: string;
  issuedBy: string;
  issuedAtMs: number;
  font: CertificateFont | null;
}

export interface CaseReportInput {
  caseInfo: EvidenceCase;
  steps: CaseStep[];
  records: Map<string, EvidenceRecord>;
  chainId: string;
  verifyUrl: string;
  issuedBy: string;
  issuedAtMs: number;
  font: CertificateFont | null;
}

function beijingTime(ms: number): string {
  const s = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(ms));
  return `${s} (UTC+8) / ${new Date(ms).toISOString()}`;
}

type Doc = InstanceType<typeof import('pdfkit')>;

async function newDoc(title: string, subject: string, font: CertificateFont | null): Promise<{ doc: Doc; done: Promise<Buffer>; zh: boolean }> {
  const PDFDocument = (await import('pdfkit')).default;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Subject: subject, Creator: 'govchain evidence', Producer: 'govchain' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let zh = false;
  if (font !== null) {
    try {
      doc.registerFont('cjk', font.path, font.family);
      doc.font('cjk');
      zh = true;
      (doc as unknown as { cjk?: boolean }).cjk = true;
    } catch {
      doc.font('Helvetica');
    }
  }
  return { doc, done, zh };
}

/** `zh / en` label when Chinese can be drawn, else `en`. */
const label = (zh: boolean, cn: string, en: string): string => (zh ? `${cn} ${en}` : en);

/** Without a CJK font, characters outside Latin-1 cannot be drawn: they become '?'. */
const drawable = (doc: Doc, text: string): string => ((doc as unknown as { cjk?: boolean }).cjk ? text : text.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?'));

function row(doc: Doc, name: string, rawValue: string): void {
  const value = drawable(doc, rawValue);
  const y = doc.y;
  doc.fontSize(9).fillColor('#555').text(drawable(doc, name), 50, y, { width: 150 });
  const afterLabel = doc.y;
  doc.fontSize(9).fillColor('#000').text(value, 205, y, { width: 340 });
  doc.y = Math.max(doc.y, afterLabel) + 4;
}

async function qrPng(url: string): Promise<Buffer> {
  const QRCode = (await import('qrcode')).default;
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
}

/** The certificate of one evidence record. */
export async function renderEvidenceCertificate(input: CertificateInput): Promise<Buffer> {
  const { record, verdict } = input;
  const { doc, done, zh } = await newDoc(`Evidence certificate ${record.id}`, `evidence ${record.id} hash ${record.hash}`, input.font);
  const algo = input.suite === 'gm' ? 'SM3' : 'SHA-256';
  doc.fontSize(20).fillColor('#000').text(zh ? '电子存证证明' : 'Evidence Certificate', { align: 'center' });
  if (zh) doc.fontSize(12).text('Evidence Certificate', { align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(10).fillColor('#000').text(zh
    ? `兹证明下列数据的${algo}哈希值已于下述时间记录在区块链 ${input.chainId} 上，并经该链验证节点共识确认。\nThis certifies that the ${algo} hash below was recorded on chain ${input.chainId} at the time stated and confirmed by its validators' consensus.`
    : `This certifies that the ${algo} hash below was recorded on chain ${input.chainId} at the time stated and confirmed by its validators' consensus.`);
  doc.moveDown(0.8);
  const typeName = input.template === null ? record.type : `${record.type} (${zh ? input.template.name : input.template.nameEn ?? input.template.name}${input.template.version ? ` v${input.template.version}` : ''})`;
  row(doc, label(zh, '存证编号', 'Evidence ID'), record.id);
  row(doc, label(zh, '存证类型', 'Type'), typeName);
  row(doc, label(zh, '存证内容', 'What'), record.kind === 'file'
    ? label(zh, `文件${record.size === null ? '' : `（${record.size} 字节）`}`, `file${record.size === null ? '' : ` (${record.size} bytes)`}${record.mediaType === null ? '' : `, ${record.mediaType}`}`)
    : label(zh, '核心字段', 'core fields of a data item'));
  row(doc, label(zh, `${algo} 哈希值`, `${algo} hash`), record.hash);
  row(doc, label(zh, '存证时间', 'Recorded at'), beijingTime(record.recordedAtMs));
  row(doc, label(zh, '提交机构', 'Organization'), record.organization === null
    ? label(zh, '（无机构证书）', '(no organization certificate)')
    : `${record.organization}${verdict.tx?.sender.organization === record.organization ? label(zh, '（证书已验证）', ' (certificate verified)') : ''}`);
  row(doc, label(zh, '提交者地址', 'Submitter'), record.submitter);
  row(doc, label(zh, '所有者（化名）', 'Owner (pseudonym)'), record.owner);
  if (record.businessRef !== null) row(doc, label(zh, '业务编号', 'Business ref.'), record.businessRef);
  if (record.caseId !== null) row(doc, label(zh, '证据链', 'Evidence chain'), `${record.caseId} #${record.caseSeq}`);
  for (const [k, v] of Object.entries(record.metadata)) {
    const f = input.template?.fields.find((x) => x.name === k);
    row(doc, f === undefined ? k : label(zh, f.label, f.labelEn ?? k), String(v));
  }
  doc.moveDown(0.5);
  row(doc, label(zh, '区块高度', 'Block height'), String(record.height));
  row(doc, label(zh, '交易哈希', 'Transaction ID'), record.txId);
  row(doc, label(zh, '区块哈希', 'Block hash'), input.blockHash);
  row(doc, label(zh, '签名验证节点', 'Signed by'), (verdict.tx?.signers ?? []).map((s) => `${s.name} (${s.organization})`).join(', '));
  row(doc, label(zh, '创世哈希', 'Genesis hash'), verdict.trust?.genesisHash ?? '');
  row(doc, label(zh, '证明核验', 'Proof check'), verdict.ok
    ? label(zh, `通过（${verdict.checks.length} 项检查）`, `passed (${verdict.checks.length} checks)`)
    : `${verdict.failure?.code}: ${verdict.failure?.message}`);
  doc.moveDown(1);
  const qrTop = doc.y;
  doc.image(await qrPng(input.verifyUrl), 50, qrTop, { width: 120 });
  doc.fontSize(9).fillColor('#000').text(zh
    ? '扫描二维码或访问下列地址，上传原文件或输入存证编号即可核验；也可下载证明文件离线核验（govchain verify）。\nScan the code or open the address below to check a file or an evidence ID; the proof can also be downloaded and checked offline (govchain verify).'
    : 'Scan the code or open the address below to check a file or an evidence ID; the proof can also be downloaded and checked offline (govchain verify).', 185, qrTop, { width: 360 });
  doc.moveDown(0.5);
  doc.fillColor('#1a4fa0').text(input.verifyUrl, 185, doc.y, { width: 360, link: input.verifyUrl });
  doc.y = Math.max(doc.y, qrTop + 130);
  doc.moveDown(1);
  doc.fontSize(8).fillColor('#555').text(drawable(doc, `${label(zh, '出证机构', 'Issued by')}: ${input.issuedBy}    ${label(zh, '出证时间', 'Issued at')}: ${beijingTime(input.issuedAtMs)}`), 50, doc.y, { width: 495 });
  doc.end();
  return done;
}

/** The report of an evidence chain: the case and every step with its record, in order. */
export async function renderCaseReport(input: CaseReportInput): Promise<Buffer> {
  const c = input.caseInfo;
  const { doc, done, zh } = await newDoc(`Evidence chain report ${c.id}`, `case ${c.id}`, input.font);
  doc.fontSize(20).text(zh ? '证据链存证报告' : 'Evidence Chain Report', { align: 'center' });
  if (zh) doc.fontSize(12).text('Evidence Chain Report', { align: 'center' });
  doc.moveDown(0.8);
  row(doc, label(zh, '案件编号', 'Case ID'), c.id);
  row(doc, label(zh, '状态', 'Status'), c.status === 'open' ? label(zh, '进行中', 'open') : label(zh, '已结案', 'closed'));
  row(doc, label(zh, '机构', 'Organization'), c.organization ?? '-');
  if (c.businessRef !== null) row(doc, label(zh, '业务编号', 'Business ref.'), c.businessRef);
  row(doc, label(zh, '立案时间', 'Opened at'), beijingTime(c.openedAtMs));
  if (c.closedAtMs !== null) row(doc, label(zh, '结案时间', 'Closed at'), beijingTime(c.closedAtMs));
  row(doc, label(zh, '步骤数', 'Steps'), String(c.steps));
  doc.moveDown(0.6);
  const actions: Record<CaseStep['action'], [string, string]> = {
    open: ['立案', 'opened'], record: ['存证', 'recorded'], link: ['关联证据', 'linked'], note: ['备注', 'note'], close: ['结案', 'closed'],
  };
  for (const s of input.steps) {
    const [cn, en] = actions[s.action];
    const r = s.evidenceId === null ? undefined : input.records.get(s.evidenceId);
    const what = [
      r === undefined ? null : `${r.type} ${r.hash}`,
      s.evidenceId === null ? null : `${label(zh, '存证编号', 'evidence')} ${s.evidenceId}`,
      s.note,
    ].filter((x) => x !== null).join('\n');
    row(doc, `#${s.seq} ${label(zh, cn, en)}`, `${beijingTime(s.atMs)}\n${label(zh, '区块', 'block')} ${s.height}  tx ${s.txId}\n${s.organization ?? s.submitter}${what === '' ? '' : `\n${what}`}`);
    if (doc.y > 740) doc.addPage();
  }
  doc.moveDown(1);
  if (doc.y > 640) doc.addPage();
  const qrTop = doc.y;
  doc.image(await qrPng(input.verifyUrl), 50, qrTop, { width: 100 });
  doc.fontSize(9).fillColor('#1a4fa0').text(input.verifyUrl, 165, qrTop, { width: 380, link: input.verifyUrl });
  doc.y = Math.max(doc.y, qrTop + 110);
  doc.fontSize(8).fillColor('#555').text(drawable(doc, `${label(zh, '出证机构', 'Issued by')}: ${input.issuedBy}    ${label(zh, '出证时间', 'Issued at')}: ${beijingTime(input.issuedAtMs)}`), 50, doc.y, { width: 495 });
  doc.end();
  return done;
}
