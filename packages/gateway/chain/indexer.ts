/**
 * The gateway's block index in SQLite: headers (for the dashboard's totals, TPS and block-time series) and tx
 * ids with their sender, contract and method (for recent transactions and search by account address), which the
 * node's API does not offer. Headers are backfilled once through the block list (100 per request); tx details
 * are filled in the background, newest blocks first, one request per block page (GET /v1/blocks/:height/txs,
 * up to 1,000 txs), a bounded number of blocks per pass so the indexer never loads the node heavily.
 */
import type { Logger } from 'pino';
import type { BlockJson, BlockTxSummaryJson, ChainEvent, HeaderJson } from '@govchain/protocol';
import type { Db } from '../db.ts';
import { mapBounded } from './follower.ts';
import type { NodeApi } from './node-api.ts';

const PAGE_BLOCKS = 100;
/** Blocks whose txs are detailed per pass; at one pass a second this bounds the index's requests to the node. */
const DETAIL_BLOCKS_PER_PASS = 20;
const DETAIL_PAGE_TXS = 1000;
const DETAIL_CONCURRENCY = 4;
/** Headers older than this are dropped (the node keeps every block; the index serves recent charts). */
export const INDEX_BLOCKS_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Tx rows kept for search by address; older ones are dropped first. */
export const INDEX_TXS_MAX = 5_000_000;

export interface IndexedBlock {
  height: number;
  hash: string;
  timeMs: number;
  txCount: number;
  proposerIndex: number;
}

export interface IndexedTx {
  txId: string;
  height: number;
  index: number;
  status: string | null;
  sender: string | null;
  contract: string | null;
  method: string | null;
}

interface TxRow { tx_id: string; height: number; idx: number; status: string | null; sender: string | null; contract: string | null; method: string | null }
interface BlockRow { height: number; hash: string; time_ms: number; tx_count: number; proposer_index: number }

function toTx(r: TxRow): IndexedTx {
  return { txId: r.tx_id, height: r.height, index: r.idx, status: r.status, sender: r.sender, contract: r.contract, method: r.method };
}

function toBlock(r: BlockRow): IndexedBlock {
  return { height: r.height, hash: r.hash, timeMs: r.time_ms, txCount: r.tx_count, proposerIndex: r.proposer_index };
}

export class ChainIndex {
  constructor(private readonly db: Db, private readonly logger: Logger, private readonly now: () => number = Date.now) {}

  private meta(key: string): number {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row === undefined ? 0 : Number(row.value);
  }

  private setMeta(key: string, value: number): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, String(value));
  }

  /** The highest height whose header (and all below) is indexed. */
  get indexedHeight(): number {
    return this.meta('index_height');
  }

  /** Transactions in every indexed block since height 1 (kept even when old headers are pruned). */
  get txTotal(): number {
    return this.meta('index_tx_total');
  }

  /** Records one block; a block already indexed is ignored. Must be called in height order. */
  addBlock(header: HeaderJson, txs: { txId: string; status: string | null }[]): void {
    this.db.transaction(() => {
      if (header.height <= this.indexedHeight) return;
      if (header.height !== this.indexedHeight + 1) throw new Error(`index at ${this.indexedHeight} was given block ${header.height}`);
      this.db.prepare('INSERT OR IGNORE INTO chain_blocks (height, hash, time_ms, tx_count, proposer_index) VALUES (?, ?, ?, ?, ?)')
        .run(header.height, header.hash, header.timeMs, header.txCount, header.proposerIndex);
      const insertTx = this.db.prepare('INSERT OR IGNORE INTO chain_txs (tx_id, height, idx, status) VALUES (?, ?, ?, ?)');
      txs.forEach((t, i) => insertTx.run(t.txId, header.height, i, t.status));
      this.setMeta('index_height', header.height);
      this.setMeta('index_tx_total', this.txTotal + header.txCount);
    })();
  }

  addEvent(event: ChainEvent): void {
    this.addBlock(event.header, event.txs.map((t) => ({ txId: t.txId, status: t.status })));
  }

  /** Indexes headers and tx ids from the current index height up to the node's height; returns that height. */
  async backfill(node: NodeApi): Promise<number> {
    const target = (await node.status()).height;
    while (this.indexedHeight < target) {
      const from = Math.min(this.indexedHeight + PAGE_BLOCKS, target);
      const blocks: BlockJson[] = (await node.listBlocks(from, from - this.indexedHeight)).sort((a, b) => a.header.height - b.header.height);
      if (blocks.length === 0) throw new Error(`node returned no blocks below ${from}`);
      for (const b of blocks) this.addBlock(b.header, b.txIds.map((txId) => ({ txId, status: null })));
    }
    return target;
  }

  /** Details the txs of up to DETAIL_BLOCKS_PER_PASS blocks that have undetailed txs, newest first. Returns how many txs were filled. */
  async fillDetails(node: NodeApi): Promise<number> {
    const heights = (this.db.prepare('SELECT DISTINCT height FROM chain_txs WHERE detailed = 0 ORDER BY height DESC LIMIT ?').all(DETAIL_BLOCKS_PER_PASS) as { height: number }[])
      .map((r) => r.height);
    const update = this.db.prepare('UPDATE chain_txs SET sender = ?, contract = ?, method = ?, status = ?, detailed = 1 WHERE tx_id = ? AND height = ?');
    const done = await mapBounded(heights, DETAIL_CONCURRENCY, async (height) => {
      try {
        const summaries: BlockTxSummaryJson[] = [];
        for (let offset = 0; ; offset += DETAIL_PAGE_TXS) {
          const page = await node.blockTxs(height, { offset, limit: DETAIL_PAGE_TXS });
          summaries.push(...page.txs);
          if (page.txs.length === 0 || offset + page.txs.length >= page.txCount) break;
        }
        this.db.transaction(() => {
          for (const t of summaries) update.run(t.sender, t.contract, t.method, t.status, t.txId, height);
        })();
        return summaries.length;
      } catch (err) {
        this.logger.debug({ err, height }, 'block tx details not available yet');
        return 0;
      }
    });
    return done.reduce((a: number, b: number) => a + b, 0);
  }

  prune(): void {
    this.db.prepare('DELETE FROM chain_blocks WHERE time_ms < ? AND height < ?').run(this.now() - INDEX_BLOCKS_RETENTION_MS, this.indexedHeight);
    const cut = this.db.prepare('SELECT height FROM chain_txs ORDER BY height DESC LIMIT 1 OFFSET ?').get(INDEX_TXS_MAX) as { height: number } | undefined;
    if (cut !== undefined) this.db.prepare('DELETE FROM chain_txs WHERE height <= ?').run(cut.height);
  }

  recentBlocks(limit: number): IndexedBlock[] {
    return (this.db.prepare('SELECT * FROM chain_blocks ORDER BY height DESC LIMIT ?').all(limit) as BlockRow[]).map(toBlock);
  }

  blocksSince(timeMs: number, limit: number): IndexedBlock[] {
    return (this.db.prepare('SELECT * FROM chain_blocks WHERE time_ms >= ? ORDER BY height DESC LIMIT ?').all(timeMs, limit) as BlockRow[]).map(toBlock).reverse();
  }

  recentTxs(limit: number): IndexedTx[] {
    return (this.db.prepare('SELECT * FROM chain_txs ORDER BY height DESC, idx DESC LIMIT ?').all(limit) as TxRow[]).map(toTx);
  }

  tx(txId: string): IndexedTx | null {
    const r = this.db.prepare('SELECT * FROM chain_txs WHERE tx_id = ?').get(txId) as TxRow | undefined;
    return r === undefined ? null : toTx(r);
  }

  txsOfSender(address: string, limit: number, beforeHeight?: number): IndexedTx[] {
    const rows = beforeHeight === undefined
      ? this.db.prepare('SELECT * FROM chain_txs WHERE sender = ? ORDER BY height DESC, idx DESC LIMIT ?').all(address, limit)
      : this.db.prepare('SELECT * FROM chain_txs WHERE sender = ? AND height < ? ORDER BY height DESC, idx DESC LIMIT ?').all(address, beforeHeight, limit);
    return (rows as TxRow[]).map(toTx);
  }

  senderTxCount(address: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM chain_txs WHERE sender = ?').get(address) as { n: number }).n;
  }

  pendingDetails(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM chain_txs WHERE detailed = 0').get() as { n: number }).n;
  }
}
