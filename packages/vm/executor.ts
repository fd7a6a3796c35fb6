/**
 * The deterministic executor. Given a block's context and its already-admitted txs (signatures, chain id and
 * uniqueness are checked before execution, at admission and block validation), it runs each tx in order over
 * its own buffer and produces one receipt per tx plus the log of state writes. The same inputs give the same
 * receipts and writes on every node: nothing here reads a clock, randomness or unordered collections.
 */
import { GovchainError, fromUtf8, toHex, utf8 } from '@govchain/base';
import { RECEIPT_EVENTS_MAX, RECEIPT_RESULT_BYTES_MAX, addressOf, type HashFn, type Receipt, type SignedTx } from '@govchain/protocol';
import { ContractError, type AnyMethod, type HistoryEntry, type JsonValue, type SystemContract } from './contract.ts';
import { contractState, readOnlyContractState, stateKey } from './namespace.ts';
import { TxBuffer, type LoggedWrite, type StateReader, type StateWriter } from './state.ts';

export interface BlockContext {
  chainId: string;
  height: number;
  timeMs: number;
}

export interface ExecutableTx {
  id: Uint8Array;
  tx: SignedTx;
}

export interface BlockResult {
  receipts: Receipt[];
  writeLog: LoggedWrite[];
}

export type HistoryReader = (stateKeyBytes: Uint8Array, limit: number) => HistoryEntry[];

export interface MethodDescription {
  contract: string;
  method: string;
  kind: 'write' | 'read';
  description: string;
}

function failedReceipt(txId: Uint8Array, code: string, message: string): Receipt {
  return { txId, status: 'failed', errorCode: code, errorMessage: message.slice(0, 1000), result: new Uint8Array(0), events: [] };
}

function parseArgs(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return {};
  return JSON.parse(fromUtf8(bytes));
}

/** Sender addresses remembered by public key (senders repeat: a department's service key signs many txs). */
const ADDRESS_CACHE_MAX = 10_000;

export class Executor {
  private readonly contracts = new Map<string, SystemContract>();
  private readonly addresses = new Map<string, string>();

  constructor(contracts: readonly SystemContract[], private readonly hash: HashFn) {
    for (const c of contracts) {
      if (this.contracts.has(c.name)) throw new TypeError(`duplicate contract ${c.name}`);
      if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(c.name)) throw new TypeError(`bad contract name ${c.name}`);
      this.contracts.set(c.name, c);
    }
  }

  describe(): MethodDescription[] {
    const out: MethodDescription[] = [];
    for (const c of [...this.contracts.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      for (const [method, m] of Object.entries(c.methods).sort(([a], [b]) => (a < b ? -1 : 1))) {
        out.push({ contract: c.name, method, kind: m.kind, description: m.description });
      }
    }
    return out;
  }

  /** Refusal a tx would meet at execution for reasons visible before it runs; used by admission to fail early. */
  precheck(contract: string, method: string): GovchainError | null {
    const m = this.contracts.get(contract)?.methods[method];
    if (m === undefined) return new GovchainError('CONTRACT_METHOD_UNKNOWN', 'malformed', `contract ${contract} has no method ${method}`);
    if (m.kind !== 'write') return new GovchainError('CONTRACT_METHOD_READ_ONLY', 'malformed', `${contract}.${method} is a query; call it through the query API`);
    return null;
  }

  executeBlock(ctx: BlockContext, txs: readonly ExecutableTx[], state: StateWriter): BlockResult {
    const receipts: Receipt[] = [];
    const writeLog: LoggedWrite[] = [];
    txs.forEach((etx, txIndex) => {
      const buffer = new TxBuffer(state);
      const receipt = this.executeTx(ctx, etx, buffer);
      if (receipt.status === 'ok') buffer.flushInto(state, txIndex, writeLog);
      receipts.push(receipt);
    });
    return { receipts, writeLog };
  }

  private executeTx(ctx: BlockContext, { id, tx }: ExecutableTx, buffer: TxBuffer): Receipt {
    const body = tx.body;
    if (body.chainId !== ctx.chainId) return failedReceipt(id, 'TX_WRONG_CHAIN', `tx is for chain ${body.chainId}`);
    if (body.expiresAtMs < ctx.timeMs) return failedReceipt(id, 'TX_EXPIRED', 'tx expired before the block that included it');
    const pre = this.precheck(body.contract, body.method);
    if (pre !== null) return failedReceipt(id, pre.code, pre.message);
    const method = this.contracts.get(body.contract)!.methods[body.method] as AnyMethod & { kind: 'write' };
    const events: { name: string; data: Uint8Array }[] = [];
    try {
      const args = this.validateArgs(method, body.args);
      const result = method.run(
        {
          chainId: ctx.chainId,
          height: ctx.height,
          blockTimeMs: ctx.timeMs,
          txId: toHex(id),
          sender: { address: this.addressOf(body.senderPublicKey), publicKey: body.senderPublicKey, certificate: body.senderCertificate },
          state: contractState(body.contract, buffer),
          emit: (name: string, data: JsonValue) => {
            if (events.length >= RECEIPT_EVENTS_MAX) throw new ContractError('CONTRACT_TOO_MANY_EVENTS', `more than ${RECEIPT_EVENTS_MAX} events`);
            events.push({ name, data: utf8(JSON.stringify(data)) });
          },
        },
        args,
      );
      const resultBytes = result === undefined || result === null ? new Uint8Array(0) : utf8(JSON.stringify(result));
      if (resultBytes.length > RECEIPT_RESULT_BYTES_MAX) return failedReceipt(id, 'CONTRACT_RESULT_TOO_LARGE', 'result exceeds the receipt limit');
      return { txId: id, status: 'ok', errorCode: '', errorMessage: '', result: resultBytes, events };
    } catch (err) {
      if (err instanceof GovchainError) return failedReceipt(id, err.code, err.message);
      if (err instanceof RangeError) return failedReceipt(id, 'CONTRACT_LIMIT_EXCEEDED', err.message);
      return failedReceipt(id, 'CONTRACT_FAILED', err instanceof Error ? err.message : 'contract failed');
    }
  }

  private addressOf(publicKey: Uint8Array): string {
    const key = toHex(publicKey);
    let address = this.addresses.get(key);
    if (address === undefined) {
      address = addressOf(this.hash, publicKey);
      if (this.addresses.size >= ADDRESS_CACHE_MAX) this.addresses.clear();
      this.addresses.set(key, address);
    }
    return address;
  }

  private validateArgs(method: AnyMethod, argsBytes: Uint8Array): unknown {
    let raw: unknown;
    try {
      raw = parseArgs(argsBytes);
    } catch {
      throw new ContractError('CONTRACT_ARGS_INVALID', 'arguments are not valid UTF-8 JSON');
    }
    const parsed = method.args.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ContractError('CONTRACT_ARGS_INVALID', `argument ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return parsed.data;
  }

  /** Run a read method against committed state; refusals throw GovchainError (404 for unknown names). */
  query(contract: string, methodName: string, args: unknown, state: StateReader, height: number, chainId: string, history: HistoryReader): JsonValue {
    const c = this.contracts.get(contract);
    if (c === undefined) throw new GovchainError('CONTRACT_UNKNOWN', 'not_found', `no contract named ${contract}`);
    const m = c.methods[methodName];
    if (m === undefined) throw new GovchainError('CONTRACT_METHOD_UNKNOWN', 'not_found', `contract ${contract} has no method ${methodName}`);
    if (m.kind !== 'read') throw new GovchainError('CONTRACT_METHOD_NOT_QUERY', 'malformed', `${contract}.${methodName} changes state; submit it as a transaction`);
    const parsed = m.args.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new GovchainError('CONTRACT_ARGS_INVALID', 'malformed', `argument ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return m.run(
      {
        chainId,
        height,
        state: readOnlyContractState(contract, state),
        history: (key: string, limit: number) => history(stateKey(contract, key), limit),
      },
      parsed.data,
    );
  }
}
