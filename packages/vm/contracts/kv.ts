/**
 * The key-value contract: the simplest useful system contract, to exercise and demonstrate the executor,
 * state proofs, key history and range queries. Keys and values are strings.
 */
import { z } from 'zod';
import { ContractError, type SystemContract } from '../contract.ts';
import { RANGE_LIMIT_MAX } from '../namespace.ts';

const key = z.string().min(1).max(256);

export const kvContract: SystemContract = {
  name: 'kv',
  description: 'Key-value store with history and range queries',
  methods: {
    put: {
      kind: 'write',
      description: 'Set a key to a value',
      args: z.object({ key, value: z.string().max(64 * 1024) }).strict(),
      run(ctx, args: { key: string; value: string }) {
        const existed = ctx.state.get(args.key) !== undefined;
        ctx.state.set(args.key, args.value);
        ctx.emit('kv.put', { key: args.key });
        return { key: args.key, created: !existed };
      },
    },
    delete: {
      kind: 'write',
      description: 'Delete a key; fails when the key does not exist',
      args: z.object({ key }).strict(),
      run(ctx, args: { key: string }) {
        if (ctx.state.get(args.key) === undefined) throw new ContractError('KV_NOT_FOUND', `key ${args.key} does not exist`, 'not_found');
        ctx.state.delete(args.key);
        ctx.emit('kv.delete', { key: args.key });
        return { key: args.key };
      },
    },
    get: {
      kind: 'read',
      description: 'Current value of a key',
      args: z.object({ key }).strict(),
      run(ctx, args: { key: string }) {
        const value = ctx.state.get(args.key);
        if (value === undefined) throw new ContractError('KV_NOT_FOUND', `key ${args.key} does not exist`, 'not_found');
        return { key: args.key, value };
      },
    },
    range: {
      kind: 'read',
      description: 'Keys from start (inclusive) to end (exclusive; empty = no bound), in byte order',
      args: z.object({
        start: z.string().max(256).default(''),
        end: z.string().max(256).default(''),
        limit: z.number().int().min(1).max(RANGE_LIMIT_MAX).default(100),
      }).strict(),
      run(ctx, args: { start: string; end: string; limit: number }) {
        // One extra entry tells whether there is a next page, and where it starts.
        const rows = ctx.state.range(args.start, args.end, args.limit + 1);
        const page = rows.slice(0, args.limit);
        return { entries: page.map(([k, v]) => ({ key: k, value: v })), next: rows.length > args.limit ? rows[args.limit]![0] : null };
      },
    },
    history: {
      kind: 'read',
      description: 'Every committed value of a key with the tx and height that wrote it, oldest first',
      args: z.object({ key, limit: z.number().int().min(1).max(RANGE_LIMIT_MAX).default(100) }).strict(),
      run(ctx, args: { key: string; limit: number }) {
        return { key: args.key, entries: ctx.history(args.key, args.limit).map((e) => ({ ...e })) };
      },
    },
  },
};
