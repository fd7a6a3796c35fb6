/**
 * The public verification page (查证) in headless Chromium: a person picks a file, the page hashes it with SM3 in
 * the browser, finds the record, verifies its chain proof in the browser and offers the proof for download; a
 * changed file is reported as not recorded; an evidence id from a QR code link opens the record; the page works at
 * phone width and inside an iframe of another portal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { toHex, utf8 } from '@govchain/base';
import type { EvidenceRecord } from '@govchain/sdk';
import { startHarness, type Harness } from './evidence-harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let h: Harness;
let browser: Browser;
let dir: string;
let record: EvidenceRecord;
const original = utf8('不动产登记证明 鄂(2026)开封市不动产证明第0012345号 '.repeat(50));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govchain-verify-page-'));
  h = await startHarness({ listen: true, users: [{ userId: 'clerk', permissions: ['evidence:record', 'evidence:read'] }] });
  const r = await h.request('POST', '/records', { user: 'clerk', json: { type: 'property-certificate', file: Buffer.from(original).toString('base64'), businessRef: 'BDC-0012345' } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  record = r.json.records[0];
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await h?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('a person drops the original file: the page hashes it in the browser, shows when it was recorded, and verifies the proof in the browser', async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const uploads: string[] = [];
  page.on('request', (req) => {
    if (req.method() !== 'GET') uploads.push(req.url());
  });
  try {
    await page.goto(`${h.url}/verify`);
    assert.equal(await page.locator('h1').innerText(), '存证核验');
    const file = join(dir, '证明.pdf');
    writeFileSync(file, original);
    await page.setInputFiles('#file', file);
    const card = page.locator(`article.card[data-evidence-id="${record.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    await page.locator(`article.card[data-evidence-id="${record.id}"][data-proof="valid"]`).waitFor({ timeout: 30_000 });
    const text = await card.innerText();
    assert.match(text, /已存证/);
    assert.match(text, /区块链证明已在本机验证通过（1[0-9] 项检查）/);
    assert.ok(text.includes(record.hash));
    assert.ok(text.includes(record.txId));
    assert.match(await page.locator('#status').innerText(), new RegExp(record.hash));
    assert.deepEqual(uploads, [], 'the file never leaves the browser');
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a[download]').click()]);
    const proof = JSON.parse(await streamText(await download.createReadStream()));
    assert.equal(proof.format, 'govchain-evidence-proof/1');
    assert.equal(proof.evidenceId, record.id);
    // Phone width: nothing overflows sideways.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  } finally {
    await page.close();
  }
});

test('a changed file is reported as not recorded', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${h.url}/verify?lang=en`);
    const file = join(dir, 'changed.pdf');
    writeFileSync(file, utf8('不动产登记证明 (altered)'));
    await page.setInputFiles('#file', file);
    await page.locator('#not-found').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#not-found').innerText(), /Not recorded/);
  } finally {
    await page.close();
  }
});

test('the QR code link opens the record by evidence id inside an iframe of another portal, anchored to the genesis hash the portal publishes', async () => {
  const genesisHash = toHex(h.suite.hash(h.genesisBytes));
  const portal: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>portal</title><h1>政务服务网</h1><iframe id="f" src="${h.url}/verify?id=${record.id}&genesisHash=${genesisHash}" style="width:100%;height:900px"></iframe>`);
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage();
  try {
    // A different origin (localhost vs 127.0.0.1) embeds the page.
    await page.goto(`http://localhost:${(portal.address() as { port: number }).port}/`);
    // The portal passes the published genesis hash: the proof is anchored to it in the browser.
    const frame = page.frameLocator('#f');
    await frame.locator(`article.card[data-evidence-id="${record.id}"][data-proof="valid"][data-anchor="genesis-hash"]`).waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('#results').innerText(), /已与公布的创世哈希核对/);
    assert.match(await frame.locator('#results').innerText(), /BDC-0012345/);
  } finally {
    await page.close();
    await new Promise((resolve) => portal.close(resolve));
  }
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
