import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GovchainError } from '@govchain/base';
import { SUITE_NAMES, type SuiteName } from './suite.ts';
import { getSuite } from './suites.node.ts';
import { getPureSuite } from './pure-suites.ts';
import { CRYPTO_UNKNOWN_SUITE } from './errors.ts';
import { measureSm2SignPerSecond, measureSm2VerifyPerSecond, measureSm3MegabytesPerSecond } from './bench.node.ts';
import { nativeSm2 } from './sm2-native.node.ts';

test('getSuite returns one shared instance per suite name, and the pure one on request', () => {
  for (const name of SUITE_NAMES) {
    assert.equal(getSuite(name).name, name);
    assert.equal(getSuite(name), getSuite(name));
    assert.equal(getSuite(name, { implementation: 'pure' }), getPureSuite(name));
    assert.notEqual(getSuite(name), getPureSuite(name));
  }
});

test('getSuite refuses an unknown suite name with CRYPTO_UNKNOWN_SUITE naming the valid ones', () => {
  assert.throws(
    () => getSuite('sm9' as SuiteName),
    (err: unknown) => err instanceof GovchainError && err.code === CRYPTO_UNKNOWN_SUITE && /gm, intl/.test(err.message),
  );
});

/** Files reachable from `entry` through relative imports, with every import specifier they use. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [resolve(entry)];
  const specifierRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(specifierRe)].map((m) => m[1] ?? m[2]!);
    graph.set(file, specifiers);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec));
      if (spec === '@govchain/base') pending.push(resolve(import.meta.dirname, '../base/index.ts'));
    }
  }
  return graph;
}

test('the browser entry pure.ts reaches no node: module, no *.node.ts file and no package but @noble and @govchain/base', () => {
  const graph = importGraph(join(import.meta.dirname, 'pure.ts'));
  assert.ok(graph.size > 10);
  for (const [file, specifiers] of graph) {
    assert.ok(!file.endsWith('.node.ts'), `${file} is Node-only`);
    for (const spec of specifiers) {
      const allowed = spec.startsWith('.') || spec.startsWith('@noble/') || spec === '@govchain/base';
      assert.ok(allowed && !spec.startsWith('node:'), `${file} imports ${spec}`);
    }
  }
});

test('the micro-benchmarks return positive rates for every SM2 verifier available, signing and SM3', () => {
  const verify = measureSm2VerifyPerSecond(50);
  assert.equal(verify.implementation, nativeSm2() === null ? 'pure-ts' : 'native-openssl');
  assert.ok(verify.perSecond > 0);
  assert.ok(measureSm2VerifyPerSecond(50, { implementation: 'pure-ts' }).perSecond > 0);
  assert.ok(measureSm2VerifyPerSecond(50, { batchSize: 32 }).perSecond > 0);
  assert.ok(measureSm2SignPerSecond(50).perSecond > 0);
  assert.ok(measureSm3MegabytesPerSecond(50).perSecond > 0);
  assert.ok(measureSm3MegabytesPerSecond(50, 'pure-ts').perSecond > 0);
});
