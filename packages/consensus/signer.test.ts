import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from './signer.ts';
import { CHAIN_ID, testBlock, testKey } from './test-harness.ts';

test('the sign guard signs steps in increasing order only, even after a restore', () => {
  const key = testKey('validator-0');
  const signer = new Signer(CHAIN_ID, 0, key.sign);
  const block = testBlock('block A');
  signer.proposal(1, 0, block, -1, []);
  signer.vote('prevote', 1, 0, block.hash);
  assert.throws(() => signer.vote('prevote', 1, 0, null), { code: 'CONSENSUS_INTERNAL' });
  assert.throws(() => signer.proposal(1, 0, block, -1, []), /already signed prevote at round 0/);
  signer.vote('precommit', 1, 0, null);
  signer.vote('prevote', 1, 1, null);

  const restarted = new Signer(CHAIN_ID, 0, key.sign);
  restarted.restore(signer.lastSigned, signer.ofLastRound());
  assert.deepEqual(restarted.lastSigned, { round: 1, step: 'prevote' });
  assert.equal(restarted.all().length, 1);
  assert.throws(() => restarted.vote('prevote', 1, 1, block.hash), { code: 'CONSENSUS_INTERNAL' });
  restarted.vote('precommit', 1, 1, null);
  restarted.newHeight();
  assert.equal(restarted.lastSigned, null);
  restarted.vote('prevote', 2, 0, null);
});
