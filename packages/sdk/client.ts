/**
 * HTTP and WebSocket client of the node API. Uses the platform's fetch and WebSocket (Node 20 has fetch; where
 * no global WebSocket exists, the `ws` package is loaded on demand), so it runs in Node and in browsers.
 */
import { GovchainError } from '@govchain/base';
import type { BlockJson, BlockTxsJson, ChainEvent, HostStats, StatusJson, TxProofJson, TxRecord, TxSubmission, ValidatorJson } from '@govchain/protocol';

export interface ClientOptions {
  /** API token for write routes, when the node requires one. */
  token?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export interface SubmitOptions {
  wait?: boolean;
  timeoutMs?: number;
}

export type Submission = TxSubmission;

interface MinimalWebSocket {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export class GovchainClient {
  private readonly base: string;

  constructor(baseUrl: string, private readonly options: ClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST' && this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(this.base + path, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new GovchainError('CLIENT_BAD_RESPONSE', 'internal', `node answered ${res.status} with a non-JSON body`);
    }
    if (!res.ok) {
      const err = json as { code?: string; message?: string; details?: Record<string, unknown> } | null;
      throw new GovchainError(err?.code ?? `HTTP_${res.status}`, classOfStatus(res.status), err?.message ?? res.statusText, err?.details);
    }
    return json as T;
  }

  submit(txHex: string, opts: SubmitOptions = {}): Promise<Submission> {
    return this.request('POST', `/v1/txs${waitQuery(opts)}`, { tx: txHex });
  }

  async submitBatch(txHexes: string[], opts: SubmitOptions = {}): Promise<Submission[]> {
    const r = await this.request<{ results: Submission[] }>('POST', `/v1/txs/batch${waitQuery(opts)}`, { txs: txHexes });
    return r.results;
  }

  getTx(txId: string): Promise<TxRecord> {
    return this.request('GET', `/v1/txs/${txId}`);
  }

  txProof(txId: string): Promise<TxProofJson> {
    return this.request('GET', `/v1/txs/${txId}/proof`);
  }

  getBlock(heightOrHash: number | string): Promise<BlockJson> {
    return this.request('GET', `/v1/blocks/${heightOrHash}`);
  }

  /** A page of a block's txs (sender, contract, method, outcome) in block order; at most 1,000 per page. */
  blockTxs(height: number, opts: { offset?: number; limit?: number } = {}): Promise<BlockTxsJson> {
    return this.request('GET', `/v1/blocks/${height}/txs?offset=${opts.offset ?? 0}&limit=${opts.limit ?? 100}`);
  }

  status(): Promise<StatusJson> {
    return this.request('GET', '/v1/status');
  }

  async host(): Promise<HostStats> {
    return (await this.request<{ host: HostStats }>('GET', '/v1/host')).host;
  }

  validators(): Promise<{ validators: ValidatorJson[] }> {
    return this.request('GET', '/v1/validators');
  }

  async query<T = unknown>(contract: string, method: string, args: unknown = {}): Promise<T> {
    const r = await this.request<{ result: T }>('POST', '/v1/query', { contract, method, args });
    return r.result;
  }

  /**
   * Calls `onEvent` for every committed block from the moment the returned promise resolves (the stream is open);
   * resolves to a function that closes the stream.
   */
  async subscribe(onEvent: (event: ChainEvent) => void): Promise<() => void> {
    const url = this.base.replace(/^http/, 'ws') + '/v1/events';
    const Ctor = (globalThis as { WebSocket?: new (url: string) => MinimalWebSocket }).WebSocket ??
      ((await import('ws')).default as unknown as new (url: string) => MinimalWebSocket);
    const ws = new Ctor(url);
    ws.onmessage = (ev) => onEvent(JSON.parse(String(ev.data)));
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new GovchainError('CLIENT_STREAM_FAILED', 'unavailable', `cannot open the event stream at ${url}`));
    });
    return () => ws.close();
  }
}

function waitQuery(opts: SubmitOptions): string {
  if (!opts.wait) return '';
  return `?wait=true&timeoutMs=${opts.timeoutMs ?? 10_000}`;
}

function classOfStatus(status: number): 'malformed' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'overloaded' | 'internal' {
  switch (status) {
    case 400: return 'malformed';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'too_large';
    case 429: return 'rate_limited';
    case 503: return 'overloaded';
    default: return 'internal';
  }
}
