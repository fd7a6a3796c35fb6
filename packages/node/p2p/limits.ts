/**
 * Every bound the p2p layer enforces, in one place, so that the wire documentation (docs/p2p.md) and the code
 * cannot drift apart. Each limit exists to keep a hostile or broken peer from making us allocate or wait without end.
 */

/** Bumped whenever the handshake or frame layout changes; peers with another version are refused. */
export const PROTOCOL_VERSION = 1;

/** A whole handshake record (HELLO with two certificates is ~1.5 KiB); far above any honest use. */
export const HANDSHAKE_RECORD_BYTES_MAX = 64 * 1024;
/** Node certificate + operating CA certificate; a little room for a deeper hierarchy. */
export const CERT_CHAIN_LENGTH_MAX = 4;
export const CERTIFICATE_BYTES_MAX = 16 * 1024;
export const CHAIN_ID_BYTES_MAX = 64;
export const REFUSAL_CODE_BYTES_MAX = 64;
export const REFUSAL_MESSAGE_BYTES_MAX = 512;

/** Largest application message (a block or a sync batch); the protocol's block limit is 16 MiB. */
export const MESSAGE_PAYLOAD_BYTES_MAX = 16 * 1024 * 1024;
/** Room for the chain-scoped envelope and the channel's inner record type in front of the payload. */
export const FRAME_PLAINTEXT_BYTES_MAX = MESSAGE_PAYLOAD_BYTES_MAX + 1024;

/** A peer has this long from TCP connect to a completed handshake. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/**
 * Bytes we allow to sit unsent in one peer's socket. A peer that falls this far behind is disconnected rather than
 * buffered for: see docs/p2p.md, "Slow peers".
 */
export const SEND_BUFFER_BYTES_MAX = 64 * 1024 * 1024;

/** Inbound connections still in their handshake; beyond this, new sockets are closed at once. */
export const PENDING_HANDSHAKES_MAX = 64;
/** Authenticated connections in total (one per peer identity). */
export const CONNECTIONS_MAX = 512;

/** Redial delays: exponential from the base, capped, with full jitter; reset after a successful handshake. */
export const DIAL_BACKOFF_BASE_MS = 200;
export const DIAL_BACKOFF_MAX_MS = 30_000;

/**
 * Idle time before TCP keepalive probes start, so a peer that vanished without a FIN (power loss, cable) is noticed
 * without application pings; libuv then probes every second, ten times.
 */
export const TCP_KEEPALIVE_IDLE_MS = 15_000;

/** How long close() waits for peers to read our goodbye before destroying the sockets. */
export const CLOSE_GRACE_MS = 2_000;
