/** The p2p layer's public surface; the rest of the folder is internal. Protocol and threat model: docs/p2p.md. */
export { PeerManager } from './peer-manager.ts';
export type {
  Direction, MessageHandler, PeerAddress, PeerError, PeerInfo, PeerManagerEvents, PeerManagerOptions, PeerManagerStats,
} from './peer-manager.ts';
export type { LocalNode } from './secure-channel.ts';
export type { AdmissionPolicy, PeerIdentity } from './admission.ts';
export { peerIdOf } from './admission.ts';
export { P2pError, REFUSAL_CODES, TERMINATION_CODES } from './reasons.ts';
export type { CloseReason, P2pCode, RefusalCode, TerminationCode } from './reasons.ts';
export { MESSAGE_PAYLOAD_BYTES_MAX, PROTOCOL_VERSION } from './limits.ts';
