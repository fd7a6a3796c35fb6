/**
 * The mempool: txs admitted but not yet committed. Admission is where each tx's signature is verified, once per
 * node; a block later containing the very same bytes reuses that verdict (and the decoded tx) instead of verifying
 * again. Bounded by count and bytes: when full it refuses with MEMPOOL_FULL (503) and a batch is admitted whole or
 * not at all.
 */
import { GovchainError, toHex } from '@govchain/base';
import { byteKey } from '@govchain/ledger';
import { TX_TTL_MS_MAX, decodeSignedTx, type SignedTx } from '@govchain/protocol';

export interface MempoolLimits {
  txsMax: number;
  bytesMax: number;
  /** Largest batch accepted in one call. */
  batchTxsMax: number;
}

export interface AdmissionDeps {
  chainId: string;
  hash(data: Uint8Array): Uint8Array;
  verifyBatch(items: readonly { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[]): boolean[];
  nowMs(): number;
  isCommitted(txId: Uint8Array): boolean;
  /** Refusals visible before execution (unknown contract or method, sender policy); null when admissible. */
  precheck(tx: SignedTx): GovchainError | null;
}

export interface PoolEntry {
  id: Uint8Array;
  idHex: string;
  tx: SignedTx;
  size: number;
  /** Local clock at admission, for commit-latency metrics only. */
  admittedAtMs: number;
}

export class BatchRefused extends GovchainError {
  constructor(readonly itemErrors: Array<{ index: number; code: string; message: string }>) {
    super('BATCH_REFUSED', 'malformed', `${itemErrors.length} tx(s) in the batch were refused; nothing was admitted`, { errors: itemErrors });
  }
}

export class Mempool {
  private readonly entries = new Map<string, PoolEntry>();
  /** The same entries by their exact bytes, so block validation can reuse this node's verdict on identical bytes only. */
  private readonly byBytes = new Map<string, PoolEntry>();
  private bytes = 0;

  constructor(private readonly limits: MempoolLimits, private readonly deps: AdmissionDeps) {}

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  has(idHex: string): boolean {
    return this.entries.has(idHex);
  }

  get(idHex: string): PoolEntry | undefined {
    return this.entries.get(idHex);
  }

  /** The pending entry admitted with exactly these bytes (signature verified here), if any. */
  admitted(bytes: Uint8Array): PoolEntry | undefined {
    return this.byBytes.get(byteKey(bytes));
  }

  /** Admit one tx; throws GovchainError with the reason when refused. */
  add(bytes: Uint8Array): PoolEntry {
    const [entry] = this.addBatch([bytes]);
    return entry!;
  }

  /** Admit all or none: any invalid tx refuses the batch (BATCH_REFUSED, per-item reasons), as does a full pool. */
  addBatch(list: readonly Uint8Array[]): PoolEntry[] {
    if (list.length > this.limits.batchTxsMax) {
      throw new GovchainError('BATCH_TOO_LARGE', 'too_large', `a batch may hold at most ${this.limits.batchTxsMax} txs, got ${list.length}`);
    }
    const candidates: PoolEntry[] = [];
    const errors: Array<{ index: number; error: GovchainError }> = [];
    const seen = new Set<string>();
    list.forEach((bytes, index) => {
      try {
        const entry = this.check(bytes);
        if (seen.has(entry.idHex)) throw new GovchainError('TX_DUPLICATE', 'conflict', `tx ${entry.idHex} appears twice in the batch`);
        seen.add(entry.idHex);
        candidates.push(entry);
      } catch (err) {
        if (!(err instanceof GovchainError)) throw err;
        errors.push({ index, error: err });
      }
    });
    // A pool that cannot take the batch refuses it before any signature is checked: under overload, refused txs
    // cost no verification.
    const addedBytes = candidates.reduce((n, c) => n + c.size, 0);
    if (errors.length === 0 && (this.entries.size + candidates.length > this.limits.txsMax || this.bytes + addedBytes > this.limits.bytesMax)) {
      throw new GovchainError('MEMPOOL_FULL', 'overloaded', `the mempool is full (${this.entries.size} txs, ${this.bytes} bytes); retry after the next block`, {
        retryAfterMs: 500,
      });
    }
    if (errors.length === 0) {
      const verdicts = this.deps.verifyBatch(candidates.map((c) => ({ publicKey: c.tx.body.senderPublicKey, message: c.tx.bodyBytes, signature: c.tx.signature })));
      verdicts.forEach((ok, i) => {
        if (!ok) {
          errors.push({ index: i, error: new GovchainError('TX_BAD_SIGNATURE', 'unauthenticated', 'the signature does not verify against the sender key over the body bytes (or the key is not a valid point)') });
        }
      });
    }
    if (errors.length > 0) {
      if (list.length === 1) throw errors[0]!.error;
      throw new BatchRefused(errors.map(({ index, error }) => ({ index, code: error.code, message: error.message })));
    }
    for (const c of candidates) this.insert(c);
    return candidates;
  }

  /**
   * Admit each tx that passes on its own (txs relayed by peers): the valid ones are admitted, in order, while they
   * fit; the others are dropped. Signatures are still checked in one batch. Returns the admitted entries.
   */
  addEach(list: readonly Uint8Array[]): PoolEntry[] {
    // Only as many as the pool has room for are checked at all: under overload, dropped txs cost no verification.
    const candidates: PoolEntry[] = [];
    const seen = new Set<string>();
    let room = this.limits.txsMax - this.entries.size;
    let bytesRoom = this.limits.bytesMax - this.bytes;
    for (const bytes of list) {
      if (room <= 0) break;
      if (bytes.length > bytesRoom) continue;
      try {
        const entry = this.check(bytes);
        if (seen.has(entry.idHex)) continue;
        seen.add(entry.idHex);
        candidates.push(entry);
        room--;
        bytesRoom -= entry.size;
      } catch (err) {
        if (!(err instanceof GovchainError)) throw err;
      }
    }
    if (candidates.length === 0) return [];
    const verdicts = this.deps.verifyBatch(candidates.map((c) => ({ publicKey: c.tx.body.senderPublicKey, message: c.tx.bodyBytes, signature: c.tx.signature })));
    const admitted = candidates.filter((_, i) => verdicts[i]);
    for (const c of admitted) this.insert(c);
    return admitted;
  }

  private insert(c: PoolEntry): void {
    this.entries.set(c.idHex, c);
    this.byBytes.set(byteKey(c.tx.bytes), c);
    this.bytes += c.size;
  }

  /** Everything short of the signature check, which admission batches. */
  private check(bytes: Uint8Array): PoolEntry {
    const tx = decodeSignedTx(bytes);
    const body = tx.body;
    if (body.chainId !== this.deps.chainId) {
      throw new GovchainError('TX_WRONG_CHAIN', 'malformed', `tx is for chain ${body.chainId}, this is ${this.deps.chainId}`);
    }
    const now = this.deps.nowMs();
    if (body.expiresAtMs <= now) throw new GovchainError('TX_EXPIRED', 'malformed', 'tx has expired; sign a new one with a later expiry');
    if (body.expiresAtMs > now + TX_TTL_MS_MAX) {
      throw new GovchainError('TX_EXPIRY_TOO_FAR', 'malformed', `tx expiry may be at most ${TX_TTL_MS_MAX / 3_600_000} h ahead`);
    }
    const id = this.deps.hash(tx.bodyBytes);
    const idHex = toHex(id);
    if (this.entries.has(idHex)) throw new GovchainError('TX_DUPLICATE', 'conflict', `tx ${idHex} is already pending`);
    if (this.deps.isCommitted(id)) throw new GovchainError('TX_ALREADY_COMMITTED', 'conflict', `tx ${idHex} was already committed`);
    const refusal = this.deps.precheck(tx);
    if (refusal !== null) throw refusal;
    return { id, idHex, tx, size: bytes.length, admittedAtMs: now };
  }

  /** Oldest first, within the block's bounds. */
  reap(txsMax: number, bytesMax: number): PoolEntry[] {
    const out: PoolEntry[] = [];
    let bytes = 0;
    for (const e of this.entries.values()) {
      if (out.length >= txsMax || bytes + e.size > bytesMax) break;
      out.push(e);
      bytes += e.size;
    }
    return out;
  }

  remove(idHexes: Iterable<string>): void {
    for (const id of idHexes) {
      const e = this.entries.get(id);
      if (e === undefined) continue;
      this.entries.delete(id);
      this.byBytes.delete(byteKey(e.tx.bytes));
      this.bytes -= e.size;
    }
  }

  /** Drop txs that can no longer be included (expired by the latest block's time). */
  evictExpired(blockTimeMs: number): number {
    const expired: string[] = [];
    for (const e of this.entries.values()) if (e.tx.body.expiresAtMs < blockTimeMs) expired.push(e.idHex);
    this.remove(expired);
    return expired.length;
  }
}
