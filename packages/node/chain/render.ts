/** Turns protocol structures into the API's JSON shapes. */
import { fromUtf8, toHex } from '@govchain/base';
import {
  addressOf, type BlockHeader, type HashFn, type HeaderJson, type Receipt, type ReceiptJson, type SignedTx, type TxJson,
} from '@govchain/protocol';
import type { JsonValue } from '@govchain/vm';

/** JSON when the bytes are UTF-8 JSON, otherwise their hex in {hex}. */
export function jsonOrHex(bytes: Uint8Array): JsonValue {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(fromUtf8(bytes)) as JsonValue;
  } catch {
    return { hex: toHex(bytes) };
  }
}

export function renderHeader(h: BlockHeader, hash: Uint8Array): HeaderJson {
  return {
    chainId: h.chainId,
    height: h.height,
    timeMs: h.timeMs,
    hash: toHex(hash),
    prevHash: toHex(h.prevHash),
    proposerIndex: h.proposerIndex,
    txCount: h.txCount,
    txRoot: toHex(h.txRoot),
    resultsRoot: toHex(h.resultsRoot),
    stateRoot: toHex(h.stateRoot),
    validatorsHash: toHex(h.validatorsHash),
  };
}

export function renderReceipt(r: Receipt): ReceiptJson {
  const base: ReceiptJson = {
    txId: toHex(r.txId),
    status: r.status,
    result: jsonOrHex(r.result),
    events: r.events.map((e) => ({ name: e.name, data: jsonOrHex(e.data) })),
  };
  return r.status === 'ok' ? base : { ...base, errorCode: r.errorCode, errorMessage: r.errorMessage };
}

export function renderTx(tx: SignedTx, hash: HashFn): TxJson {
  const b = tx.body;
  return {
    txId: toHex(hash(tx.bodyBytes)),
    chainId: b.chainId,
    sender: { address: addressOf(hash, b.senderPublicKey), publicKey: toHex(b.senderPublicKey), certificate: b.senderCertificate !== null },
    nonce: toHex(b.nonce),
    expiresAtMs: b.expiresAtMs,
    contract: b.contract,
    method: b.method,
    args: jsonOrHex(b.args),
    signature: toHex(tx.signature),
    raw: toHex(tx.bytes),
  };
}
