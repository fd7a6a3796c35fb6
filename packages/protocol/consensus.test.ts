import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { GovchainError, bytesEqual, concatBytes } from '@govchain/base';
import {
  decodeCommitCertificate, decodeConsensusMessage, decodeDuplicateVoteEvidence, decodeProposal, decodeVote,
  encodeCommitCertificate, encodeConsensusMessage, encodeDuplicateVoteEvidence, encodeProposal, encodeVote, proposalSignBytes, verifyCommitCertificate,
  verifyDuplicateVoteEvidence, verifyProofOfLock, voteSignBytes, type CommitCertificate, type ConsensusMessage, type Vote, type VoteData,
} from './consensus.ts';

// A stand-in signature scheme: enough to test which bytes are checked against which key.
const fakeSign = (publicKey: Uint8Array, message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha512').update(concatBytes(publicKey, message)).digest());
const fakeVerify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean =>
  bytesEqual(fakeSign(publicKey, message), signature);

const CHAIN = 'gov-test';
const validators = [1, 2, 3, 4].map((i) => ({ publicKey: new Uint8Array(65).fill(i), power: 1 }));
const hashA = new Uint8Array(32).fill(0xaa);
const hashB = new Uint8Array(32).fill(0xbb);

function signedVote(index: number, data: VoteData): Vote {
  return { ...data, validatorIndex: index, signature: fakeSign(validators[index]!.publicKey, voteSignBytes(CHAIN, data)) };
}

function certificate(signers: number[], blockHash = hashA): CommitCertificate {
  const data: VoteData = { type: 'precommit', height: 7, round: 2, blockHash };
  return { height: 7, round: 2, blockHash, votes: signers.map((i) => ({ validatorIndex: i, signature: signedVote(i, data).signature })) };
}

test('votes and proposals round-trip through their canonical encoding', () => {
  const messages: ConsensusMessage[] = [
    { kind: 'vote', vote: signedVote(2, { type: 'prevote', height: 5, round: 0, blockHash: null }) },
    { kind: 'vote', vote: signedVote(3, { type: 'precommit', height: 2 ** 40, round: 0xffff_ffff, blockHash: hashA }) },
    {
      kind: 'proposal',
      proposal: {
        height: 9, round: 3, polRound: 1, blockHash: hashB, block: new Uint8Array([1, 2, 3]), proposerIndex: 0,
        pol: [{ validatorIndex: 1, signature: new Uint8Array(64).fill(1) }, { validatorIndex: 3, signature: new Uint8Array(64).fill(3) }],
        signature: new Uint8Array(64).fill(5),
      },
    },
    {
      kind: 'proposal',
      proposal: { height: 9, round: 0, polRound: -1, blockHash: hashB, block: new Uint8Array(0), proposerIndex: 1, pol: [], signature: new Uint8Array(64).fill(6) },
    },
  ];
  for (const m of messages) {
    assert.deepEqual(decodeConsensusMessage(encodeConsensusMessage(m)), m);
    if (m.kind === 'vote') assert.deepEqual(decodeVote(encodeVote(m.vote)), m.vote);
    else assert.deepEqual(decodeProposal(encodeProposal(m.proposal)), m.proposal);
  }
});

test('sign bytes differ by domain, chain, type, round and block, and nil differs from every block', () => {
  const base: VoteData = { type: 'prevote', height: 4, round: 1, blockHash: hashA };
  const variants = [
    voteSignBytes(CHAIN, base),
    voteSignBytes('other-chain', base),
    voteSignBytes(CHAIN, { ...base, type: 'precommit' }),
    voteSignBytes(CHAIN, { ...base, round: 2 }),
    voteSignBytes(CHAIN, { ...base, blockHash: hashB }),
    voteSignBytes(CHAIN, { ...base, blockHash: null }),
    proposalSignBytes(CHAIN, { height: 4, round: 1, polRound: -1, blockHash: hashA }),
    proposalSignBytes(CHAIN, { height: 4, round: 1, polRound: 0, blockHash: hashA }),
  ];
  const distinct = new Set(variants.map((v) => Buffer.from(v).toString('hex')));
  assert.equal(distinct.size, variants.length);
});

test('a certificate with more than 2/3 of the power of valid precommits verifies and round-trips', () => {
  const cert = certificate([0, 2, 3]);
  assert.deepEqual(verifyCommitCertificate(cert, validators, CHAIN, fakeVerify), { ok: true });
  assert.deepEqual(decodeCommitCertificate(encodeCommitCertificate(cert)), cert);
});

test('certificate verification names why it fails: power, duplicates, unknown signer, bad signature, other block', () => {
  const reason = (cert: CommitCertificate): string => {
    const r = verifyCommitCertificate(cert, validators, CHAIN, fakeVerify);
    assert.equal(r.ok, false);
    return r.ok ? '' : r.reason;
  };
  assert.match(reason(certificate([0, 1])), /2 of 4 voting power/);
  const dup = certificate([0, 1, 2]);
  dup.votes[2] = dup.votes[1]!;
  assert.match(reason(dup), /strictly ascending/);
  assert.match(reason({ ...certificate([0, 1, 2]), votes: [...certificate([0, 1, 2]).votes, { validatorIndex: 9, signature: new Uint8Array(64) }] }), /index 9 is not in/);
  const forged = certificate([0, 1, 2]);
  forged.votes[1] = { validatorIndex: 1, signature: new Uint8Array(64) };
  assert.match(reason(forged), /validator 1 does not verify/);
  assert.match(reason({ ...certificate([0, 1, 2]), blockHash: hashB }), /does not verify/);
  assert.match(reason({ ...certificate([0, 1, 2]), round: 3 }), /does not verify/);
});

test('unequal power: a certificate counts power, not signers', () => {
  const weighted = validators.map((v, i) => ({ ...v, power: i === 0 ? 10 : 1 }));
  assert.deepEqual(verifyCommitCertificate(certificate([0]), weighted, CHAIN, fakeVerify), { ok: true });
  assert.equal(verifyCommitCertificate(certificate([1, 2, 3]), weighted, CHAIN, fakeVerify).ok, false);
});

test('decoders refuse non-canonical consensus data with stable codes', () => {
  const cert = encodeCommitCertificate(certificate([0, 1, 2]));
  const swapped = encodeCommitCertificate({ ...certificate([0, 1, 2]), votes: certificate([2, 0, 1]).votes });
  assert.throws(() => decodeCommitCertificate(swapped), { code: 'CERTIFICATE_MALFORMED' });
  assert.throws(() => decodeCommitCertificate(encodeCommitCertificate({ ...certificate([0]), votes: [] })), { code: 'CERTIFICATE_MALFORMED' });
  assert.throws(() => decodeCommitCertificate(concatBytes(cert, new Uint8Array([0]))), { code: 'DECODE_ERROR' });
  const vote = encodeConsensusMessage({ kind: 'vote', vote: signedVote(0, { type: 'prevote', height: 1, round: 0, blockHash: null }) });
  const heightZero = Uint8Array.from(vote);
  heightZero.fill(0, 2, 10);
  assert.throws(() => decodeConsensusMessage(heightZero), { code: 'CONSENSUS_MESSAGE_MALFORMED' });
  const badType = Uint8Array.from(vote);
  badType[1] = 3;
  assert.throws(() => decodeConsensusMessage(badType), { code: 'CONSENSUS_MESSAGE_MALFORMED' });
  const proposal = encodeConsensusMessage({
    kind: 'proposal',
    proposal: { height: 1, round: 2, polRound: 2, blockHash: hashA, block: new Uint8Array(1), proposerIndex: 0, pol: certificate([0, 1, 2]).votes, signature: new Uint8Array(64) },
  });
  assert.throws(() => decodeConsensusMessage(proposal), /must be below/);
  const withoutProof = encodeConsensusMessage({
    kind: 'proposal',
    proposal: { height: 1, round: 2, polRound: 1, blockHash: hashA, block: new Uint8Array(1), proposerIndex: 0, pol: [], signature: new Uint8Array(64) },
  });
  assert.throws(() => decodeConsensusMessage(withoutProof), /proof of lock exactly when/);
});

test('a proof of lock verifies only with 2/3+ valid prevotes for the proposed block at the POL round', () => {
  const prevotes = (signers: number[], round: number, blockHash = hashA) => signers.map((i) => ({
    validatorIndex: i, signature: signedVote(i, { type: 'prevote', height: 7, round, blockHash }).signature,
  }));
  const proposal = { height: 7, round: 3, polRound: 1, blockHash: hashA, block: new Uint8Array(0), proposerIndex: 2, pol: prevotes([0, 1, 3], 1), signature: new Uint8Array(64) };
  assert.deepEqual(verifyProofOfLock(proposal, validators, CHAIN, fakeVerify), { ok: true });
  assert.equal(verifyProofOfLock({ ...proposal, pol: prevotes([0, 1], 1) }, validators, CHAIN, fakeVerify).ok, false);
  assert.equal(verifyProofOfLock({ ...proposal, pol: prevotes([0, 1, 3], 2) }, validators, CHAIN, fakeVerify).ok, false);
  assert.equal(verifyProofOfLock({ ...proposal, pol: prevotes([0, 1, 3], 1, hashB) }, validators, CHAIN, fakeVerify).ok, false);
});

test('duplicate-vote evidence verifies only for two different signed votes of one validator in one step', () => {
  const data: VoteData = { type: 'prevote', height: 3, round: 0, blockHash: hashA };
  const first = signedVote(1, data);
  const second = signedVote(1, { ...data, blockHash: null });
  const evidence = decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence({ first, second }));
  assert.deepEqual(verifyDuplicateVoteEvidence(evidence, validators, CHAIN, fakeVerify), { ok: true });
  assert.equal(verifyDuplicateVoteEvidence({ first, second: first }, validators, CHAIN, fakeVerify).ok, false);
  assert.equal(verifyDuplicateVoteEvidence({ first, second: signedVote(2, { ...data, blockHash: null }) }, validators, CHAIN, fakeVerify).ok, false);
  assert.equal(verifyDuplicateVoteEvidence({ first, second: signedVote(1, { ...data, round: 1, blockHash: null }) }, validators, CHAIN, fakeVerify).ok, false);
  assert.equal(verifyDuplicateVoteEvidence({ first, second: { ...second, signature: new Uint8Array(64) } }, validators, CHAIN, fakeVerify).ok, false);
});

test('fuzz: random and mutated bytes never crash the consensus decoders, every refusal is a GovchainError', () => {
  const samples = [
    encodeConsensusMessage({ kind: 'vote', vote: signedVote(0, { type: 'precommit', height: 3, round: 1, blockHash: hashA }) }),
    encodeConsensusMessage({
      kind: 'proposal',
      proposal: { height: 3, round: 1, polRound: 0, blockHash: hashA, block: new Uint8Array(40).fill(1), proposerIndex: 0, pol: certificate([0, 1, 2]).votes, signature: new Uint8Array(64) },
    }),
    encodeCommitCertificate(certificate([0, 1, 2])),
  ];
  const decoders = [decodeConsensusMessage, decodeCommitCertificate, decodeDuplicateVoteEvidence];
  const mutated = fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([bytes, at, value]) => {
      const copy = Uint8Array.from(bytes);
      copy[at % copy.length] = value;
      return copy;
    });
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (bytes) => {
    for (const decode of decoders) {
      try {
        decode(bytes);
      } catch (err) {
        if (!(err instanceof GovchainError)) throw err;
      }
    }
  }), { numRuns: 2000 });
});
