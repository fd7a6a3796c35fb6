import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startNode, type RunningNode } from '@govchain/node';
import { GovchainClient } from '@govchain/sdk';
import { reservePorts } from '../../test/e2e/ports.ts';
import { generateNetwork } from './network.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govchain-generate-'));
  dirs.push(dir);
  return dir;
}

after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Config {
  p2p: { host: string; port: number; peers: { name: string; host: string; port: number }[] };
  api: { host: string; port: number };
}

const configOf = (dir: string, node: string): Config => JSON.parse(readFileSync(join(dir, 'nodes', node, 'config.json'), 'utf8')) as Config;

test('on one machine every node listens on and dials the one host', () => {
  const dir = tempDir();
  generateNetwork({ dir, chainId: 'one-host', suite: 'gm', organizations: 3, host: '127.0.0.1', p2pBasePort: 27001, apiBasePort: 9001, withApiToken: true });
  const c = configOf(dir, 'node2');
  assert.deepEqual([c.p2p.host, c.p2p.port, c.api.host, c.api.port], ['127.0.0.1', 27002, '127.0.0.1', 9002]);
  assert.deepEqual(c.p2p.peers, [{ name: 'node1', host: '127.0.0.1', port: 27001 }, { name: 'node3', host: '127.0.0.1', port: 27003 }]);
});

test('with one host per node, each node binds the listen address and its peers dial it at its own host', () => {
  const dir = tempDir();
  const hosts = ['10.0.1.5', 'chain.dept-b.gov.example', '10.0.3.7'];
  const { nodes } = generateNetwork({ dir, chainId: 'many-hosts', suite: 'gm', organizations: 3, host: '127.0.0.1', hosts, p2pBasePort: 27001, apiBasePort: 9001, withApiToken: true });
  for (const [i, name] of ['node1', 'node2', 'node3'].entries()) {
    const c = configOf(dir, name);
    assert.equal(c.p2p.host, '0.0.0.0');
    assert.equal(c.api.host, '0.0.0.0');
    assert.deepEqual(c.p2p.peers.map((p) => `${p.name}@${p.host}:${p.port}`), hosts.flatMap((h, j) => (j === i ? [] : [`node${j + 1}@${h}:${27001 + j}`])));
    assert.equal(nodes[i]!.apiUrl, `http://${hosts[i]}:${9001 + i}`);
    // A node directory carries no organization's CA keys: copying it to its machine gives away nothing else.
    assert.deepEqual(readdirSync(join(dir, 'nodes', name)).filter((f) => f.endsWith('.key')), ['node.key']);
  }
  const network = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as { nodes: { apiUrl: string }[] };
  assert.deepEqual(network.nodes.map((n) => n.apiUrl), hosts.map((h, i) => `http://${h}:${9001 + i}`));
});

test('a host list of the wrong length or with a bad address is refused before anything is written', () => {
  const dir = join(tempDir(), 'out');
  const spec = { dir, chainId: 'bad', suite: 'gm' as const, organizations: 3, host: '127.0.0.1', p2pBasePort: 27001, apiBasePort: 9001, withApiToken: true };
  assert.throws(() => generateNetwork({ ...spec, hosts: ['10.0.0.1', '10.0.0.2'] }), { code: 'NETWORK_HOSTS_COUNT' });
  assert.throws(() => generateNetwork({ ...spec, hosts: ['10.0.0.1', 'bad host', '10.0.0.3'] }), { code: 'NETWORK_HOST_INVALID' });
  assert.throws(() => generateNetwork({ ...spec, hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], listen: 'a/b' }), { code: 'NETWORK_HOST_INVALID' });
  assert.equal(existsSync(dir), false);
});

test('nodes generated for two different addresses find each other there and commit blocks', async () => {
  const dir = tempDir();
  const p2p = await reservePorts(2);
  const api = await reservePorts(2);
  const running: RunningNode[] = [];
  try {
    generateNetwork({ dir, chainId: 'two-hosts', suite: 'gm', organizations: 2, host: '127.0.0.1', hosts: ['127.0.0.2', '127.0.0.3'], p2pBasePort: p2p.base, apiBasePort: api.base, withApiToken: true });
    for (const name of ['node1', 'node2']) running.push(await startNode(join(dir, 'nodes', name), { logger: pino({ level: 'silent' }) }));
    const client = new GovchainClient(`http://127.0.0.3:${api.base + 1}`, { timeoutMs: 5000 });
    for (let tries = 0; (await client.status()).height < 2; tries++) {
      assert.ok(tries < 300, 'the two nodes did not commit block 2 within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const status = await client.status();
    assert.deepEqual(status.peers, [{ name: 'node1', connected: true }]);
  } finally {
    for (const n of running) await n.close();
    p2p.release();
    api.release();
  }
});
