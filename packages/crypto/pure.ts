/**
 * Browser-safe entry point: every export here is pure TypeScript with no `node:` import (checked by
 * pure.test.ts). Bundles for the console and SDK import this instead of index.ts.
 */
export * from './suite.ts';
export * from './errors.ts';
export * from './sm3.ts';
export * from './sm4.ts';
export * from './sm2-curve.ts';
export * from './sm2.ts';
export * from './sm2-encrypt.ts';
export * from './der.ts';
export * from './sig-der.ts';
export * from './keys.ts';
export * from './gm.ts';
export * from './intl.ts';
export * from './pure-suites.ts';
