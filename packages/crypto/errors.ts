/** Stable error codes the crypto package throws, so callers can branch on them without parsing messages. */
import { GovchainError } from '@govchain/base';

/** A key (private scalar or public point) has the wrong length or is not valid for the curve. */
export const CRYPTO_INVALID_KEY = 'CRYPTO_INVALID_KEY';
/** Sealed data, a wrapped key or its associated data was altered, or the wrong key was used. */
export const CRYPTO_AUTH_FAILED = 'CRYPTO_AUTH_FAILED';
/** A suite name that is neither 'gm' nor 'intl'. */
export const CRYPTO_UNKNOWN_SUITE = 'CRYPTO_UNKNOWN_SUITE';
/** An encoding (DER, PEM, ciphertext layout) could not be parsed. */
export const CRYPTO_MALFORMED = 'CRYPTO_MALFORMED';

export function invalidKey(message: string): GovchainError {
  return new GovchainError(CRYPTO_INVALID_KEY, 'malformed', message);
}

export function authFailed(message: string): GovchainError {
  return new GovchainError(CRYPTO_AUTH_FAILED, 'malformed', message);
}

export function malformedEncoding(message: string): GovchainError {
  return new GovchainError(CRYPTO_MALFORMED, 'malformed', message);
}
