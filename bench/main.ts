/**
 * `npm run bench`: prints human-readable figures and ends with one JSON line per scenario.
 * Options: --rate N (offered tx/s; default 1000, the tender's floor, so the JSON line shows whether it is met with
 * p99 under 2 s; higher rates measure saturation and overload), --duration S (default 30), --warmup S (default 5),
 * --batch N (txs per API call, default 100), --suite gm|intl (default gm), --validators N (default 4).
 */
import { parseArgs } from 'node:util';
import type { SuiteName } from '@govchain/crypto';
import { runChainBench } from './chain-bench.ts';
import { runEvidenceBench } from './evidence-bench.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    batch: { type: 'string', default: '100' },
    suite: { type: 'string', default: 'gm' },
    validators: { type: 'string', default: '4' },
  },
});

const result = await runChainBench(
  {
    suite: values.suite as SuiteName,
    validators: Number(values.validators),
    ratePerSecond: Number(values.rate),
    durationSeconds: Number(values.duration),
    warmupSeconds: Number(values.warmup),
    batchSize: Number(values.batch),
  },
  (line) => console.log(line),
);
const { tps, p50_ms, p99_ms, sm2_verify_per_s, rss_mb_max, disk_bytes_per_tx, validators, suite } = result;
console.log(JSON.stringify({ tps, p50_ms, p99_ms, sm2_verify_per_s, rss_mb_max, disk_bytes_per_tx, validators, suite }));

// ---- evidence scenario (bench/evidence-bench.ts): records/s single and batched on its own fresh network, proof checks/s ----
const evidence = await runEvidenceBench({ validators: Number(values.validators) }, (line) => console.log(line));
console.log(JSON.stringify(evidence));
process.exit(0);
