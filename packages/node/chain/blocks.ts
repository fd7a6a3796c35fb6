/**
 * Building and validating blocks. The proposer executes the txs it picks and puts the resulting roots in the
 * header; every other validator re-executes the proposal and votes for it only if it reaches the same roots. The
 * execution result is kept by block hash, so a block that commits is written without executing it again.
 */
import { GovchainError, bytesEqual, toHex } from '@govchain/base';
import { merkleRoot } from '@govchain/crypto';
import {
  HEADER_VERSION, decodeBlock, decodeSignedTx, encodeBlock, encodeHeader, encodeReceipt, type Block, type BlockHeader,
  type Receipt, type SignedTx,
} from '@govchain/protocol';
import type { Executor, ExecutableTx, LoggedWrite, StateWriter } from '@govchain/vm';

/** Block-scoped state that can compute the state root of its writes. */
export interface BlockState extends StateWriter {
  stateRoot(): Uint8Array;
}

/** What building and validating need from storage: the committed tip, replay checks and a state overlay. */
export interface BlockStore<S extends BlockState> {
  tipHeight(): number;
  tipHash(): Uint8Array;
  tipTimeMs(): number;
  hasTx(txId: Uint8Array): boolean;
  /** A fresh overlay over committed state that can compute the state root of its writes. */
  overlay(): S;
}

export interface ExecutedBlock<S extends BlockState> {
  block: Block;
  blockBytes: Uint8Array;
  blockHash: Uint8Array;
  txIds: Uint8Array[];
  receipts: Receipt[];
  receiptBytes: Uint8Array[];
  writeLog: LoggedWrite[];
  overlay: S;
}

export interface BlockRules {
  chainId: string;
  hash(data: Uint8Array): Uint8Array;
  validatorsHash: Uint8Array;
  validatorCount: number;
  blockTxsMax: number;
  blockBytesMax: number;
  /** How far ahead of the local clock a proposal's time may be. */
  clockDriftMsMax: number;
  verifyBatch(items: readonly { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[]): boolean[];
  /**
   * The tx this node already admitted with exactly these bytes (decoded, id computed, signature verified), if any.
   * Matching the whole bytes, not the id, matters: the id covers the body only, and a proposer could pair a known
   * body with a signature nobody verified.
   */
  admitted(txBytes: Uint8Array): { id: Uint8Array; idHex: string; tx: SignedTx } | undefined;
  /** The sender policy at the block's time: null when the sender may send. */
  checkSender(tx: SignedTx, atMs: number): GovchainError | null;
}

function invalid(code: string, message: string): GovchainError {
  return new GovchainError(code, 'malformed', message);
}

export class BlockExecutor<S extends BlockState> {
  constructor(private readonly rules: BlockRules, private readonly executor: Executor, private readonly store: BlockStore<S>) {}

  /** Build the next block from txs already admitted to the mempool (signatures verified, ids computed there). */
  build(txs: readonly { id: Uint8Array; tx: SignedTx }[], proposerIndex: number, nowMs: number): ExecutedBlock<S> {
    const timeMs = Math.max(nowMs, this.store.tipTimeMs() + 1);
    const usable = txs.filter((t) => t.tx.body.expiresAtMs >= timeMs && !this.store.hasTx(t.id) && this.rules.checkSender(t.tx, timeMs) === null);
    return this.execute(usable.map((t) => t.tx), usable.map((t) => t.id), (roots) => ({
      version: HEADER_VERSION,
      chainId: this.rules.chainId,
      height: this.store.tipHeight() + 1,
      timeMs,
      prevHash: this.store.tipHash(),
      proposerIndex,
      txCount: usable.length,
      validatorsHash: this.rules.validatorsHash,
      ...roots,
    }));
  }

  /** Validate a proposed block completely (structure, txs, signatures, execution roots); throws the first failure. */
  validate(blockBytes: Uint8Array, nowMs: number): ExecutedBlock<S> {
    if (blockBytes.length > this.rules.blockBytesMax + 4096) throw invalid('BLOCK_TOO_LARGE', `block of ${blockBytes.length} bytes`);
    const block = decodeBlock(blockBytes);
    const h = block.header;
    if (h.chainId !== this.rules.chainId) throw invalid('BLOCK_WRONG_CHAIN', `block is for chain ${h.chainId}`);
    if (h.height !== this.store.tipHeight() + 1) throw invalid('BLOCK_WRONG_HEIGHT', `block height ${h.height}, expected ${this.store.tipHeight() + 1}`);
    if (!bytesEqual(h.prevHash, this.store.tipHash())) throw invalid('BLOCK_WRONG_PARENT', 'block does not extend the committed tip');
    if (h.timeMs <= this.store.tipTimeMs()) throw invalid('BLOCK_TIME_NOT_MONOTONIC', 'block time is not after its parent');
    if (h.timeMs > nowMs + this.rules.clockDriftMsMax) throw invalid('BLOCK_TIME_IN_FUTURE', 'block time is too far ahead of this node\'s clock');
    if (h.proposerIndex >= this.rules.validatorCount) throw invalid('BLOCK_BAD_PROPOSER', `proposer index ${h.proposerIndex}`);
    if (!bytesEqual(h.validatorsHash, this.rules.validatorsHash)) throw invalid('BLOCK_WRONG_VALIDATORS', 'validators hash differs');
    if (block.txs.length > this.rules.blockTxsMax) throw invalid('BLOCK_TOO_MANY_TXS', `${block.txs.length} txs`);

    const known = block.txs.map((bytes) => this.rules.admitted(bytes));
    const txs = block.txs.map((bytes, i) => known[i]?.tx ?? decodeSignedTx(bytes));
    const ids = txs.map((tx, i) => known[i]?.id ?? this.rules.hash(tx.bodyBytes));
    const seen = new Set<string>();
    const toVerify: SignedTx[] = [];
    for (const [i, tx] of txs.entries()) {
      const id = ids[i]!;
      const idHex = known[i]?.idHex ?? toHex(id);
      if (seen.has(idHex)) throw invalid('BLOCK_DUPLICATE_TX', `tx ${idHex} appears twice`);
      seen.add(idHex);
      if (tx.body.chainId !== this.rules.chainId) throw invalid('BLOCK_FOREIGN_TX', `tx ${idHex} is for chain ${tx.body.chainId}`);
      if (this.store.hasTx(id)) throw invalid('BLOCK_REPLAYED_TX', `tx ${idHex} was already committed`);
      const senderRefusal = this.rules.checkSender(tx, h.timeMs);
      if (senderRefusal !== null) throw invalid('BLOCK_TX_SENDER_REFUSED', `tx ${idHex}: ${senderRefusal.message}`);
      if (known[i] === undefined) toVerify.push(tx);
    }
    const verdicts = this.rules.verifyBatch(toVerify.map((t) => ({ publicKey: t.body.senderPublicKey, message: t.bodyBytes, signature: t.signature })));
    const bad = verdicts.indexOf(false);
    if (bad >= 0) throw invalid('BLOCK_BAD_TX_SIGNATURE', `tx ${toHex(this.rules.hash(toVerify[bad]!.bodyBytes))} has a bad signature`);

    const executed = this.execute(txs, ids, (roots) => ({ ...h, ...roots }));
    const mine = executed.block.header;
    if (!bytesEqual(mine.txRoot, h.txRoot)) throw invalid('BLOCK_TX_ROOT_MISMATCH', 'tx root differs from the txs');
    if (!bytesEqual(mine.resultsRoot, h.resultsRoot)) throw invalid('BLOCK_RESULTS_ROOT_MISMATCH', 'executing the block gave different receipts');
    if (!bytesEqual(mine.stateRoot, h.stateRoot)) throw invalid('BLOCK_STATE_ROOT_MISMATCH', 'executing the block gave a different state root');
    return { ...executed, block, blockBytes, blockHash: this.rules.hash(block.headerBytes) };
  }

  private execute(
    txs: readonly SignedTx[],
    txIds: readonly Uint8Array[],
    header: (roots: Pick<BlockHeader, 'txRoot' | 'resultsRoot' | 'stateRoot'>) => BlockHeader,
  ): ExecutedBlock<S> {
    const hash = this.rules.hash;
    const etxs: ExecutableTx[] = txs.map((tx, i) => ({ id: txIds[i]!, tx }));
    const overlay = this.store.overlay();
    const height = this.store.tipHeight() + 1;
    // Execution sees the header's time, never the local clock: compute it before the roots.
    const timeMs = header({ txRoot: new Uint8Array(32), resultsRoot: new Uint8Array(32), stateRoot: new Uint8Array(32) }).timeMs;
    const { receipts, writeLog } = this.executor.executeBlock({ chainId: this.rules.chainId, height, timeMs }, etxs, overlay);
    const receiptBytes = receipts.map(encodeReceipt);
    const txBytes = txs.map((t) => t.bytes);
    const h = header({ txRoot: merkleRoot(txBytes, hash), resultsRoot: merkleRoot(receiptBytes, hash), stateRoot: overlay.stateRoot() });
    const headerBytes = encodeHeader(h);
    const blockBytes = encodeBlock(headerBytes, txBytes);
    return {
      block: { header: h, headerBytes, txs: txBytes },
      blockBytes,
      blockHash: hash(headerBytes),
      txIds: [...txIds],
      receipts,
      receiptBytes,
      writeLog,
      overlay,
    };
  }
}
