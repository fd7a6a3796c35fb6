/**
 * Batch update of the 16-ary Merkle Patricia trie. A block's writes are applied in one pass over the trie: each
 * node on the union of their paths is rebuilt once and hashed once, so a block of n updates costs about
 * n * (log16(keys) + 1) node hashes minus what the paths share near the root.
 *
 * The result is computed in memory and nothing is written: the caller commits `nodes` later, in the block's write
 * transaction. The trie is kept canonical (branches have at least two children, an extension always leads to a
 * branch, a lone child is merged upward), so its root depends only on the key/value set, not on the order or
 * batching of updates.
 */
import { GovchainError, bytesEqual, compareBytes } from '@govchain/base';
import { commonNibbles, joinPath, matchesAt, nibbleAt, prependNibbles, sliceNibbles, PATH_NIBBLES } from './nibbles.ts';
import {
  emptyChildren, encodeNode, type BranchNode, type ExtensionNode, type LeafNode, type StoredRef, type TrieNode,
} from './trie-node.ts';

export interface TrieWrite {
  /** hash(key): 32 bytes. */
  readonly path: Uint8Array;
  /** hash(value), or null to delete the key. */
  readonly valueHash: Uint8Array | null;
}

/** Returns a stored node, decoded; throws when the node is missing (a damaged store). */
export type NodeLoader = (ref: StoredRef) => TrieNode<StoredRef>;

export interface NewNode {
  readonly ref: StoredRef;
  /** Stored encoding. */
  readonly bytes: Uint8Array;
  /** The same node decoded, for caches. */
  readonly node: TrieNode<StoredRef>;
}

export interface TrieUpdate {
  /** null for the empty trie. */
  readonly root: StoredRef | null;
  readonly nodes: readonly NewNode[];
  /** Node hashes computed (key hashing not included). */
  readonly nodeHashes: number;
}

/** A child is either a node already stored, or a node built by this update and not yet hashed. */
type Ref = StoredRef | MemNode;
type MemNode = LeafNode | MemExtension | MemBranch;
interface MemExtension extends ExtensionNode<Ref> {}
interface MemBranch extends BranchNode<Ref> {}

function isStored(ref: Ref): ref is StoredRef {
  return !('kind' in ref);
}

/**
 * Applies `writes` (sorted by path, one per key) to the trie rooted at `root`; new nodes are stamped `height`.
 */
export function updateTrie(
  root: StoredRef | null,
  writes: readonly TrieWrite[],
  height: number,
  load: NodeLoader,
  hash: (data: Uint8Array) => Uint8Array,
): TrieUpdate {
  for (let i = 1; i < writes.length; i++) {
    if (compareBytes(writes[i - 1]!.path, writes[i]!.path) >= 0) {
      throw new GovchainError('LEDGER_INTERNAL', 'internal', 'trie writes must be sorted by path with no repeats');
    }
  }
  const updater = new Updater(load, hash, height);
  const newRoot = updater.update(root, 0, writes, 0, writes.length);
  const sealed = newRoot === null ? null : updater.seal(newRoot);
  return { root: sealed, nodes: updater.nodes, nodeHashes: updater.nodeHashes };
}

class Updater {
  readonly nodes: NewNode[] = [];
  nodeHashes = 0;

  constructor(
    private readonly load: NodeLoader,
    private readonly hash: (data: Uint8Array) => Uint8Array,
    private readonly height: number,
  ) {}

  private resolve(ref: Ref): MemNode {
    return isStored(ref) ? this.load(ref) : ref;
  }

  /** The subtree at `depth` after applying writes[lo, hi), which all share the path above `depth`. */
  update(ref: Ref | null, depth: number, ws: readonly TrieWrite[], lo: number, hi: number): Ref | null {
    if (lo === hi) return ref;
    if (ref === null) return this.build(depth, inserts(ws, lo, hi));
    const node = this.resolve(ref);
    switch (node.kind) {
      case 'leaf':
        return this.updateLeaf(ref, node, depth, ws, lo, hi);
      case 'ext':
        return this.updateExtension(ref, node, depth, ws, lo, hi);
      case 'branch':
        return this.updateBranch(ref, node.children, depth, ws, lo, hi);
    }
  }

  private updateLeaf(ref: Ref, leaf: LeafNode, depth: number, ws: readonly TrieWrite[],
    lo: number, hi: number): Ref | null {
    let same: TrieWrite | undefined;
    const entries: TrieWrite[] = [];
    for (let i = lo; i < hi; i++) {
      const w = ws[i]!;
      if (matchesAt(w.path, depth, leaf.path)) same = w;
      else if (w.valueHash !== null) entries.push(w);
    }
    if (same === undefined) {
      // Deletes of absent keys change nothing.
      if (entries.length === 0) return ref;
      entries.push({ path: joinPath(ws[lo]!.path, depth, leaf.path), valueHash: leaf.valueHash });
      entries.sort((a, b) => compareBytes(a.path, b.path));
    } else if (same.valueHash !== null) {
      // Rewriting the value a key already has changes nothing either.
      if (entries.length === 0 && bytesEqual(same.valueHash, leaf.valueHash)) return ref;
      entries.splice(0, entries.length, ...inserts(ws, lo, hi));
    }
    return this.build(depth, entries);
  }

  private updateExtension(ref: Ref, ext: ExtensionNode<Ref>, depth: number, ws: readonly TrieWrite[],
    lo: number, hi: number): Ref | null {
    // Writes under the extension's path are contiguous in path order.
    let a = lo;
    while (a < hi && !matchesAt(ws[a]!.path, depth, ext.path)) a++;
    let b = a;
    while (b < hi && matchesAt(ws[b]!.path, depth, ext.path)) b++;
    let divergingInsert = false;
    for (let i = lo; i < hi && !divergingInsert; i++) {
      if ((i < a || i >= b) && ws[i]!.valueHash !== null) divergingInsert = true;
    }
    if (!divergingInsert) {
      if (a === b) return ref;
      const child = this.update(ext.child, depth + ext.path.length, ws, a, b);
      return child === ext.child ? ref : this.wrap(ext.path, child);
    }
    // A new key leaves the extension's path: split it into a branch at this depth and let the branch logic decide.
    const children = emptyChildren<Ref>();
    children[ext.path[0]!] = ext.path.length === 1
      ? ext.child
      : { kind: 'ext', path: ext.path.subarray(1), child: ext.child };
    return this.updateBranch(null, children, depth, ws, lo, hi);
  }

  /** `ref` is the branch as stored, returned when nothing changed; null when the branch is a new one. */
  private updateBranch(ref: Ref | null, original: readonly (Ref | null)[], depth: number, ws: readonly TrieWrite[],
    lo: number, hi: number): Ref | null {
    const children = original.slice();
    let changed = ref === null;
    let i = lo;
    while (i < hi) {
      const n = nibbleAt(ws[i]!.path, depth);
      let j = i + 1;
      while (j < hi && nibbleAt(ws[j]!.path, depth) === n) j++;
      const child = this.update(children[n] ?? null, depth + 1, ws, i, j);
      if (child !== children[n]) {
        children[n] = child;
        changed = true;
      }
      i = j;
    }
    if (!changed && ref !== null) return ref;
    let count = 0;
    let only = -1;
    children.forEach((c, k) => {
      if (c !== null) {
        count++;
        only = k;
      }
    });
    if (count === 0) return null;
    if (count === 1) return this.wrap(Uint8Array.of(only), children[only]!);
    return { kind: 'branch', children };
  }

  /** `child` hung below the path fragment `path`, merged into one node where the canonical form requires it. */
  private wrap(path: Uint8Array, child: Ref | null): Ref | null {
    if (child === null) return null;
    const node = this.resolve(child);
    switch (node.kind) {
      case 'leaf':
        return { kind: 'leaf', path: prependNibbles(path, node.path), valueHash: node.valueHash };
      case 'ext':
        return { kind: 'ext', path: prependNibbles(path, node.path), child: node.child };
      case 'branch':
        return { kind: 'ext', path, child };
    }
  }

  /** A fresh subtree at `depth` holding `entries` (inserts only, sorted by path). */
  private build(depth: number, entries: readonly TrieWrite[]): Ref | null {
    if (entries.length === 0) return null;
    const first = entries[0]!;
    if (entries.length === 1) {
      return { kind: 'leaf', path: sliceNibbles(first.path, depth, PATH_NIBBLES), valueHash: first.valueHash! };
    }
    const shared = commonNibbles(first.path, entries[entries.length - 1]!.path, depth);
    const at = depth + shared;
    const children = emptyChildren<Ref>();
    let i = 0;
    while (i < entries.length) {
      const n = nibbleAt(entries[i]!.path, at);
      let j = i + 1;
      while (j < entries.length && nibbleAt(entries[j]!.path, at) === n) j++;
      children[n] = this.build(at + 1, entries.slice(i, j));
      i = j;
    }
    const branch: MemNode = { kind: 'branch', children };
    return shared === 0 ? branch : { kind: 'ext', path: sliceNibbles(first.path, depth, at), child: branch };
  }

  /** Hashes the new nodes bottom-up and records them; stored nodes are returned as they are. */
  seal(ref: Ref): StoredRef {
    if (isStored(ref)) return ref;
    let node: TrieNode<StoredRef>;
    switch (ref.kind) {
      case 'leaf':
        node = ref;
        break;
      case 'ext':
        node = { kind: 'ext', path: ref.path, child: this.seal(ref.child) };
        break;
      case 'branch':
        node = { kind: 'branch', children: ref.children.map((c) => (c === null ? null : this.seal(c))) };
        break;
    }
    const { stored, canonicalLength } = encodeNode(node);
    this.nodeHashes++;
    const sealed: StoredRef = { hash: this.hash(stored.subarray(0, canonicalLength)), height: this.height };
    this.nodes.push({ ref: sealed, bytes: stored, node });
    return sealed;
  }
}

function inserts(ws: readonly TrieWrite[], lo: number, hi: number): TrieWrite[] {
  const out: TrieWrite[] = [];
  for (let i = lo; i < hi; i++) if (ws[i]!.valueHash !== null) out.push(ws[i]!);
  return out;
}
