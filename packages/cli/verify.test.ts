import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex, utf8 } from '@govchain/base';
import { EVIDENCE_PROOF_FORMAT, type EvidenceProofJson, type EvidenceRecord } from '@govchain/sdk';
import { makeTestChain, makeTestProof } from '../sdk/proof-testkit.ts';
import { runVerify } from './verify.ts';

let dir: string;
const chain = makeTestChain({ suite: 'gm', validators: 4, chainId: 'cli-verify' });
const file = utf8('会议纪要 2026-11-20');
let paths: Record<string, string>;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'govchain-verify-'));
  const w = (name: string, data: string | Uint8Array): string => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const txProof = makeTestProof(chain, { txCount: 3, index: 1 });
  const tampered = JSON.parse(JSON.stringify(txProof));
  tampered.txPath[0] = tampered.txPath[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
  const hash = toHex(chain.suite.hash(file));
  const base = {
    id: `${'ab'.repeat(16)}0000`, kind: 'file', hash, type: 'minutes', templateVersion: null, owner: 'cd'.repeat(20), organization: null,
    submitter: 'ef'.repeat(20), businessRef: null, caseId: null, caseSeq: null, metadata: {}, size: file.length, mediaType: null,
  };
  let record!: EvidenceRecord;
  const evidenceTx = makeTestProof(chain, {
    contract: 'evidence', method: 'record', args: { type: 'minutes', hash },
    result: (tx: { txId: string; height: number; timeMs: number }) => {
      record = { ...base, recordedAtMs: tx.timeMs, height: tx.height, txId: tx.txId } as EvidenceRecord;
      return { records: [record] };
    },
  });
  const bundle: EvidenceProofJson = { format: EVIDENCE_PROOF_FORMAT, evidenceId: record.id, record, txProof: evidenceTx };
  paths = {
    proof: w('proof.json', JSON.stringify(txProof)), tampered: w('tampered.json', JSON.stringify(tampered)), genesis: w('genesis.json', chain.genesisText),
    evidence: w('evidence.json', JSON.stringify(bundle)), file: w('minutes.txt', file), changed: w('changed.txt', utf8('会议纪要 2026-11-21')),
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a valid proof anchored to the genesis prints every check and VALID, exit code 0', () => {
  const r = runVerify(paths.proof!, undefined, { genesis: paths.genesis! });
  assert.equal(r.code, 0, r.out);
  for (const name of ['block-hash', 'tx-path', 'receipt-path', 'validators-hash', 'validator-certificates', 'commit-certificate', 'trust-anchor']) {
    assert.match(r.out, new RegExp(`✓ ${name}:`));
  }
  assert.match(r.out, /\nVALID$/);
  const fingerprints = chain.orgs.map((o) => toHex(chain.suite.hash(o.root.der)));
  assert.equal(runVerify(paths.proof!, undefined, { rootFingerprint: fingerprints }).code, 0);
  assert.equal(runVerify(paths.proof!, undefined, { rootFingerprint: fingerprints.slice(0, 1) }).code, 1);
});

test('without a trust anchor the verdict is valid but says what to compare', () => {
  const r = runVerify(paths.proof!, undefined, {});
  assert.equal(r.code, 0);
  assert.match(r.out, /NOT ANCHORED/);
  assert.match(r.out, new RegExp(chain.genesisHash));
  assert.match(r.out, /WARNING: not anchored/);
});

test('a tampered proof prints the failed check and exits 1', () => {
  const r = runVerify(paths.tampered!, undefined, { genesis: paths.genesis! });
  assert.equal(r.code, 1);
  assert.match(r.out, /✗ tx-path:/);
  assert.match(r.out, /INVALID PROOF_TX_PATH_INVALID/);
});

test('an evidence proof checks a file: the recorded one passes, a changed one fails saying the hash differs', () => {
  const ok = runVerify(paths.evidence!, paths.file, { genesis: paths.genesis! });
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /✓ file-hash/);
  assert.match(ok.out, /evidence abab/);
  const bad = runVerify(paths.evidence!, paths.changed, { genesis: paths.genesis! });
  assert.equal(bad.code, 1);
  assert.match(bad.out, /INVALID PROOF_FILE_HASH_MISMATCH: the file's SM3 hash [0-9a-f]{64} differs from the recorded hash/);
});

test('the govchain command exits with the verdict: 1 for a file that differs, 2 for unreadable input', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, 'verify', ...args], { encoding: 'utf8' });
  const invalid = run(paths.evidence!, paths.changed!, '--genesis', paths.genesis!);
  assert.equal(invalid.status, 1, invalid.stderr);
  assert.match(invalid.stdout, /INVALID PROOF_FILE_HASH_MISMATCH/);
  const missing = run(join(dir, 'nope.json'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read the proof/);
});
