/**
 * Explicit bounds on what the ledger stores and returns. Keys and ids are LMDB keys (history rows prefix the state
 * key), so they must stay well under LMDB's key size limit; pages are bounded so one read cannot pin a node.
 */
import { LedgerErrors, ledgerError } from './errors.ts';

export const MAX_STATE_KEY_BYTES = 512;
export const MAX_STATE_VALUE_BYTES = 4 * 1024 * 1024;
/** Tx ids and block hashes. */
export const MAX_ID_BYTES = 64;
/** Entries per page of a range or history query. */
export const MAX_PAGE_ENTRIES = 1000;
/** Blocks per readBlocks call, and its default byte budget. */
export const MAX_SYNC_BLOCKS = 100;
export const DEFAULT_SYNC_BYTES = 16 * 1024 * 1024;

export function checkStateKey(key: Uint8Array): void {
  if (key.length === 0) throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', 'state keys must not be empty');
  if (key.length > MAX_STATE_KEY_BYTES) {
    throw ledgerError(LedgerErrors.TOO_LARGE, 'too_large',
      `state key of ${key.length} bytes exceeds the limit of ${MAX_STATE_KEY_BYTES}`);
  }
}

export function checkStateValue(value: Uint8Array): void {
  if (value.length > MAX_STATE_VALUE_BYTES) {
    throw ledgerError(LedgerErrors.TOO_LARGE, 'too_large',
      `state value of ${value.length} bytes exceeds the limit of ${MAX_STATE_VALUE_BYTES}`);
  }
}

export function checkId(id: Uint8Array, what: string): void {
  if (id.length === 0 || id.length > MAX_ID_BYTES) {
    throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `${what} must be 1..${MAX_ID_BYTES} bytes, got ${id.length}`);
  }
}

export function checkHeight(height: number, what = 'height'): void {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `${what} must be a non-negative integer, got ${height}`);
  }
}

/** Range bounds are keys or prefixes of keys: the empty start means from the first key. */
export function checkRangeBounds(start: Uint8Array, end: Uint8Array | undefined): void {
  for (const bound of end === undefined ? [start] : [start, end]) {
    if (bound.length > MAX_STATE_KEY_BYTES) {
      throw ledgerError(LedgerErrors.TOO_LARGE, 'too_large',
        `range bound of ${bound.length} bytes exceeds the key limit of ${MAX_STATE_KEY_BYTES}`);
    }
  }
}

export function checkPageLimit(limit: number, max = MAX_PAGE_ENTRIES): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `limit must be 1..${max}, got ${limit}`);
  }
}
