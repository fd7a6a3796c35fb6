// Node entry point of @govchain/crypto. Browser bundles import ./pure.ts instead.
export * from './pure.ts';
export * from './suites.node.ts';
export * from './gm.node.ts';
export * from './sm2-native.node.ts';
export * from './bench.node.ts';
// Other modules of this package (X.509, Merkle) are exported below this line.
export * from './merkle.ts';
export * from './x509.ts';
export * from './x509-issue.ts';
export * from './x509-chain.ts';
export * from './x509-pem.ts';
