/** Prometheus metrics of one node (prom-client), on a registry of its own so tests can run several nodes. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class NodeMetrics {
  readonly registry = new Registry();
  readonly height = new Gauge({ name: 'govchain_height', help: 'Last committed block height', registers: [this.registry] });
  readonly round = new Gauge({ name: 'govchain_consensus_round', help: 'Consensus round at the current height', registers: [this.registry] });
  readonly txsCommitted = new Counter({ name: 'govchain_txs_committed_total', help: 'Transactions committed', registers: [this.registry] });
  readonly txsFailed = new Counter({ name: 'govchain_txs_failed_total', help: 'Committed transactions whose receipt is failed', registers: [this.registry] });
  readonly blocksCommitted = new Counter({ name: 'govchain_blocks_committed_total', help: 'Blocks committed', registers: [this.registry] });
  readonly txsAdmitted = new Counter({ name: 'govchain_txs_admitted_total', help: 'Transactions admitted to the mempool', registers: [this.registry] });
  readonly txsRefused = new Counter({ name: 'govchain_txs_refused_total', help: 'Transactions refused at admission, by code', labelNames: ['code'], registers: [this.registry] });
  readonly mempoolTxs = new Gauge({ name: 'govchain_mempool_txs', help: 'Transactions waiting in the mempool', registers: [this.registry] });
  readonly mempoolBytes = new Gauge({ name: 'govchain_mempool_bytes', help: 'Bytes of transactions waiting in the mempool', registers: [this.registry] });
  readonly peers = new Gauge({ name: 'govchain_peers_connected', help: 'Connected peers', registers: [this.registry] });
  readonly commitLatency = new Histogram({
    name: 'govchain_commit_latency_seconds',
    help: 'Time from admission to this node\'s mempool to commit',
    buckets: [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [this.registry],
  });
  readonly blockTxs = new Histogram({ name: 'govchain_block_txs', help: 'Transactions per block', buckets: [0, 1, 10, 100, 500, 1000, 2000, 5000], registers: [this.registry] });
  readonly consensusRefused = new Counter({ name: 'govchain_consensus_refused_total', help: 'Consensus messages refused', registers: [this.registry] });
  readonly evidence = new Counter({ name: 'govchain_consensus_evidence_total', help: 'Equivocations detected', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'govchain_process_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
