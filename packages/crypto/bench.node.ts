/**
 * Micro-benchmarks the project bench (`npm run bench`) and `govchain doctor` call. The workload mirrors a
 * validator: 200-byte messages from 16 distinct senders, cycled, so per-key caches behave as in production.
 */
import type { VerifyItem } from './suite.ts';
import { pureSm2VerifyBackend, type Sm2VerifyBackend, type Sm2VerifyImplementation } from './gm.ts';
import { nativeSm2VerifyBackend, nodeSm3 } from './gm.node.ts';
import { nativeSm2 } from './sm2-native.node.ts';
import { sm2GenerateKeyPair, sm2Sign } from './sm2.ts';
import { sm3 } from './sm3.ts';
import { getSuite, sm2VerifyImplementation } from './suites.node.ts';

export interface RateMeasurement {
  implementation: string;
  perSecond: number;
}

export interface Sm2VerifyBenchOptions {
  /** Which verifier to time; default: whichever `getSuite('gm')` uses. 'native-openssl' needs the binding. */
  implementation?: Sm2VerifyImplementation;
  /** Time `verifyBatch` with this many items per call instead of single `verify` calls. */
  batchSize?: number;
}

const SENDERS = 16;
const MESSAGES = 256;
const MESSAGE_BYTES = 200;

let cachedWorkload: VerifyItem[] | undefined;

/** Built once per process: signing it takes longer than a short measurement. */
function workload(): VerifyItem[] {
  if (cachedWorkload !== undefined) return cachedWorkload;
  const keys = Array.from({ length: SENDERS }, () => sm2GenerateKeyPair());
  cachedWorkload = Array.from({ length: MESSAGES }, (_, i) => {
    const key = keys[i % SENDERS]!;
    const message = globalThis.crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
    return { publicKey: key.publicKey, message, signature: sm2Sign(key.privateKey, message) };
  });
  return cachedWorkload;
}

/** Runs `step` (which reports how many operations it did) for about `durationMs` and returns ops/s. */
function rate(durationMs: number, step: (i: number) => number): number {
  let ops = 0;
  let i = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    ops += step(i++);
    elapsed = performance.now() - start;
  } while (elapsed < durationMs);
  return Math.round((ops * 1000) / elapsed);
}

function verifierFor(implementation: Sm2VerifyImplementation): Sm2VerifyBackend {
  if (implementation === 'pure-ts') return pureSm2VerifyBackend({ hash: nodeSm3 });
  const binding = nativeSm2();
  if (binding === null) throw new Error('the native SM2 binding is not loaded; run `npm rebuild` or scripts/build-native.mjs');
  return nativeSm2VerifyBackend(binding);
}

/** SM2 verifications per second with the default ID; every result is checked, so a broken verifier fails loudly. */
export function measureSm2VerifyPerSecond(durationMs = 1000, options: Sm2VerifyBenchOptions = {}): RateMeasurement {
  const implementation = options.implementation ?? sm2VerifyImplementation();
  const verifier = verifierFor(implementation);
  const items = workload();
  // Warm-up: one pass (16 uses per sender) builds the per-key caches and precomputed tables.
  if (verifier.verifyBatch(items).includes(false)) {
    throw new Error(`${implementation} SM2 verifier rejected a valid signature`);
  }
  const batchSize = options.batchSize;
  const perSecond =
    batchSize === undefined
      ? rate(durationMs, (i) => {
          const it = items[i % MESSAGES]!;
          if (!verifier.verify(it.publicKey, it.message, it.signature)) throw new Error('valid signature rejected');
          return 1;
        })
      : rate(durationMs, (i) => {
          const start = (i * batchSize) % MESSAGES;
          const batch = Array.from({ length: batchSize }, (_, k) => items[(start + k) % MESSAGES]!);
          if (verifier.verifyBatch(batch).includes(false)) throw new Error('valid signature rejected');
          return batchSize;
        });
  return { implementation: batchSize === undefined ? implementation : `${implementation} batch ${batchSize}`, perSecond };
}

/** SM2 signatures per second through `getSuite('gm').sign` (TypeScript; Node has no default-ID SM2 signing). */
export function measureSm2SignPerSecond(durationMs = 1000): RateMeasurement {
  const suite = getSuite('gm');
  const { privateKey } = suite.generateKeyPair();
  const messages = Array.from({ length: 64 }, () => globalThis.crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES)));
  return { implementation: 'pure-ts', perSecond: rate(durationMs, (i) => (suite.sign(privateKey, messages[i % 64]!), 1)) };
}

/** SM3 throughput in MB/s (10^6 bytes) over 1 MiB inputs, for OpenSSL ('node') or the pure implementation. */
export function measureSm3MegabytesPerSecond(durationMs = 1000, implementation: 'node' | 'pure-ts' = 'node'): RateMeasurement {
  const hash = implementation === 'node' ? nodeSm3 : sm3;
  const data = new Uint8Array(1 << 20).fill(0x61);
  const chunksPerSecond = rate(durationMs, () => (hash(data), 1));
  return { implementation, perSecond: Math.round((chunksPerSecond * data.length) / 1e6) };
}
