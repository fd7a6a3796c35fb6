/**
 * Reads every configured node's /v1/status on a fixed interval and keeps the latest picture: reachable or not,
 * since when, height and when it last advanced, mempool, peers, version. The nodes page, the dashboard and the
 * alert rules all read this one snapshot, so the nodes are polled once however many people watch.
 */
import type { HostStats, StatusJson } from '@govchain/protocol';
import type { NodeApi } from '../chain/node-api.ts';

export interface NodeSnapshot {
  name: string;
  url: string;
  reachable: boolean;
  status: StatusJson | null;
  /** The node's machine, from its last answer (kept while it is down). */
  host: HostStats | null;
  /** When the node last answered; null if never. */
  lastOkMs: number | null;
  /** When the node stopped answering (the first failure in a row); null while reachable. */
  downSinceMs: number | null;
  lastError: string | null;
  /** When its height last increased (or was first seen). */
  heightChangedMs: number | null;
  /** Round trip of the last status read. */
  latencyMs: number | null;
}

const STATUS_TIMEOUT_MS = 2000;

export class NodeMonitor {
  private readonly snapshots: NodeSnapshot[];

  constructor(private readonly nodes: { name: string; url: string; api: NodeApi }[], private readonly now: () => number = Date.now) {
    this.snapshots = nodes.map((n) => ({
      name: n.name, url: n.url, reachable: false, status: null, host: null, lastOkMs: null, downSinceMs: null, lastError: 'not polled yet',
      heightChangedMs: null, latencyMs: null,
    }));
  }

  async poll(): Promise<void> {
    await Promise.all(this.nodes.map(async (n, i) => {
      const snap = this.snapshots[i]!;
      const started = this.now();
      try {
        const status = await Promise.race([
          n.api.status(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${STATUS_TIMEOUT_MS} ms`)), STATUS_TIMEOUT_MS).unref()),
        ]);
        const t = this.now();
        if (snap.status === null || status.height !== snap.status.height) snap.heightChangedMs = t;
        // Host figures are secondary: a node that answers status but not /v1/host (an older version) stays reachable.
        snap.host = await n.api.host().catch(() => snap.host);
        Object.assign(snap, { reachable: true, status, lastOkMs: t, downSinceMs: null, lastError: null, latencyMs: t - started });
      } catch (err) {
        snap.reachable = false;
        snap.downSinceMs ??= started;
        snap.lastError = (err as Error).message;
        snap.latencyMs = null;
      }
    }));
  }

  all(): NodeSnapshot[] {
    return this.snapshots.map((s) => ({ ...s }));
  }
}
