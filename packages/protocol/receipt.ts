/**
 * Receipts: the outcome of one tx, committed to by the header's results root. A failed tx still gets a receipt
 * (and its id is still spent), so a client always learns what happened.
 */
import { GovchainError, Reader, Writer, decodeExact } from '@govchain/base';
import { ERROR_MESSAGE_BYTES_MAX, HASH_BYTES, NAME_BYTES_MAX, RECEIPT_EVENTS_MAX, RECEIPT_RESULT_BYTES_MAX } from './limits.ts';

export type ReceiptStatus = 'ok' | 'failed';

export interface ContractEvent {
  name: string;
  /** UTF-8 JSON. */
  data: Uint8Array;
}

export interface Receipt {
  txId: Uint8Array;
  status: ReceiptStatus;
  /** Stable error code when failed, '' when ok. */
  errorCode: string;
  errorMessage: string;
  /** UTF-8 JSON of the method's return value (empty when none). */
  result: Uint8Array;
  events: ContractEvent[];
}

export function encodeReceipt(r: Receipt): Uint8Array {
  return new Writer(64 + r.result.length)
    .fixed(r.txId, HASH_BYTES)
    .u8(r.status === 'ok' ? 0 : 1)
    .string(r.errorCode)
    .string(r.errorMessage)
    .bytes(r.result)
    .list(r.events, (w, e) => w.string(e.name).bytes(e.data))
    .finish();
}

export function readReceipt(r: Reader): Receipt {
  const txId = r.fixed(HASH_BYTES);
  const statusByte = r.u8();
  if (statusByte > 1) throw new GovchainError('DECODE_ERROR', 'malformed', `receipt status byte ${statusByte} is not 0 or 1`);
  return {
    txId,
    status: statusByte === 0 ? 'ok' : 'failed',
    errorCode: r.string(NAME_BYTES_MAX),
    errorMessage: r.string(ERROR_MESSAGE_BYTES_MAX),
    result: r.bytes(RECEIPT_RESULT_BYTES_MAX),
    events: r.list(RECEIPT_EVENTS_MAX, (x) => ({ name: x.string(NAME_BYTES_MAX), data: x.bytes(RECEIPT_RESULT_BYTES_MAX) })),
  };
}

export function decodeReceipt(bytes: Uint8Array): Receipt {
  return decodeExact(bytes, readReceipt);
}
