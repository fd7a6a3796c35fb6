/**
 * A bounded least-recently-used map. Map iteration order is insertion order, so re-inserting on every hit
 * keeps the oldest entry first and eviction is O(1).
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  /** `onEvict` runs for entries pushed out by capacity (not for `delete` or `clear`). */
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const [oldestKey, oldestValue] = this.map.entries().next().value as [K, V];
      this.map.delete(oldestKey);
      this.onEvict?.(oldestKey, oldestValue);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
