/**
 * Builds and signs transactions. The signature covers exactly the body bytes that are sent, and the tx id is
 * the suite hash of those bytes, so a client knows its tx id before submitting.
 */
import { toHex, utf8 } from '@govchain/base';
import type { CryptoSuite } from '@govchain/crypto';
import { TX_VERSION, encodeSignedTx, encodeTxBody, txIdOf, type TxBody } from '@govchain/protocol';

export interface Signer {
  suite: CryptoSuite;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  /** DER certificate from a member organization, for chains that admit only members. */
  certificate?: Uint8Array;
}

export interface TxRequest {
  chainId: string;
  contract: string;
  method: string;
  args: unknown;
  /** How long the tx stays valid; default 10 minutes. */
  ttlMs?: number;
  /** Clock for the expiry; default Date.now. */
  nowMs?: number;
}

export interface BuiltTx {
  txId: string;
  bytes: Uint8Array;
  hex: string;
  body: TxBody;
}

export const DEFAULT_TX_TTL_MS = 10 * 60 * 1000;

export function buildTx(request: TxRequest, signer: Signer): BuiltTx {
  const body: TxBody = {
    version: TX_VERSION,
    chainId: request.chainId,
    senderPublicKey: signer.publicKey,
    senderCertificate: signer.certificate ?? null,
    nonce: signer.suite.randomBytes(16),
    expiresAtMs: (request.nowMs ?? Date.now()) + (request.ttlMs ?? DEFAULT_TX_TTL_MS),
    contract: request.contract,
    method: request.method,
    args: utf8(JSON.stringify(request.args ?? {})),
  };
  const bodyBytes = encodeTxBody(body);
  const signature = signer.suite.sign(signer.privateKey, bodyBytes);
  const bytes = encodeSignedTx(bodyBytes, signature);
  return { txId: toHex(txIdOf((d) => signer.suite.hash(d), bodyBytes)), bytes, hex: toHex(bytes), body };
}
