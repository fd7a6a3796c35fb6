/**
 * Binary Merkle trees and inclusion proofs, exactly as RFC 6962 §2.1 (Certificate Transparency) defines them, with
 * the hash function injected so a chain uses its suite's hash (SM3 for gm, SHA-256 for intl).
 *
 * Rules (an independent verifier needs only these):
 *   - Leaves are byte strings d[0..n-1], in the order given. They are hashed as given; callers that commit to
 *     transactions pass the transaction hashes as the leaves.
 *   - leafHash(d)      = H(0x00 || d)
 *   - nodeHash(l, r)   = H(0x01 || l || r)
 *     The distinct prefixes stop a leaf from being passed off as an inner node (second-preimage attack).
 *   - root of the empty list  = H("")  (the hash of zero bytes)
 *   - root of one leaf        = leafHash(d[0])
 *   - root of n > 1 leaves    = nodeHash(root(d[0..k-1]), root(d[k..n-1])), k = the largest power of two < n.
 *     Equivalently, level by level: pair adjacent nodes left to right; a last node without a partner is carried up
 *     to the next level unchanged (never duplicated, so no two lists share a root the way Bitcoin's do).
 *   - A proof for leaf `index` of a tree of `total` leaves is the list of sibling hashes met on the way from that
 *     leaf to the root, lowest first; levels where the node is carried up unchanged contribute nothing.
 *   - Verification is RFC 9162 §2.1.3.2: fn = index, sn = total - 1, r = leafHash(leaf); for each p in path: fail
 *     if sn = 0; if fn is odd or fn = sn then r = nodeHash(p, r) and, when fn was even, shift fn and sn right
 *     until fn is odd or zero; otherwise r = nodeHash(r, p); then shift fn and sn right once. Accept iff sn = 0
 *     at the end and r equals the root.
 *   - The root binds the leaves, not the leaf count: a proof can also check out against a different `total` whose
 *     tree has the same path shape (leaf 0 of 3 and of 4). Verifiers take `total` from an authenticated source,
 *     such as the transaction count in a signed block header, never from the proof alone.
 */
import { GovchainError, bytesEqual } from '@govchain/base';
import type { HashFunction } from './sm3.ts';

export interface MerkleProof {
  /** Position of the proven leaf, 0-based. */
  index: number;
  /** Number of leaves in the tree the proof is for. */
  total: number;
  /** Sibling hashes from the leaf's level up to just below the root. */
  path: Uint8Array[];
}

/** A tree of 2^53 leaves is at most 53 levels deep; longer paths are refused without hashing them. */
const MERKLE_PATH_LENGTH_MAX = 53;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Inputs up to this size are assembled in one reused buffer (hash functions read their input and keep nothing). */
const SCRATCH_BYTES_MAX = 64 * 1024;
let scratch = new Uint8Array(1024);

function prefixed(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const length = 1 + a.length + (b?.length ?? 0);
  const out = length > SCRATCH_BYTES_MAX ? new Uint8Array(length) : length <= scratch.length ? scratch : (scratch = new Uint8Array(Math.min(SCRATCH_BYTES_MAX, Math.max(length, scratch.length * 2))));
  out[0] = prefix;
  out.set(a, 1);
  if (b !== undefined) out.set(b, 1 + a.length);
  return out.subarray(0, length);
}

export function merkleLeafHash(data: Uint8Array, hash: HashFunction): Uint8Array {
  return hash(prefixed(LEAF_PREFIX, data));
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array, hash: HashFunction): Uint8Array {
  return hash(prefixed(NODE_PREFIX, left, right));
}

/** One level up: pairs adjacent nodes, carrying a lone last node unchanged. */
function parentLevel(level: readonly Uint8Array[], hash: HashFunction): Uint8Array[] {
  const up: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) up.push(merkleNodeHash(level[i]!, level[i + 1]!, hash));
  if (level.length % 2 === 1) up.push(level[level.length - 1]!);
  return up;
}

export function merkleRoot(leaves: readonly Uint8Array[], hash: HashFunction): Uint8Array {
  if (leaves.length === 0) return hash(new Uint8Array(0));
  let level = leaves.map((d) => merkleLeafHash(d, hash));
  while (level.length > 1) level = parentLevel(level, hash);
  return level[0]!;
}

export function merkleProof(leaves: readonly Uint8Array[], index: number, hash: HashFunction): MerkleProof {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new GovchainError('MERKLE_BAD_INDEX', 'malformed', `no leaf ${index} in a tree of ${leaves.length} leaves`);
  }
  const path: Uint8Array[] = [];
  let level = leaves.map((d) => merkleLeafHash(d, hash));
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    if (sibling < level.length) path.push(level[sibling]!);
    level = parentLevel(level, hash);
    i = Math.floor(i / 2);
  }
  return { index, total: leaves.length, path };
}

/**
 * True iff `proof` shows `leaf` at `proof.index` of a `proof.total`-leaf tree with this root. Never throws:
 * any malformed proof is simply false. Division instead of `>>` keeps indices above 2^31 exact.
 */
export function verifyMerkleProof(root: Uint8Array, leaf: Uint8Array, proof: MerkleProof, hash: HashFunction): boolean {
  const { index, total, path } = proof;
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(index) || index < 0 || index >= total) return false;
  if (!Array.isArray(path) || path.length > MERKLE_PATH_LENGTH_MAX) return false;
  let fn = index;
  let sn = total - 1;
  let r = merkleLeafHash(leaf, hash);
  for (const p of path) {
    if (!(p instanceof Uint8Array) || p.length !== r.length || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = merkleNodeHash(r, p, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}
