/**
 * The peer manager: accepts connections, dials the configured peers (redialing with backoff), keeps at most one
 * authenticated connection per peer identity, and routes chain-scoped messages between the network and the
 * chains this node hosts.
 *
 * Duplicate connections (both nodes dialed at once, or a peer redialed before we saw its old connection die) are
 * settled by a rule both ends compute alike: between connections in opposite directions, keep the one dialed by
 * the node with the smaller id; between connections in the same direction, keep the newer (its dialer would not
 * have dialed again had the old one still worked for it).
 */
import { EventEmitter, once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { GovchainError, bytesEqual } from '@govchain/base';
import { parseCertificate } from '@govchain/crypto';
import { Admission, peerIdOf, type AdmissionPolicy, type PeerIdentity } from './admission.ts';
import { Backoff } from './backoff.ts';
import { checkPayloadSize, decodeEnvelope, encodeEnvelopeHeader } from './envelope.ts';
import {
  CONNECTIONS_MAX, DIAL_BACKOFF_BASE_MS, DIAL_BACKOFF_MAX_MS, PENDING_HANDSHAKES_MAX,
} from './limits.ts';
import type { CloseReason, P2pCode } from './reasons.ts';
import { SecureChannel, type LocalNode } from './secure-channel.ts';

export interface PeerAddress {
  /** The name the peer's certificate is expected to carry as its common name. */
  name: string;
  host: string;
  port: number;
}

export interface PeerManagerOptions {
  local: LocalNode;
  admission: AdmissionPolicy;
  /** Where to accept connections; port 0 takes a free port (read it from `port`). Absent: dial only. */
  listen?: { host?: string; port: number };
  /** Peers to dial and keep connected. */
  peers?: readonly PeerAddress[];
  logger: Logger;
  handshakeTimeoutMs?: number;
  sendBufferBytesMax?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export type Direction = 'inbound' | 'outbound';

export interface PeerError {
  code: P2pCode;
  message: string;
  atMs: number;
}

export interface PeerInfo {
  /** Hex hash of the peer's node public key; undefined for a configured peer never reached. */
  id: string | undefined;
  /** The certificate's common name once connected, else the configured name. */
  name: string;
  /** host:port as configured for dialed peers, the remote socket address for inbound ones. */
  address: string;
  connected: boolean;
  direction: Direction | undefined;
  /** When the current connection was established (ms since the epoch). */
  sinceMs: number | undefined;
  /** Why the last dial or connection to a configured peer failed; normal closes are not errors. */
  lastError: PeerError | undefined;
}

export interface PeerManagerStats {
  /** Messages for a chain this node does not host. */
  droppedUnknownChain: number;
  /** Authenticated frames whose envelope did not decode. */
  droppedMalformed: number;
  /** Messages whose handler threw. */
  handlerErrors: number;
}

export type MessageHandler = (peerId: string, type: number, payload: Uint8Array) => void;

export interface PeerManagerEvents {
  connect: [peer: PeerInfo];
  disconnect: [peer: PeerInfo, reason: CloseReason];
}

interface Connection {
  channel: SecureChannel;
  peer: PeerIdentity;
  direction: Direction;
  address: string;
  sinceMs: number;
}

interface DialTarget {
  address: PeerAddress;
  label: string;
  backoff: Backoff;
  /** Learned from the first successful handshake; lets us skip dialing a peer that is already connected. */
  peerId: string | undefined;
  /** The dial in progress or the connection it produced. */
  channel: SecureChannel | undefined;
  timer: NodeJS.Timeout | undefined;
  lastError: PeerError | undefined;
}

/** Endings that are part of normal operation and not worth reporting as a peer's last error. */
const ROUTINE_CLOSES: ReadonlySet<P2pCode> = new Set(['P2P_DUPLICATE', 'P2P_SHUTDOWN']);

export class PeerManager extends EventEmitter<PeerManagerEvents> {
  /** This node's peer id: hex hash of its node public key. */
  readonly id: string;
  private readonly options: PeerManagerOptions;
  private readonly logger: Logger;
  private readonly admission: Admission;
  private readonly connections = new Map<string, Connection>();
  private readonly pending = new Set<SecureChannel>();
  private readonly sockets = new Set<Socket>();
  private readonly targets: DialTarget[];
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly counters: PeerManagerStats = { droppedUnknownChain: 0, droppedMalformed: 0, handlerErrors: 0 };
  private server: Server | undefined;
  private started = false;
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(options: PeerManagerOptions) {
    super();
    this.options = options;
    this.logger = options.logger;
    const { suite, privateKey, certificates } = options.local;
    const publicKey = suite.publicKeyOf(privateKey);
    const leaf = certificates[0];
    if (leaf === undefined || !bytesEqual(parseCertificate(leaf).publicKey, publicKey)) {
      throw new GovchainError('P2P_BAD_LOCAL_IDENTITY', 'malformed', 'the first local certificate must certify the node private key');
    }
    this.id = peerIdOf(suite, publicKey);
    this.admission = new Admission(suite, publicKey, options.admission);
    const peers = options.peers ?? [];
    if (peers.length > CONNECTIONS_MAX) throw new GovchainError('P2P_TOO_MANY_PEERS', 'overloaded', `at most ${CONNECTIONS_MAX} configured peers`);
    this.targets = peers.map((address) => this.targetFor(address));
  }

  private targetFor(address: PeerAddress): DialTarget {
    if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535 || address.host === '') {
      throw new GovchainError('P2P_BAD_PEER_ADDRESS', 'malformed', `peer ${address.name} has no valid host and port`);
    }
    const o = this.options;
    return {
      address,
      label: `${address.host}:${address.port}`,
      backoff: new Backoff(o.backoffBaseMs ?? DIAL_BACKOFF_BASE_MS, o.backoffMaxMs ?? DIAL_BACKOFF_MAX_MS),
      peerId: undefined,
      channel: undefined,
      timer: undefined,
      lastError: undefined,
    };
  }

  /** Start listening (if configured) and dialing. */
  async start(): Promise<void> {
    if (this.started || this.closing) throw new GovchainError('P2P_ALREADY_STARTED', 'conflict', 'a peer manager starts once');
    const listen = this.options.listen;
    if (listen !== undefined) {
      const server = createServer((socket) => this.accept(socket));
      server.maxConnections = CONNECTIONS_MAX + PENDING_HANDSHAKES_MAX;
      server.listen(listen.port, listen.host ?? '0.0.0.0');
      await once(server, 'listening');
      this.server = server;
      this.logger.info({ port: this.port, peerId: this.id }, 'p2p listening');
    }
    this.started = true;
    for (const target of this.targets) this.dial(target);
  }

  /** Dial and keep connected one more peer (a node joining the network); dialing starts at once if started. */
  addPeer(address: PeerAddress): void {
    if (this.targets.length >= CONNECTIONS_MAX) throw new GovchainError('P2P_TOO_MANY_PEERS', 'overloaded', `at most ${CONNECTIONS_MAX} configured peers`);
    const target = this.targetFor(address);
    this.targets.push(target);
    if (this.started) this.dial(target);
  }

  /** The port we accept connections on. */
  get port(): number {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new GovchainError('P2P_NOT_LISTENING', 'internal', 'the peer manager is not listening');
    return (address as AddressInfo).port;
  }

  /**
   * Route messages for `chainId` to `handler`; a node hosts a chain by registering it here. Messages for chains
   * without a handler are dropped and counted. Returns a function that unregisters the handler.
   */
  onMessage(chainId: string, handler: MessageHandler): () => void {
    encodeEnvelopeHeader(chainId, 0);
    if (this.handlers.has(chainId)) throw new GovchainError('P2P_HANDLER_EXISTS', 'conflict', `chain ${chainId} already has a message handler`);
    this.handlers.set(chainId, handler);
    return () => {
      if (this.handlers.get(chainId) === handler) this.handlers.delete(chainId);
    };
  }

  /** Queue a message to one peer. False when that peer is not connected (or was just dropped as too slow). */
  send(peerId: string, chainId: string, type: number, payload: Uint8Array): boolean {
    const header = encodeEnvelopeHeader(chainId, type);
    checkPayloadSize(payload);
    const connection = this.connections.get(peerId);
    return connection !== undefined && connection.channel.send([header, payload]);
  }

  /** Queue a message to every connected peer but `except`; returns how many peers it was queued to. */
  broadcast(chainId: string, type: number, payload: Uint8Array, except?: string): number {
    const header = encodeEnvelopeHeader(chainId, type);
    checkPayloadSize(payload);
    let sent = 0;
    for (const [peerId, connection] of [...this.connections]) {
      if (peerId !== except && connection.channel.send([header, payload])) sent++;
    }
    return sent;
  }

  /** Configured peers (connected or not) and every other connected peer. */
  peers(): PeerInfo[] {
    const out: PeerInfo[] = [];
    const listed = new Set<string>();
    for (const target of this.targets) {
      const connection = target.peerId === undefined ? undefined : this.connections.get(target.peerId);
      if (connection !== undefined) listed.add(connection.peer.id);
      out.push({
        id: target.peerId,
        name: connection?.peer.name ?? target.address.name,
        address: target.label,
        connected: connection !== undefined,
        direction: connection?.direction,
        sinceMs: connection?.sinceMs,
        lastError: target.lastError,
      });
    }
    for (const connection of this.connections.values()) {
      if (!listed.has(connection.peer.id)) out.push({ ...this.infoOf(connection), lastError: undefined });
    }
    return out;
  }

  stats(): PeerManagerStats {
    return { ...this.counters };
  }

  /** Stop listening and dialing, say goodbye to every peer, and resolve once every socket is closed. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    for (const target of this.targets) clearTimeout(target.timer);
    const serverClosed = this.server === undefined ? Promise.resolve() : new Promise<void>((resolve) => this.server!.close(() => resolve()));
    // Not events.once: it rejects on 'error', and a reset while closing is normal.
    const socketsClosed = [...this.sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    for (const channel of [...this.pending]) channel.close('P2P_SHUTDOWN', 'the node is shutting down');
    for (const connection of [...this.connections.values()]) connection.channel.close('P2P_SHUTDOWN', 'the node is shutting down');
    await Promise.all([serverClosed, ...socketsClosed]);
    this.logger.info({ peerId: this.id }, 'p2p closed');
  }

  private accept(socket: Socket): void {
    if (this.closing || this.pending.size >= PENDING_HANDSHAKES_MAX) {
      if (!this.closing) this.logger.warn({ peer: `${socket.remoteAddress}:${socket.remotePort}`, pending: this.pending.size }, 'p2p too many handshakes in progress; connection dropped');
      socket.destroy();
      return;
    }
    const address = `${socket.remoteAddress}:${socket.remotePort}`;
    const channel = this.createChannel(socket, 'responder', address);
    channel.once('open', (peer) => this.adopt(channel, peer, 'inbound', address));
  }

  private dial(target: DialTarget): void {
    target.timer = undefined;
    if (this.closing || target.channel !== undefined) return;
    // Already connected (perhaps it dialed us); a redial is scheduled when that connection ends.
    if (target.peerId !== undefined && this.connections.has(target.peerId)) return;
    const socket = connect({ host: target.address.host, port: target.address.port });
    const channel = this.createChannel(socket, 'initiator', target.label);
    target.channel = channel;
    channel.once('open', (peer) => {
      target.peerId = peer.id;
      target.backoff.reset();
      target.lastError = undefined;
      if (peer.name !== target.address.name) {
        this.logger.warn({ peer: target.label, expected: target.address.name, actual: peer.name }, 'p2p peer certificate name differs from the configured name');
      }
      this.adopt(channel, peer, 'outbound', target.label);
    });
    channel.once('close', (reason) => {
      target.channel = undefined;
      if (!ROUTINE_CLOSES.has(reason.code)) target.lastError = { code: reason.code, message: reason.message, atMs: Date.now() };
      this.scheduleDial(target);
    });
  }

  private scheduleDial(target: DialTarget): void {
    if (this.closing || target.timer !== undefined) return;
    target.timer = setTimeout(() => this.dial(target), target.backoff.next());
  }

  private createChannel(socket: Socket, role: 'initiator' | 'responder', address: string): SecureChannel {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const o = this.options;
    const channel = new SecureChannel({
      socket,
      role,
      address,
      local: o.local,
      admission: this.admission,
      logger: this.logger,
      ...(o.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: o.handshakeTimeoutMs }),
      ...(o.sendBufferBytesMax === undefined ? {} : { sendBufferBytesMax: o.sendBufferBytesMax }),
    });
    this.pending.add(channel);
    channel.once('open', () => this.pending.delete(channel));
    channel.once('close', () => this.pending.delete(channel));
    return channel;
  }

  private keepsNew(existing: Direction, incoming: Direction, peerId: string): boolean {
    if (existing === incoming) return true;
    const dialedBySmaller: Direction = this.id < peerId ? 'outbound' : 'inbound';
    return incoming === dialedBySmaller;
  }

  private adopt(channel: SecureChannel, peer: PeerIdentity, direction: Direction, address: string): void {
    if (this.closing) return channel.close('P2P_SHUTDOWN', 'the node is shutting down');
    const existing = this.connections.get(peer.id);
    if (existing !== undefined && !this.keepsNew(existing.direction, direction, peer.id)) {
      channel.close('P2P_DUPLICATE', 'a connection to this node already exists');
      // If the kept connection is dead on the far side, this draws the reset that lets the peer redial.
      existing.channel.ping();
      return;
    }
    if (existing === undefined && this.connections.size >= CONNECTIONS_MAX) {
      return channel.close('P2P_TOO_MANY_PEERS', `this node already has ${CONNECTIONS_MAX} peers`);
    }
    const connection: Connection = { channel, peer, direction, address, sinceMs: Date.now() };
    this.connections.set(peer.id, connection);
    // Replacing a duplicate is invisible to users of the manager: the peer stays connected throughout.
    existing?.channel.close('P2P_DUPLICATE', 'replaced by a newer connection to this node');
    channel.on('message', (bytes) => this.deliver(peer.id, bytes));
    channel.once('close', (reason) => this.onConnectionClosed(connection, reason));
    if (existing === undefined) {
      this.logger.info({ peer: address, peerId: peer.id, peerName: peer.name, direction }, 'p2p peer connected');
      this.emit('connect', this.infoOf(connection));
    }
  }

  private onConnectionClosed(connection: Connection, reason: CloseReason): void {
    if (this.connections.get(connection.peer.id) !== connection) return;
    this.connections.delete(connection.peer.id);
    this.emit('disconnect', { ...this.infoOf(connection), connected: false }, reason);
    for (const target of this.targets) {
      if (target.peerId === connection.peer.id && target.channel === undefined) this.scheduleDial(target);
    }
  }

  private deliver(peerId: string, bytes: Uint8Array): void {
    let envelope;
    try {
      envelope = decodeEnvelope(bytes);
    } catch (err) {
      this.counters.droppedMalformed++;
      this.logger.debug({ peerId, err }, 'p2p dropped a message with a malformed envelope');
      return;
    }
    const handler = this.handlers.get(envelope.chainId);
    if (handler === undefined) {
      this.counters.droppedUnknownChain++;
      return;
    }
    try {
      handler(peerId, envelope.type, envelope.payload);
    } catch (err) {
      this.counters.handlerErrors++;
      this.logger.error({ peerId, chainId: envelope.chainId, type: envelope.type, err }, 'p2p message handler threw');
    }
  }

  private infoOf(connection: Connection): PeerInfo {
    const target = this.targets.find((t) => t.peerId === connection.peer.id);
    return {
      id: connection.peer.id,
      name: connection.peer.name,
      address: target?.label ?? connection.address,
      connected: true,
      direction: connection.direction,
      sinceMs: connection.sinceMs,
      lastError: target?.lastError,
    };
  }
}
