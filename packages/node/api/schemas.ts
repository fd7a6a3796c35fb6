/** JSON Schemas of the node API: Fastify validates requests with them and @fastify/swagger publishes them. */

export const hex = (bytes?: number) =>
  bytes === undefined
    ? ({ type: 'string', pattern: '^([0-9a-fA-F]{2})*$' } as const)
    : ({ type: 'string', pattern: `^[0-9a-fA-F]{${bytes * 2}}$` } as const);

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable machine-readable code, e.g. TX_BAD_SIGNATURE' },
    message: { type: 'string', description: 'What went wrong and what to do about it' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

const anyJson = {} as const;

export const receiptSchema = {
  $id: 'Receipt',
  type: 'object',
  required: ['txId', 'status', 'result', 'events'],
  properties: {
    txId: { type: 'string' },
    status: { type: 'string', enum: ['ok', 'failed'] },
    errorCode: { type: 'string' },
    errorMessage: { type: 'string' },
    result: anyJson,
    events: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, data: anyJson } } },
  },
} as const;

export const submissionSchema = {
  $id: 'TxSubmission',
  type: 'object',
  required: ['txId', 'status'],
  properties: {
    txId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'committed'] },
    height: { type: 'integer' },
    receipt: { $ref: 'Receipt#' },
  },
} as const;

export const headerSchema = {
  $id: 'Header',
  type: 'object',
  properties: {
    chainId: { type: 'string' },
    height: { type: 'integer' },
    timeMs: { type: 'integer' },
    hash: { type: 'string' },
    prevHash: { type: 'string' },
    proposerIndex: { type: 'integer' },
    txCount: { type: 'integer' },
    txRoot: { type: 'string' },
    resultsRoot: { type: 'string' },
    stateRoot: { type: 'string' },
    validatorsHash: { type: 'string' },
  },
} as const;

export const blockSchema = {
  $id: 'Block',
  type: 'object',
  properties: {
    header: { $ref: 'Header#' },
    txIds: { type: 'array', items: { type: 'string' } },
    certificate: {
      anyOf: [
        { type: 'null' },
        { type: 'object', properties: { round: { type: 'integer' }, signers: { type: 'array', items: { type: 'integer' } } } },
      ],
    },
  },
} as const;

export const txRecordSchema = {
  $id: 'TxRecord',
  type: 'object',
  properties: {
    tx: {
      type: 'object',
      properties: {
        txId: { type: 'string' },
        chainId: { type: 'string' },
        sender: { type: 'object', properties: { address: { type: 'string' }, publicKey: { type: 'string' }, certificate: { type: 'boolean' } } },
        nonce: { type: 'string' },
        expiresAtMs: { type: 'integer' },
        contract: { type: 'string' },
        method: { type: 'string' },
        args: anyJson,
        signature: { type: 'string' },
        raw: { type: 'string' },
      },
    },
    height: { type: 'integer' },
    index: { type: 'integer' },
    blockHash: { type: 'string' },
    receipt: { $ref: 'Receipt#' },
  },
} as const;

export const sharedSchemas = [errorSchema, receiptSchema, submissionSchema, headerSchema, blockSchema, txRecordSchema];

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: 'Error#' }]));

export const waitQuery = {
  type: 'object',
  properties: {
    wait: { type: 'boolean', default: false, description: 'Hold the response until the tx is committed (or the timeout passes)' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 10_000 },
  },
  additionalProperties: false,
} as const;
