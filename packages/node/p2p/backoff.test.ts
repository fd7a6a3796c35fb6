import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.ts';

test('backoff doubles from the base to the cap, stays within [ceiling/2, ceiling], and resets', () => {
  const low = new Backoff(100, 1000, () => 0);
  const high = new Backoff(100, 1000, () => 1);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => low.next()), [50, 100, 200, 400, 500, 500]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => high.next()), [100, 200, 400, 800, 1000, 1000]);
  low.reset();
  assert.equal(low.next(), 50);
});
