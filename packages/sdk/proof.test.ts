import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex, utf8 } from '@govchain/base';
import { encodePem, getSuite } from '@govchain/crypto';
import { decodeCommitCertificate, encodeCommitCertificate } from '@govchain/protocol';
import { verifyTxProof, type TxProofInput } from './proof.ts';
import { makeTestChain, makeTestProof } from './proof-testkit.ts';

const chain = makeTestChain({ suite: 'gm', validators: 4 });
const good = makeTestProof(chain, { txCount: 7, index: 5 });
const clone = (p: TxProofInput): TxProofInput => JSON.parse(JSON.stringify(p));

/** The hex string with the byte at `byteIndex` changed (xor 0x01, so it always differs). */
function flipByte(hex: string, byteIndex: number): string {
  const b = fromHex(hex);
  b[byteIndex] = b[byteIndex]! ^ 0x01;
  return toHex(b);
}

function positions(length: number, count: number): number[] {
  const out = new Set<number>([0, length - 1]);
  for (let i = 1; out.size < Math.min(count, length); i++) out.add(Math.floor((i * length) / count) % length);
  return [...out];
}

test('a proof of a committed tx verifies offline, listing each check, and says it is not anchored without a trust anchor', () => {
  const v = verifyTxProof(good);
  assert.equal(v.ok, true, JSON.stringify(v.failure));
  assert.deepEqual(v.checks.map((c) => c.name), [
    'format', 'header', 'block-hash', 'tx-signature', 'tx-path', 'receipt-path', 'validators-hash', 'validator-certificates',
    'commit-certificate', 'sender-certificate', 'trust-anchor', 'tx-outcome',
  ]);
  assert.ok(v.checks.every((c) => c.ok));
  assert.equal(v.trust?.anchor, 'none');
  assert.equal(v.trust?.genesisHash, chain.genesisHash);
  assert.equal(v.trust?.roots.length, 4);
  assert.match(v.checks.find((c) => c.name === 'trust-anchor')!.detail, new RegExp(`NOT ANCHORED.*${chain.genesisHash}`));
  assert.equal(v.tx?.height, 7);
  assert.equal(v.tx?.index, 5);
  assert.equal(v.tx?.signers.length, 4);
});

test('intl: a P-256 / SHA-256 chain proof verifies too', () => {
  const intl = makeTestChain({ suite: 'intl', validators: 4 });
  const v = verifyTxProof(makeTestProof(intl, { txCount: 1, index: 0 }), { trustedGenesis: utf8(intl.genesisText) });
  assert.equal(v.ok, true, JSON.stringify(v.failure));
  assert.equal(v.trust?.anchor, 'genesis');
});

test('anchored to a trusted genesis file, a proof from that chain verifies and one from another chain fails with PROOF_GENESIS_MISMATCH', () => {
  assert.equal(verifyTxProof(good, { trustedGenesis: utf8(chain.genesisText) }).trust?.anchor, 'genesis');
  const other = makeTestChain({ suite: 'gm', validators: 4 });
  const v = verifyTxProof(makeTestProof(other), { trustedGenesis: utf8(chain.genesisText) });
  assert.equal(v.ok, false);
  assert.equal(v.failure?.code, 'PROOF_GENESIS_MISMATCH');
  // The forger claims the real chain's genesis hash: the validator set still gives it away.
  const forged = makeTestProof(other);
  forged.genesisHash = chain.genesisHash;
  assert.equal(verifyTxProof(forged, { trustedGenesis: utf8(chain.genesisText) }).failure?.code, 'PROOF_GENESIS_MISMATCH');
});

test('a trusted genesis hash binds only a proof that carries the genesis file', () => {
  assert.equal(verifyTxProof(good, { trustedGenesisHash: chain.genesisHash }).failure?.code, 'PROOF_GENESIS_MISSING');
  const withGenesis = makeTestProof(chain, { embedGenesis: true });
  const v = verifyTxProof(withGenesis, { trustedGenesisHash: chain.genesisHash });
  assert.equal(v.ok, true, JSON.stringify(v.failure));
  assert.equal(v.trust?.anchor, 'genesis-hash');
  assert.equal(verifyTxProof(withGenesis, { trustedGenesisHash: '00'.repeat(32) }).failure?.code, 'PROOF_GENESIS_MISMATCH');
  const edited = clone(withGenesis);
  edited.genesis = edited.genesis!.replace('"power": 1', '"power": 2');
  assert.equal(verifyTxProof(edited).failure?.code, 'PROOF_GENESIS_MISMATCH');
});

test('trusted root fingerprints anchor the proof when signers certified by them hold more than 2/3 of the power', () => {
  const fingerprints = chain.orgs.map((o) => toHex(chain.suite.hash(o.root.der)));
  assert.equal(verifyTxProof(good, { trustedRootFingerprints: fingerprints }).trust?.anchor, 'root-fingerprints');
  assert.equal(verifyTxProof(good, { trustedRootFingerprints: fingerprints.slice(0, 3) }).ok, true);
  const v = verifyTxProof(good, { trustedRootFingerprints: fingerprints.slice(0, 2) });
  assert.equal(v.failure?.code, 'PROOF_UNTRUSTED_ROOTS');
  assert.match(v.failure!.message, /2 of 4/);
});

test('a tampered proof fails naming what failed: one byte changed anywhere in tx, paths, receipt, header or a signature', () => {
  const cases: { field: keyof TxProofInput; codes: string[] }[] = [
    { field: 'tx', codes: ['PROOF_TX_MALFORMED', 'PROOF_TX_WRONG_CHAIN', 'PROOF_TX_BAD_SIGNATURE', 'PROOF_TX_PATH_INVALID'] },
    { field: 'receipt', codes: ['PROOF_RECEIPT_MALFORMED', 'PROOF_RECEIPT_MISMATCH', 'PROOF_RECEIPT_PATH_INVALID'] },
    { field: 'header', codes: ['PROOF_HEADER_MALFORMED', 'PROOF_HEADER_MISMATCH', 'PROOF_HEADER_HASH_MISMATCH'] },
    { field: 'blockHash', codes: ['PROOF_HEADER_HASH_MISMATCH'] },
    { field: 'certificate', codes: ['PROOF_CERTIFICATE_MALFORMED', 'PROOF_CERTIFICATE_MISMATCH', 'PROOF_QUORUM_NOT_REACHED', 'PROOF_BAD_VALIDATOR_SIGNATURE'] },
  ];
  let tried = 0;
  for (const { field, codes } of cases) {
    const hex = good[field] as string;
    for (const pos of positions(hex.length / 2, 24)) {
      const p = clone(good);
      (p as unknown as Record<string, string>)[field] = flipByte(hex, pos);
      const v = verifyTxProof(p);
      assert.equal(v.ok, false, `${field} byte ${pos} changed, yet the proof verified`);
      assert.ok(codes.includes(v.failure!.code), `${field} byte ${pos}: ${v.failure!.code} ${v.failure!.message}`);
      tried++;
    }
  }
  for (const [field, code] of [['txPath', 'PROOF_TX_PATH_INVALID'], ['receiptPath', 'PROOF_RECEIPT_PATH_INVALID']] as const) {
    good[field].forEach((node, i) => {
      for (const pos of [0, 13, 31]) {
        const p = clone(good);
        p[field][i] = flipByte(node, pos);
        assert.equal(verifyTxProof(p).failure?.code, code, `${field}[${i}] byte ${pos}`);
        tried++;
      }
    });
  }
  assert.ok(tried > 100);
});

test('a changed signature byte in the commit certificate fails with PROOF_BAD_VALIDATOR_SIGNATURE naming the validator', () => {
  const cert = decodeCommitCertificate(fromHex(good.certificate));
  for (const which of [0, 2, 3]) {
    for (const pos of [0, 31, 32, 63]) {
      const votes = cert.votes.map((v) => ({ ...v, signature: v.signature.slice() }));
      votes[which]!.signature[pos] ^= 0x80;
      const p = clone(good);
      p.certificate = toHex(encodeCommitCertificate({ ...cert, votes }));
      const v = verifyTxProof(p);
      assert.equal(v.failure?.code, 'PROOF_BAD_VALIDATOR_SIGNATURE');
      assert.match(v.failure!.message, new RegExp(`validator ${which}`));
    }
  }
});

test('a proof signed by fewer than 2f+1 validators fails with PROOF_QUORUM_NOT_REACHED; 2f+1 suffice', () => {
  const cert = decodeCommitCertificate(fromHex(good.certificate));
  for (const keep of [[0], [1, 3], [0, 2]]) {
    const p = clone(good);
    p.certificate = toHex(encodeCommitCertificate({ ...cert, votes: cert.votes.filter((v) => keep.includes(v.validatorIndex)) }));
    const v = verifyTxProof(p);
    assert.equal(v.failure?.code, 'PROOF_QUORUM_NOT_REACHED', `signers ${keep}`);
    assert.match(v.failure!.message, new RegExp(`${keep.length} of 4`));
  }
  const three = clone(good);
  three.certificate = toHex(encodeCommitCertificate({ ...cert, votes: cert.votes.filter((v) => v.validatorIndex !== 1) }));
  assert.equal(verifyTxProof(three).ok, true);
  assert.equal(verifyTxProof(makeTestProof(chain, { signers: [0, 3] })).failure?.code, 'PROOF_QUORUM_NOT_REACHED');
});

test('a forged validator certificate fails with PROOF_VALIDATOR_CERT_INVALID', () => {
  // An attacker's own CA certifies the validator's key under the same names: it does not chain to the org's root.
  const rogue = makeTestChain({ suite: 'gm', validators: 1 });
  const forgedDer = rogue.issueLeaf(rogue.orgs[0]!, fromHex(good.validators[1]!.publicKey), 'node2');
  const p = clone(good);
  p.validators[1]!.certificate = encodePem(forgedDer);
  const v = verifyTxProof(p);
  assert.equal(v.failure?.code, 'PROOF_VALIDATOR_CERT_INVALID');
  assert.match(v.failure!.message, /validator #1 \(node2\)/);
  // A genuine certificate of the org, but for another key.
  const q = clone(good);
  q.validators[1]!.certificate = encodePem(chain.issueLeaf(chain.orgs[1]!, chain.suite.generateKeyPair().publicKey, 'node2'));
  assert.match(verifyTxProof(q).failure!.message, /certifies a different public key/);
  // A substituted validator key is caught by the header's validators hash.
  const r = clone(good);
  r.validators[2]!.publicKey = toHex(chain.suite.generateKeyPair().publicKey);
  assert.equal(verifyTxProof(r).failure?.code, 'PROOF_VALIDATORS_HASH_MISMATCH');
  const s = clone(good);
  s.validators[2]!.power = 5;
  assert.equal(verifyTxProof(s).failure?.code, 'PROOF_VALIDATORS_HASH_MISMATCH');
});

test('a sender certificate is checked against the organizations: certified senders are named, forged ones fail', () => {
  const suite = getSuite('gm');
  const key = suite.generateKeyPair();
  const certified = makeTestProof(chain, { sender: { ...key, certificate: chain.issueLeaf(chain.orgs[2]!, key.publicKey, 'org3-admin') } });
  const v = verifyTxProof(certified);
  assert.equal(v.ok, true, JSON.stringify(v.failure));
  assert.equal(v.tx?.sender.organization, 'org3');
  const rogue = makeTestChain({ suite: 'gm', validators: 1 });
  const forged = makeTestProof(chain, { sender: { ...key, certificate: rogue.issueLeaf(rogue.orgs[0]!, key.publicKey, 'org3-admin') } });
  assert.equal(verifyTxProof(forged).failure?.code, 'PROOF_SENDER_CERT_INVALID');
});

test('a proof of a failed call fails with PROOF_TX_FAILED unless the caller accepts failures', () => {
  const failed = makeTestProof(chain, { failed: true });
  assert.equal(verifyTxProof(failed).failure?.code, 'PROOF_TX_FAILED');
  assert.equal(verifyTxProof(failed, { requireSuccess: false }).ok, true);
});

test('malformed input is a failed verdict, never an exception', () => {
  const inputs: unknown[] = [null, 42, {}, { ...good, format: 'x' }, { ...good, txPath: 'zz' }, { ...good, validators: [] }, { ...good, tx: 'XYZ' }, { ...good, organizations: [{}] }];
  for (const input of inputs) {
    const v = verifyTxProof(input as TxProofInput);
    assert.equal(v.ok, false);
    assert.match(v.failure!.code, /^PROOF_/);
  }
});
