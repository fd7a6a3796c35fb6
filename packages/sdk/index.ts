export * from './tx-builder.ts';
export * from './client.ts';
