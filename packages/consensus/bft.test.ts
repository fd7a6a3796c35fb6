import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyCommitCertificate, type BlockValue, type CommitCertificate } from '@govchain/protocol';
import type { BftMachine } from './bft.ts';
import { decodePersistedState, encodePersistedState } from './persisted-state.ts';
import { CHAIN_ID, Cluster, broadcastVotes, short, testBlock, verifyEd25519 } from './test-harness.ts';
import type { BftOutput, PersistedState } from './types.ts';

function only<K extends BftOutput['kind']>(outputs: readonly BftOutput[], kind: K): Extract<BftOutput, { kind: K }>[] {
  return outputs.filter((o): o is Extract<BftOutput, { kind: K }> => o.kind === kind);
}

function feed(m: BftMachine, ...messages: ReturnType<Cluster['vote']>[]): BftOutput[] {
  return messages.flatMap((message) => m.handle({ kind: 'message', message }));
}

function lastPersisted(outputs: readonly BftOutput[]): PersistedState {
  const persisted = only(outputs, 'persist');
  assert.ok(persisted.length > 0, 'expected a persist output');
  return persisted[persisted.length - 1]!.state;
}

/** Delivers every broadcast to every other machine until quiet; builds blocks on request and commits at once. */
function runToQuiet(c: Cluster, machines: BftMachine[], initial: BftOutput[][]): Map<number, BlockValue[]> {
  const committed = new Map<number, BlockValue[]>();
  const queue: { from: number; out: BftOutput }[] = initial.flatMap((outs, from) => outs.map((out) => ({ from, out })));
  for (let steps = 0; queue.length > 0 && steps < 10_000; steps++) {
    const { from, out } = queue.shift()!;
    const push = (i: number, outs: BftOutput[]): void => void queue.push(...outs.map((o) => ({ from: i, out: o })));
    if (out.kind === 'broadcast') {
      machines.forEach((m, i) => i !== from && push(i, m.handle({ kind: 'message', message: out.message })));
    } else if (out.kind === 'request_build') {
      push(from, machines[from]!.handle({ kind: 'block_built', height: out.height, round: out.round, block: testBlock(`block ${out.height}`) }));
    } else if (out.kind === 'commit') {
      assert.equal(verifyCommitCertificate(out.certificate, c.validators.entries, CHAIN_ID, verifyEd25519).ok, true);
      committed.set(from, [...(committed.get(from) ?? []), out.block]);
    }
  }
  return committed;
}

test('a single validator commits each built block with a one-signature certificate', () => {
  const c = new Cluster(1);
  const m = c.machine(0);
  const start = m.handle({ kind: 'start' });
  assert.deepEqual(start.map((o) => o.kind), ['persist', 'schedule_timeout']);
  assert.deepEqual(only(m.handle({ kind: 'txs_available' }), 'request_build'), [{ kind: 'request_build', height: 1, round: 0 }]);
  const block = testBlock('solo block 1');
  const out = m.handle({ kind: 'block_built', height: 1, round: 0, block });
  assert.equal(out[0]!.kind, 'persist');
  const [commit] = only(out, 'commit');
  assert.ok(commit);
  assert.deepEqual(commit.block, block);
  assert.equal(commit.certificate.votes.length, 1);
  assert.deepEqual(verifyCommitCertificate(commit.certificate, c.validators.entries, CHAIN_ID, verifyEd25519), { ok: true });
  m.handle({ kind: 'commit_durable', height: 1 });
  assert.deepEqual(m.status(), { height: 2, round: 0, step: 'propose', committing: false });
});

test('four validators commit the same block when every message is delivered', () => {
  const c = new Cluster(4);
  const machines = [0, 1, 2, 3].map((i) => c.machine(i));
  const initial = machines.map((m) => [...m.handle({ kind: 'start' }), ...m.handle({ kind: 'txs_available' })]);
  const committed = runToQuiet(c, machines, initial);
  assert.equal(committed.size, 4);
  for (const blocks of committed.values()) assert.deepEqual(blocks, [testBlock('block 1')]);
});

test('a replica follows the votes to a commit and never signs or persists', () => {
  const c = new Cluster(4);
  const r = c.machine(null);
  const block = testBlock('block for the replica');
  const out = [
    ...r.handle({ kind: 'start' }),
    ...feed(r, c.proposal(1, 0, block)),
    ...[0, 1, 2].flatMap((i) => feed(r, c.vote(i, 'prevote', 1, 0, block), c.vote(i, 'precommit', 1, 0, block))),
  ];
  assert.equal(only(out, 'commit').length, 1);
  assert.deepEqual(only(out, 'broadcast'), []);
  assert.deepEqual(only(out, 'persist'), []);
});

test('round 0 of an idle validator schedules only the empty-block timeout until transactions arrive', () => {
  const c = new Cluster(4);
  const m = c.machine(2); // proposer of height 1 round 1, not round 0
  const start = m.handle({ kind: 'start' });
  assert.deepEqual(only(start, 'schedule_timeout').map((o) => [o.timeout.step, o.delayMs]), [['wait_txs', 5000]]);
  const proposer = c.machine(1);
  proposer.handle({ kind: 'start' });
  const ready = proposer.handle({ kind: 'timeout', timeout: { step: 'wait_txs', height: 1, round: 0 } });
  assert.deepEqual(ready.map((o) => o.kind), ['request_build', 'schedule_timeout']);
});

test('a proposal that arrives while round 0 waits for transactions is voted on and ends the wait', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 0, a))), [`prevote:${short(a)}`]);
  assert.deepEqual(m.handle({ kind: 'txs_available' }), []);
  assert.deepEqual(m.handle({ kind: 'timeout', timeout: { step: 'wait_txs', height: 1, round: 0 } }), []);
});

test('a precommit timeout starts the next round, whose proposer is asked to build with a longer propose timeout', () => {
  const c = new Cluster(4);
  const m = c.machine(2);
  m.handle({ kind: 'start' });
  m.handle({ kind: 'txs_available' });
  assert.deepEqual(broadcastVotes(m.handle({ kind: 'timeout', timeout: { step: 'propose', height: 1, round: 0 } })), ['prevote:nil']);
  const afterPrevotes = feed(m, c.vote(0, 'prevote', 1, 0, null), c.vote(1, 'prevote', 1, 0, null));
  assert.deepEqual(broadcastVotes(afterPrevotes), ['precommit:nil']);
  const afterPrecommits = feed(m, c.vote(0, 'precommit', 1, 0, null), c.vote(1, 'precommit', 1, 0, null));
  assert.deepEqual(only(afterPrecommits, 'schedule_timeout').map((o) => [o.timeout.step, o.delayMs]), [['precommit', 500]]);
  const next = m.handle({ kind: 'timeout', timeout: { step: 'precommit', height: 1, round: 0 } });
  assert.deepEqual(only(next, 'request_build'), [{ kind: 'request_build', height: 1, round: 1 }]);
  assert.deepEqual(only(next, 'schedule_timeout').map((o) => [o.timeout.step, o.timeout.round, o.delayMs]), [['propose', 1, 1250]]);
  assert.equal(m.status().round, 1);
});

/** Validator 0 locks on `a` in round 0 (it precommits a; the others' precommits are nil) and moves to round 1. */
function lockedOnA(c: Cluster, a: BlockValue): BftMachine {
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 0, a))), [`prevote:${short(a)}`]);
  const lock = feed(m, c.vote(1, 'prevote', 1, 0, a), c.vote(2, 'prevote', 1, 0, a));
  assert.deepEqual(broadcastVotes(lock), [`precommit:${short(a)}`]);
  assert.equal(lastPersisted(lock).lockedRound, 0);
  feed(m, c.vote(1, 'precommit', 1, 0, null), c.vote(2, 'precommit', 1, 0, null));
  m.handle({ kind: 'timeout', timeout: { step: 'precommit', height: 1, round: 0 } });
  assert.equal(m.status().round, 1);
  return m;
}

test('locking: a validator locked on a block prevotes nil for a different fresh proposal in a later round', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const b = testBlock('block B');
  const m = lockedOnA(c, a);
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 1, b))), ['prevote:nil']);
});

test('locking: a locked validator still prevotes for a fresh proposal of the block it is locked on', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = lockedOnA(c, a);
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 1, a))), [`prevote:${short(a)}`]);
});

test('unlocking: a re-proposal whose proof of lock is newer than the lock gets a prevote (L28)', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const b = testBlock('block B');
  const m = lockedOnA(c, a);
  // Round 1: validator 0 misses B's POL; validators 1 and 2 are already in round 2 (f+1: it follows them).
  feed(m, c.vote(1, 'prevote', 1, 2, null), c.vote(2, 'prevote', 1, 2, null));
  assert.equal(m.status().round, 2);
  // Round 2's proposer re-proposes B with the prevotes of round 1 attached as proof.
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 2, b, 1, [1, 2, 3]))), [`prevote:${short(b)}`]);
});

test('refuses a re-proposal whose proof of lock lacks a quorum', () => {
  const c = new Cluster(4);
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  feed(m, c.vote(1, 'prevote', 1, 2, null), c.vote(2, 'prevote', 1, 2, null));
  const out = feed(m, c.proposal(1, 2, testBlock('block B'), 1, [1, 2]));
  assert.match(only(out, 'refused')[0]!.reason, /bad proof of lock: signers hold 2 of 4/);
  assert.deepEqual(broadcastVotes(out), []);
});

test('locking: a re-proposal whose POL is older than the lock gets a nil prevote', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const b = testBlock('block B');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  // Round 1 (validators 1 and 2 are there: f+1, so validator 0 follows): validator 0 locks on A.
  feed(m, c.vote(1, 'prevote', 1, 1, a), c.vote(2, 'prevote', 1, 1, a));
  assert.equal(m.status().round, 1);
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 1, a))), [`prevote:${short(a)}`, `precommit:${short(a)}`]);
  feed(m, c.vote(1, 'precommit', 1, 1, null), c.vote(2, 'precommit', 1, 1, null));
  m.handle({ kind: 'timeout', timeout: { step: 'precommit', height: 1, round: 1 } });
  assert.equal(m.status().round, 2);
  // Round 2: B re-proposed with a round-0 POL (validator 0 missed round 0); the lock (round 1) is newer.
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 2, b, 0, [1, 2, 3]))), ['prevote:nil']);
});

test('no double sign after a restart: the persisted prevote is re-broadcast, never re-signed', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  const out = feed(m, c.proposal(1, 0, a));
  const [prevote] = only(out, 'broadcast');
  const state = decodePersistedState(encodePersistedState(lastPersisted(out)));
  assert.deepEqual(state.lastSigned, { round: 0, step: 'prevote' });

  const restarted = c.machine(0, 1, state);
  const resumed = restarted.handle({ kind: 'start' });
  assert.deepEqual(only(resumed, 'broadcast'), [prevote]);
  assert.deepEqual(restarted.status(), { height: 1, round: 0, step: 'prevote', committing: false });
  // The same proposal again and the round's propose timeout would each make a fresh machine prevote.
  assert.deepEqual(broadcastVotes(feed(restarted, c.proposal(1, 0, a))), []);
  assert.deepEqual(broadcastVotes(restarted.handle({ kind: 'timeout', timeout: { step: 'propose', height: 1, round: 0 } })), []);
  // Later steps are still signed.
  assert.deepEqual(broadcastVotes(feed(restarted, c.vote(1, 'prevote', 1, 0, a), c.vote(2, 'prevote', 1, 0, a))), [`precommit:${short(a)}`]);
});

test('a restart with state older than the block store starts the stored height clean', () => {
  const c = new Cluster(4);
  const m = c.machine(0);
  const start = m.handle({ kind: 'start' });
  const old = lastPersisted(start);
  const fresh = c.machine(0, 5, old).handle({ kind: 'start' });
  assert.equal(lastPersisted(fresh).height, 5);
  assert.equal(lastPersisted(fresh).lastSigned, null);
  assert.throws(() => c.machine(0, 1, { ...old, height: 3 }).handle({ kind: 'start' }), { code: 'CONSENSUS_STATE_AHEAD' });
});

test('equivocation: a second different vote yields evidence once and is never counted', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  m.handle({ kind: 'txs_available' });
  m.handle({ kind: 'timeout', timeout: { step: 'propose', height: 1, round: 0 } }); // prevotes nil
  assert.deepEqual(only(feed(m, c.vote(1, 'prevote', 1, 0, a)), 'evidence'), []);
  const second = feed(m, c.vote(1, 'prevote', 1, 0, null));
  const [evidence] = only(second, 'evidence');
  assert.ok(evidence);
  assert.equal(evidence.evidence.first.validatorIndex, 1);
  assert.equal(short(evidence.evidence.first.blockHash), short(a));
  assert.equal(evidence.evidence.second.blockHash, null);
  assert.deepEqual(only(feed(m, c.vote(1, 'prevote', 1, 0, testBlock('block C'))), 'evidence'), [], 'reported once');
  // nil now has validator 0 and (if the second vote counted) validator 1: one more nil vote must still be short.
  assert.deepEqual(broadcastVotes(feed(m, c.vote(2, 'prevote', 1, 0, null))), []);
  assert.deepEqual(broadcastVotes(feed(m, c.vote(3, 'prevote', 1, 0, null))), ['precommit:nil']);
});

test('refuses a bad signature, an unknown validator and a proposal from a validator whose turn it is not', () => {
  const c = new Cluster(4);
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  const bad = c.vote(1, 'prevote', 1, 0, null);
  if (bad.kind === 'vote') bad.vote.signature = Uint8Array.from(bad.vote.signature, (x, i) => (i === 0 ? x ^ 1 : x));
  assert.match(only(feed(m, bad), 'refused')[0]!.reason, /bad signature/);
  const unknown = c.vote(1, 'prevote', 1, 0, null);
  if (unknown.kind === 'vote') unknown.vote.validatorIndex = 9;
  assert.match(only(feed(m, unknown), 'refused')[0]!.reason, /not in the validator set/);
  const wrong = c.proposal(1, 0, testBlock('x'));
  if (wrong.kind === 'proposal') wrong.proposal.proposerIndex = 3;
  assert.match(only(feed(m, wrong), 'refused')[0]!.reason, /not the proposer/);
});

test('an invalid proposed block gets a nil prevote', () => {
  const c = new Cluster(4);
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  assert.deepEqual(broadcastVotes(feed(m, c.proposal(1, 0, testBlock('invalid block')))), ['prevote:nil']);
});

test('stale messages are ignored; validators above 1/3 of the power at higher heights trigger one sync request', () => {
  const c = new Cluster(4);
  const m = c.machine(0, 3);
  m.handle({ kind: 'start' });
  assert.deepEqual(feed(m, c.vote(1, 'prevote', 2, 0, null)), []);
  assert.deepEqual(only(feed(m, c.vote(1, 'prevote', 9, 0, null)), 'request_sync'), []);
  assert.deepEqual(only(feed(m, c.vote(2, 'prevote', 7, 0, null)), 'request_sync'), [{ kind: 'request_sync', fromHeight: 3, seenHeight: 7 }]);
  assert.deepEqual(only(feed(m, c.vote(3, 'prevote', 7, 3, null)), 'request_sync'), []);
});

test('messages for the next height are kept once each and count once the current height is durable', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const b = testBlock('block B');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  feed(m, c.proposal(1, 0, a), c.vote(1, 'prevote', 1, 0, a), c.vote(2, 'prevote', 1, 0, a));
  const commit = feed(m, c.vote(1, 'precommit', 1, 0, a), c.vote(2, 'precommit', 1, 0, a));
  assert.equal(only(commit, 'commit').length, 1);
  // Retransmitted copies must not crowd the proposal out of the next height's bounded buffer.
  const proposal = c.proposal(2, 0, b);
  for (let i = 0; i < 6; i++) feed(m, c.vote(1, 'prevote', 2, 0, b));
  assert.deepEqual(feed(m, proposal), []);
  const next = m.handle({ kind: 'commit_durable', height: 1 });
  assert.deepEqual(broadcastVotes(next), [`prevote:${short(b)}`]);
});

function certificateFor(c: Cluster, block: BlockValue, signers: number[]): CommitCertificate {
  const votes = signers.map((i) => {
    const m = c.vote(i, 'precommit', 1, 0, block);
    if (m.kind !== 'vote') throw new Error('unreachable');
    return { validatorIndex: i, signature: m.vote.signature };
  });
  return { height: 1, round: 0, blockHash: block.hash, votes };
}

test('a synced block commits with its certificate; one with too little power or a mismatched block is refused', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  const weak = m.handle({ kind: 'block_synced', block: a, certificate: certificateFor(c, a, [1, 2]) });
  assert.match(only(weak, 'refused')[0]!.reason, /not more than 2\/3/);
  const mismatched = m.handle({ kind: 'block_synced', block: testBlock('other'), certificate: certificateFor(c, a, [1, 2, 3]) });
  assert.match(only(mismatched, 'refused')[0]!.reason, /does not match/);
  const good = m.handle({ kind: 'block_synced', block: a, certificate: certificateFor(c, a, [1, 2, 3]) });
  assert.deepEqual(only(good, 'commit').map((o) => o.certificate.votes.length), [3]);
});

test('a quorum of precommits for a block this node never received asks for sync', () => {
  const c = new Cluster(4);
  const a = testBlock('block A');
  const m = c.machine(0);
  m.handle({ kind: 'start' });
  const out = feed(m, c.vote(1, 'precommit', 1, 0, a), c.vote(2, 'precommit', 1, 0, a), c.vote(3, 'precommit', 1, 0, a));
  assert.deepEqual(only(out, 'request_sync'), [{ kind: 'request_sync', fromHeight: 1, seenHeight: 2 }]);
  assert.equal(only(feed(m, c.proposal(1, 0, a)), 'commit').length, 1);
});
