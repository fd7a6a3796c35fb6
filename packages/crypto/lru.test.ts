import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru.ts';

test('LRU evicts the least recently used entry once over capacity, counting reads as use', () => {
  const lru = new LruCache<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.get('a'), 1); // a is now the most recent
  lru.set('c', 3);
  assert.equal(lru.get('b'), undefined);
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.get('c'), 3);
  assert.equal(lru.size, 2);
});

test('LRU refuses a capacity below one', () => {
  assert.throws(() => new LruCache(0), RangeError);
});

test('LRU reports capacity evictions to onEvict, but not explicit deletes', () => {
  const evicted: string[] = [];
  const lru = new LruCache<string, number>(1, (key) => evicted.push(key));
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.delete('b'), true);
  assert.deepEqual(evicted, ['a']);
});
