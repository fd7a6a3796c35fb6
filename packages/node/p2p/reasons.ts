/**
 * Why a connection was refused or ended. Refusal codes travel to the peer in a REFUSE record so an operator on
 * either side reads the same stable code; the other codes are local diagnoses that end a connection.
 */
import { GovchainError, type ErrorClass } from '@govchain/base';

/** Sent to the peer in a REFUSE record during the handshake. */
export const REFUSAL_CODES = [
  'P2P_UNKNOWN_CA',
  'P2P_CERT_EXPIRED',
  'P2P_CERT_REVOKED',
  'P2P_BAD_CERTIFICATE',
  'P2P_WRONG_CHAIN',
  'P2P_VERSION_MISMATCH',
  'P2P_BAD_SIGNATURE',
  'P2P_NOT_ALLOWED',
  'P2P_MALFORMED',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/**
 * Reasons a connection ends after the handshake (or without one). Never sent as a refusal; after the handshake
 * the side that ends the connection says which in an authenticated close record when its sending half still works.
 */
export const TERMINATION_CODES = [
  'P2P_HANDSHAKE_TIMEOUT',
  'P2P_FRAME_TAMPERED',
  'P2P_FRAME_REPLAYED',
  'P2P_FRAME_TOO_LARGE',
  'P2P_TRUNCATED',
  'P2P_PROTOCOL_ERROR',
  'P2P_SLOW_PEER',
  'P2P_DUPLICATE',
  'P2P_TOO_MANY_PEERS',
  'P2P_SHUTDOWN',
  'P2P_PEER_CLOSED',
  'P2P_SOCKET_ERROR',
] as const;

export type TerminationCode = (typeof TERMINATION_CODES)[number];

export type P2pCode = RefusalCode | TerminationCode;

export function isRefusalCode(code: string): code is RefusalCode {
  return (REFUSAL_CODES as readonly string[]).includes(code);
}

export function isP2pCode(code: string): code is P2pCode {
  return isRefusalCode(code) || (TERMINATION_CODES as readonly string[]).includes(code);
}

function classOf(code: P2pCode): ErrorClass {
  switch (code) {
    case 'P2P_MALFORMED':
    case 'P2P_FRAME_TOO_LARGE':
    case 'P2P_PROTOCOL_ERROR':
    case 'P2P_TRUNCATED':
      return 'malformed';
    case 'P2P_SLOW_PEER':
    case 'P2P_TOO_MANY_PEERS':
      return 'overloaded';
    case 'P2P_HANDSHAKE_TIMEOUT':
    case 'P2P_DUPLICATE':
    case 'P2P_SHUTDOWN':
    case 'P2P_PEER_CLOSED':
    case 'P2P_SOCKET_ERROR':
      return 'unavailable';
    default:
      return 'forbidden';
  }
}

export class P2pError extends GovchainError {
  declare readonly code: P2pCode;

  constructor(code: P2pCode, message: string, details?: Record<string, unknown>) {
    super(code, classOf(code), message, details);
    this.name = 'P2pError';
  }
}

/**
 * How a connection ended: the code, a message for a person, and who decided it. `remote` reasons came from the
 * peer (a REFUSE record, or an authenticated close); a REFUSE is unauthenticated, so it is a report, not a proof.
 */
export interface CloseReason {
  code: P2pCode;
  message: string;
  by: 'local' | 'remote';
}
