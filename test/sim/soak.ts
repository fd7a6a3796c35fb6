/**
 * `npm run sim -- --seeds N`: runs N seeds (from --from, default 1) for each validator count in --validators
 * (default 4,7), prints a summary, and exits non-zero if any run broke an invariant. A failing run prints its
 * seed and the command that replays it exactly; `--seed S` replays one seed and prints the end of its trace.
 */
import { parseArgs } from 'node:util';
import { runSimulation, simOptions, type SimResult } from './simulation.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    validators: { type: 'string', default: '4,7' },
    'chaos-ms': { type: 'string', default: '10000' },
  },
});

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${text}`);
    process.exit(2);
  }
  return n;
}

const sizes = values.validators.split(',').map((v) => positiveInt('validators', v));
const chaosMs = positiveInt('chaos-ms', values['chaos-ms']);
const seeds = values.seed !== undefined
  ? [positiveInt('seed', values.seed)]
  : Array.from({ length: positiveInt('seeds', values.seeds) }, (_, k) => positiveInt('from', values.from) + k);

function replayCommand(r: SimResult, validators: number): string {
  return `npm run sim -- --seed ${r.seed} --validators ${validators} --chaos-ms ${chaosMs}`;
}

const started = performance.now();
const failures: string[] = [];
const totals = { runs: 0, heights: 0, virtualMs: 0, sent: 0, dropped: 0, crashes: 0, evidence: 0, refused: 0, synced: 0, maxRound: 0 };
for (const validators of sizes) {
  for (const seed of seeds) {
    const r = runSimulation(simOptions(seed, { validators, chaosMs }));
    totals.runs++;
    totals.heights += Math.max(...r.heights);
    totals.virtualMs += r.virtualMs;
    totals.sent += r.messagesSent;
    totals.dropped += r.messagesDropped;
    totals.crashes += r.crashes;
    totals.evidence += r.evidence;
    totals.refused += r.refused;
    totals.synced += r.syncedBlocks;
    totals.maxRound = Math.max(totals.maxRound, r.maxCommitRound);
    if (r.violation !== null) {
      const line = `seed ${seed} (${validators} validators): ${r.violation.kind} at ${r.violation.atMs} ms: ${r.violation.message}\n  replay: ${replayCommand(r, validators)}`;
      failures.push(line);
      console.log(`FAIL ${line}`);
    }
    if (values.seed !== undefined) {
      console.log(`trace ${r.traceHash}, ${r.events} events, ${r.virtualMs} virtual ms; last events:`);
      for (const event of r.traceTail) console.log(`  ${event}`);
      for (const node of r.nodes) console.log(`  ${node}`);
    }
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${totals.runs} runs (${seeds.length} seeds × validators ${sizes.join(',')}) in ${seconds} s: ${failures.length} failed; ` +
  `${totals.heights} heights over ${(totals.virtualMs / 1000).toFixed(0)} virtual s, highest commit round ${totals.maxRound}, ` +
  `${totals.sent} packets sent (${totals.dropped} dropped), ` +
  `${totals.crashes} crashes, ${totals.evidence} evidence reports, ${totals.refused} refused messages, ${totals.synced} blocks synced`,
);
process.exit(failures.length === 0 ? 0 : 1);
