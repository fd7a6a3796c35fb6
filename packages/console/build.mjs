// Builds the console into dist/ (typecheck with this folder's tsconfig, then Vite), unless dist/ is newer than
// every source file. `--force` always builds. Used by `npm run build:console`, `npm start` and `npm test`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const stamp = join(here, 'dist', 'index.html');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => join(here, p));
const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs > Math.max(...sources.map(newest))) {
  console.log('console: dist/ is up to date');
  process.exit(0);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: join(here, '..', '..') });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const bin = (name) => join(here, '..', '..', 'node_modules', '.bin', name);
run(bin('tsc'), ['-p', join(here, 'tsconfig.json')]);
run(bin('vite'), ['build', '--logLevel', 'warn', '--config', join(here, 'vite.config.ts')]);
console.log('console: built into packages/console/dist');
