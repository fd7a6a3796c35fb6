/**
 * A gateway's configuration: config.json in its home directory, beside the organization's admin key and
 * certificate, the chain's genesis and the SQLite database. Relative paths are resolved in the home directory.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonConfig, parseConfig, resolveIn } from '@govchain/node';

const port = z.number().int().min(0).max(65535);
const url = z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL');

export const gatewayConfigSchema = z.object({
  /** The organization this gateway serves (an organization id of genesis). */
  organization: z.string().min(1).max(64),
  listen: z.object({ host: z.string().min(1), port }).strict(),
  /** The organization's own node: reads and signed submissions go here. */
  node: z.object({ url, token: z.string().min(16).nullable() }).strict(),
  /** Every node to show on the nodes page and to watch for alerts (the organization's own node included). */
  nodes: z.array(z.object({ name: z.string().min(1).max(64), url }).strict()).min(1).max(256),
  files: z.object({
    genesis: z.string().default('genesis.json'),
    adminKey: z.string().default('admin.key'),
    adminCertificate: z.string().default('admin.pem'),
    database: z.string().default('data/gateway.db'),
    /** Where the first super admin's password is written (mode 0600). */
    initialPassword: z.string().default('initial-admin-password.txt'),
    /** Built console; null serves the one built in packages/console/dist. */
    console: z.string().nullable().default(null),
  }).strict().default({
    genesis: 'genesis.json', adminKey: 'admin.key', adminCertificate: 'admin.pem', database: 'data/gateway.db',
    initialPassword: 'initial-admin-password.txt', console: null,
  }),
  session: z.object({
    idleMinutes: z.number().int().min(1).max(24 * 60).default(30),
    absoluteHours: z.number().int().min(1).max(7 * 24).default(12),
    /** Set the cookie's Secure flag; turn on behind HTTPS (the default listens on loopback over HTTP). */
    secureCookie: z.boolean().default(false),
  }).strict().default({ idleMinutes: 30, absoluteHours: 12, secureCookie: false }),
  lockout: z.object({
    failuresMax: z.number().int().min(1).max(100).default(5),
    windowMinutes: z.number().int().min(1).max(24 * 60).default(15),
    lockMinutes: z.number().int().min(1).max(24 * 60).default(15),
  }).strict().default({ failuresMax: 5, windowMinutes: 15, lockMinutes: 15 }),
  monitor: z.object({
    /** How often every node's /v1/status is read and the alert rules are evaluated. */
    intervalMs: z.number().int().min(200).max(600_000).default(3000),
  }).strict().default({ intervalMs: 3000 }),
  /** Trust X-Forwarded-For from a reverse proxy for the client IP of the operation log. */
  trustProxy: z.boolean().default(false),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info') }).strict().default({ level: 'info' }),
}).strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export function parseGatewayConfig(json: unknown, where = 'config.json'): GatewayConfig {
  return parseConfig(json, gatewayConfigSchema, where);
}

export function loadGatewayConfig(home: string): GatewayConfig {
  return loadJsonConfig(join(home, 'config.json'), gatewayConfigSchema);
}

/** Paths in the config are relative to the gateway's home directory (the node's rule, shared). */
export { resolveIn };
