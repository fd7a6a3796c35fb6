/**
 * What a DATA frame carries once decrypted: u8 type || body.
 *   0x00 MESSAGE  body = the application bytes (the chain-scoped envelope)
 *   0x01 CLOSE    body = string code || string message: an authenticated goodbye, so a deliberate close is told
 *                 apart from a cut connection
 *   0x02 PING     empty; written to provoke a reset from a peer whose socket is gone, never answered
 */
import { GovchainError, Writer, decodeExact } from '@govchain/base';
import { REFUSAL_CODE_BYTES_MAX, REFUSAL_MESSAGE_BYTES_MAX } from './limits.ts';
import { P2pError, isP2pCode, type P2pCode } from './reasons.ts';
import { boundedReason } from './handshake-messages.ts';

export const InnerType = { MESSAGE: 0x00, CLOSE: 0x01, PING: 0x02 } as const;

export const MESSAGE_PREFIX: Uint8Array = Uint8Array.of(InnerType.MESSAGE);
export const PING_RECORD: Uint8Array = Uint8Array.of(InnerType.PING);

export function encodeClose(code: P2pCode, message: string): Uint8Array {
  return new Writer(600).u8(InnerType.CLOSE).string(code).string(boundedReason(message)).finish();
}

/** The goodbye's code and message; a code this version does not know is reported as a plain peer close. */
export function decodeCloseBody(body: Uint8Array): { code: P2pCode; message: string } {
  try {
    const { code, message } = decodeExact(body, (r) => ({ code: r.string(REFUSAL_CODE_BYTES_MAX), message: r.string(REFUSAL_MESSAGE_BYTES_MAX) }));
    return isP2pCode(code) ? { code, message } : { code: 'P2P_PEER_CLOSED', message: `${code}: ${message}` };
  } catch (err) {
    throw new P2pError('P2P_PROTOCOL_ERROR', `malformed close record: ${err instanceof GovchainError ? err.message : String(err)}`);
  }
}
