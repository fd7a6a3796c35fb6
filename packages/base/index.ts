export * from './errors.ts';
export * from './bytes.ts';
export * from './codec.ts';
