/**
 * Decoded trie nodes kept in memory between blocks. Every block rewrites the top of the trie (the root, its 16
 * children, their 256 children...) and the next block reads those nodes again; caching them saves an LMDB read and
 * a decode each. Nodes are immutable (a node's key is the height that wrote it and its hash), so entries never go
 * stale.
 *
 * Bounded by two generations instead of a strict LRU: new entries and hits go to the young map; when it is full,
 * the old map is dropped whole and the young one takes its place. (An LRU on one Map evicts through
 * `keys().next()`, which in V8 walks over the holes that deletions leave at the front: it measured as 10% of a
 * block's CPU time at 1 M keys.)
 */
import { byteKey } from './byte-key.ts';
import { LedgerErrors, ledgerError } from './errors.ts';
import type { StoredRef, TrieNode } from './trie-node.ts';

/** At most this many decoded nodes (about 1.5 KB each for a full branch): tens of MB. */
export const DEFAULT_NODE_CACHE_ENTRIES = 40_000;

export class NodeCache {
  private young = new Map<string, TrieNode<StoredRef>>();
  private old = new Map<string, TrieNode<StoredRef>>();
  private readonly generation: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw ledgerError(LedgerErrors.BAD_ARGUMENT, 'malformed', `node cache entries must be an integer >= 0, got ${capacity}`);
    }
    this.generation = Math.floor(capacity / 2);
  }

  get(ref: StoredRef): TrieNode<StoredRef> | undefined {
    const key = cacheKey(ref);
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const oldHit = this.old.get(key);
    if (oldHit !== undefined) this.remember(key, oldHit);
    return oldHit;
  }

  set(ref: StoredRef, node: TrieNode<StoredRef>): void {
    this.remember(cacheKey(ref), node);
  }

  private remember(key: string, node: TrieNode<StoredRef>): void {
    if (this.generation === 0) return;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, node);
  }
}

function cacheKey(ref: StoredRef): string {
  return `${ref.height}:${byteKey(ref.hash)}`;
}
