/**
 * The JSON shapes of the node API, defined once: the node's API serves them and the SDK returns them, so the two
 * cannot drift apart.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

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

/** One tx of a block as lists show it: who called what, and how it ended. */
export interface BlockTxSummaryJson {
  txId: string;
  index: number;
  /** The sender's account address (hex of the first 20 bytes of the hash of its public key). */
  sender: string;
  contract: string;
  method: string;
  status: 'ok' | 'failed';
  errorCode?: string;
}

/** A page of a block's txs, in block order. */
export interface BlockTxsJson {
  height: number;
  txCount: number;
  offset: number;
  txs: BlockTxSummaryJson[];
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


/**
 * Everything needed to check offline that a tx and its receipt were committed: the tx and receipt with their
 * Merkle paths to the header's roots, the header, its commit certificate, and the validator set and
 * organization roots of the chain (from genesis). Format documented in docs/proof-format.md.
 */
export interface TxProofJson {
  format: 'govchain-tx-proof/1';
  chainId: string;
  suite: 'gm' | 'intl';
  height: number;
  txIndex: number;
  txCount: number;
  /** Hex of the signed tx wire bytes. */
  tx: string;
  txPath: string[];
  /** Hex of the receipt bytes. */
  receipt: string;
  receiptPath: string[];
  /** Hex of the exact header bytes; the block hash is their suite hash. */
  header: string;
  blockHash: string;
  /** Hex of the encoded commit certificate. */
  certificate: string;
  validators: { name: string; organization: string; publicKey: string; power: number; certificate: string }[];
  organizations: { id: string; name: string; rootCertificate: string; caCertificates: string[] }[];
  /** Suite hash of the genesis file: the chain's identity, to compare with a published value. */
  genesisHash: string;
}

/** Resources of the machine a node (GET /v1/host) or gateway runs on. */
export interface HostStats {
  hostname: string;
  cpuCount: number;
  /** Percent of all cores busy since the previous sample (0–100); null on the first sample. */
  cpuPercent: number | null;
  loadAverage: [number, number, number];
  memoryTotalBytes: number;
  memoryUsedBytes: number;
  diskPath: string;
  diskTotalBytes: number | null;
  diskUsedBytes: number | null;
  uptimeSeconds: number;
  processRssBytes: number;
}
