// Builds the optional native SM2 binding (packages/crypto/native) at install time. A failed build is not fatal:
// the pure-TypeScript SM2 is used instead, and the bench and `govchain doctor` report which one is active.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const dir = new URL('../packages/crypto/native/', import.meta.url).pathname;
if (!existsSync(dir + 'binding.gyp')) process.exit(0);
let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.warn('[govchain] node-gyp not installed; using the pure-TypeScript SM2');
  process.exit(0);
}
const r = spawnSync(process.execPath, [gyp, 'rebuild', '--silent'], { cwd: dir, stdio: 'inherit' });
if (r.status !== 0) console.warn('[govchain] native SM2 build failed; using the pure-TypeScript SM2');
