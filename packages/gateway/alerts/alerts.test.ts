import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import pino from 'pino';
import { openDatabase } from '../db.ts';
import type { NodeSnapshot } from '../monitor/monitor.ts';
import { AlertEngine } from './engine.ts';
import { evaluateRule, type Rule } from './rules.ts';
import { WebhookSender } from './webhook.ts';
import { eventually } from '../testkit.ts';

const DAY = 24 * 3600_000;
const silent = pino({ level: 'silent' });

function snap(name: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    name, url: `http://${name}`, reachable: true, host: null, lastOkMs: 0, downSinceMs: null, lastError: null, heightChangedMs: 0, latencyMs: 1,
    status: { chainId: 'c', suite: 'gm', nodeName: name, height: 10, lastBlockHash: '', lastBlockTimeMs: 0, consensus: { height: 11, round: 0, step: 'propose', isValidator: true }, mempool: { txs: 0, bytes: 0 }, peers: [], version: 'x' },
    ...over,
  };
}

const rule = (kind: Rule['kind'], threshold: number): Rule => ({ id: 1, name: kind, kind, threshold, severity: 'warning', enabled: true, channelIds: [] });

test('node down fires once a node has not answered for the threshold', () => {
  const nodes = [snap('n1'), snap('n2', { reachable: false, downSinceMs: 1000, lastError: 'ECONNREFUSED' })];
  assert.deepEqual(evaluateRule(rule('node_down', 10), nodes, [], 10_999), []);
  const f = evaluateRule(rule('node_down', 10), nodes, [], 11_000);
  assert.deepEqual(f.map((x) => x.subject), ['n2']);
  assert.match(f[0]!.message, /n2 has not answered for 10 s \(ECONNREFUSED\)/);
});

test('height stalled fires for a reachable node whose height has not moved for the threshold', () => {
  const nodes = [snap('n1', { heightChangedMs: 0 }), snap('n2', { heightChangedMs: 50_000 }), snap('n3', { reachable: false, heightChangedMs: 0 })];
  assert.deepEqual(evaluateRule(rule('height_stalled', 60), nodes, [], 60_000).map((x) => x.subject), ['n1']);
});

test('mempool fires above the threshold, certificates within the number of days before expiry', () => {
  const busy = snap('n1');
  busy.status!.mempool.txs = 5001;
  assert.deepEqual(evaluateRule(rule('mempool_high', 5000), [busy, snap('n2')], [], 0).map((x) => x.subject), ['n1']);
  const certs = [{ label: 'a', notAfterMs: 29 * DAY }, { label: 'b', notAfterMs: 31 * DAY }, { label: 'c', notAfterMs: -DAY }];
  const fired = evaluateRule(rule('cert_expiring', 30), [], certs, 0);
  assert.deepEqual(fired.map((x) => x.subject), ['a', 'c']);
  assert.match(fired[1]!.message, /expired on/);
});

async function webhookServer(status: () => number) {
  const received: unknown[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return { url, received, close: () => new Promise((r) => server.close(r)) };
}

test('an alert fires once, notifies its webhook, and resolves (notifying again) when the condition clears', async () => {
  const hook = await webhookServer(() => 200);
  let now = 100_000;
  const db = openDatabase(':memory:');
  const engine = new AlertEngine(db, new WebhookSender(silent, 10), 'org1', () => now);
  const channel = engine.createChannel({ name: 'ops', url: hook.url, enabled: true });
  const r = engine.createRule({ name: 'down', kind: 'node_down', threshold: 5, severity: 'critical', enabled: true, channelIds: [channel.id] });
  const down = [snap('n1', { reachable: false, downSinceMs: 90_000 })];
  engine.evaluate(down, []);
  engine.evaluate(down, []);
  now += 1000;
  engine.evaluate(down, []);
  const firing = engine.history({ state: 'firing', limit: 10, offset: 0 });
  assert.equal(firing.total, 1);
  assert.equal(firing.events[0]!.subject, 'n1');
  engine.evaluate([snap('n1')], []);
  const all = engine.history({ limit: 10, offset: 0 }).events;
  assert.equal(all.length, 1);
  assert.equal(all[0]!.state, 'resolved');
  assert.ok(all[0]!.resolvedMs !== null);
  await eventually('two notifications', () => hook.received.length === 2);
  assert.deepEqual((hook.received as any[]).map((b) => [b.state, b.subject, b.rule.id, b.organization]), [['firing', 'n1', r.id, 'org1'], ['resolved', 'n1', r.id, 'org1']]);
  await eventually('delivery outcome recorded', () => /resolved → ops: ok \(200\)/.test(engine.history({ limit: 1, offset: 0 }).events[0]!.notifyResult));
  await hook.close();
});

test('a failing webhook is retried a bounded number of times and the failure is recorded on the alert', async () => {
  const hook = await webhookServer(() => 500);
  const db = openDatabase(':memory:');
  const engine = new AlertEngine(db, new WebhookSender(silent, 5), 'org1');
  const channel = engine.createChannel({ name: 'broken', url: hook.url, enabled: true });
  engine.createRule({ name: 'mempool', kind: 'mempool_high', threshold: 1, severity: 'warning', enabled: true, channelIds: [channel.id] });
  const busy = snap('n1');
  busy.status!.mempool.txs = 2;
  engine.evaluate([busy], []);
  await eventually('failure recorded', () => /failed after 4 attempt\(s\): HTTP 500/.test(engine.history({ limit: 1, offset: 0 }).events[0]!.notifyResult));
  assert.equal(hook.received.length, 4);
  await hook.close();
});

test('the channel test sends one message and reports the outcome; disabling a rule resolves its open alerts', async () => {
  const hook = await webhookServer(() => 204);
  const db = openDatabase(':memory:');
  const engine = new AlertEngine(db, new WebhookSender(silent, 5), 'org1');
  const channel = engine.createChannel({ name: 'ops', url: hook.url, enabled: true });
  assert.deepEqual(await engine.testChannel(channel.id), { ok: true, status: 204, error: null });
  assert.equal((hook.received[0] as { test: boolean }).test, true);
  const unreachable = engine.createChannel({ name: 'nowhere', url: 'http://127.0.0.1:9/', enabled: true });
  const r = await engine.testChannel(unreachable.id);
  assert.equal(r.ok, false);
  const rl = engine.createRule({ name: 'down', kind: 'node_down', threshold: 1, severity: 'critical', enabled: true, channelIds: [] });
  engine.evaluate([snap('n1', { reachable: false, downSinceMs: 0 })], []);
  assert.equal(engine.history({ state: 'firing', limit: 5, offset: 0 }).total, 1);
  engine.updateRule(rl.id, { enabled: false });
  assert.equal(engine.history({ state: 'firing', limit: 5, offset: 0 }).total, 0);
  assert.throws(() => engine.createChannel({ name: 'x', url: 'file:///etc/passwd', enabled: true }), { code: 'CHANNEL_URL_INVALID' });
  assert.throws(() => engine.createRule({ name: 'x', kind: 'node_down', threshold: 0, severity: 'info', enabled: true, channelIds: [] }), { code: 'ALERT_RULE_INVALID' });
  await hook.close();
});

test('a new gateway starts with the four default rules', () => {
  const engine = new AlertEngine(openDatabase(':memory:'), new WebhookSender(silent), 'org1');
  engine.seedDefaults();
  engine.seedDefaults();
  assert.deepEqual(engine.rules().map((r) => r.kind), ['node_down', 'height_stalled', 'mempool_high', 'cert_expiring']);
});
