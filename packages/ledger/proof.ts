/**
 * State proofs: the canonical encodings of the nodes on a key's path, root first. The same list proves inclusion
 * (it ends in the key's leaf) or absence (it ends where the key's path leaves the trie: an empty branch slot, an
 * extension whose path differs, or another key's leaf). `verifyStateProof` needs only the root and a hash function.
 */
import { bytesEqual, isGovchainError } from '@govchain/base';
import { PATH_NIBBLES, matchesAt, nibbleAt } from './nibbles.ts';
import { HASH_BYTES, decodeCanonical, decodeStored, type StoredRef } from './trie-node.ts';

/** The root of the empty trie. No node hashes to it. */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(HASH_BYTES);

export interface StateProof {
  /** The key's value under the root, or null to claim the key is absent. */
  readonly value: Uint8Array | null;
  readonly nodes: readonly Uint8Array[];
}

/** A path visits at most one node per nibble plus the final leaf. */
const MAX_PROOF_NODES = PATH_NIBBLES + 1;

/** Returns a stored node's bytes (stored encoding); throws when the node is missing. */
export type NodeBytesLoader = (ref: StoredRef) => Uint8Array;

/** The nodes on `path` below `root` (canonical encodings), and the hash of the value found, if any. */
export function traceKey(root: StoredRef | null, path: Uint8Array, load: NodeBytesLoader):
  { nodes: Uint8Array[]; valueHash: Uint8Array | null } {
  const nodes: Uint8Array[] = [];
  let ref = root;
  let depth = 0;
  while (ref !== null) {
    const bytes = load(ref);
    const { node, canonicalLength } = decodeStored(bytes);
    nodes.push(bytes.slice(0, canonicalLength));
    switch (node.kind) {
      case 'leaf':
        return { nodes, valueHash: matchesAt(path, depth, node.path) ? node.valueHash : null };
      case 'ext':
        if (!matchesAt(path, depth, node.path)) return { nodes, valueHash: null };
        depth += node.path.length;
        ref = node.child;
        break;
      case 'branch':
        ref = node.children[nibbleAt(path, depth)] ?? null;
        depth++;
        break;
    }
  }
  return { nodes, valueHash: null };
}

/**
 * Whether `proof` shows that, under `root`, `key` has `proof.value` (or is absent when it is null). Pure: no
 * storage, no exceptions for malformed input (false instead).
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: StateProof,
  hash: (data: Uint8Array) => Uint8Array,
): boolean {
  const { nodes, value } = proof;
  if (root.length !== HASH_BYTES || nodes.length > MAX_PROOF_NODES) return false;
  if (bytesEqual(root, EMPTY_ROOT)) return nodes.length === 0 && value === null;
  const path = hash(key);
  if (path.length !== HASH_BYTES) return false;
  let expected = root;
  let depth = 0;
  for (let i = 0; i < nodes.length; i++) {
    const bytes = nodes[i]!;
    const last = i === nodes.length - 1;
    if (!bytesEqual(hash(bytes), expected)) return false;
    const node = tryDecode(bytes);
    if (node === undefined) return false;
    switch (node.kind) {
      case 'leaf':
        if (!last || depth + node.path.length !== PATH_NIBBLES) return false;
        if (!matchesAt(path, depth, node.path)) return value === null;
        return value !== null && bytesEqual(hash(value), node.valueHash);
      case 'ext':
        if (depth + node.path.length >= PATH_NIBBLES) return false;
        if (!matchesAt(path, depth, node.path)) return last && value === null;
        if (last) return false;
        depth += node.path.length;
        expected = node.child;
        break;
      case 'branch': {
        if (depth >= PATH_NIBBLES) return false;
        const child = node.children[nibbleAt(path, depth)] ?? null;
        if (child === null) return last && value === null;
        if (last) return false;
        depth++;
        expected = child;
        break;
      }
    }
  }
  return false;
}

function tryDecode(bytes: Uint8Array): ReturnType<typeof decodeCanonical> | undefined {
  try {
    return decodeCanonical(bytes);
  } catch (err) {
    if (isGovchainError(err)) return undefined;
    throw err;
  }
}
