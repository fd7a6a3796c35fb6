/**
 * Cryptographically secure random bytes from Web Crypto, which browsers and Node ≥ 19 both expose as
 * `globalThis.crypto`; the pure modules use this so they carry no `node:` import.
 */
const MAX_PER_CALL = 65536; // getRandomValues refuses larger requests

export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`random length must be ≥ 0, got ${length}`);
  const out = new Uint8Array(length);
  for (let pos = 0; pos < length; pos += MAX_PER_CALL) {
    globalThis.crypto.getRandomValues(out.subarray(pos, Math.min(length, pos + MAX_PER_CALL)));
  }
  return out;
}
