/**
 * `getSuite` for Node: the fastest implementation of each suite available in this process (OpenSSL through
 * `node:crypto`, plus the native SM2 verifier when built), or the pure-TypeScript one on request.
 */
import type { CryptoSuite, SuiteName } from './suite.ts';
import { createGmSuite, type Sm2VerifyImplementation } from './gm.ts';
import { nodeGmPrimitives } from './gm.node.ts';
import { createNodeIntlSuite } from './intl.node.ts';
import { assertSuiteName, getPureSuite } from './pure-suites.ts';
import type { GmPrimitives } from './gm.ts';
import type { SignatureVerifier } from './x509.ts';

export interface SuiteOptions {
  /** 'auto' (default): OpenSSL and native speedups where available; 'pure': the browser code path. */
  implementation?: 'auto' | 'pure';
}

let gmPrimitives: GmPrimitives | undefined;
const nodeSuites = new Map<SuiteName, CryptoSuite>();

function primitives(): GmPrimitives {
  gmPrimitives ??= nodeGmPrimitives();
  return gmPrimitives;
}

/** The suite a chain declared at genesis. Instances are shared; suites hold no per-caller state. */
export function getSuite(name: SuiteName, options: SuiteOptions = {}): CryptoSuite {
  assertSuiteName(name);
  if (options.implementation === 'pure') return getPureSuite(name);
  let suite = nodeSuites.get(name);
  if (suite === undefined) {
    suite = name === 'gm' ? createGmSuite(primitives()) : createNodeIntlSuite();
    nodeSuites.set(name, suite);
  }
  return suite;
}

/** Which SM2 verifier `getSuite('gm')` uses in this process. */
export function sm2VerifyImplementation(): Sm2VerifyImplementation {
  return primitives().sm2Verifier.implementation;
}

/** Certificate-signature checks with this process's fastest verifiers (for verifyCertificateChain's options). */
export const fastSignatureVerifier: SignatureVerifier = (suite, publicKey, message, signature) =>
  getSuite(suite).verify(publicKey, message, signature);
