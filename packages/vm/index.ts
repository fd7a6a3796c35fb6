export * from './state.ts';
export * from './contract.ts';
export * from './namespace.ts';
export * from './executor.ts';
export { kvContract } from './contracts/kv.ts';
