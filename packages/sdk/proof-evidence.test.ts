import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from '@govchain/base';
import { EVIDENCE_PROOF_FORMAT, evidenceFieldsBytes, evidenceFieldsHash, verifyEvidenceProof, type EvidenceProofJson, type EvidenceRecord } from './proof-evidence.ts';
import { makeTestChain, makeTestProof } from './proof-testkit.ts';

const chain = makeTestChain({ suite: 'gm', validators: 4, chainId: 'evidence-proof' });
const fields = { name: '某某餐饮有限公司', number: 'JY14102000012345', holder: '赵六' };
const fieldsHash = evidenceFieldsHash('gm', 'food-licence', 2, fields);

function bundleOf(kind: 'file' | 'fields', hash: string, method = 'record'): EvidenceProofJson {
  let record!: EvidenceRecord;
  const txProof = makeTestProof(chain, {
    contract: 'evidence', method, args: { type: 'food-licence', hash },
    result: (tx: { txId: string; height: number; timeMs: number }) => {
      record = {
        id: `${tx.txId.slice(0, 32)}0000`, kind, hash, type: 'food-licence', templateVersion: kind === 'fields' ? 2 : null, owner: '12'.repeat(20),
        organization: null, submitter: '34'.repeat(20), businessRef: null, caseId: null, caseSeq: null, metadata: {}, size: null, mediaType: null,
        recordedAtMs: tx.timeMs, height: tx.height, txId: tx.txId,
      };
      return { records: [record] };
    },
  });
  return { format: EVIDENCE_PROOF_FORMAT, evidenceId: record.id, record, txProof };
}

test('core fields: canonical bytes are domain, type, template version and name-sorted normalized pairs; the verifier accepts the same fields in any order and spacing', () => {
  const bytes = evidenceFieldsBytes('t', 1, { b: ' 2 ', a: '1' });
  const expected = [
    27, ...utf8('govchain/evidence/fields/v1'), 1, ...utf8('t'), 0, 0, 0, 1, 2,
    1, ...utf8('a'), 1, ...utf8('1'), 1, ...utf8('b'), 1, ...utf8('2'),
  ];
  assert.deepEqual([...bytes], expected);
  // NFC: a decomposed é (e + U+0301) hashes like the composed one.
  assert.equal(evidenceFieldsHash('gm', 't', 1, { a: 'e\u0301' }), evidenceFieldsHash('gm', 't', 1, { a: '\u00e9' }));
  const b = bundleOf('fields', fieldsHash);
  assert.equal(verifyEvidenceProof(b, { fields: { holder: ' 赵六', number: 'JY14102000012345', name: '某某餐饮有限公司' } }).ok, true);
  const wrong = verifyEvidenceProof(b, { fields: { ...fields, number: 'JY14102000012346' } });
  assert.equal(wrong.failure?.code, 'PROOF_FIELDS_HASH_MISMATCH');
  assert.equal(verifyEvidenceProof(bundleOf('file', fieldsHash), { fields }).failure?.code, 'PROOF_FIELDS_HASH_MISMATCH');
});

test('an evidence bundle fails when its tx is not an evidence recording, does not hold the record, or its record was edited', () => {
  const file = utf8('scan');
  const b = bundleOf('file', toHex(chain.suite.hash(file)));
  assert.equal(verifyEvidenceProof(b, { file, trustedGenesis: utf8(chain.genesisText) }).ok, true);
  assert.equal(verifyEvidenceProof(b, { hash: '00'.repeat(32) }).failure?.code, 'PROOF_HASH_MISMATCH');
  assert.equal(verifyEvidenceProof({ ...b, txProof: makeTestProof(chain) }).failure?.code, 'PROOF_NOT_EVIDENCE');
  assert.equal(verifyEvidenceProof({ ...b, evidenceId: 'ff'.repeat(18) }).failure?.code, 'PROOF_RECORD_NOT_IN_TX');
  assert.equal(verifyEvidenceProof({ ...b, record: { ...b.record, type: 'other' } }).failure?.code, 'PROOF_RECORD_MISMATCH');
  assert.equal(verifyEvidenceProof({ ...b, format: 'x' } as unknown as EvidenceProofJson).failure?.code, 'PROOF_UNSUPPORTED_FORMAT');
  const tamperedTx = JSON.parse(JSON.stringify(b)) as EvidenceProofJson;
  tamperedTx.txProof.receipt = tamperedTx.txProof.receipt.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  assert.match(verifyEvidenceProof(tamperedTx).failure!.code, /^PROOF_RECEIPT_/);
});
