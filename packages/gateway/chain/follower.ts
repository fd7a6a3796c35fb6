/**
 * Follows the organization's node: every committed block, in height order, with no gaps. Live blocks come from
 * the node's event stream; after a disconnect (node restart, network) the blocks missed meanwhile are read back
 * through the REST API, each tx's outcome from its receipt, before live delivery resumes.
 */
import type { Logger } from 'pino';
import type { BlockJson, ChainEvent } from '@govchain/protocol';
import type { EventStream, NodeApi } from './node-api.ts';

export type BlockListener = (event: ChainEvent) => void;

const RECONNECT_MS = 2000;
/** With a live stream, blocks arrive at least every emptyBlockInterval; silence this long means look again. */
const SILENCE_CHECK_MS = 15_000;
const PAGE_BLOCKS = 100;
const TX_FETCH_CONCURRENCY = 8;

export async function mapBounded<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export class BlockFollower {
  private readonly listeners = new Set<BlockListener>();
  private stream: EventStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastEventMs = Date.now();

  /** `delivered`: the last height already handled; the next delivered block is delivered + 1. */
  constructor(private readonly node: NodeApi, private delivered: number, private readonly logger: Logger) {}

  get height(): number {
    return this.delivered;
  }

  /** Before start: the last height already handled elsewhere (the index's backfill). */
  resumeFrom(height: number): void {
    this.delivered = height;
  }

  onBlock(listener: BlockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.connect();
    this.timer = setInterval(() => {
      if (this.stream === null || Date.now() - this.lastEventMs > SILENCE_CHECK_MS) this.enqueue(() => this.catchUp());
    }, RECONNECT_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.stream?.close();
    this.stream = null;
  }

  /** Resolves once every block received so far has been delivered (for tests and orderly shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private connect(): void {
    if (this.stopped) return;
    this.stream = this.node.openEvents(
      (event) => {
        this.lastEventMs = Date.now();
        this.enqueue(() => this.handle(event));
      },
      (reason) => {
        this.stream = null;
        if (this.stopped) return;
        this.logger.warn({ reason }, 'event stream from the node ended; reconnecting');
        setTimeout(() => this.connect(), RECONNECT_MS).unref();
      },
    );
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      this.logger.warn({ err }, 'following the chain failed; retrying');
    });
  }

  private async handle(event: ChainEvent): Promise<void> {
    const h = event.header.height;
    if (h <= this.delivered) return;
    if (h > this.delivered + 1) await this.fill(h - 1);
    this.deliver(event);
  }

  private async catchUp(): Promise<void> {
    this.lastEventMs = Date.now();
    const status = await this.node.status();
    if (status.height > this.delivered) await this.fill(status.height);
  }

  /** Reads back and delivers blocks delivered+1..to from the REST API. */
  private async fill(to: number): Promise<void> {
    while (this.delivered < to && !this.stopped) {
      const from = Math.min(this.delivered + PAGE_BLOCKS, to);
      const blocks = (await this.node.listBlocks(from, from - this.delivered)).sort((a, b) => a.header.height - b.header.height);
      for (const block of blocks) {
        if (block.header.height !== this.delivered + 1) throw new Error(`node returned block ${block.header.height} while ${this.delivered + 1} was expected`);
        this.deliver(await this.eventOf(block));
      }
    }
  }

  private async eventOf(block: BlockJson): Promise<ChainEvent> {
    const txs = await mapBounded(block.txIds, TX_FETCH_CONCURRENCY, async (txId) => {
      const rec = await this.node.getTx(txId);
      return rec.receipt.errorCode === undefined
        ? { txId, status: rec.receipt.status }
        : { txId, status: rec.receipt.status, errorCode: rec.receipt.errorCode };
    });
    return { type: 'block', header: block.header, txs };
  }

  private deliver(event: ChainEvent): void {
    this.delivered = event.header.height;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.logger.error({ err, height: event.header.height }, 'a block listener failed');
      }
    }
  }
}
