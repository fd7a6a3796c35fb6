/**
 * Quick measurement of one secure channel on loopback (not a test): handshake time, then throughput of 1 KiB and
 * 64 KiB messages through the peer manager (envelope included). Both ends run in this one process, so the figures
 * include encryption and decryption on the same cores. Prints one JSON object.
 *   npx tsx packages/node/p2p/channel.bench.ts [gm|intl]
 */
import { sm2VerifyImplementation, type SuiteName } from '@govchain/crypto';
import { addressOf, nodeIdentity, organization, startNode, waitFor, type TestNode } from './test-kit.ts';

const suite = (process.argv[2] ?? 'gm') as SuiteName;
const CHAIN = 'test-chain';
/** Bytes allowed in flight; far below the send-buffer bound, so the sender never trips the slow-peer rule. */
const WINDOW_BYTES = 4 * 1024 * 1024;


async function pair(): Promise<{ a: TestNode; b: TestNode; handshakeMs: number }> {
  const org = organization(suite, 'Bench');
  const policy = { trustedRoots: [org.root.der] };
  const b = await startNode(nodeIdentity(org, 'node-b'), policy);
  const a = await startNode(nodeIdentity(org, 'node-a'), policy);
  const connected = new Promise<void>((resolve) => a.manager.once('connect', () => resolve()));
  // From the dial (TCP connect included) to the dialer's `connect` event.
  const started = performance.now();
  a.manager.addPeer(addressOf(b, 'node-b'));
  await connected;
  const handshakeMs = performance.now() - started;
  await waitFor(() => b.manager.peers().length === 1, 'the responder to open', 30_000);
  return { a, b, handshakeMs };
}

async function throughput(a: TestNode, b: TestNode, size: number, totalBytes: number): Promise<{ size: number; messages: number; mbPerS: number; msgsPerS: number }> {
  const count = Math.floor(totalBytes / size);
  let received = 0;
  const off = b.manager.onMessage(CHAIN, () => received++);
  const payload = Buffer.alloc(size, 0xab);
  const window = Math.max(1, Math.floor(WINDOW_BYTES / size));
  const t0 = performance.now();
  let sent = 0;
  while (received < count) {
    while (sent < count && sent - received < window) {
      if (!a.manager.send(b.manager.id, CHAIN, 1, payload)) throw new Error('send refused');
      sent++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - t0) / 1000;
  off();
  return { size, messages: count, mbPerS: +((count * size) / seconds / 1e6).toFixed(1), msgsPerS: Math.round(count / seconds) };
}

// Handshakes: fresh pairs each time (the first includes warm-up of the crypto code).
const handshakes: number[] = [];
let last: { a: TestNode; b: TestNode } | undefined;
for (let i = 0; i < 6; i++) {
  const p = await pair();
  handshakes.push(p.handshakeMs);
  if (last !== undefined) await Promise.all([last.a.manager.close(), last.b.manager.close()]);
  last = p;
}
const { a, b } = last!;
const warm = handshakes.slice(1).sort((x, y) => x - y);
const results = [await throughput(a, b, 1024, 64 * 1024 * 1024), await throughput(a, b, 64 * 1024, 512 * 1024 * 1024)];
await Promise.all([a.manager.close(), b.manager.close()]);
console.log(JSON.stringify({
  suite,
  sm2Verify: suite === 'gm' ? sm2VerifyImplementation() : undefined,
  handshakeMsMedian: +warm[Math.floor(warm.length / 2)]!.toFixed(1),
  handshakeMsFirst: +handshakes[0]!.toFixed(1),
  throughput: results,
}));
