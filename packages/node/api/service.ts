/**
 * What the node API needs from a running chain. The API layer only translates HTTP to these calls and back;
 * everything it returns is already plain JSON-ready data.
 */
import type { JsonValue } from '@govchain/vm';

export interface TxSubmission {
  txId: string;
  status: 'pending' | 'committed';
  height?: number;
  receipt?: ReceiptJson;
}

export interface ReceiptJson {
  txId: string;
  status: 'ok' | 'failed';
  errorCode?: string;
  errorMessage?: string;
  result: JsonValue;
  events: { name: string; data: JsonValue }[];
}

export interface TxJson {
  txId: string;
  chainId: string;
  sender: { address: string; publicKey: string; certificate: boolean };
  nonce: string;
  expiresAtMs: number;
  contract: string;
  method: string;
  args: JsonValue;
  signature: string;
  /** Hex of the exact signed wire bytes. */
  raw: string;
}

export interface TxRecord {
  tx: TxJson;
  height: number;
  index: number;
  blockHash: string;
  receipt: ReceiptJson;
}

export interface HeaderJson {
  chainId: string;
  height: number;
  timeMs: number;
  hash: string;
  prevHash: string;
  proposerIndex: number;
  txCount: number;
  txRoot: string;
  resultsRoot: string;
  stateRoot: string;
  validatorsHash: string;
}

export interface BlockJson {
  header: HeaderJson;
  txIds: string[];
  certificate: { round: number; signers: number[] } | null;
}

export interface ValidatorJson {
  index: number;
  name: string;
  organization: string;
  publicKey: string;
  address: string;
  power: number;
  /** Last height at which this validator's precommit appeared in a commit certificate, if seen. */
  lastSignedHeight: number | null;
}

export interface StatusJson {
  chainId: string;
  suite: string;
  nodeName: string;
  height: number;
  lastBlockHash: string;
  lastBlockTimeMs: number;
  consensus: { height: number; round: number; step: string; isValidator: boolean };
  mempool: { txs: number; bytes: number };
  peers: { name: string; connected: boolean }[];
  version: string;
}

export interface ChainEvent {
  type: 'block';
  header: HeaderJson;
  txs: { txId: string; status: 'ok' | 'failed'; errorCode?: string }[];
}

export interface ChainService {
  submit(txBytes: Uint8Array, wait: boolean, timeoutMs: number): Promise<TxSubmission>;
  submitBatch(list: Uint8Array[], wait: boolean, timeoutMs: number): Promise<TxSubmission[]>;
  getTx(txIdHex: string): TxRecord | null;
  getBlock(heightOrHash: number | string): BlockJson | null;
  listBlocks(fromHeight: number, limit: number): BlockJson[];
  status(): StatusJson;
  validators(): ValidatorJson[];
  query(contract: string, method: string, args: JsonValue): JsonValue;
  contracts(): { contract: string; method: string; kind: string; description: string }[];
  subscribe(listener: (event: ChainEvent) => void): () => void;
  health(): { ok: boolean; reasons: string[] };
}
