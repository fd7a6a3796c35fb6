/**
 * Trie paths. A state key's path is hash(key): 32 bytes, 64 nibbles, high nibble of each byte first. Hashed paths
 * give every key the same depth and a balanced trie whatever the key names look like; ordered range scans are
 * served by the plain state table instead (see README).
 *
 * Inside nodes, path fragments are arrays with one nibble (0..15) per byte.
 */
export const PATH_BYTES = 32;
export const PATH_NIBBLES = PATH_BYTES * 2;

/** The nibble of a 32-byte path at position `i` (0 = high nibble of byte 0). */
export function nibbleAt(path: Uint8Array, i: number): number {
  const b = path[i >> 1]!;
  return (i & 1) === 0 ? b >> 4 : b & 0x0f;
}

/** Nibbles `from` (inclusive) to `to` (exclusive) of a 32-byte path, one per byte. */
export function sliceNibbles(path: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = nibbleAt(path, i);
  return out;
}

/** Whether the path, from nibble `depth` on, starts with `fragment`. */
export function matchesAt(path: Uint8Array, depth: number, fragment: Uint8Array): boolean {
  if (depth + fragment.length > PATH_NIBBLES) return false;
  for (let i = 0; i < fragment.length; i++) if (nibbleAt(path, depth + i) !== fragment[i]) return false;
  return true;
}

/** How many nibbles two paths share from nibble `depth` on. */
export function commonNibbles(a: Uint8Array, b: Uint8Array, depth: number): number {
  let n = 0;
  while (depth + n < PATH_NIBBLES && nibbleAt(a, depth + n) === nibbleAt(b, depth + n)) n++;
  return n;
}

/** A 32-byte path whose first `depth` nibbles come from `prefixSource` and the rest from `suffix`. */
export function joinPath(prefixSource: Uint8Array, depth: number, suffix: Uint8Array): Uint8Array {
  const out = new Uint8Array(PATH_BYTES);
  for (let i = 0; i < PATH_NIBBLES; i++) {
    const v = i < depth ? nibbleAt(prefixSource, i) : suffix[i - depth]!;
    out[i >> 1]! |= (i & 1) === 0 ? v << 4 : v;
  }
  return out;
}

export function prependNibbles(head: Uint8Array | number, tail: Uint8Array): Uint8Array {
  const headBytes = typeof head === 'number' ? Uint8Array.of(head) : head;
  const out = new Uint8Array(headBytes.length + tail.length);
  out.set(headBytes, 0);
  out.set(tail, headBytes.length);
  return out;
}

/** Two nibbles per byte, high first; an odd count leaves the last low nibble zero. */
export function packNibbles(nibbles: Uint8Array): Uint8Array {
  const out = new Uint8Array((nibbles.length + 1) >> 1);
  for (let i = 0; i < nibbles.length; i++) out[i >> 1]! |= (i & 1) === 0 ? nibbles[i]! << 4 : nibbles[i]!;
  return out;
}

/** Inverse of packNibbles; returns undefined when the padding nibble is not zero (a second encoding). */
export function unpackNibbles(packed: Uint8Array, count: number): Uint8Array | undefined {
  if ((count & 1) === 1 && (packed[count >> 1]! & 0x0f) !== 0) return undefined;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = nibbleAt(packed, i);
  return out;
}
