export { Ledger, type LedgerOptions } from './ledger.ts';
export type { BlockCommit } from './commit.ts';
export type { PreparedState } from './prepare.ts';
export { StateOverlay } from './overlay.ts';
export { EMPTY_ROOT, verifyStateProof, type StateProof } from './proof.ts';
export { LedgerErrors } from './errors.ts';
export type { TableName, TableStats } from './tables.ts';
export * from './limits.ts';
export type * from './types.ts';
