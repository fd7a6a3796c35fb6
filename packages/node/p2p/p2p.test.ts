// Loopback tests of the secure channel and the peer manager: real sockets, real certificates, hostile proxies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import type { SuiteName } from '@govchain/crypto';
import { RecordKind } from './records.ts';
import {
  DAY_MS, RecordProxy, addressOf, codesLogged, nodeIdentity, organization, startNode, waitFor, type TestNode,
} from './test-kit.ts';
import type { AdmissionPolicy } from './admission.ts';

const CHAIN = 'test-chain';

function trusting(...orgs: ReturnType<typeof organization>[]): AdmissionPolicy {
  return { trustedRoots: orgs.map((o) => o.root.der) };
}

function collect(node: TestNode, chainId = CHAIN): Array<{ from: string; type: number; text: string }> {
  const got: Array<{ from: string; type: number; text: string }> = [];
  node.manager.onMessage(chainId, (from, type, payload) => got.push({ from, type, text: Buffer.from(payload).toString() }));
  return got;
}

async function closeAll(...nodes: TestNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.manager.close()));
}

function connectedTo(node: TestNode, other: TestNode): boolean {
  return node.manager.peers().some((p) => p.id === other.manager.id && p.connected);
}

for (const suite of ['gm', 'intl'] as SuiteName[]) {
  test(`two managers connect and exchange messages in order in both directions (${suite})`, async () => {
    const org = organization(suite, 'Org');
    const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
    const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [addressOf(b, 'node-b')] });
    const atA = collect(a);
    const atB = collect(b);
    const connected: string[] = [];
    b.manager.on('connect', (p) => connected.push(p.name));
    await waitFor(() => connectedTo(a, b) && connectedTo(b, a), 'the connection');
    for (let i = 0; i < 200; i++) {
      assert.equal(a.manager.send(b.manager.id, CHAIN, 1, Buffer.from(`a${i}`)), true);
      assert.equal(b.manager.send(a.manager.id, CHAIN, 2, Buffer.from(`b${i}`)), true);
    }
    await waitFor(() => atA.length === 200 && atB.length === 200, 'all messages');
    assert.deepEqual(atB.map((m) => m.text), Array.from({ length: 200 }, (_, i) => `a${i}`));
    assert.deepEqual(atA.map((m) => m.text), Array.from({ length: 200 }, (_, i) => `b${i}`));
    assert.ok(atB.every((m) => m.from === a.manager.id && m.type === 1));
    assert.ok(atA.every((m) => m.from === b.manager.id && m.type === 2));
    assert.deepEqual(connected, ['node-a']);
    const info = a.manager.peers().find((p) => p.id === b.manager.id)!;
    assert.equal(info.name, 'node-b');
    assert.equal(info.direction, 'outbound');
    await closeAll(a, b);
  });
}

test('a man-in-the-middle flipping one byte of a post-handshake frame ends the connection, and both sides log why', async () => {
  const org = organization('gm', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  let tampered = false;
  const proxy = new RecordProxy(b.manager.port, (record) => {
    if (record[4] !== RecordKind.DATA || tampered) return [record];
    tampered = true;
    const copy = Buffer.from(record);
    copy[5 + 8 + 2]! ^= 0x01; // one bit of the ciphertext, after the header and sequence number
    return [copy];
  });
  const proxyPort = await proxy.listen();
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [{ name: 'node-b', host: '127.0.0.1', port: proxyPort }] });
  const atB = collect(b);
  await waitFor(() => connectedTo(a, b), 'the connection');
  a.manager.send(b.manager.id, CHAIN, 1, Buffer.from('hello'));
  await waitFor(() => codesLogged(b.logs).some((l) => l.code === 'P2P_FRAME_TAMPERED'), 'the tamper to be logged');
  assert.deepEqual(atB, [], 'nothing from the altered frame was delivered');
  assert.ok(codesLogged(b.logs).some((l) => l.code === 'P2P_FRAME_TAMPERED' && l.by === 'local'));
  const line = b.logs.lines.find((l) => l.code === 'P2P_FRAME_TAMPERED')!;
  assert.match(String(line.peer), /^127\.0\.0\.1:\d+$/);
  assert.match(String(line.reason), /failed authentication/);
  // The receiver's sending half was intact, so its authenticated goodbye told the sender why.
  await waitFor(() => codesLogged(a.logs).some((l) => l.code === 'P2P_FRAME_TAMPERED' && l.by === 'remote'), 'the sender to learn why');
  await closeAll(a, b);
  await proxy.close();
});

test('a frame replayed by the network ends the connection as P2P_FRAME_REPLAYED', async () => {
  const org = organization('gm', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  let recorded: Buffer | undefined;
  const proxy = new RecordProxy(b.manager.port, (record, connection) => {
    if (record[4] !== RecordKind.DATA || connection > 0) return [record];
    if (recorded === undefined) {
      recorded = Buffer.from(record);
      return [record];
    }
    return [record, recorded]; // the second frame, then the first one again
  });
  const proxyPort = await proxy.listen();
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [{ name: 'node-b', host: '127.0.0.1', port: proxyPort }] });
  const atB = collect(b);
  await waitFor(() => connectedTo(a, b), 'the connection');
  a.manager.send(b.manager.id, CHAIN, 1, Buffer.from('one'));
  a.manager.send(b.manager.id, CHAIN, 1, Buffer.from('two'));
  await waitFor(() => codesLogged(b.logs).some((l) => l.code === 'P2P_FRAME_REPLAYED'), 'the replay to be detected');
  assert.deepEqual(atB.map((m) => m.text), ['one', 'two'], 'the replayed copy was not delivered');
  await closeAll(a, b);
  await proxy.close();
});

test('a stream cut off inside a frame ends the connection as P2P_TRUNCATED', async () => {
  const org = organization('intl', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  let cut = false;
  const proxy = new RecordProxy(b.manager.port, (record) => {
    if (record[4] !== RecordKind.DATA || cut) return [record];
    cut = true;
    return [record.subarray(0, record.length - 10)];
  });
  const proxyPort = await proxy.listen();
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [{ name: 'node-b', host: '127.0.0.1', port: proxyPort }] });
  const atB = collect(b);
  await waitFor(() => connectedTo(a, b), 'the connection');
  a.manager.send(b.manager.id, CHAIN, 1, Buffer.from('cut short'));
  await waitFor(() => cut, 'the proxy to cut the frame');
  proxy.endUpstream();
  await waitFor(() => codesLogged(b.logs).some((l) => l.code === 'P2P_TRUNCATED'), 'the truncation to be logged');
  assert.deepEqual(atB, []);
  await closeAll(a, b);
  await proxy.close();
});

/** b refused a (which dialed it) with `expected`, and a reports that code as its peer's last error. */
async function assertRefused(b: TestNode, a: TestNode, expected: string): Promise<void> {
  await waitFor(() => codesLogged(b.logs).some((l) => l.code === expected && l.by === 'local'), `${expected} at the refusing side`);
  await waitFor(() => a.manager.peers()[0]?.lastError?.code === expected, `${expected} reported at the refused side`);
  assert.equal(connectedTo(a, b) || connectedTo(b, a), false);
}

test('a peer certified by a foreign CA is refused and is told P2P_UNKNOWN_CA', async () => {
  const org = organization('gm', 'Org');
  const foreign = organization('gm', 'Org'); // same names, different keys
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const a = await startNode(nodeIdentity(foreign, 'node-x'), trusting(org, foreign), { peers: [addressOf(b, 'node-b')] });
  await assertRefused(b, a, 'P2P_UNKNOWN_CA');
  assert.ok(codesLogged(a.logs).some((l) => l.code === 'P2P_UNKNOWN_CA' && l.by === 'remote'), 'the refused side logged the reason it was given');
  await closeAll(a, b);
});

test('a peer on another chain id is refused with P2P_WRONG_CHAIN', async () => {
  const org = organization('intl', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const a = await startNode(nodeIdentity(org, 'node-x', { chainId: 'other-chain' }), trusting(org), { peers: [addressOf(b, 'node-b')] });
  await assertRefused(b, a, 'P2P_WRONG_CHAIN');
  await closeAll(a, b);
});

test('a peer whose certificate has expired is refused with P2P_CERT_EXPIRED', async () => {
  const org = organization('gm', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const expired = nodeIdentity(org, 'node-x', { notBeforeMs: Date.now() - 30 * DAY_MS, notAfterMs: Date.now() - DAY_MS });
  const a = await startNode(expired, trusting(org), { peers: [addressOf(b, 'node-b')] });
  await assertRefused(b, a, 'P2P_CERT_EXPIRED');
  await closeAll(a, b);
});

test('a peer whose certificate serial is revoked is refused with P2P_CERT_REVOKED', async () => {
  const org = organization('intl', 'Org');
  const revoked = nodeIdentity(org, 'node-x');
  const b = await startNode(nodeIdentity(org, 'node-b'), { ...trusting(org), revokedSerials: new Set([revoked.serialNumber]) });
  const a = await startNode(revoked, trusting(org), { peers: [addressOf(b, 'node-b')] });
  await assertRefused(b, a, 'P2P_CERT_REVOKED');
  await closeAll(a, b);
});

test('a certified peer whose key is not in the allowed set is refused with P2P_NOT_ALLOWED', async () => {
  const org = organization('intl', 'Org');
  const allowed = nodeIdentity(org, 'node-ok');
  const b = await startNode(nodeIdentity(org, 'node-b'), { ...trusting(org), allowedPublicKeys: new Set([allowed.publicKeyHex]) });
  const a = await startNode(nodeIdentity(org, 'node-x'), trusting(org), { peers: [addressOf(b, 'node-b')] });
  await assertRefused(b, a, 'P2P_NOT_ALLOWED');
  await closeAll(a, b);
});

test('a connection that never completes its handshake is closed with P2P_HANDSHAKE_TIMEOUT', async () => {
  const org = organization('intl', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org), { extra: { handshakeTimeoutMs: 300 } });
  const silent = connect({ host: '127.0.0.1', port: b.manager.port });
  silent.on('error', () => undefined);
  silent.resume(); // read (and drop) b's HELLO so the stream reaches its end
  await waitFor(() => codesLogged(b.logs).some((l) => l.code === 'P2P_HANDSHAKE_TIMEOUT'), 'the handshake timeout');
  await waitFor(() => silent.destroyed || silent.readableEnded, 'the silent socket to be closed');
  silent.destroy();
  await closeAll(b);
});

test('a manager restarted on the same port is redialed by its peer and messages flow again', async () => {
  const org = organization('gm', 'Org');
  const bIdentity = nodeIdentity(org, 'node-b');
  let b = await startNode(bIdentity, trusting(org));
  const port = b.manager.port;
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [addressOf(b, 'node-b')] });
  const disconnects: string[] = [];
  a.manager.on('disconnect', (_peer, reason) => disconnects.push(reason.code));
  await waitFor(() => connectedTo(a, b), 'the first connection');
  await b.manager.close();
  await waitFor(() => !connectedTo(a, b), 'a to notice b is gone');
  assert.deepEqual(disconnects, ['P2P_SHUTDOWN'], 'b said goodbye before leaving');
  b = await startNode(bIdentity, trusting(org), { port });
  const atB = collect(b);
  await waitFor(() => connectedTo(a, b), 'a to redial b by itself');
  assert.equal(a.manager.send(b.manager.id, CHAIN, 7, Buffer.from('again')), true);
  await waitFor(() => atB.length === 1, 'the message after reconnecting');
  assert.equal(atB[0]!.text, 'again');
  await closeAll(a, b);
});

test('a 6 MB message passes intact over a gm channel', async () => {
  const org = organization('gm', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [addressOf(b, 'node-b')] });
  const received: Uint8Array[] = [];
  b.manager.onMessage(CHAIN, (_from, _type, payload) => received.push(Buffer.from(payload)));
  await waitFor(() => connectedTo(a, b), 'the connection');
  const big = Buffer.alloc(6 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32BE(i, i);
  assert.equal(a.manager.send(b.manager.id, CHAIN, 3, big), true);
  await waitFor(() => received.length === 1, 'the large message');
  const digest = (x: Uint8Array): string => createHash('sha256').update(x).digest('hex');
  assert.equal(digest(received[0]!), digest(big));
  await closeAll(a, b);
});

test('messages for a chain the node does not host are dropped and counted, others still arrive', async () => {
  const org = organization('intl', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), { peers: [addressOf(b, 'node-b')] });
  const atB = collect(b);
  await waitFor(() => connectedTo(a, b), 'the connection');
  a.manager.send(b.manager.id, 'not-hosted', 1, Buffer.from('lost'));
  a.manager.send(b.manager.id, CHAIN, 1, Buffer.from('kept'));
  await waitFor(() => atB.length === 1, 'the hosted chain message');
  assert.equal(atB[0]!.text, 'kept');
  assert.equal(b.manager.stats().droppedUnknownChain, 1);
  await closeAll(a, b);
});

test('two nodes dialing each other at once settle on exactly one connection and broadcast reaches all but the excluded', async () => {
  const org = organization('intl', 'Org');
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org));
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const c = await startNode(nodeIdentity(org, 'node-c'), trusting(org));
  a.manager.addPeer(addressOf(b, 'node-b'));
  b.manager.addPeer(addressOf(a, 'node-a'));
  a.manager.addPeer(addressOf(c, 'node-c'));
  // Both dials complete their handshakes; each end closes (or is told to close) the same loser as a duplicate.
  const sawDuplicate = (n: TestNode): boolean => codesLogged(n.logs).some((l) => l.code === 'P2P_DUPLICATE');
  await waitFor(() => sawDuplicate(a) && sawDuplicate(b) && connectedTo(a, b) && connectedTo(b, a) && connectedTo(a, c), 'the tie-break');
  const aSide = a.manager.peers().filter((p) => p.id === b.manager.id && p.connected);
  const bSide = b.manager.peers().filter((p) => p.id === a.manager.id && p.connected);
  assert.equal(aSide.length, 1);
  assert.equal(bSide.length, 1);
  // The same TCP connection from both ends: a dialed it or b did, and the two agree which.
  assert.notEqual(aSide[0]!.direction, bSide[0]!.direction);
  const dialer = a.manager.id < b.manager.id ? aSide[0]! : bSide[0]!;
  assert.equal(dialer.direction, 'outbound', 'the node with the smaller id dialed the kept connection');
  const atB = collect(b);
  const atC = collect(c);
  assert.equal(a.manager.broadcast(CHAIN, 9, Buffer.from('to all'), c.manager.id), 1);
  assert.equal(a.manager.broadcast(CHAIN, 9, Buffer.from('to all')), 2);
  await waitFor(() => atB.length === 2 && atC.length === 1, 'the broadcasts');
  await closeAll(a, b, c);
});

test('a peer that stops reading is disconnected as P2P_SLOW_PEER once its backlog passes the bound', async () => {
  const org = organization('intl', 'Org');
  const b = await startNode(nodeIdentity(org, 'node-b'), trusting(org));
  const proxy = new RecordProxy(b.manager.port, (record) => [record]);
  const proxyPort = await proxy.listen();
  const a = await startNode(nodeIdentity(org, 'node-a'), trusting(org), {
    peers: [{ name: 'node-b', host: '127.0.0.1', port: proxyPort }],
    extra: { sendBufferBytesMax: 1024 * 1024 },
  });
  await waitFor(() => connectedTo(a, b), 'the connection');
  proxy.stall();
  const chunk = Buffer.alloc(256 * 1024);
  let accepted = 0;
  for (let i = 0; i < 400 && a.manager.send(b.manager.id, CHAIN, 1, chunk); i++) accepted++;
  assert.ok(accepted < 400, 'sending stopped being accepted before 100 MB was buffered');
  await waitFor(() => codesLogged(a.logs).some((l) => l.code === 'P2P_SLOW_PEER'), 'the slow peer to be dropped');
  await closeAll(a, b);
  await proxy.close();
});
