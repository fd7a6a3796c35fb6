/** Monitoring and alerts (监控告警): rules, notification channels with a test, and the history of alerts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RULE_KINDS, THRESHOLDS } from '../alerts/rules.ts';
import type { Channel } from '../alerts/engine.ts';
import type { GatewayDeps } from '../server.ts';

const tags = ['alerts'];
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
const ruleProps = {
  name: { type: 'string', minLength: 1, maxLength: 128 },
  kind: { type: 'string', enum: [...RULE_KINDS] },
  threshold: { type: 'number' },
  severity: { type: 'string', enum: ['critical', 'warning', 'info'] },
  enabled: { type: 'boolean' },
  channelIds: { type: 'array', maxItems: 16, items: { type: 'integer', minimum: 1 } },
} as const;
const channelProps = {
  name: { type: 'string', minLength: 1, maxLength: 128 },
  url: { type: 'string', minLength: 8, maxLength: 2048 },
  enabled: { type: 'boolean' },
} as const;

type RuleBody = { name: string; kind: (typeof RULE_KINDS)[number]; threshold: number; severity: 'critical' | 'warning' | 'info'; enabled: boolean; channelIds: number[] };

/** A webhook address often carries its access token in the query; only those who manage channels see it whole. */
function maskedFor(request: FastifyRequest, c: Channel): Channel {
  if (request.session?.principal.permissions.has('alerts:manage')) return c;
  const u = new URL(c.url);
  return { ...c, url: `${u.origin}${u.pathname}${u.search === '' ? '' : '?…'}` };
}

export function alertRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const { alerts } = deps;

  app.get('/api/alerts/rules', {
    config: { permission: 'monitor:read' },
    schema: { summary: 'Alert rules, and what each kind\'s threshold means', tags },
  }, async () => ({ rules: alerts.rules(), kinds: THRESHOLDS }));

  app.post<{ Body: RuleBody }>('/api/alerts/rules', {
    config: { permission: 'alerts:manage', action: 'alert-rule.create' },
    schema: { summary: 'Create an alert rule', tags, body: { type: 'object', additionalProperties: false, required: ['name', 'kind', 'threshold', 'severity'], properties: ruleProps } },
  }, async (request, reply) => {
    request.auditTarget = request.body.name;
    request.auditDetail = JSON.stringify(request.body);
    const b = request.body;
    return reply.status(201).send({ rule: alerts.createRule({ ...b, enabled: b.enabled ?? true, channelIds: b.channelIds ?? [] }) });
  });

  app.patch<{ Params: { id: number }; Body: Partial<RuleBody> }>('/api/alerts/rules/:id', {
    config: { permission: 'alerts:manage', action: 'alert-rule.update' },
    schema: { summary: 'Change an alert rule (disabling it resolves its open alerts)', tags, params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: ruleProps } },
  }, async (request) => {
    request.auditDetail = JSON.stringify(request.body);
    return { rule: alerts.updateRule(request.params.id, request.body) };
  });

  app.delete<{ Params: { id: number } }>('/api/alerts/rules/:id', {
    config: { permission: 'alerts:manage', action: 'alert-rule.delete' },
    schema: { summary: 'Delete an alert rule (its open alerts are resolved; history stays)', tags, params: idParams },
  }, async (request) => {
    alerts.deleteRule(request.params.id);
    return { ok: true };
  });

  app.get('/api/alerts/channels', {
    config: { permission: 'monitor:read' },
    schema: { summary: 'Notification channels (webhooks)', tags },
  }, async (request) => ({ channels: alerts.channels().map((c) => maskedFor(request, c)) }));

  app.post<{ Body: { name: string; url: string; enabled?: boolean } }>('/api/alerts/channels', {
    config: { permission: 'alerts:manage', action: 'alert-channel.create' },
    schema: { summary: 'Create a webhook channel', tags, body: { type: 'object', additionalProperties: false, required: ['name', 'url'], properties: channelProps } },
  }, async (request, reply) => {
    request.auditTarget = request.body.name;
    return reply.status(201).send({ channel: alerts.createChannel({ ...request.body, enabled: request.body.enabled ?? true }) });
  });

  app.patch<{ Params: { id: number }; Body: { name?: string; url?: string; enabled?: boolean } }>('/api/alerts/channels/:id', {
    config: { permission: 'alerts:manage', action: 'alert-channel.update' },
    schema: { summary: 'Change a webhook channel', tags, params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: channelProps } },
  }, async (request) => ({ channel: alerts.updateChannel(request.params.id, request.body) }));

  app.delete<{ Params: { id: number } }>('/api/alerts/channels/:id', {
    config: { permission: 'alerts:manage', action: 'alert-channel.delete' },
    schema: { summary: 'Delete a channel (rules stop notifying it)', tags, params: idParams },
  }, async (request) => {
    alerts.deleteChannel(request.params.id);
    return { ok: true };
  });

  app.post<{ Params: { id: number } }>('/api/alerts/channels/:id/test', {
    config: { permission: 'alerts:manage', action: 'alert-channel.test' },
    schema: { summary: 'Send one test notification now and report the outcome', tags, params: idParams },
  }, async (request) => {
    const result = await alerts.testChannel(request.params.id);
    request.auditDetail = result.ok ? `delivered (${result.status})` : `not delivered: ${result.error}`;
    return result;
  });

  app.get<{ Querystring: { state?: 'firing' | 'resolved'; limit: number; offset: number } }>('/api/alerts/events', {
    config: { permission: 'monitor:read' },
    schema: {
      summary: 'Alerts fired (open and resolved), newest first', tags,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { state: { type: 'string', enum: ['firing', 'resolved'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 } },
      },
    },
  }, async (request) => alerts.history(request.query));
}
