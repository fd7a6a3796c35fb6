import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes } from '@govchain/base';
import { decodeCanonical, decodeStored, emptyChildren, encodeNode, type StoredRef, type TrieNode } from './trie-node.ts';

const hashOf = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const ref = (n: number, height: number): StoredRef => ({ hash: hashOf(n), height });

test('every node kind round-trips through the stored form, child heights included', () => {
  const children = emptyChildren<StoredRef>();
  children[0] = ref(1, 0);
  children[7] = ref(2, 127);
  children[15] = ref(3, 2 ** 40);
  const nodes: TrieNode<StoredRef>[] = [
    { kind: 'leaf', path: Uint8Array.of(1, 2, 3), valueHash: hashOf(9) },
    { kind: 'leaf', path: new Uint8Array(0), valueHash: hashOf(9) },
    { kind: 'ext', path: Uint8Array.of(15, 0), child: ref(4, 128) },
    { kind: 'branch', children },
  ];
  for (const node of nodes) {
    const { stored, canonicalLength } = encodeNode(node);
    const decoded = decodeStored(stored);
    assert.deepEqual(decoded.node, node);
    assert.equal(decoded.canonicalLength, canonicalLength);
    // The canonical part alone is what proofs carry; heights are not in it.
    const canonical = decodeCanonical(stored.subarray(0, canonicalLength));
    assert.equal(canonical.kind, node.kind);
  }
});

test('the canonical form is exactly the documented bytes', () => {
  const leaf = encodeNode({ kind: 'leaf', path: Uint8Array.of(0xa, 0xb, 0xc), valueHash: hashOf(1) });
  assert.deepEqual(leaf.stored, concatBytes(Uint8Array.of(1, 3, 0xab, 0xc0), hashOf(1)));
  const children = emptyChildren<StoredRef>();
  children[1] = ref(5, 300);
  children[8] = ref(6, 0);
  const branch = encodeNode({ kind: 'branch', children });
  // bitmap bit i = child i; heights after the hashes as varuints (300 = 0xac 0x02).
  assert.deepEqual(branch.stored, concatBytes(Uint8Array.of(3, 0x01, 0x02), hashOf(5), hashOf(6), Uint8Array.of(0xac, 0x02, 0)));
  assert.equal(branch.canonicalLength, 3 + 64);
});

test('non-canonical node encodings are refused', () => {
  const refuse = (bytes: Uint8Array): void => {
    assert.throws(() => decodeCanonical(bytes), (err: unknown) => err instanceof Error && 'code' in err);
  };
  refuse(concatBytes(Uint8Array.of(1, 3, 0xab, 0xc1), hashOf(1))); // non-zero padding nibble
  refuse(concatBytes(Uint8Array.of(1, 65), new Uint8Array(33), hashOf(1))); // leaf path longer than 64 nibbles
  refuse(concatBytes(Uint8Array.of(2, 0), hashOf(1))); // empty extension path
  refuse(concatBytes(Uint8Array.of(3, 0x00, 0x01), hashOf(1))); // branch with one child
  refuse(concatBytes(Uint8Array.of(3, 0x00, 0x03), hashOf(1))); // bitmap says two, one hash given
  refuse(concatBytes(Uint8Array.of(1, 2, 0xab), hashOf(1), Uint8Array.of(0))); // trailing byte
  refuse(Uint8Array.of(9)); // unknown tag
  refuse(new Uint8Array(0));
});
