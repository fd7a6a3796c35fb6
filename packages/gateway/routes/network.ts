/** Nodes and organizations (节点与组织): node status from the monitor, the gateway host, certificates from genesis. */
import type { FastifyInstance } from 'fastify';
import { GovchainError } from '@govchain/base';
import type { GatewayDeps } from '../server.ts';

export function networkRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  app.get('/api/nodes', {
    config: { permission: 'nodes:read' },
    schema: { summary: 'Every watched node: reachable, height, peers, mempool, version, consensus step', tags: ['network'] },
  }, async () => ({
    nodes: deps.monitor.all().map((s) => {
      const org = s.status === null ? null : deps.organizations.find((o) => o.validators.some((v) => v.name === s.status!.nodeName))?.id ?? null;
      return { ...s, organization: org };
    }),
  }));

  app.get('/api/host', {
    config: { permission: 'nodes:read' },
    schema: { summary: 'CPU, memory and disk of the machine this gateway runs on (not of the nodes\' machines)', tags: ['network'] },
  }, async () => ({ host: deps.host.sample() }));

  app.get('/api/orgs', {
    config: { permission: 'orgs:read' },
    schema: { summary: 'Organizations of the chain (from genesis) with their validators and certificates', tags: ['network'] },
  }, async () => ({
    organization: deps.organization,
    organizations: deps.organizations,
    governance: { available: false, reason: 'Adding and removing organizations will be on-chain governance proposals voted by the member organizations; not available yet.' },
  }));

  app.get<{ Params: { fingerprint: string } }>('/api/orgs/certificates/:fingerprint', {
    config: { permission: 'orgs:read', action: 'cert.download', auditReads: true },
    schema: {
      summary: 'Download a certificate as PEM', tags: ['network'],
      params: { type: 'object', required: ['fingerprint'], properties: { fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$' } } },
    },
  }, async (request, reply) => {
    const cert = deps.organizations.flatMap((o) => o.certificates).find((c) => c.fingerprint === request.params.fingerprint);
    if (cert === undefined) throw new GovchainError('CERT_NOT_FOUND', 'not_found', `no certificate with fingerprint ${request.params.fingerprint}`);
    request.auditTarget = cert.label;
    const file = cert.label.replace(/[^A-Za-z0-9._-]+/g, '-');
    return reply.header('content-disposition', `attachment; filename="${file}.pem"`).type('application/x-pem-file').send(cert.pem);
  });
}
