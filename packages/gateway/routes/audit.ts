/** The operation log: search and CSV export. Exports are themselves logged. */
import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../server.ts';

const tags = ['audit'];
const filterProps = {
  username: { type: 'string', maxLength: 64 },
  action: { type: 'string', maxLength: 64 },
  result: { type: 'string', enum: ['ok', 'failed'] },
  fromMs: { type: 'integer', minimum: 0 },
  toMs: { type: 'integer', minimum: 0 },
  text: { type: 'string', maxLength: 128 },
} as const;

interface Filters { username?: string; action?: string; result?: 'ok' | 'failed'; fromMs?: number; toMs?: number; text?: string }

export function auditRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  app.get<{ Querystring: Filters & { limit: number; offset: number } }>('/api/audit', {
    config: { permission: 'audit:read', action: 'audit.search', auditReads: true },
    schema: {
      summary: 'Search the operation log, newest first', tags,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { ...filterProps, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 } },
      },
    },
  }, async (request) => {
    // Who looked at the log, and for what, is itself part of the log (traceable back, C14).
    const { limit: _limit, offset: _offset, ...filters } = request.query;
    request.auditDetail = JSON.stringify(filters);
    return deps.audit.search(request.query);
  });

  app.get<{ Querystring: Filters }>('/api/audit/export', {
    config: { permission: 'audit:export', action: 'audit.export', auditReads: true },
    schema: { summary: 'The matching entries as CSV (at most 100,000, newest first)', tags, querystring: { type: 'object', additionalProperties: false, properties: filterProps } },
  }, async (request, reply) => {
    const { csv, rows, truncated } = deps.audit.exportCsv(request.query);
    request.auditDetail = `${rows} rows${truncated ? ' (truncated)' : ''} ${JSON.stringify(request.query)}`;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    return reply
      .header('content-disposition', `attachment; filename="govchain-operation-log-${deps.organization}-${stamp}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });
}
