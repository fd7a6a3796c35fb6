import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSimulation, simOptions, type SimOptions, type SimResult } from './simulation.ts';

/** What a failing seed prints: the violation, where each node stood, and how to replay exactly this run. */
function failureReport(options: SimOptions, overrides: Partial<SimOptions>, result: SimResult): string {
  const v = result.violation;
  if (v === null) return '';
  const cliScenario = Object.keys(overrides).every((k) => k === 'validators' || k === 'chaosMs');
  const replay = cliScenario
    ? `npm run sim -- --seed ${options.seed} --validators ${options.validators} --chaos-ms ${options.chaosMs}`
    : `runSimulation(simOptions(${options.seed}, ${JSON.stringify(overrides)}))`;
  return `seed ${options.seed} (${options.validators} validators): ${v.kind}: ${v.message}\n${result.nodes.join('\n')}\nreplay: ${replay}`;
}

function runSeeds(seeds: readonly number[], overrides: Partial<SimOptions>): SimResult[] {
  return seeds.map((seed) => {
    const options = simOptions(seed, overrides);
    const result = runSimulation(options);
    assert.equal(result.violation, null, failureReport(options, overrides, result));
    return result;
  });
}

function total(results: readonly SimResult[], pick: (r: SimResult) => number): number {
  return results.reduce((sum, r) => sum + pick(r), 0);
}

test('4 validators, one byzantine: agreement, validity and liveness hold under drops, partitions and crashes', () => {
  const results = runSeeds(Array.from({ length: 24 }, (_, k) => k + 1), { validators: 4 });
  // The faults really happened, and the byzantine validator really misbehaved.
  assert.ok(total(results, (r) => r.crashes) > 20);
  assert.ok(total(results, (r) => r.evidence) > 0);
  assert.ok(total(results, (r) => r.refused) > 0);
  assert.ok(total(results, (r) => r.undecodable) > 0);
  assert.ok(total(results, (r) => r.syncedBlocks) > 0);
  assert.ok(results.some((r) => r.maxCommitRound > 0));
});

test('7 validators, one byzantine: agreement, validity and liveness hold under drops, partitions and crashes', () => {
  runSeeds(Array.from({ length: 10 }, (_, k) => k + 1), { validators: 7 });
});

test('a seed replays exactly: the same trace and the same chain', () => {
  const first = runSimulation(simOptions(42));
  const second = runSimulation(simOptions(42));
  assert.equal(second.traceHash, first.traceHash);
  assert.deepEqual(second.heights, first.heights);
  assert.equal(second.events, first.events);
  assert.notEqual(runSimulation(simOptions(43)).traceHash, first.traceHash);
});

test('an idle chain does not spin: one empty block per empty-block interval, each decided in round 0', () => {
  const [idle] = runSeeds([5], { byzantine: 'none', idle: true, chaosMs: 0, heightsAfterGst: 3 });
  const interval = simOptions(5).timeouts.emptyBlockIntervalMs;
  assert.ok(idle!.virtualMs >= 3 * interval, `3 heights took only ${idle!.virtualMs} ms`);
  assert.equal(idle!.maxCommitRound, 0);
  // A proposal and two votes per validator per height, to three peers each, plus a few retransmissions.
  assert.ok(idle!.messagesSent < 3 * 4 * 3 * 3 * 2, `${idle!.messagesSent} messages for 3 idle heights`);
});

test('the agreement check fires when byzantine power exceeds f: colluding equivocators split the honest nodes', () => {
  for (const [validators, coalitionSize] of [[4, 2], [7, 3]] as const) {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const violations = seeds.map((seed) => runSimulation(simOptions(seed, { validators, byzantine: 'coalition', coalitionSize, chaosMs: 0 })).violation);
    const agreement = violations.filter((v) => v?.kind === 'agreement');
    assert.ok(agreement.length > 0, `${validators} validators, ${coalitionSize} colluding: no seed broke agreement`);
    assert.match(agreement[0]!.message, /^height \d+: node \d committed .*, node \d committed /);
    // Nothing but agreement may fire first: the forked blocks are valid and certified by a real quorum of signatures.
    assert.deepEqual(violations.filter((v) => v !== null && v.kind !== 'agreement'), []);
  }
  // The same attack by f validators (one of four) cannot split the honest ones.
  runSeeds([1, 2, 3], { validators: 4, byzantine: 'coalition', coalitionSize: 1, chaosMs: 0, heightsAfterGst: 8 });
});

test('the no-double-sign check fires when a broken driver restarts validators without their persisted state', () => {
  const violations = [1, 2, 3, 4].map((seed) => runSimulation(simOptions(seed, { byzantine: 'none', forgetPersistedState: true })).violation);
  const doubleSigns = violations.filter((v) => v?.kind === 'honest-equivocation');
  assert.ok(doubleSigns.length > 0, 'no seed caught a restarted validator signing twice');
  assert.match(doubleSigns[0]!.message, /honest validator signed two different messages at \d+\/\d+\/\d+\/(prevote|precommit|proposal)/);
});

test('a single development validator commits every block alone and survives crashes', () => {
  const results = runSeeds([1, 2], { validators: 1, byzantine: 'none', chaosMs: 3000, heightsAfterGst: 10 });
  assert.ok(total(results, (r) => r.crashes) > 0);
  assert.ok(results.every((r) => r.maxCommitRound === 0 && r.heights[0]! > 10));
});
