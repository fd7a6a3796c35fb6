/**
 * Genesis: the founding document of a chain, a JSON file every node holds byte-for-byte. Its suite hash over the
 * exact file bytes is the parent hash of block 1, so nodes with a different genesis can never agree on a block.
 */
import { z } from 'zod';
import { GovchainError, Writer, fromHex, fromUtf8 } from '@govchain/base';
import { PUBLIC_KEY_BYTES } from './limits.ts';
import type { HashFn } from './tx.ts';

const hex65 = z.string().regex(/^04[0-9a-f]{128}$/, 'an uncompressed public key: 130 lowercase hex chars starting 04');
const pem = z.string().includes('-----BEGIN CERTIFICATE-----');
const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, underscore, dash');

export const consensusParamsSchema = z.object({
  timeoutProposeMs: z.number().int().min(50).max(60_000),
  timeoutPrevoteMs: z.number().int().min(10).max(60_000),
  timeoutPrecommitMs: z.number().int().min(10).max(60_000),
  /** Added to each timeout per round, so rounds lengthen until the network's real delay is covered. */
  timeoutDeltaMs: z.number().int().min(0).max(60_000),
  blockTxsMax: z.number().int().min(1).max(10_000),
  blockBytesMax: z.number().int().min(1024).max(16 * 1024 * 1024),
  /** An idle chain still makes a block this often, so liveness is visible; with txs waiting, blocks come at once. */
  emptyBlockIntervalMs: z.number().int().min(100).max(3_600_000),
});

export const genesisSchema = z.object({
  chainId: name,
  suite: z.enum(['gm', 'intl']),
  genesisTimeMs: z.number().int().nonnegative(),
  organizations: z.array(z.object({
    id: name,
    name: z.string().min(1).max(256),
    rootCertificate: pem,
    caCertificates: z.array(pem).max(16),
  })).min(1).max(256),
  validators: z.array(z.object({
    name,
    organization: name,
    publicKey: hex65,
    certificate: pem,
    power: z.number().int().min(1).max(1_000_000),
  })).min(1).max(256),
  consensus: consensusParamsSchema,
  /** `any`: any key may send txs; `members`: the sender must present a certificate from a member organization's CA. */
  admission: z.object({ senders: z.enum(['any', 'members']) }),
}).strict();

export type Genesis = z.infer<typeof genesisSchema>;
export type ConsensusParams = z.infer<typeof consensusParamsSchema>;

export interface ValidatorEntry {
  publicKey: Uint8Array;
  power: number;
}

/** Parse genesis JSON bytes; refuses unknown fields, duplicates and malformed keys with a message naming the field. */
export function parseGenesis(bytes: Uint8Array): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch (err) {
    throw new GovchainError('GENESIS_INVALID', 'malformed', `genesis is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = genesisSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GovchainError('GENESIS_INVALID', 'malformed', `genesis field ${issue.path.join('.')}: ${issue.message}`);
  }
  const g = parsed.data;
  const orgIds = new Set(g.organizations.map((o) => o.id));
  if (orgIds.size !== g.organizations.length) throw new GovchainError('GENESIS_INVALID', 'malformed', 'genesis has duplicate organization ids');
  const keys = new Set(g.validators.map((v) => v.publicKey));
  if (keys.size !== g.validators.length) throw new GovchainError('GENESIS_INVALID', 'malformed', 'genesis has duplicate validator keys');
  for (const v of g.validators) {
    if (!orgIds.has(v.organization)) {
      throw new GovchainError('GENESIS_INVALID', 'malformed', `validator ${v.name} names unknown organization ${v.organization}`);
    }
  }
  return g;
}

export function validatorSetOf(genesis: Genesis): ValidatorEntry[] {
  return genesis.validators.map((v) => ({ publicKey: fromHex(v.publicKey), power: v.power }));
}

export function encodeValidatorSet(validators: readonly ValidatorEntry[]): Uint8Array {
  return new Writer(validators.length * 70 + 4)
    .list(validators, (w, v) => w.fixed(v.publicKey, PUBLIC_KEY_BYTES).u32(v.power))
    .finish();
}

export function validatorsHashOf(hash: HashFn, validators: readonly ValidatorEntry[]): Uint8Array {
  return hash(encodeValidatorSet(validators));
}
