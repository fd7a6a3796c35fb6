/**
 * Trie node encodings.
 *
 * Canonical form (what is hashed, and what a proof carries):
 *   leaf       0x01 | n: u8 (0..64)  | packed path (ceil(n/2) bytes) | valueHash (32)
 *   extension  0x02 | n: u8 (1..63)  | packed path                   | child hash (32)
 *   branch     0x03 | bitmap: u16 BE (at least 2 bits set)           | child hash (32) for each set bit, low bit first
 * Odd paths pad the last low nibble with zero, and the decoder refuses anything else, so a node has one encoding.
 * Leaves hold hash(value), not the value: nodes stay small whatever the value size, and values live once in the
 * state and history tables.
 *
 * Stored form (the LMDB value): the canonical bytes followed by the height at which each child was written
 * (varuint; one for an extension, one per present child of a branch, none for a leaf). Nodes are stored under
 * height | hash so that each block's nodes append at the end of the table; the child heights say where to find a
 * child. They are left out of the hash, so the root depends only on the key/value set, not on when it was built.
 */
import { Reader, Writer, GovchainError } from '@govchain/base';
import { PATH_NIBBLES, packNibbles, unpackNibbles } from './nibbles.ts';

export const HASH_BYTES = 32;
const TAG_LEAF = 1;
const TAG_EXTENSION = 2;
const TAG_BRANCH = 3;
const BRANCH_WIDTH = 16;

/** Where a stored node lives: the height of the block that wrote it, and its hash. */
export interface StoredRef {
  readonly hash: Uint8Array;
  readonly height: number;
}

export interface LeafNode {
  readonly kind: 'leaf';
  /** The rest of the key's path below this node's depth. */
  readonly path: Uint8Array;
  readonly valueHash: Uint8Array;
}

export interface ExtensionNode<C> {
  readonly kind: 'ext';
  readonly path: Uint8Array;
  readonly child: C;
}

export interface BranchNode<C> {
  readonly kind: 'branch';
  /** Always 16 entries. */
  readonly children: readonly (C | null)[];
}

export type TrieNode<C> = LeafNode | ExtensionNode<C> | BranchNode<C>;

export function emptyChildren<C>(): (C | null)[] {
  return new Array<C | null>(BRANCH_WIDTH).fill(null);
}

/** Stored encoding of a node whose children are already stored; `canonicalLength` bytes of it are hashed. */
export function encodeNode(node: TrieNode<StoredRef>): { stored: Uint8Array; canonicalLength: number } {
  // Sized for the largest node of each kind, so the writer never grows.
  const w = new Writer(node.kind === 'branch' ? 3 + BRANCH_WIDTH * (HASH_BYTES + 8) : 2 + 32 + HASH_BYTES + 8);
  let canonicalLength: number;
  switch (node.kind) {
    case 'leaf':
      w.u8(TAG_LEAF).u8(node.path.length).fixed(packNibbles(node.path), (node.path.length + 1) >> 1);
      w.fixed(node.valueHash, HASH_BYTES);
      canonicalLength = 2 + ((node.path.length + 1) >> 1) + HASH_BYTES;
      break;
    case 'ext':
      w.u8(TAG_EXTENSION).u8(node.path.length).fixed(packNibbles(node.path), (node.path.length + 1) >> 1);
      w.fixed(node.child.hash, HASH_BYTES);
      canonicalLength = 2 + ((node.path.length + 1) >> 1) + HASH_BYTES;
      w.varuint(node.child.height);
      break;
    case 'branch': {
      let bitmap = 0;
      const present: StoredRef[] = [];
      node.children.forEach((c, i) => {
        if (c !== null) {
          bitmap |= 1 << i;
          present.push(c);
        }
      });
      w.u8(TAG_BRANCH).u8(bitmap >> 8).u8(bitmap & 0xff);
      for (const c of present) w.fixed(c.hash, HASH_BYTES);
      canonicalLength = 3 + present.length * HASH_BYTES;
      for (const c of present) w.varuint(c.height);
      break;
    }
  }
  return { stored: w.finish(), canonicalLength };
}

function invalid(message: string): GovchainError {
  return new GovchainError('LEDGER_BAD_TRIE_NODE', 'malformed', message);
}

function readPath(r: Reader, min: number, max: number): Uint8Array {
  const n = r.u8();
  if (n < min || n > max) throw invalid(`path of ${n} nibbles outside ${min}..${max}`);
  const path = unpackNibbles(r.fixed((n + 1) >> 1), n);
  if (path === undefined) throw invalid('non-zero padding nibble');
  return path;
}

/** Reads the canonical part of a node; children come back as bare hashes. */
function readCanonical(r: Reader): TrieNode<Uint8Array> {
  const tag = r.u8();
  switch (tag) {
    case TAG_LEAF: {
      const path = readPath(r, 0, PATH_NIBBLES);
      return { kind: 'leaf', path, valueHash: r.fixed(HASH_BYTES) };
    }
    case TAG_EXTENSION: {
      const path = readPath(r, 1, PATH_NIBBLES - 1);
      return { kind: 'ext', path, child: r.fixed(HASH_BYTES) };
    }
    case TAG_BRANCH: {
      const bitmap = (r.u8() << 8) | r.u8();
      const children = emptyChildren<Uint8Array>();
      let count = 0;
      for (let i = 0; i < BRANCH_WIDTH; i++) {
        if ((bitmap & (1 << i)) !== 0) {
          children[i] = r.fixed(HASH_BYTES);
          count++;
        }
      }
      if (count < 2) throw invalid(`branch with ${count} children`);
      return { kind: 'branch', children };
    }
    default:
      throw invalid(`unknown node tag ${tag}`);
  }
}

/** Decodes a canonical node (as carried in a proof); throws GovchainError on any malformed or trailing byte. */
export function decodeCanonical(bytes: Uint8Array): TrieNode<Uint8Array> {
  const r = new Reader(bytes);
  const node = readCanonical(r);
  r.end();
  return node;
}

/** Decodes a stored node; `canonicalLength` tells which prefix is the hashed, canonical encoding. */
export function decodeStored(bytes: Uint8Array): { node: TrieNode<StoredRef>; canonicalLength: number } {
  const r = new Reader(bytes);
  const node = readCanonical(r);
  const canonicalLength = r.offset;
  let out: TrieNode<StoredRef>;
  switch (node.kind) {
    case 'leaf':
      out = node;
      break;
    case 'ext':
      out = { kind: 'ext', path: node.path, child: { hash: node.child, height: r.varuint() } };
      break;
    case 'branch':
      out = { kind: 'branch', children: node.children.map((h) => (h === null ? null : { hash: h, height: r.varuint() })) };
      break;
  }
  r.end();
  return { node: out, canonicalLength };
}
