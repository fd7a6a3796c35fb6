/**
 * Alert rules, notification channels and alert history in SQLite, and the evaluation that runs after every
 * monitor poll: a (rule, subject) that starts firing opens an event and notifies the rule's channels; one that
 * stops firing (or whose rule is disabled or deleted) is resolved and notified again.
 */
import { GovchainError } from '@govchain/base';
import type { Db } from '../db.ts';
import type { NodeSnapshot } from '../monitor/monitor.ts';
import { DEFAULT_RULES, RULE_KINDS, THRESHOLDS, evaluateRule, type Rule, type RuleKind, type Severity, type WatchedCertificate } from './rules.ts';
import { postOnce, type DeliveryResult, type WebhookSender } from './webhook.ts';

export interface Channel {
  id: number;
  name: string;
  kind: 'webhook';
  url: string;
  enabled: boolean;
  createdMs: number;
}

export interface AlertEvent {
  id: number;
  ruleId: number;
  ruleName: string;
  kind: string;
  severity: Severity;
  subject: string;
  message: string;
  state: 'firing' | 'resolved';
  firedMs: number;
  resolvedMs: number | null;
  notifyResult: string;
}

interface RuleRow { id: number; name: string; kind: RuleKind; threshold: number; severity: Severity; enabled: number; channel_ids: string }
interface ChannelRow { id: number; name: string; kind: 'webhook'; url: string; enabled: number; created_ms: number }
interface EventRow {
  id: number; rule_id: number; rule_name: string; kind: string; severity: Severity; subject: string; message: string;
  state: 'firing' | 'resolved'; fired_ms: number; resolved_ms: number | null; notify_result: string;
}

export type RuleInput = Omit<Rule, 'id'>;

const HISTORY_LIMIT_MAX = 500;
const NOTIFY_RESULT_CHARS_MAX = 500;
export const EVENTS_RETENTION_MS = 180 * 24 * 3600 * 1000;

function toRule(r: RuleRow): Rule {
  return { id: r.id, name: r.name, kind: r.kind, threshold: r.threshold, severity: r.severity, enabled: r.enabled === 1, channelIds: JSON.parse(r.channel_ids) as number[] };
}

function toChannel(r: ChannelRow): Channel {
  return { id: r.id, name: r.name, kind: r.kind, url: r.url, enabled: r.enabled === 1, createdMs: r.created_ms };
}

function toEvent(r: EventRow): AlertEvent {
  return {
    id: r.id, ruleId: r.rule_id, ruleName: r.rule_name, kind: r.kind, severity: r.severity, subject: r.subject, message: r.message,
    state: r.state, firedMs: r.fired_ms, resolvedMs: r.resolved_ms, notifyResult: r.notify_result,
  };
}

export function checkWebhookUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new GovchainError('CHANNEL_URL_INVALID', 'malformed', 'the webhook address is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new GovchainError('CHANNEL_URL_INVALID', 'malformed', 'a webhook address starts with http:// or https://');
  if (u.username !== '' || u.password !== '') throw new GovchainError('CHANNEL_URL_INVALID', 'malformed', 'put no credentials in the webhook address');
}

export class AlertEngine {
  constructor(
    private readonly db: Db,
    private readonly sender: WebhookSender,
    private readonly organization: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the default rules on a new database. */
  seedDefaults(): void {
    if ((this.db.prepare("SELECT value FROM meta WHERE key = 'alert_rules_seeded'").get()) !== undefined) return;
    this.db.transaction(() => {
      for (const r of DEFAULT_RULES) this.insertRule({ ...r, channelIds: [] });
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('alert_rules_seeded', '1')").run();
    })();
  }

  // --- rules

  rules(): Rule[] {
    return (this.db.prepare('SELECT * FROM alert_rules ORDER BY id').all() as RuleRow[]).map(toRule);
  }

  private rule(id: number): Rule {
    const row = this.db.prepare('SELECT * FROM alert_rules WHERE id = ?').get(id) as RuleRow | undefined;
    if (row === undefined) throw new GovchainError('ALERT_RULE_NOT_FOUND', 'not_found', `no alert rule ${id}`);
    return toRule(row);
  }

  private checkRule(r: RuleInput): void {
    if (!RULE_KINDS.includes(r.kind)) throw new GovchainError('ALERT_RULE_INVALID', 'malformed', `kind must be one of ${RULE_KINDS.join(', ')}`);
    const t = THRESHOLDS[r.kind];
    if (!(r.threshold >= t.min && r.threshold <= t.max)) {
      throw new GovchainError('ALERT_RULE_INVALID', 'malformed', `the threshold of ${r.kind} is ${t.min} to ${t.max} ${t.unit}`);
    }
    for (const id of r.channelIds) {
      if (this.db.prepare('SELECT 1 FROM alert_channels WHERE id = ?').get(id) === undefined) throw new GovchainError('ALERT_CHANNEL_NOT_FOUND', 'not_found', `no channel ${id}`);
    }
  }

  private insertRule(r: RuleInput): number {
    const now = this.now();
    return Number(this.db.prepare(`INSERT INTO alert_rules (name, kind, threshold, severity, enabled, channel_ids, created_ms, updated_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.name, r.kind, r.threshold, r.severity, r.enabled ? 1 : 0, JSON.stringify([...new Set(r.channelIds)]), now, now).lastInsertRowid);
  }

  createRule(r: RuleInput): Rule {
    this.checkRule(r);
    return this.rule(this.insertRule(r));
  }

  updateRule(id: number, patch: Partial<RuleInput>): Rule {
    const merged = { ...this.rule(id), ...patch };
    this.checkRule(merged);
    this.db.prepare(`UPDATE alert_rules SET name = ?, kind = ?, threshold = ?, severity = ?, enabled = ?, channel_ids = ?, updated_ms = ? WHERE id = ?`)
      .run(merged.name, merged.kind, merged.threshold, merged.severity, merged.enabled ? 1 : 0, JSON.stringify([...new Set(merged.channelIds)]), this.now(), id);
    if (!merged.enabled || patch.kind !== undefined || patch.threshold !== undefined) this.resolveOpen(id, new Set(), 'rule changed');
    return this.rule(id);
  }

  deleteRule(id: number): void {
    this.rule(id);
    this.resolveOpen(id, new Set(), 'rule deleted');
    this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id);
  }

  // --- channels

  channels(): Channel[] {
    return (this.db.prepare('SELECT * FROM alert_channels ORDER BY id').all() as ChannelRow[]).map(toChannel);
  }

  channel(id: number): Channel {
    const row = this.db.prepare('SELECT * FROM alert_channels WHERE id = ?').get(id) as ChannelRow | undefined;
    if (row === undefined) throw new GovchainError('ALERT_CHANNEL_NOT_FOUND', 'not_found', `no channel ${id}`);
    return toChannel(row);
  }

  createChannel(c: { name: string; url: string; enabled: boolean }): Channel {
    checkWebhookUrl(c.url);
    const id = this.db.prepare("INSERT INTO alert_channels (name, kind, url, enabled, created_ms) VALUES (?, 'webhook', ?, ?, ?)").run(c.name, c.url, c.enabled ? 1 : 0, this.now()).lastInsertRowid;
    return this.channel(Number(id));
  }

  updateChannel(id: number, patch: { name?: string; url?: string; enabled?: boolean }): Channel {
    const merged = { ...this.channel(id), ...patch };
    checkWebhookUrl(merged.url);
    this.db.prepare('UPDATE alert_channels SET name = ?, url = ?, enabled = ? WHERE id = ?').run(merged.name, merged.url, merged.enabled ? 1 : 0, id);
    return this.channel(id);
  }

  deleteChannel(id: number): void {
    this.channel(id);
    this.db.transaction(() => {
      for (const r of this.rules().filter((x) => x.channelIds.includes(id))) {
        this.db.prepare('UPDATE alert_rules SET channel_ids = ? WHERE id = ?').run(JSON.stringify(r.channelIds.filter((c) => c !== id)), r.id);
      }
      this.db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id);
    })();
  }

  /** One delivery attempt of a test message, answered synchronously so the operator sees the outcome. */
  async testChannel(id: number): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const c = this.channel(id);
    return postOnce(c.url, {
      source: 'govchain-gateway', organization: this.organization, test: true, state: 'test', timeMs: this.now(),
      message: `govchain 告警通道测试 / test notification from the ${this.organization} gateway`,
    });
  }

  // --- history

  history(q: { state?: 'firing' | 'resolved'; limit: number; offset: number }): { total: number; events: AlertEvent[] } {
    const where = q.state === undefined ? '' : 'WHERE state = ?';
    const params = q.state === undefined ? [] : [q.state];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM alert_events ${where}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM alert_events ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, Math.min(q.limit, HISTORY_LIMIT_MAX), q.offset) as EventRow[];
    return { total, events: rows.map(toEvent) };
  }

  // --- evaluation

  /** Evaluates every enabled rule against the latest snapshot; opens and resolves events, sends notifications. */
  evaluate(nodes: readonly NodeSnapshot[], certs: readonly WatchedCertificate[]): void {
    const now = this.now();
    for (const rule of this.rules()) {
      if (!rule.enabled) continue;
      const firing = evaluateRule(rule, nodes, certs, now);
      const open = new Set((this.db.prepare("SELECT subject FROM alert_events WHERE rule_id = ? AND state = 'firing'").all(rule.id) as { subject: string }[]).map((r) => r.subject));
      for (const f of firing) {
        if (open.has(f.subject)) continue;
        const id = Number(this.db.prepare(`INSERT INTO alert_events (rule_id, rule_name, kind, severity, subject, message, state, fired_ms)
          VALUES (?, ?, ?, ?, ?, ?, 'firing', ?)`).run(rule.id, rule.name, rule.kind, rule.severity, f.subject, f.message, now).lastInsertRowid);
        this.notify(rule, id, 'firing', f.subject, f.message, now);
      }
      this.resolveOpen(rule.id, new Set(firing.map((f) => f.subject)), 'condition cleared');
    }
  }

  private resolveOpen(ruleId: number, stillFiring: ReadonlySet<string>, why: string): void {
    const now = this.now();
    const open = this.db.prepare("SELECT * FROM alert_events WHERE rule_id = ? AND state = 'firing'").all(ruleId) as EventRow[];
    const rule = this.db.prepare('SELECT * FROM alert_rules WHERE id = ?').get(ruleId) as RuleRow | undefined;
    for (const e of open) {
      if (stillFiring.has(e.subject)) continue;
      this.db.prepare("UPDATE alert_events SET state = 'resolved', resolved_ms = ? WHERE id = ?").run(now, e.id);
      if (rule !== undefined) this.notify(toRule(rule), e.id, 'resolved', e.subject, `${why}: ${e.message}`, now);
    }
  }

  private notify(rule: Rule, eventId: number, state: 'firing' | 'resolved', subject: string, message: string, timeMs: number): void {
    const body = {
      source: 'govchain-gateway', organization: this.organization, state, timeMs,
      rule: { id: rule.id, name: rule.name, kind: rule.kind, severity: rule.severity, threshold: rule.threshold },
      eventId, subject, message,
    };
    for (const id of rule.channelIds) {
      const row = this.db.prepare('SELECT * FROM alert_channels WHERE id = ? AND enabled = 1').get(id) as ChannelRow | undefined;
      if (row === undefined) continue;
      this.sender.send(row.url, body, (r: DeliveryResult) => {
        const note = `${state} → ${row.name}: ${r.ok ? `ok (${r.status})` : `failed after ${r.attempts} attempt(s): ${r.error}`}`;
        try {
          this.db.prepare("UPDATE alert_events SET notify_result = substr(trim(notify_result || char(10) || ?, char(10)), 1, ?) WHERE id = ?").run(note, NOTIFY_RESULT_CHARS_MAX, eventId);
        } catch {
          // the database was closed while the delivery ran (gateway stopping); the log line above is enough
        }
      });
    }
  }

  prune(): void {
    this.db.prepare("DELETE FROM alert_events WHERE state = 'resolved' AND resolved_ms < ?").run(this.now() - EVENTS_RETENTION_MS);
  }
}
