/** The apps' ChainClient: signs with the organization's admin key (and certificate) and submits through its node. */
import type { ChainClient } from '@govchain/apps';
import type { CryptoSuite } from '@govchain/crypto';
import type { ChainEvent, JsonValue, TxProofJson, TxSubmission } from '@govchain/protocol';
import { buildTx, type Signer } from '@govchain/sdk';
import type { BlockFollower } from './follower.ts';
import type { NodeApi } from './node-api.ts';

/** How long a submission waits for its commit before answering `pending`. */
const COMMIT_WAIT_MS = 10_000;

export class OrgChainClient implements ChainClient {
  readonly chainId: string;
  readonly suite: 'gm' | 'intl';

  constructor(
    chain: { chainId: string; suite: 'gm' | 'intl' },
    private readonly node: NodeApi,
    private readonly signer: Signer & { suite: CryptoSuite },
    private readonly follower: BlockFollower,
  ) {
    this.chainId = chain.chainId;
    this.suite = chain.suite;
  }

  submit(contract: string, method: string, args: JsonValue): Promise<TxSubmission> {
    const tx = buildTx({ chainId: this.chainId, contract, method, args }, this.signer);
    return this.node.submit(tx.hex, { wait: true, timeoutMs: COMMIT_WAIT_MS });
  }

  submitBatch(calls: { contract: string; method: string; args: JsonValue }[]): Promise<TxSubmission[]> {
    const txs = calls.map((c) => buildTx({ chainId: this.chainId, contract: c.contract, method: c.method, args: c.args }, this.signer).hex);
    return this.node.submitBatch(txs, { wait: true, timeoutMs: COMMIT_WAIT_MS });
  }

  query<T = JsonValue>(contract: string, method: string, args: JsonValue): Promise<T> {
    return this.node.query<T>(contract, method, args);
  }

  txProof(txId: string): Promise<TxProofJson> {
    return this.node.txProof(txId);
  }

  onBlock(listener: (event: ChainEvent) => void): () => void {
    return this.follower.onBlock(listener);
  }
}
