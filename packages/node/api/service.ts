/**
 * What the node API needs from a running chain. The API layer only translates HTTP to these calls and back;
 * everything it returns is already plain JSON-ready data (shapes in protocol/api.ts).
 */
import type {
  BlockJson, BlockTxsJson, ChainEvent, JsonValue, StatusJson, TxProofJson, TxRecord, TxSubmission, ValidatorJson,
} from '@govchain/protocol';

export interface ChainService {
  submit(txBytes: Uint8Array, wait: boolean, timeoutMs: number): Promise<TxSubmission>;
  submitBatch(list: Uint8Array[], wait: boolean, timeoutMs: number): Promise<TxSubmission[]>;
  getTx(txIdHex: string): TxRecord | null;
  txProof(txIdHex: string): TxProofJson | null;
  getBlock(heightOrHash: number | string): BlockJson | null;
  listBlocks(fromHeight: number, limit: number): BlockJson[];
  /** A page of a committed block's txs with sender, call and outcome; null when there is no such block. */
  blockTxs(height: number, offset: number, limit: number): BlockTxsJson | null;
  status(): StatusJson;
  validators(): ValidatorJson[];
  query(contract: string, method: string, args: JsonValue): JsonValue;
  contracts(): { contract: string; method: string; kind: string; description: string }[];
  subscribe(listener: (event: ChainEvent) => void): () => void;
  health(): { ok: boolean; reasons: string[] };
}
