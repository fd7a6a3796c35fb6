/** Pure-TypeScript suite instances, one per name, for browsers and for tests that pin the pure path. */
import { GovchainError } from '@govchain/base';
import { SUITE_NAMES, type CryptoSuite, type SuiteName } from './suite.ts';
import { CRYPTO_UNKNOWN_SUITE } from './errors.ts';
import { createGmSuite } from './gm.ts';
import { createIntlSuite } from './intl.ts';

export function assertSuiteName(name: string): asserts name is SuiteName {
  if (!(SUITE_NAMES as readonly string[]).includes(name)) {
    throw new GovchainError(CRYPTO_UNKNOWN_SUITE, 'malformed', `unknown crypto suite "${name}"; expected one of ${SUITE_NAMES.join(', ')}`);
  }
}

const pureSuites = new Map<SuiteName, CryptoSuite>();

export function getPureSuite(name: SuiteName): CryptoSuite {
  assertSuiteName(name);
  let suite = pureSuites.get(name);
  if (suite === undefined) {
    suite = name === 'gm' ? createGmSuite() : createIntlSuite();
    pureSuites.set(name, suite);
  }
  return suite;
}
