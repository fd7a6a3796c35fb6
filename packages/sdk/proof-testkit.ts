/**
 * Test kit: builds a consortium (one root CA, operating CA and validator per organization), its genesis, and tx
 * proofs for blocks signed by any subset of its validators, from the documented formats alone. Used by the proof
 * tests and the evidence bench; not exported from the SDK.
 */
import { fromHex, toHex, utf8 } from '@govchain/base';
import { encodePem, getSuite, issueCertificate, merkleProof, merkleRoot, parseCertificate, type CryptoSuite, type KeyPair, type SuiteName } from '@govchain/crypto';
import {
  decodeSignedTx, encodeCommitCertificate, encodeHeader, encodeReceipt, encodeValidatorSet, voteSignBytes, type Genesis, type Receipt,
} from '@govchain/protocol';
import { buildTx } from './tx-builder.ts';
import type { TxProofInput } from './proof.ts';

const DAY_MS = 86_400_000;

export interface TestOrg {
  id: string;
  root: { keys: KeyPair; der: Uint8Array };
  ca: { keys: KeyPair; der: Uint8Array };
}

export interface TestChain {
  suite: CryptoSuite;
  chainId: string;
  orgs: TestOrg[];
  validatorKeys: KeyPair[];
  genesis: Genesis;
  genesisText: string;
  genesisHash: string;
  /** Issue a leaf certificate from an organization's operating CA. */
  issueLeaf(org: TestOrg, publicKey: Uint8Array, commonName: string): Uint8Array;
}

let serial = 0x5000;

export function makeTestChain(opts: { suite?: SuiteName; validators?: number; chainId?: string; nowMs?: number } = {}): TestChain {
  const suiteName = opts.suite ?? 'gm';
  const suite = getSuite(suiteName);
  const now = opts.nowMs ?? Date.now();
  const n = opts.validators ?? 4;
  const chainId = opts.chainId ?? 'proof-test';
  const issue = (issuer: { keys: KeyPair; der: Uint8Array } | null, keys: KeyPair, subject: { commonName: string; organization: string }, ca: boolean, pathLength?: number): Uint8Array =>
    issueCertificate({
      suite: suiteName,
      issuerPrivateKey: issuer?.keys.privateKey ?? keys.privateKey,
      ...(issuer === null ? {} : { issuerCertificate: parseCertificate(issuer.der) }),
      subject: { ...subject, country: 'CN' },
      subjectPublicKey: keys.publicKey,
      serialNumber: (serial++).toString(16).padStart(4, '0'),
      notBeforeMs: now - DAY_MS,
      notAfterMs: now + 365 * DAY_MS,
      isCA: ca,
      ...(pathLength === undefined ? {} : { pathLength }),
      keyUsage: ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'keyAgreement'],
    });
  const orgs: TestOrg[] = [];
  const validatorKeys: KeyPair[] = [];
  const validators: Genesis['validators'] = [];
  for (let i = 1; i <= n; i++) {
    const id = `org${i}`;
    const rootKeys = suite.generateKeyPair();
    const root = { keys: rootKeys, der: issue(null, rootKeys, { commonName: `${id} Root CA`, organization: id }, true, 1) };
    const caKeys = suite.generateKeyPair();
    const ca = { keys: caKeys, der: issue(root, caKeys, { commonName: `${id} Operating CA`, organization: id }, true, 0) };
    orgs.push({ id, root, ca });
    const vk = suite.generateKeyPair();
    validatorKeys.push(vk);
    validators.push({ name: `node${i}`, organization: id, publicKey: toHex(vk.publicKey), certificate: encodePem(issue(ca, vk, { commonName: `node${i}`, organization: id }, false)), power: 1 });
  }
  const genesis: Genesis = {
    chainId,
    suite: suiteName,
    genesisTimeMs: now - 1000,
    organizations: orgs.map((o) => ({ id: o.id, name: `组织 ${o.id}`, rootCertificate: encodePem(o.root.der), caCertificates: [encodePem(o.ca.der)] })),
    validators,
    consensus: { timeoutProposeMs: 3000, timeoutPrevoteMs: 1000, timeoutPrecommitMs: 1000, timeoutDeltaMs: 500, blockTxsMax: 5000, blockBytesMax: 8 << 20, emptyBlockIntervalMs: 5000 },
    admission: { senders: 'any' },
  };
  const genesisText = JSON.stringify(genesis, null, 2) + '\n';
  return {
    suite, chainId, orgs, validatorKeys, genesis, genesisText, genesisHash: toHex(suite.hash(utf8(genesisText))),
    issueLeaf: (org, publicKey, commonName) => issue(org.ca, { publicKey, privateKey: new Uint8Array(0) }, { commonName, organization: org.id }, false),
  };
}

export interface MakeProofOptions {
  /** Txs in the block (default 5) and the index of the proven one (default 2). */
  txCount?: number;
  index?: number;
  /** Validator indices that sign the commit certificate (default all). */
  signers?: number[];
  contract?: string;
  method?: string;
  args?: unknown;
  /** The proven tx's sender: key and optional certificate. */
  sender?: KeyPair & { certificate?: Uint8Array };
  /** Receipt result of the proven tx (JSON), or a function of the tx id, height and block time giving it; and status. */
  result?: unknown | ((tx: { txId: string; height: number; timeMs: number }) => unknown);
  failed?: boolean;
  height?: number;
  timeMs?: number;
  embedGenesis?: boolean;
}

/** A block of `txCount` kv txs with the proven tx at `index`, committed by `signers`; returns its proof. */
export function makeTestProof(chain: TestChain, opts: MakeProofOptions = {}): TxProofInput {
  const { suite, chainId } = chain;
  const txCount = opts.txCount ?? 5;
  const index = opts.index ?? Math.min(2, txCount - 1);
  const height = opts.height ?? 7;
  const timeMs = opts.timeMs ?? Date.now();
  const filler = { suite, ...suite.generateKeyPair() };
  const txs = Array.from({ length: txCount }, (_, i) => {
    if (i !== index) return buildTx({ chainId, contract: 'kv', method: 'put', args: { key: `k${i}`, value: 'v' }, nowMs: timeMs }, filler);
    const sender = opts.sender ?? suite.generateKeyPair();
    return buildTx(
      { chainId, contract: opts.contract ?? 'kv', method: opts.method ?? 'put', args: opts.args ?? { key: 'proven', value: 'yes' }, nowMs: timeMs },
      { suite, privateKey: sender.privateKey, publicKey: sender.publicKey, ...(opts.sender?.certificate === undefined ? {} : { certificate: opts.sender.certificate }) },
    );
  });
  const resultOf = (txId: string): unknown =>
    typeof opts.result === 'function' ? (opts.result as (tx: { txId: string; height: number; timeMs: number }) => unknown)({ txId, height, timeMs }) : (opts.result ?? { created: true });
  const receipts = txs.map((t, i): Uint8Array => {
    const r: Receipt = i === index && opts.failed
      ? { txId: suite.hash(decodeSignedTx(t.bytes).bodyBytes), status: 'failed', errorCode: 'KV_NOT_FOUND', errorMessage: 'no such key', result: new Uint8Array(0), events: [] }
      : { txId: suite.hash(decodeSignedTx(t.bytes).bodyBytes), status: 'ok', errorCode: '', errorMessage: '', result: utf8(JSON.stringify(i === index ? resultOf(t.txId) : { created: true })), events: [] };
    return encodeReceipt(r);
  });
  const hash = (d: Uint8Array): Uint8Array => suite.hash(d);
  const entries = chain.genesis.validators.map((v) => ({ publicKey: fromHex(v.publicKey), power: v.power }));
  const headerBytes = encodeHeader({
    version: 1, chainId, height, timeMs, prevHash: suite.hash(utf8('parent')), proposerIndex: 0, txCount,
    txRoot: merkleRoot(txs.map((t) => t.bytes), hash), resultsRoot: merkleRoot(receipts, hash), stateRoot: suite.hash(utf8('state')),
    validatorsHash: suite.hash(encodeValidatorSet(entries)),
  });
  const blockHash = suite.hash(headerBytes);
  const signers = opts.signers ?? chain.validatorKeys.map((_, i) => i);
  const round = 0;
  const votes = signers.map((i) => ({
    validatorIndex: i,
    signature: suite.sign(chain.validatorKeys[i]!.privateKey, voteSignBytes(chainId, { type: 'precommit', height, round, blockHash })),
  }));
  const proof: TxProofInput = {
    format: 'govchain-tx-proof/1',
    chainId,
    suite: suite.name,
    height,
    txIndex: index,
    txCount,
    tx: toHex(txs[index]!.bytes),
    txPath: merkleProof(txs.map((t) => t.bytes), index, hash).path.map(toHex),
    receipt: toHex(receipts[index]!),
    receiptPath: merkleProof(receipts, index, hash).path.map(toHex),
    header: toHex(headerBytes),
    blockHash: toHex(blockHash),
    certificate: toHex(encodeCommitCertificate({ height, round, blockHash, votes })),
    validators: chain.genesis.validators.map((v) => ({ name: v.name, organization: v.organization, publicKey: v.publicKey, power: v.power, certificate: v.certificate })),
    organizations: chain.genesis.organizations.map((o) => ({ id: o.id, name: o.name, rootCertificate: o.rootCertificate, caCertificates: o.caCertificates })),
    genesisHash: chain.genesisHash,
  };
  if (opts.embedGenesis) proof.genesis = chain.genesisText;
  return proof;
}
