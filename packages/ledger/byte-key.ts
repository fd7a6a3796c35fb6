/**
 * Map keys for byte strings. Latin-1 maps each byte to one UTF-16 code unit, so distinct byte strings give distinct
 * strings, at half the length and a fraction of the cost of hex. For in-memory maps only; never shown or stored.
 */
export function byteKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
