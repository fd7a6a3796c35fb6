export * from './tx-builder.ts';
export * from './client.ts';
export * from './proof.ts';
