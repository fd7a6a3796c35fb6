/**
 * Loads the optional native SM2 verifier (packages/crypto/native, built by scripts/build-native.mjs at
 * install). It verifies with the default ID using the OpenSSL inside the node binary, with precomputed tables
 * for the generator and for frequent senders. Absent or unloadable binaries are not an error: callers fall
 * back to pure TypeScript.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface NativeSm2Binding {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** `flat` is publicKey, message, signature for each item in turn; one result byte per item (1 = valid). */
  verifyBatch(flat: Uint8Array[]): Uint8Array;
  /** OpenSSL's own SM2 verifier (EVP_DigestVerify with EVP_PKEY_CTX_set1_id); slower, for cross-checking. */
  verifyReference(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  opensslVersion(): string;
}

export const NATIVE_SM2_PATH = fileURLToPath(new URL('./native/build/Release/govchain_sm2.node', import.meta.url));

let loaded: { binding: NativeSm2Binding | null; error: string | undefined } | undefined;

function load(): { binding: NativeSm2Binding | null; error: string | undefined } {
  if (process.env['GOVCHAIN_DISABLE_NATIVE_SM2'] === '1') {
    return { binding: null, error: 'disabled by GOVCHAIN_DISABLE_NATIVE_SM2=1' };
  }
  try {
    return { binding: createRequire(import.meta.url)(NATIVE_SM2_PATH) as NativeSm2Binding, error: undefined };
  } catch (err) {
    return { binding: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The binding, or null when it is not built or failed to load (see `nativeSm2LoadError`). */
export function nativeSm2(): NativeSm2Binding | null {
  loaded ??= load();
  return loaded.binding;
}

/** Why the binding is not in use, for `govchain doctor`; undefined when it loaded. */
export function nativeSm2LoadError(): string | undefined {
  loaded ??= load();
  return loaded.error;
}
