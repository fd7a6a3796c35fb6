/**
 * One authenticated, encrypted connection to a peer over a TCP socket. Runs the handshake (docs/p2p.md), then
 * carries whole messages in DATA frames. Emits `open` once the peer is authenticated, `message` for each
 * application message, and `close` exactly once with the reason, which it also logs (peer address, code, message),
 * so a refused or broken connection is never just a bare socket error.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { CryptoSuite, KeyPair } from '@govchain/crypto';
import type { Admission, PeerIdentity } from './admission.ts';
import { FrameOpener, FrameSealer, deriveDirectionKeys, directionFrom } from './frame-cipher.ts';
import {
  NONCE_BYTES, authMessage, decodeAuth, decodeHello, decodeRefusal, encodeAuth, encodeHello, encodeRefusal,
  helloVersion, transcriptHash, type Hello, type Role,
} from './handshake-messages.ts';
import { InnerType, MESSAGE_PREFIX, PING_RECORD, decodeCloseBody, encodeClose } from './inner-records.ts';
import {
  CLOSE_GRACE_MS, FRAME_PLAINTEXT_BYTES_MAX, HANDSHAKE_TIMEOUT_MS, PROTOCOL_VERSION, SEND_BUFFER_BYTES_MAX, TCP_KEEPALIVE_IDLE_MS,
} from './limits.ts';
import { P2pError, isRefusalCode, type CloseReason, type P2pCode, type RefusalCode } from './reasons.ts';
import { RecordKind, RecordReader, encodeRecord, type RawRecord } from './records.ts';

/** This node as it presents itself in handshakes. */
export interface LocalNode {
  suite: CryptoSuite;
  chainId: string;
  /** The node's long-term private key; `certificates[0]` certifies its public key. */
  privateKey: Uint8Array;
  /** DER: node certificate, then the operating CA certificate that issued it. */
  certificates: readonly Uint8Array[];
}

export interface SecureChannelOptions {
  socket: Socket;
  role: Role;
  /** host:port for logs; a dialing socket has no remote address until it connects. */
  address: string;
  local: LocalNode;
  admission: Admission;
  logger: Logger;
  handshakeTimeoutMs?: number;
  sendBufferBytesMax?: number;
}

export interface ChannelEvents {
  open: [peer: PeerIdentity];
  message: [payload: Buffer];
  close: [reason: CloseReason];
}

type State = 'hello' | 'auth' | 'open' | 'closed';

/** Endings after which a CLOSE record could not be written or would not be read. */
const NO_GOODBYE: ReadonlySet<P2pCode> = new Set(['P2P_SOCKET_ERROR', 'P2P_PEER_CLOSED', 'P2P_SLOW_PEER', 'P2P_TRUNCATED']);

const OTHER_ROLE: Record<Role, Role> = { initiator: 'responder', responder: 'initiator' };

/** Normal endings are not news; everything else is worth an operator's attention. */
const QUIET_CODES: ReadonlySet<P2pCode> = new Set(['P2P_SHUTDOWN', 'P2P_PEER_CLOSED', 'P2P_DUPLICATE']);

export class SecureChannel extends EventEmitter<ChannelEvents> {
  readonly role: Role;
  readonly address: string;
  private state: State = 'hello';
  private readonly socket: Socket;
  private readonly local: LocalNode;
  private readonly admission: Admission;
  private readonly logger: Logger;
  private readonly sendBufferBytesMax: number;
  private readonly reader = new RecordReader();
  private readonly ephemeral: KeyPair;
  private readonly localHello: Uint8Array;
  private peerHello: Hello | undefined;
  private transcript: Uint8Array | undefined;
  private identity: PeerIdentity | undefined;
  private sealer: FrameSealer | undefined;
  private opener: FrameOpener | undefined;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(options: SecureChannelOptions) {
    super();
    this.role = options.role;
    this.address = options.address;
    this.socket = options.socket;
    this.local = options.local;
    this.admission = options.admission;
    this.logger = options.logger;
    this.sendBufferBytesMax = options.sendBufferBytesMax ?? SEND_BUFFER_BYTES_MAX;
    const suite = this.local.suite;
    this.ephemeral = suite.generateKeyPair();
    this.localHello = encodeHello({
      version: PROTOCOL_VERSION,
      suite: suite.name,
      chainId: this.local.chainId,
      ephemeralKey: this.ephemeral.publicKey,
      nonce: suite.randomBytes(NONCE_BYTES),
      certificates: [...this.local.certificates],
    });
    this.handshakeTimer = setTimeout(() => {
      this.abort(new P2pError('P2P_HANDSHAKE_TIMEOUT', `no completed handshake within ${options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS} ms`));
    }, options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    this.handshakeTimer.unref();

    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, TCP_KEEPALIVE_IDLE_MS);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err) => this.abort(new P2pError('P2P_SOCKET_ERROR', err.message)));
    this.socket.on('close', () => this.abort(new P2pError('P2P_PEER_CLOSED', 'the connection closed')));
    // Both sides speak first: HELLOs cross on the wire, saving a round trip.
    this.socket.write(encodeRecord(RecordKind.HELLO, this.localHello));
  }

  /**
   * Send one message given in parts (they are encrypted in place of being joined). Returns false when the channel
   * is not open or was just closed because the peer fell `sendBufferBytesMax` behind.
   */
  send(parts: readonly Uint8Array[]): boolean {
    if (this.state !== 'open') return false;
    let length = 1;
    for (const p of parts) length += p.length;
    if (length > FRAME_PLAINTEXT_BYTES_MAX) throw new P2pError('P2P_FRAME_TOO_LARGE', `message of ${length} bytes exceeds the frame limit of ${FRAME_PLAINTEXT_BYTES_MAX}`);
    if (this.socket.writableLength + length > this.sendBufferBytesMax) {
      this.abort(new P2pError('P2P_SLOW_PEER', `peer is ${this.socket.writableLength} bytes behind; the limit is ${this.sendBufferBytesMax}`));
      return false;
    }
    this.writeSealed([MESSAGE_PREFIX, ...parts]);
    return true;
  }

  /** Write a PING: a peer whose socket is gone answers with a reset, which closes this channel promptly. */
  ping(): void {
    if (this.state === 'open') this.writeSealed([PING_RECORD]);
  }

  /** Close deliberately; an open channel first tells the peer why in an authenticated close record. */
  close(code: P2pCode, message: string): void {
    if (this.state === 'closed') return;
    const reason: CloseReason = { code, message, by: 'local' };
    if (this.state === 'open' && this.socket.writable) {
      this.writeSealed([encodeClose(code, message)]);
      this.endGracefully();
    } else {
      this.socket.destroy();
    }
    this.finish(reason);
  }

  private writeSealed(plaintext: readonly Uint8Array[]): void {
    const buffers = this.sealer!.seal(plaintext);
    this.socket.cork();
    for (const b of buffers) this.socket.write(b);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.reader.push(chunk);
    try {
      for (let record = this.reader.next(); record !== undefined; record = this.reader.next()) {
        this.onRecord(record);
        if (this.isClosed()) return;
      }
    } catch (err) {
      if (!(err instanceof P2pError)) throw err;
      this.abort(err);
    }
  }

  private onRecord(record: RawRecord): void {
    if (record.kind === RecordKind.REFUSE) return this.onRefuse(record.body);
    if (this.state === 'hello' && record.kind === RecordKind.HELLO) return this.onHello(record.body);
    if (this.state === 'auth' && record.kind === RecordKind.AUTH) return this.onAuth(record.body);
    if (this.state === 'open' && record.kind === RecordKind.DATA) return this.onFrame(record);
    throw new P2pError('P2P_PROTOCOL_ERROR', `unexpected record of kind 0x${record.kind.toString(16)} while in state ${this.state}`);
  }

  private onHello(body: Buffer): void {
    const version = helloVersion(body);
    if (version !== PROTOCOL_VERSION) {
      return this.refuse('P2P_VERSION_MISMATCH', `peer speaks p2p protocol version ${version}; this node speaks ${PROTOCOL_VERSION}`);
    }
    const hello = decodeHello(body);
    const suite = this.local.suite;
    if (hello.suite !== suite.name || hello.chainId !== this.local.chainId) {
      return this.refuse('P2P_WRONG_CHAIN', `peer is on chain "${hello.chainId}" (${hello.suite}); this node is on chain "${this.local.chainId}" (${suite.name})`);
    }
    if (!suite.isValidPublicKey(hello.ephemeralKey)) return this.refuse('P2P_MALFORMED', 'the ephemeral key is not a valid public key of the suite');
    const admitted = this.admission.check(hello.certificates);
    if (!admitted.ok) return this.refuse(admitted.refusal.code, admitted.refusal.message);

    this.peerHello = hello;
    this.identity = admitted.peer;
    this.transcript = this.role === 'initiator'
      ? transcriptHash(suite, this.localHello, body)
      : transcriptHash(suite, body, this.localHello);
    const signature = suite.sign(this.local.privateKey, authMessage(this.role, this.transcript));
    this.socket.write(encodeRecord(RecordKind.AUTH, encodeAuth(signature)));
    this.state = 'auth';
  }

  private onAuth(body: Buffer): void {
    const suite = this.local.suite;
    const peer = this.identity!;
    const transcript = this.transcript!;
    const peerRole = OTHER_ROLE[this.role];
    if (!suite.verify(peer.publicKey, authMessage(peerRole, transcript), decodeAuth(body))) {
      return this.refuse('P2P_BAD_SIGNATURE', `the handshake signature does not verify with the key certified for "${peer.name}"`);
    }
    const shared = suite.ecdh(this.ephemeral.privateKey, this.peerHello!.ephemeralKey);
    // Forward secrecy rests on the ephemeral private key being gone once the session keys exist.
    this.ephemeral.privateKey.fill(0);
    this.sealer = new FrameSealer(suite.name, deriveDirectionKeys(suite, shared, transcript, directionFrom(this.role)));
    this.opener = new FrameOpener(suite.name, deriveDirectionKeys(suite, shared, transcript, directionFrom(peerRole)));
    shared.fill(0);
    this.state = 'open';
    clearTimeout(this.handshakeTimer);
    this.logger.debug({ peer: this.address, peerId: peer.id, peerName: peer.name, role: this.role }, 'p2p channel open');
    this.emit('open', peer);
  }

  private onFrame(record: RawRecord): void {
    const plaintext = this.opener!.open(record.header, record.body);
    const type = plaintext[0];
    if (type === InnerType.MESSAGE) {
      this.emit('message', plaintext.subarray(1));
    } else if (type === InnerType.CLOSE) {
      const { code, message } = decodeCloseBody(plaintext.subarray(1));
      this.endGracefully();
      this.finish({ code, message, by: 'remote' });
    } else if (type !== InnerType.PING || plaintext.length !== 1) {
      throw new P2pError('P2P_PROTOCOL_ERROR', `unknown frame content type ${type ?? 'none'}`);
    }
  }

  /** A REFUSE is plaintext and unauthenticated: logged as what the peer said, and it ends the connection. */
  private onRefuse(body: Buffer): void {
    const { code, message } = decodeRefusal(body);
    this.socket.destroy();
    this.finish({ code, message, by: 'remote' });
  }

  /** Tell the peer why it is refused (plaintext, before any key exists), then close. */
  private refuse(code: RefusalCode, message: string): void {
    this.socket.write(encodeRecord(RecordKind.REFUSE, encodeRefusal({ code, message })));
    this.endGracefully();
    this.finish({ code, message, by: 'local' });
  }

  /** End on an error. The peer is told when it can be: a refusal during the handshake, a close record after it. */
  private abort(err: P2pError): void {
    if (this.state === 'closed') return;
    if (isRefusalCode(err.code) && (this.state === 'hello' || this.state === 'auth')) return this.refuse(err.code, err.message);
    // Say goodbye only where it can arrive: an open channel whose socket still writes to a peer that still reads.
    const canTell = this.state === 'open' && !NO_GOODBYE.has(err.code) && this.socket.writable;
    if (canTell) {
      this.writeSealed([encodeClose(err.code, err.message)]);
      this.endGracefully();
    } else {
      this.socket.destroy();
    }
    this.finish({ code: err.code, message: err.message, by: 'local' });
  }

  private onEnd(): void {
    if (this.state === 'closed') return;
    if (this.reader.pendingBytes > 0) {
      this.abort(new P2pError('P2P_TRUNCATED', `the connection ended inside a record (${this.reader.pendingBytes} bytes of it received)`));
    } else {
      const phase = this.state === 'open' ? 'without a close record' : 'during the handshake';
      this.abort(new P2pError('P2P_PEER_CLOSED', `the peer ended the connection ${phase}`));
    }
  }

  /**
   * Half-close so the peer can still read what we last wrote (a refusal, a goodbye): destroying at once could
   * turn our FIN into a reset that discards it. A peer that never closes its half is cut off after a grace period.
   */
  private endGracefully(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** A method, not an inline comparison, because handlers called in between may have closed the channel. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private finish(reason: CloseReason): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.handshakeTimer);
    this.sealer = undefined;
    this.opener = undefined;
    const fields = {
      peer: this.address,
      ...(this.identity === undefined ? {} : { peerId: this.identity.id, peerName: this.identity.name }),
      code: reason.code,
      reason: reason.message,
      by: reason.by,
    };
    // A dial to a peer that is down fails at the socket, before any handshake: routine while it restarts.
    const routine = QUIET_CODES.has(reason.code) || (reason.code === 'P2P_SOCKET_ERROR' && this.identity === undefined);
    if (routine) this.logger.info(fields, 'p2p connection closed');
    else if (reason.by === 'remote') this.logger.warn(fields, 'p2p connection refused or closed by the peer');
    else this.logger.warn(fields, 'p2p connection refused or closed');
    this.emit('close', reason);
  }
}
