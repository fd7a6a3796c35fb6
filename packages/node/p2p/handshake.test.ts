// A hand-driven hostile peer against a real listening manager: each test breaks one rule of the handshake and
// checks that the node refuses, says why in a REFUSE record, and logs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Writer } from '@govchain/base';
import {
  authMessage, decodeHello, decodeRefusal, encodeAuth, encodeHello, transcriptHash, type Role,
} from './handshake-messages.ts';
import { PROTOCOL_VERSION } from './limits.ts';
import { RecordKind, RecordReader, encodeRecord, type RawRecord, type RecordKindValue } from './records.ts';
import { codesLogged, nodeIdentity, organization, startNode, waitFor, type NodeIdentity, type TestNode } from './test-kit.ts';

class RawPeer {
  private readonly reader = new RecordReader();
  private readonly records: RawRecord[] = [];
  readonly socket: Socket;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let r = this.reader.next(); r !== undefined; r = this.reader.next()) this.records.push(r);
    });
  }

  send(kind: RecordKindValue, body: Uint8Array): void {
    this.socket.write(encodeRecord(kind, body));
  }

  async next(): Promise<RawRecord> {
    await waitFor(() => this.records.length > 0, 'a record from the node');
    return this.records.shift()!;
  }
}

function helloOf(identity: NodeIdentity): Uint8Array {
  const suite = identity.local.suite;
  return encodeHello({
    version: PROTOCOL_VERSION,
    suite: suite.name,
    chainId: identity.local.chainId,
    ephemeralKey: suite.generateKeyPair().publicKey,
    nonce: suite.randomBytes(32),
    certificates: [...identity.local.certificates],
  });
}

async function expectRefusal(peer: RawPeer, node: TestNode, code: string): Promise<string> {
  let record = await peer.next();
  if (record.kind === RecordKind.HELLO) record = await peer.next();
  assert.equal(record.kind, RecordKind.REFUSE);
  const refusal = decodeRefusal(record.body);
  assert.equal(refusal.code, code);
  await waitFor(() => codesLogged(node.logs).some((l) => l.code === code && l.by === 'local'), `${code} in the node's log`);
  peer.socket.destroy();
  return refusal.message;
}

/** Complete HELLOs as `identity`, then send an AUTH signed with `signingKey` as `signAs`. */
async function authenticateAs(node: TestNode, identity: NodeIdentity, signingKey: Uint8Array, signAs: Role): Promise<RawPeer> {
  const suite = identity.local.suite;
  const peer = new RawPeer(node.manager.port);
  const ours = helloOf(identity);
  peer.send(RecordKind.HELLO, ours);
  const theirs = await peer.next();
  assert.equal(theirs.kind, RecordKind.HELLO);
  assert.equal(decodeHello(theirs.body).chainId, 'test-chain');
  const transcript = transcriptHash(suite, ours, theirs.body);
  peer.send(RecordKind.AUTH, encodeAuth(suite.sign(signingKey, authMessage(signAs, transcript))));
  return peer;
}

test('a handshake signature made for the other role (a reflected signature) is refused with P2P_BAD_SIGNATURE', async () => {
  const org = organization('gm', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const attacker = nodeIdentity(org, 'node-x');
  const peer = await authenticateAs(node, attacker, attacker.local.privateKey, 'responder');
  const record = await peer.next();
  // The node admitted the certificate and sent its own AUTH before it saw ours.
  assert.equal(record.kind, RecordKind.AUTH);
  await expectRefusal(peer, node, 'P2P_BAD_SIGNATURE');
  await node.manager.close();
});

test('a peer presenting another node\'s certificate without its private key is refused with P2P_BAD_SIGNATURE', async () => {
  const org = organization('intl', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const victim = nodeIdentity(org, 'node-v');
  const attacker = nodeIdentity(org, 'node-x');
  const peer = await authenticateAs(node, victim, attacker.local.privateKey, 'initiator');
  assert.equal((await peer.next()).kind, RecordKind.AUTH);
  assert.match(await expectRefusal(peer, node, 'P2P_BAD_SIGNATURE'), /node-v/);
  await node.manager.close();
});

test('a correctly signed handshake from a raw peer is answered by an AUTH and no refusal', async () => {
  const org = organization('intl', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const honest = nodeIdentity(org, 'node-h');
  const peer = await authenticateAs(node, honest, honest.local.privateKey, 'initiator');
  assert.equal((await peer.next()).kind, RecordKind.AUTH);
  await waitFor(() => node.manager.peers().some((p) => p.name === 'node-h' && p.connected), 'the raw peer to be admitted');
  peer.socket.destroy();
  await node.manager.close();
});

test('a peer speaking another protocol version is refused with P2P_VERSION_MISMATCH even when the rest of its HELLO is unreadable', async () => {
  const org = organization('intl', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const peer = new RawPeer(node.manager.port);
  peer.send(RecordKind.HELLO, new Writer().u32(PROTOCOL_VERSION + 1).string('a future layout').finish());
  assert.match(await expectRefusal(peer, node, 'P2P_VERSION_MISMATCH'), /version 2/);
  await node.manager.close();
});

test('a HELLO that does not decode is refused with P2P_MALFORMED', async () => {
  const org = organization('intl', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const peer = new RawPeer(node.manager.port);
  peer.send(RecordKind.HELLO, new Writer().u32(PROTOCOL_VERSION).string('intl').string('test-chain').finish());
  await expectRefusal(peer, node, 'P2P_MALFORMED');
  await node.manager.close();
});

test('a data frame before the handshake completes ends the connection as a protocol error', async () => {
  const org = organization('intl', 'Org');
  const node = await startNode(nodeIdentity(org, 'node-b'), { trustedRoots: [org.root.der] });
  const peer = new RawPeer(node.manager.port);
  peer.send(RecordKind.DATA, Buffer.alloc(64));
  await waitFor(() => codesLogged(node.logs).some((l) => l.code === 'P2P_PROTOCOL_ERROR'), 'the protocol error');
  peer.socket.destroy();
  await node.manager.close();
});
