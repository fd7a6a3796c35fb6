import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bytesEqual, compareBytes, concatBytes, toHex, u32be, utf8 } from '@govchain/base';
import { updateTrie, type TrieWrite } from './trie-update.ts';
import { EMPTY_ROOT, traceKey, verifyStateProof, type StateProof } from './proof.ts';
import { decodeStored, type StoredRef, type TrieNode } from './trie-node.ts';

const sm3 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(data).digest());

/** In-memory node store: what the ledger keeps in LMDB, keyed the same way (height | hash). */
class MemoryTrie {
  readonly nodes = new Map<string, Uint8Array>();
  root: StoredRef | null = null;
  height = 0;
  lastHashes = 0;
  lastNodeCount = 0;

  readonly loadBytes = (ref: StoredRef): Uint8Array => {
    const bytes = this.nodes.get(`${ref.height}:${toHex(ref.hash)}`);
    if (bytes === undefined) throw new Error(`missing node ${toHex(ref.hash)}`);
    return bytes;
  };

  readonly load = (ref: StoredRef): TrieNode<StoredRef> => decodeStored(this.loadBytes(ref)).node;

  apply(writes: Map<string, Uint8Array | null>): void {
    const trieWrites: TrieWrite[] = [...writes].map(([k, v]) => ({
      path: sm3(utf8(k)),
      valueHash: v === null ? null : sm3(v),
    }));
    trieWrites.sort((a, b) => compareBytes(a.path, b.path));
    this.height++;
    const result = updateTrie(this.root, trieWrites, this.height, this.load, sm3);
    for (const n of result.nodes) this.nodes.set(`${n.ref.height}:${toHex(n.ref.hash)}`, n.bytes);
    this.root = result.root;
    this.lastHashes = result.nodeHashes;
    this.lastNodeCount = result.nodes.length;
  }

  rootHash(): Uint8Array {
    return this.root === null ? EMPTY_ROOT : this.root.hash;
  }

  prove(key: string, value: Uint8Array | null): StateProof {
    return { value, nodes: traceKey(this.root, sm3(utf8(key)), this.loadBytes).nodes };
  }
}

/**
 * An independent reference: the root computed from scratch by recursion over the sorted set, with the node
 * encodings written out byte by byte as the format comment in trie-node.ts specifies.
 */
function referenceRoot(state: Map<string, Uint8Array>): Uint8Array {
  const entries = [...state].map(([k, v]) => ({ path: nibblesOf(sm3(utf8(k))), valueHash: sm3(v) }));
  entries.sort((a, b) => compareBytes(a.path, b.path));
  const pack = (nibbles: number[]): Uint8Array => {
    const out = new Uint8Array(Math.ceil(nibbles.length / 2));
    nibbles.forEach((n, i) => { out[i >> 1]! |= i % 2 === 0 ? n << 4 : n; });
    return out;
  };
  const node = (items: typeof entries, depth: number): Uint8Array => {
    if (items.length === 1) {
      const rest = [...items[0]!.path.subarray(depth)];
      return sm3(concatBytes(Uint8Array.of(1, rest.length), pack(rest), items[0]!.valueHash));
    }
    let shared = 0;
    while (items.every((e) => e.path[depth + shared] === items[0]!.path[depth + shared])) shared++;
    const at = depth + shared;
    let bitmap = 0;
    const hashes: Uint8Array[] = [];
    for (let n = 0; n < 16; n++) {
      const group = items.filter((e) => e.path[at] === n);
      if (group.length === 0) continue;
      bitmap |= 1 << n;
      hashes.push(node(group, at + 1));
    }
    const branch = sm3(concatBytes(Uint8Array.of(3, bitmap >> 8, bitmap & 0xff), ...hashes));
    if (shared === 0) return branch;
    const prefix = [...items[0]!.path.subarray(depth, at)];
    return sm3(concatBytes(Uint8Array.of(2, prefix.length), pack(prefix), branch));
  };
  return entries.length === 0 ? EMPTY_ROOT : node(entries, 0);
}

function nibblesOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  bytes.forEach((b, i) => { out[2 * i] = b >> 4; out[2 * i + 1] = b & 15; });
  return out;
}

/** Deterministic pseudo-random numbers, so failures replay. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

test('incremental batches of inserts, updates and deletes give the same root as a from-scratch reference', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rand = rng(seed);
    const trie = new MemoryTrie();
    const state = new Map<string, Uint8Array>();
    for (let block = 0; block < 30; block++) {
      const writes = new Map<string, Uint8Array | null>();
      const count = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < count; i++) {
        // A small key space so that updates and deletes of existing keys are frequent.
        const key = `k${Math.floor(rand() * 400)}`;
        const value = rand() < 0.3 ? null : utf8(`v${Math.floor(rand() * 5)}`);
        writes.set(key, value);
      }
      trie.apply(writes);
      for (const [k, v] of writes) {
        if (v === null) state.delete(k);
        else state.set(k, v);
      }
      assert.deepEqual(toHex(trie.rootHash()), toHex(referenceRoot(state)), `seed ${seed} block ${block}`);
    }
  }
});

test('the root depends only on the final key set, not on insertion order or batching', () => {
  const keys = Array.from({ length: 500 }, (_, i) => `key-${i}`);
  const oneBatch = new MemoryTrie();
  oneBatch.apply(new Map(keys.map((k) => [k, utf8(k)])));
  const manyBatches = new MemoryTrie();
  const rand = rng(42);
  const shuffled = keys.map((k) => ({ k, r: rand() })).sort((a, b) => a.r - b.r).map((x) => x.k);
  for (let i = 0; i < shuffled.length; i += 37) {
    manyBatches.apply(new Map(shuffled.slice(i, i + 37).map((k) => [k, utf8(k)])));
  }
  assert.ok(bytesEqual(oneBatch.rootHash(), manyBatches.rootHash()));
});

test('deleting every key brings the root back to the empty root', () => {
  const trie = new MemoryTrie();
  const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`);
  trie.apply(new Map(keys.map((k) => [k, utf8('x')])));
  trie.apply(new Map(keys.slice(0, 150).map((k) => [k, null])));
  trie.apply(new Map(keys.slice(150).map((k) => [k, null])));
  assert.equal(trie.root, null);
  assert.ok(bytesEqual(trie.rootHash(), EMPTY_ROOT));
});

test('a batch that changes nothing hashes nothing and writes no node', () => {
  const trie = new MemoryTrie();
  trie.apply(new Map(Array.from({ length: 300 }, (_, i) => [`key-${i}`, utf8(`v${i}`)])));
  const before = trie.root;
  trie.apply(new Map<string, Uint8Array | null>([
    ['key-7', utf8('v7')], // same value again
    ['absent-1', null], // delete of a key that is not there
    ['absent-2', null],
  ]));
  assert.equal(trie.root, before);
  assert.equal(trie.lastHashes, 0);
  assert.equal(trie.lastNodeCount, 0);
});

test('a single update hashes about log16(keys) + 1 nodes', () => {
  const trie = new MemoryTrie();
  const n = 20_000;
  for (let i = 0; i < n; i += 5000) {
    trie.apply(new Map(Array.from({ length: 5000 }, (_, j) => [`key-${i + j}`, u32be(i + j)])));
  }
  let total = 0;
  for (let i = 0; i < 50; i++) {
    trie.apply(new Map([[`key-${i * 397}`, utf8('changed')]]));
    total += trie.lastHashes;
  }
  const perUpdate = total / 50;
  // log16(20,000) ≈ 3.6: about 4 branches and the leaf.
  assert.ok(perUpdate >= 4 && perUpdate <= 6.5, `hashes per update ${perUpdate}`);
});

function populated(): { trie: MemoryTrie; state: Map<string, Uint8Array> } {
  const trie = new MemoryTrie();
  const state = new Map(Array.from({ length: 1000 }, (_, i) => [`key-${i}`, utf8(`value-${i}`)] as const));
  trie.apply(new Map(state));
  return { trie, state };
}

test('inclusion proofs verify for every key and absence proofs for absent keys', () => {
  const { trie, state } = populated();
  const root = trie.rootHash();
  for (const [k, v] of state) assert.ok(verifyStateProof(root, utf8(k), trie.prove(k, v), sm3), k);
  const kinds = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const k = `absent-${i}`;
    const proof = trie.prove(k, null);
    assert.ok(verifyStateProof(root, utf8(k), proof, sm3), k);
    kinds.add(String(proof.nodes.at(-1)![0]));
  }
  // Absence shown both by an empty branch slot (tag 3) and by another key's leaf (tag 1).
  assert.deepEqual([...kinds].sort(), ['1', '3']);
});

test('a proof does not verify against another root', () => {
  const { trie } = populated();
  const oldRoot = trie.rootHash();
  trie.apply(new Map([['key-1', utf8('changed')]]));
  const proof = trie.prove('key-2', utf8('value-2'));
  assert.ok(verifyStateProof(trie.rootHash(), utf8('key-2'), proof, sm3));
  assert.equal(verifyStateProof(oldRoot, utf8('key-2'), proof, sm3), false);
  assert.equal(verifyStateProof(EMPTY_ROOT, utf8('key-2'), proof, sm3), false);
});

test('a proof still verifies against the older root it was made for', () => {
  const { trie } = populated();
  const oldRootRef = trie.root;
  const oldRoot = trie.rootHash();
  trie.apply(new Map<string, Uint8Array | null>([['key-3', utf8('new')], ['key-4', null]]));
  const oldProof = { value: utf8('value-3'), nodes: traceKey(oldRootRef, sm3(utf8('key-3')), trie.loadBytes).nodes };
  assert.ok(verifyStateProof(oldRoot, utf8('key-3'), oldProof, sm3));
  const oldPresence = { value: utf8('value-4'), nodes: traceKey(oldRootRef, sm3(utf8('key-4')), trie.loadBytes).nodes };
  assert.ok(verifyStateProof(oldRoot, utf8('key-4'), oldPresence, sm3));
  assert.ok(verifyStateProof(trie.rootHash(), utf8('key-4'), trie.prove('key-4', null), sm3));
});

test('tampered, truncated, padded or lying proofs are refused', () => {
  const { trie } = populated();
  const root = trie.rootHash();
  const key = utf8('key-5');
  const good = trie.prove('key-5', utf8('value-5'));
  assert.ok(verifyStateProof(root, key, good, sm3));
  // A wrong value, or a claim of absence, for a key that is present.
  assert.equal(verifyStateProof(root, key, { ...good, value: utf8('value-6') }, sm3), false);
  assert.equal(verifyStateProof(root, key, { ...good, value: null }, sm3), false);
  // A claim of presence for an absent key.
  const absent = trie.prove('nope', null);
  assert.equal(verifyStateProof(root, utf8('nope'), { ...absent, value: utf8('x') }, sm3), false);
  // One flipped bit in any node.
  good.nodes.forEach((node, i) => {
    for (const at of [0, 1, node.length - 1]) {
      const nodes = good.nodes.map((n) => n.slice());
      nodes[i]![at]! ^= 1;
      assert.equal(verifyStateProof(root, key, { value: good.value, nodes }, sm3), false, `node ${i} byte ${at}`);
    }
  });
  assert.equal(verifyStateProof(root, key, { value: good.value, nodes: good.nodes.slice(0, -1) }, sm3), false);
  assert.equal(verifyStateProof(root, key, { value: good.value, nodes: [...good.nodes, good.nodes.at(-1)!] }, sm3), false);
  assert.equal(verifyStateProof(root, key, { value: good.value, nodes: [] }, sm3), false);
  // The same proof offered for another key.
  assert.equal(verifyStateProof(root, utf8('key-6'), good, sm3), false);
});

test('the empty trie proves every key absent with no nodes', () => {
  assert.ok(verifyStateProof(EMPTY_ROOT, utf8('a'), { value: null, nodes: [] }, sm3));
  assert.equal(verifyStateProof(EMPTY_ROOT, utf8('a'), { value: utf8('x'), nodes: [] }, sm3), false);
});
