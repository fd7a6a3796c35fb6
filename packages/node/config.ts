/**
 * A node's configuration: one JSON file in the node's home directory, next to its key, certificates, genesis
 * and data. Paths are relative to the home directory, so the directory can be copied to another machine whole.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { GovchainError } from '@govchain/base';

const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const port = z.number().int().min(0).max(65535);

export const nodeConfigSchema = z.object({
  name,
  p2p: z.object({
    host: z.string().min(1),
    port,
    peers: z.array(z.object({ name, host: z.string().min(1), port })).max(256),
  }).strict(),
  api: z.object({
    host: z.string().min(1),
    port,
    /** Bearer token required by write routes; null leaves writes open (development only). */
    token: z.string().min(16).nullable(),
  }).strict(),
  files: z.object({
    genesis: z.string().default('genesis.json'),
    key: z.string().default('node.key'),
    certificate: z.string().default('node.pem'),
    caChain: z.string().default('ca.pem'),
    data: z.string().default('data'),
  }).strict(),
  mempool: z.object({
    txsMax: z.number().int().min(1).max(1_000_000).default(50_000),
    bytesMax: z.number().int().min(1024).max(2 ** 31).default(64 * 1024 * 1024),
    batchTxsMax: z.number().int().min(1).max(10_000).default(5_000),
  }).strict(),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info') }).strict(),
}).strict();

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/**
 * Reads a JSON config file and validates it with `schema`. Refusals name the file and the first offending field:
 * CONFIG_UNREADABLE (missing file or not JSON) or CONFIG_INVALID.
 */
export function loadJsonConfig<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GovchainError('CONFIG_UNREADABLE', 'malformed', `cannot read ${path}: ${(err as Error).message}`);
  }
  return parseConfig(json, schema, path);
}

export function parseConfig<S extends z.ZodType>(json: unknown, schema: S, where: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GovchainError('CONFIG_INVALID', 'malformed', `${where}: field ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function loadNodeConfig(home: string): NodeConfig {
  return loadJsonConfig(join(home, 'config.json'), nodeConfigSchema);
}

export function resolveIn(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}
