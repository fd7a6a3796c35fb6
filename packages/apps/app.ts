/**
 * The seam between an application and the gateway that hosts it. An app declares its system contracts (which
 * every node of the chain runs), the permissions its routes need (added to the gateway's RBAC), and registers its
 * routes with the services the gateway provides: a chain client that signs with the organization's key, the
 * gateway's SQLite database, the encrypted file store, authorization and the operation log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ChainEvent, JsonValue, TxProofJson, TxSubmission } from '@govchain/protocol';
import type { SystemContract } from '@govchain/vm';

export interface ChainClient {
  chainId: string;
  suite: 'gm' | 'intl';
  /** Sign with the organization's application key and submit; resolves once committed (or times out pending). */
  submit(contract: string, method: string, args: JsonValue): Promise<TxSubmission>;
  submitBatch(calls: { contract: string; method: string; args: JsonValue }[]): Promise<TxSubmission[]>;
  query<T = JsonValue>(contract: string, method: string, args: JsonValue): Promise<T>;
  txProof(txId: string): Promise<TxProofJson>;
  /** Committed blocks in order, for building query indexes. */
  onBlock(listener: (event: ChainEvent) => void): () => void;
}

/** Minimal synchronous SQL surface (better-sqlite3's), so apps keep their tables in the gateway's database. */
export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

export interface StoredFile {
  /** Hex suite hash of the plaintext: the file's address. */
  hash: string;
  size: number;
}

/** Encrypted, content-addressed file store (one random key per file, wrapped for each entitled party). */
export interface FileStore {
  put(plaintext: Uint8Array, ownerPublicKey: Uint8Array): Promise<StoredFile>;
  /** Grant another party: wraps the file key for its public key. */
  grant(hash: string, ownerPrivateKey: Uint8Array, granteePublicKey: Uint8Array): Promise<void>;
  /** Refuses (GovchainError FILE_FORBIDDEN) unless the key was granted this file. */
  get(hash: string, privateKey: Uint8Array): Promise<Uint8Array>;
  has(hash: string): Promise<boolean>;
}

export interface Principal {
  userId: string;
  username: string;
  organization: string;
  roles: string[];
  permissions: ReadonlySet<string>;
}

export interface AppContext {
  chain: ChainClient;
  db: SqlDatabase;
  files: FileStore;
  logger: Logger;
  /** A Fastify preHandler that refuses (401/403) unless the caller holds `permission`. */
  requirePermission(permission: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** The authenticated caller of a request that passed requirePermission; null for public routes. */
  principal(request: FastifyRequest): Principal | null;
  /** Record a console or API action in the operation log (who, what, target, result). */
  audit(request: FastifyRequest, action: string, target: string, result: 'ok' | 'failed', detail?: string): void;
}

export interface GatewayApp {
  name: string;
  contracts: readonly SystemContract[];
  permissions: readonly { name: string; description: string }[];
  register(app: FastifyInstance, ctx: AppContext): Promise<void>;
}
