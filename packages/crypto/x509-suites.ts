/**
 * The part of a crypto suite that certificates need, and where x509 finds it by name: a certificate names its
 * algorithm, so parsing and chain checks look the suite up rather than take it from the caller.
 *
 * Interim: only intl (ECDSA P-256 through @noble/curves) until the gm suite lands; then this resolves both
 * through the suites module.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { GovchainError } from '@govchain/base';
import type { CryptoSuite, SuiteName } from './suite.ts';

export type CertificateSuite = Pick<CryptoSuite, 'name' | 'hash' | 'sign' | 'verify' | 'publicKeyOf' | 'isValidPublicKey'>;

const intl: CertificateSuite = {
  name: 'intl',
  hash: (data) => sha256(data),
  sign: (privateKey, message) => p256.sign(message, privateKey, { lowS: true }),
  verify: (publicKey, message, signature) => {
    try {
      return p256.verify(signature, message, publicKey, { lowS: true });
    } catch {
      return false;
    }
  },
  publicKeyOf: (privateKey) => p256.getPublicKey(privateKey, false),
  isValidPublicKey: (publicKey) => {
    try {
      return publicKey.length === 65 && p256.Point.fromBytes(publicKey) !== undefined;
    } catch {
      return false;
    }
  },
};

export function certificateSuite(name: SuiteName): CertificateSuite {
  if (name === 'intl') return intl;
  throw new GovchainError('CRYPTO_SUITE_UNAVAILABLE', 'internal', `suite ${name} is not available to x509 yet`);
}
