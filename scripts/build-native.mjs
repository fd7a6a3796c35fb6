// Builds the optional native SM2 binding (packages/crypto/native) at install time. A failed build is not fatal:
// the pure-TypeScript SM2 is used instead, and the bench and `govchain doctor` report which one is active.
// CI sets GOVCHAIN_REQUIRE_NATIVE_SM2=1, which makes a failed build (or a binding that will not load) fatal.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const dir = new URL('../packages/crypto/native/', import.meta.url).pathname;
const required = process.env.GOVCHAIN_REQUIRE_NATIVE_SM2 === '1';
if (!existsSync(dir + 'binding.gyp')) process.exit(0);

function giveUp(reason) {
  if (required) {
    console.error(`[govchain] native SM2 is required (GOVCHAIN_REQUIRE_NATIVE_SM2=1) but ${reason}`);
    process.exit(1);
  }
  console.warn(`[govchain] ${reason}; using the pure-TypeScript SM2`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  giveUp('node-gyp is not installed');
}

// The binding compiles against the OpenSSL headers of the running node. Without a configured nodedir, node-gyp
// would download a header tarball; an installed node usually has them beside it (<prefix>/include/node), which
// also works offline.
const args = [gyp, 'rebuild', '--silent'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const build = spawnSync(process.execPath, args, { cwd: dir, stdio: 'inherit' });
if (build.status !== 0) giveUp('the native SM2 build failed');

// Load it once in a child process, so a binding that builds but cannot load is reported now, not at runtime.
const binary = join(dir, 'build', 'Release', 'govchain_sm2.node');
const probe = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(binary)}).opensslVersion())`], {
  encoding: 'utf8',
});
if (probe.status !== 0) giveUp(`the native SM2 binding does not load: ${probe.stderr.trim().split('\n')[0]}`);
console.log(`[govchain] native SM2 verification enabled (${probe.stdout.trim()})`);
