/**
 * Decoded trie nodes kept in memory between blocks. Every block rewrites the top of the trie (the root, its 16
 * children, their 256 children...) and the next block reads those nodes again; caching them saves an LMDB read and
 * a decode each. Nodes are immutable (a node's key is the height that wrote it and its hash), so entries never go
 * stale. Bounded: the least recently used entry leaves first.
 */
import { byteKey } from './byte-key.ts';
import type { StoredRef, TrieNode } from './trie-node.ts';

/** About 1.5 KB per full branch node with its key: tens of MB at most. */
export const DEFAULT_NODE_CACHE_ENTRIES = 20_000;

export class NodeCache {
  private readonly entries = new Map<string, TrieNode<StoredRef>>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`node cache capacity must be >= 0, got ${capacity}`);
  }

  get(ref: StoredRef): TrieNode<StoredRef> | undefined {
    const key = cacheKey(ref);
    const node = this.entries.get(key);
    if (node !== undefined) {
      // Re-inserting moves the entry to the young end of the Map's insertion order.
      this.entries.delete(key);
      this.entries.set(key, node);
    }
    return node;
  }

  set(ref: StoredRef, node: TrieNode<StoredRef>): void {
    if (this.capacity === 0) return;
    const key = cacheKey(ref);
    this.entries.delete(key);
    this.entries.set(key, node);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function cacheKey(ref: StoredRef): string {
  return `${ref.height}:${byteKey(ref.hash)}`;
}
