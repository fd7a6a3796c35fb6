// Layering: a package may import only packages of a strictly lower layer (or itself). Fails naming the import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LAYERS: Record<string, number> = {
  base: 0,
  crypto: 1,
  protocol: 2,
  consensus: 3,
  ledger: 3,
  vm: 4,
  sdk: 4,
  node: 5,
  apps: 6,
  gateway: 7,
  cli: 8,
  console: 8,
};

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'build' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function packageOf(file: string): string {
  return relative(packagesDir, file).split('/')[0]!;
}

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

test('every package is assigned a layer', () => {
  for (const name of readdirSync(packagesDir)) {
    if (statSync(join(packagesDir, name)).isDirectory()) assert.ok(name in LAYERS, `packages/${name} has no layer`);
  }
});

test('no package imports a package of the same or a higher layer', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(packagesDir)) {
    const from = packageOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      let to: string | undefined;
      if (spec.startsWith('@govchain/')) to = spec.split('/')[1];
      else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (target.startsWith(packagesDir + '/')) to = packageOf(target);
      }
      if (to === undefined || to === from) continue;
      if (!(to in LAYERS) || LAYERS[to]! >= LAYERS[from]!) {
        violations.push(`${relative(root, file)} imports ${spec} (${from} → ${to})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('every package folder says what it owns in a README', () => {
  for (const name of readdirSync(packagesDir)) {
    const dir = join(packagesDir, name);
    if (!statSync(dir).isDirectory()) continue;
    assert.ok(readdirSync(dir).includes('README.md'), `packages/${name}/README.md is missing`);
  }
});
