/**
 * Alert rule kinds and their evaluation: a pure function from the monitor's snapshot and the chain's
 * certificates to the subjects (a node, a certificate) for which a rule currently fires.
 */
import type { NodeSnapshot } from '../monitor/monitor.ts';

export const RULE_KINDS = ['node_down', 'height_stalled', 'mempool_high', 'cert_expiring'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export type Severity = 'critical' | 'warning' | 'info';

/** What each kind's threshold means, and its bounds (checked when a rule is saved). */
export const THRESHOLDS: Record<RuleKind, { unit: 'seconds' | 'txs' | 'days'; min: number; max: number }> = {
  node_down: { unit: 'seconds', min: 1, max: 86_400 },
  height_stalled: { unit: 'seconds', min: 5, max: 86_400 },
  mempool_high: { unit: 'txs', min: 1, max: 10_000_000 },
  cert_expiring: { unit: 'days', min: 1, max: 3650 },
};

export interface Rule {
  id: number;
  name: string;
  kind: RuleKind;
  threshold: number;
  severity: Severity;
  enabled: boolean;
  channelIds: number[];
}

export interface WatchedCertificate {
  /** Unique, readable: "org2 operating CA", "node3 certificate". */
  label: string;
  notAfterMs: number;
}

export interface Firing {
  subject: string;
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;

export function evaluateRule(rule: Rule, nodes: readonly NodeSnapshot[], certs: readonly WatchedCertificate[], nowMs: number): Firing[] {
  switch (rule.kind) {
    case 'node_down':
      return nodes
        .filter((n) => n.downSinceMs !== null && nowMs - n.downSinceMs >= rule.threshold * 1000)
        .map((n) => ({ subject: n.name, message: `${n.name} has not answered for ${Math.round((nowMs - n.downSinceMs!) / 1000)} s (${n.lastError ?? 'no answer'})` }));
    case 'height_stalled':
      return nodes
        .filter((n) => n.reachable && n.heightChangedMs !== null && nowMs - n.heightChangedMs >= rule.threshold * 1000)
        .map((n) => ({ subject: n.name, message: `${n.name} has stayed at height ${n.status?.height} for ${Math.round((nowMs - n.heightChangedMs!) / 1000)} s` }));
    case 'mempool_high':
      return nodes
        .filter((n) => n.reachable && n.status !== null && n.status.mempool.txs > rule.threshold)
        .map((n) => ({ subject: n.name, message: `${n.name} holds ${n.status!.mempool.txs} pending txs (threshold ${rule.threshold})` }));
    case 'cert_expiring':
      return certs
        .filter((c) => c.notAfterMs - nowMs < rule.threshold * DAY_MS)
        .map((c) => ({
          subject: c.label,
          message: c.notAfterMs <= nowMs
            ? `${c.label} expired on ${new Date(c.notAfterMs).toISOString().slice(0, 10)}`
            : `${c.label} expires in ${Math.floor((c.notAfterMs - nowMs) / DAY_MS)} days (${new Date(c.notAfterMs).toISOString().slice(0, 10)})`,
        }));
  }
}

/** The rules a new gateway starts with; administrators change or delete them on the monitoring page. */
export const DEFAULT_RULES: readonly Omit<Rule, 'id' | 'channelIds'>[] = [
  { name: '节点宕机 / Node down', kind: 'node_down', threshold: 15, severity: 'critical', enabled: true },
  { name: '区块高度停滞 / Height not advancing', kind: 'height_stalled', threshold: 60, severity: 'critical', enabled: true },
  { name: '交易池积压 / Mempool backlog', kind: 'mempool_high', threshold: 20_000, severity: 'warning', enabled: true },
  { name: '证书即将过期 / Certificate expiring', kind: 'cert_expiring', threshold: 30, severity: 'warning', enabled: true },
];
