export * from './tx-builder.ts';
export * from './client.ts';
export * from './proof.ts';
export * from './proof-evidence.ts';
