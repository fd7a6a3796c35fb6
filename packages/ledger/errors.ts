/** Stable error codes of the ledger. Each refusal says what was wrong and leaves storage untouched. */
import { GovchainError, type ErrorClass } from '@govchain/base';

export const LedgerErrors = {
  /** A block whose height is not the last committed height + 1. */
  HEIGHT_NOT_NEXT: 'LEDGER_HEIGHT_NOT_NEXT',
  DUPLICATE_BLOCK: 'LEDGER_DUPLICATE_BLOCK',
  DUPLICATE_TX: 'LEDGER_DUPLICATE_TX',
  /** A block whose parts do not fit together (receipt for a tx not in the block, write by a tx index out of range). */
  BAD_BLOCK: 'LEDGER_BAD_BLOCK',
  /** A prepared state computed for another height or on top of another state root. */
  STALE_STATE: 'LEDGER_STALE_STATE',
  /** A prepared state computed from other writes than the block's. */
  STATE_MISMATCH: 'LEDGER_STATE_MISMATCH',
  TOO_LARGE: 'LEDGER_TOO_LARGE',
  BAD_ARGUMENT: 'LEDGER_BAD_ARGUMENT',
  UNKNOWN_ROOT: 'LEDGER_UNKNOWN_ROOT',
  /** A second Ledger on a directory this process already has open. */
  ALREADY_OPEN: 'LEDGER_ALREADY_OPEN',
  /** The database is not one this code wrote, or was written with another hash function. */
  INCOMPATIBLE_STORE: 'LEDGER_INCOMPATIBLE_STORE',
  /** Storage is missing something it must have: a damaged database. */
  CORRUPT: 'LEDGER_CORRUPT',
} as const;

export function ledgerError(code: string, errorClass: ErrorClass, message: string,
  details?: Record<string, unknown>): GovchainError {
  return new GovchainError(code, errorClass, message, details);
}
