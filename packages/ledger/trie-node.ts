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
import { GovchainError, Reader, allocBytes } from '@govchain/base';
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

/**
 * Stored encoding of a node whose children are already stored; its first `canonicalLength` bytes are hashed.
 * Written straight into one exact-size buffer: this runs for every new node of every block.
 */
export function encodeNode(node: TrieNode<StoredRef>): { stored: Uint8Array; canonicalLength: number } {
  if (node.kind === 'branch') {
    let bitmap = 0;
    let count = 0;
    let heightBytes = 0;
    node.children.forEach((c, i) => {
      if (c === null) return;
      bitmap |= 1 << i;
      count++;
      heightBytes += varuintLength(c.height);
    });
    const canonicalLength = 3 + count * HASH_BYTES;
    const out = allocBytes(canonicalLength + heightBytes);
    out[0] = TAG_BRANCH;
    out[1] = bitmap >> 8;
    out[2] = bitmap & 0xff;
    let at = 3;
    for (const c of node.children) {
      if (c === null) continue;
      out.set(c.hash, at);
      at += HASH_BYTES;
    }
    for (const c of node.children) if (c !== null) at = putVaruint(out, at, c.height);
    return { stored: out, canonicalLength };
  }
  const packedLength = (node.path.length + 1) >> 1;
  const canonicalLength = 2 + packedLength + HASH_BYTES;
  const childHeight = node.kind === 'ext' ? node.child.height : undefined;
  const out = allocBytes(canonicalLength + (childHeight === undefined ? 0 : varuintLength(childHeight)));
  out[0] = node.kind === 'leaf' ? TAG_LEAF : TAG_EXTENSION;
  out[1] = node.path.length;
  out.set(packNibbles(node.path), 2);
  out.set(node.kind === 'leaf' ? node.valueHash : node.child.hash, 2 + packedLength);
  if (childHeight !== undefined) putVaruint(out, canonicalLength, childHeight);
  return { stored: out, canonicalLength };
}

/** Unsigned LEB128, minimal, as the base codec's Writer.varuint writes and its Reader accepts. */
function varuintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

function putVaruint(out: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[at++] = v;
  return at;
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
