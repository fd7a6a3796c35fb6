export * from './limits.ts';
export * from './tx.ts';
export * from './block.ts';
export * from './receipt.ts';
export * from './genesis.ts';
export * from './consensus.ts';
export * from './api.ts';
