import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GovchainError, concatBytes, fromHex, toHex, utf8 } from '@govchain/base';
import { merkleProof, merkleRoot, verifyMerkleProof, type MerkleProof } from './merkle.ts';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const sm3 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(data).digest());

const leafOf = (d: Uint8Array): Uint8Array => sha256(concatBytes(new Uint8Array([0]), d));
const nodeOf = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(concatBytes(new Uint8Array([1]), l, r));

function leavesOf(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => utf8(`leaf-${i}`));
}

test('empty tree root is the hash of zero bytes', () => {
  assert.equal(toHex(merkleRoot([], sha256)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('small trees match roots written out by hand from the leaf and node rules', () => {
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(utf8) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  assert.deepEqual(merkleRoot([a], sha256), leafOf(a));
  assert.deepEqual(merkleRoot([a, b], sha256), nodeOf(leafOf(a), leafOf(b)));
  // Three leaves split 2 + 1: the lone third leaf is carried up, not paired with itself.
  assert.deepEqual(merkleRoot([a, b, c], sha256), nodeOf(nodeOf(leafOf(a), leafOf(b)), leafOf(c)));
  const abcd = nodeOf(nodeOf(leafOf(a), leafOf(b)), nodeOf(leafOf(c), leafOf(d)));
  assert.deepEqual(merkleRoot([a, b, c, d], sha256), abcd);
  // Five leaves split 4 + 1.
  assert.deepEqual(merkleRoot([a, b, c, d, e], sha256), nodeOf(abcd, leafOf(e)));
});

// The reference vectors of the Certificate Transparency implementations (RFC 6962, SHA-256).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('roots of 1 to 8 leaves equal the RFC 6962 reference vectors', () => {
  const leaves = CT_LEAVES.map(fromHex);
  CT_ROOTS.forEach((root, i) => assert.equal(toHex(merkleRoot(leaves.slice(0, i + 1), sha256)), root, `size ${i + 1}`));
});

test('proof paths match the sibling lists written out by hand', () => {
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(utf8) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const leaves = [a, b, c, d, e];
  assert.deepEqual(merkleProof(leaves, 2, sha256), {
    index: 2,
    total: 5,
    path: [leafOf(d), nodeOf(leafOf(a), leafOf(b)), leafOf(e)],
  });
  // The fifth leaf is carried past two levels, so its path holds only the root's left subtree.
  assert.deepEqual(merkleProof(leaves, 4, sha256).path, [
    nodeOf(nodeOf(leafOf(a), leafOf(b)), nodeOf(leafOf(c), leafOf(d))),
  ]);
  assert.deepEqual(merkleProof([a], 0, sha256), { index: 0, total: 1, path: [] });
});

test('every leaf of every tree of 1 to 33 leaves proves and verifies, with SHA-256 and SM3', () => {
  for (const hash of [sha256, sm3]) {
    for (let total = 1; total <= 33; total++) {
      const leaves = leavesOf(total);
      const root = merkleRoot(leaves, hash);
      for (let index = 0; index < total; index++) {
        const proof = merkleProof(leaves, index, hash);
        assert.ok(proof.path.length <= Math.ceil(Math.log2(total)));
        assert.ok(verifyMerkleProof(root, leaves[index]!, proof, hash), `leaf ${index} of ${total}`);
      }
    }
  }
});

test('a proof fails for the wrong index, leaf, root or hash', () => {
  for (let total = 2; total <= 33; total++) {
    const leaves = leavesOf(total);
    const root = merkleRoot(leaves, sha256);
    for (let index = 0; index < total; index++) {
      const proof = merkleProof(leaves, index, sha256);
      const other = (index + 1) % total;
      assert.equal(verifyMerkleProof(root, leaves[index]!, { ...proof, index: other }, sha256), false);
      assert.equal(verifyMerkleProof(root, leaves[other]!, proof, sha256), false);
      assert.equal(verifyMerkleProof(merkleRoot(leaves.slice(1), sha256), leaves[index]!, proof, sha256), false);
      assert.equal(verifyMerkleProof(root, leaves[index]!, proof, sm3), false);
    }
  }
});

test('a proof with a flipped bit, a dropped or an extra path element fails', () => {
  for (let total = 2; total <= 33; total++) {
    const leaves = leavesOf(total);
    const root = merkleRoot(leaves, sha256);
    for (let index = 0; index < total; index++) {
      const proof = merkleProof(leaves, index, sha256);
      const leaf = leaves[index]!;
      proof.path.forEach((_, k) => {
        const path = proof.path.map((p) => p.slice());
        path[k]![k % 32] ^= 0x01;
        assert.equal(verifyMerkleProof(root, leaf, { ...proof, path }, sha256), false);
      });
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, path: proof.path.slice(1) }, sha256), false);
      assert.equal(verifyMerkleProof(root, leaf, { ...proof, path: [...proof.path, root] }, sha256), false);
    }
  }
});

test('the root does not bind the tree size, so total must come from an authenticated header', () => {
  // Leaf 0 of three and leaf 0 of four have paths of the same shape; only a signed leaf count tells them apart.
  const leaves = leavesOf(3);
  const proof = merkleProof(leaves, 0, sha256);
  assert.ok(verifyMerkleProof(merkleRoot(leaves, sha256), leaves[0]!, { ...proof, total: 4 }, sha256));
  // Where the shapes differ, the wrong total fails.
  assert.equal(verifyMerkleProof(merkleRoot(leaves, sha256), leaves[0]!, { ...proof, total: 5 }, sha256), false);
});

test('a malformed proof is false rather than an exception', () => {
  const leaves = leavesOf(5);
  const root = merkleRoot(leaves, sha256);
  const good = merkleProof(leaves, 1, sha256);
  const bad: MerkleProof[] = [
    { ...good, index: -1 },
    { ...good, index: 5 },
    { ...good, index: 1.5 },
    { ...good, total: 0 },
    { ...good, total: Number.NaN },
    { ...good, path: [good.path[0]!.subarray(1), ...good.path.slice(1)] },
    { ...good, path: Array.from({ length: 60 }, () => root) },
  ];
  for (const proof of bad) assert.equal(verifyMerkleProof(root, leaves[1]!, proof, sha256), false);
});

test('a single-leaf tree proves its leaf with an empty path and nothing else', () => {
  const leaf = utf8('only');
  const root = merkleRoot([leaf], sha256);
  assert.ok(verifyMerkleProof(root, leaf, { index: 0, total: 1, path: [] }, sha256));
  assert.equal(verifyMerkleProof(root, utf8('other'), { index: 0, total: 1, path: [] }, sha256), false);
});

test('asking for a proof of a leaf outside the tree is refused with MERKLE_BAD_INDEX', () => {
  for (const index of [-1, 3, 0.5]) {
    assert.throws(() => merkleProof(leavesOf(3), index, sha256), (err: unknown) => {
      assert.ok(err instanceof GovchainError);
      assert.equal(err.code, 'MERKLE_BAD_INDEX');
      return true;
    });
  }
  assert.throws(() => merkleProof([], 0, sha256), GovchainError);
});
