/**
 * The system-contract framework. A system contract is TypeScript that every node runs identically, so it sees
 * only what is deterministic: the block's height and time (from the header), the tx id and sender, its own
 * namespace of state, and JSON arguments validated by a schema. It has no clock, randomness or I/O, and the
 * framework parses and serializes all values, so contracts never handle raw floats from the wire.
 */
import type { z } from 'zod';
import { GovchainError } from '@govchain/base';
import type { Entry } from './state.ts';

import type { JsonValue } from '@govchain/protocol';

export type { JsonValue };

export interface Sender {
  address: string;
  publicKey: Uint8Array;
  certificate: Uint8Array | null;
}

/** A contract's view of its own state: keys and values are strings, stored UTF-8 under the contract's prefix. */
export interface ContractState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Keys with start <= key < end (end '' means no upper bound), at most `limit`, in byte order. */
  range(start: string, end: string, limit: number): Array<[string, string]>;
}

export interface HistoryEntry {
  height: number;
  txId: string;
  value: string | null;
}

export interface ReadContext {
  readonly chainId: string;
  readonly height: number;
  readonly state: ContractState;
  /** Committed values a key has had, oldest first; reads only, never in a write (history is per committed block). */
  history(key: string, limit: number): HistoryEntry[];
}

export interface WriteContext {
  readonly chainId: string;
  readonly height: number;
  readonly blockTimeMs: number;
  readonly txId: string;
  readonly sender: Sender;
  readonly state: ContractState;
  emit(name: string, data: JsonValue): void;
}

export interface WriteMethod<S extends z.ZodType> {
  kind: 'write';
  description: string;
  args: S;
  run(ctx: WriteContext, args: z.infer<S>): JsonValue;
}

export interface ReadMethod<S extends z.ZodType> {
  kind: 'read';
  description: string;
  args: S;
  run(ctx: ReadContext, args: z.infer<S>): JsonValue;
}

// Method maps hold methods with different argument schemas; the framework validates args with each one's schema
// before calling it, so the erased parameter type is safe here.
export type AnyMethod = WriteMethod<any> | ReadMethod<any>;

export interface SystemContract {
  name: string;
  description: string;
  methods: Record<string, AnyMethod>;
}

/** A refusal raised by contract logic; becomes a failed receipt with this code (or a 4xx for queries). */
export class ContractError extends GovchainError {
  constructor(code: string, message: string, errorClass: 'malformed' | 'not_found' | 'conflict' | 'forbidden' = 'malformed') {
    super(code, errorClass, message);
  }
}

export type { Entry };
