/**
 * What the gateway reads from and sends to a node, as one interface: the SDK's GovchainClient plus the block list
 * route and the event stream with close notification. Tests substitute an in-memory chain (testkit.ts).
 */
import WebSocket from 'ws';
import { GovchainError } from '@govchain/base';
import type { BlockJson, BlockTxsJson, ChainEvent, HostStats, StatusJson, TxProofJson, TxRecord, TxSubmission, ValidatorJson } from '@govchain/protocol';
import { GovchainClient } from '@govchain/sdk';

export interface EventStream {
  close(): void;
}

export interface NodeApi {
  status(): Promise<StatusJson>;
  /** The node's machine: CPU, memory, disk. */
  host(): Promise<HostStats>;
  validators(): Promise<{ validators: ValidatorJson[] }>;
  getBlock(heightOrHash: number | string): Promise<BlockJson>;
  /** Blocks newest first, starting at `from` (at most 100). */
  listBlocks(from: number, limit: number): Promise<BlockJson[]>;
  getTx(txId: string): Promise<TxRecord>;
  /** A page of a block's txs with sender, call and outcome (at most 1,000). */
  blockTxs(height: number, opts: { offset?: number; limit?: number }): Promise<BlockTxsJson>;
  txProof(txId: string): Promise<TxProofJson>;
  query<T = unknown>(contract: string, method: string, args: unknown): Promise<T>;
  submit(txHex: string, opts: { wait: boolean; timeoutMs?: number }): Promise<TxSubmission>;
  submitBatch(txHexes: string[], opts: { wait: boolean; timeoutMs?: number }): Promise<TxSubmission[]>;
  /** Opens the committed-block stream; `onClose` fires once when it ends for any reason. */
  openEvents(onEvent: (event: ChainEvent) => void, onClose: (reason: string) => void): EventStream;
}

export type NodeApiFactory = (url: string, token: string | null) => NodeApi;

const REQUEST_TIMEOUT_MS = 10_000;

export class HttpNodeApi extends GovchainClient implements NodeApi {
  private readonly baseUrl: string;

  constructor(url: string, token: string | null, timeoutMs = REQUEST_TIMEOUT_MS) {
    super(url, token === null ? { timeoutMs } : { token, timeoutMs });
    this.baseUrl = url.replace(/\/+$/, '');
  }

  async listBlocks(from: number, limit: number): Promise<BlockJson[]> {
    const res = await fetch(`${this.baseUrl}/v1/blocks?from=${from}&limit=${limit}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await res.json() as { blocks?: BlockJson[]; code?: string; message?: string };
    if (!res.ok || body.blocks === undefined) throw new GovchainError(body.code ?? `HTTP_${res.status}`, 'unavailable', body.message ?? `GET /v1/blocks answered ${res.status}`);
    return body.blocks;
  }

  openEvents(onEvent: (event: ChainEvent) => void, onClose: (reason: string) => void): EventStream {
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/v1/events`);
    let closed = false;
    const close = (reason: string): void => {
      if (closed) return;
      closed = true;
      onClose(reason);
    };
    ws.on('message', (data) => {
      try {
        onEvent(JSON.parse(String(data)) as ChainEvent);
      } catch (err) {
        ws.terminate();
        close(`bad event: ${(err as Error).message}`);
      }
    });
    ws.on('error', (err) => close(err.message));
    ws.on('close', (code) => close(`closed (${code})`));
    return { close: () => { ws.terminate(); close('closed by the gateway'); } };
  }
}

export const httpNodeApi: NodeApiFactory = (url, token) => new HttpNodeApi(url, token);
