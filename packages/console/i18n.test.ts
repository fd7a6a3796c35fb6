// The console's two languages stay in step: the same keys, the same {{variables}}, and every literal key the
// pages use exists. (Outside src/, so Vite never bundles it; run by the repository's test runner.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import zhCN from './src/i18n/zh-CN.ts';
import enUS from './src/i18n/en-US.ts';
import { appMessages } from './src/apps/messages.ts';

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
  }
  return out;
}

const zh = flatten({ ...zhCN, apps: appMessages['zh-CN'] });
const en = flatten({ ...enUS, apps: appMessages['en-US'] });
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

test('zh-CN and en-US have exactly the same keys', () => {
  assert.deepEqual([...zh.keys()].filter((k) => !en.has(k)), [], 'missing in en-US');
  assert.deepEqual([...en.keys()].filter((k) => !zh.has(k)), [], 'missing in zh-CN');
});

test('each message uses the same interpolation variables in both languages', () => {
  for (const [k, v] of zh) assert.deepEqual(vars(en.get(k)!), vars(v), k);
});

test('every literal key used by the pages exists', () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(n)) files.push(p);
    }
  };
  walk(join(import.meta.dirname, 'src'));
  const missing: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z_.]+)'/g)) if (!zh.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
    for (const m of text.matchAll(/titleKey: '([a-zA-Z_.]+)'/g)) if (!zh.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test('Chinese is the default language', () => {
  const init = readFileSync(join(import.meta.dirname, 'src', 'i18n', 'index.ts'), 'utf8');
  assert.match(init, /return 'zh-CN';/);
  assert.match(init, /fallbackLng: 'zh-CN'/);
});
