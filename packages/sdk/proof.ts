/**
 * Offline verification of a transaction proof (`govchain-tx-proof/1`, served by a node at GET /v1/txs/{id}/proof),
 * in pure TypeScript so it runs in browsers too. Nothing here asks the network: the proof carries the tx and its
 * receipt with Merkle paths, the block header, the commit certificate, and the validator set with the
 * organizations' CA certificates; the caller brings what it trusts (the genesis file, its hash, or the
 * organizations' root fingerprints). The checks, in order, and the byte formats are in docs/proof-format.md.
 *
 * The verdict lists every check that ran with what it found; the first failure ends verification and is reported
 * as `failure` with a stable code naming what failed (PROOF_TX_PATH_INVALID, PROOF_QUORUM_NOT_REACHED, ...).
 */
import { GovchainError, bytesEqual, fromHex, fromUtf8, isHex, toHex, utf8 } from '@govchain/base';
import { getPureSuite, type CryptoSuite } from '@govchain/crypto/pure';
import { verifyMerkleProof } from '@govchain/crypto/merkle';
import type { ParsedCertificate } from '@govchain/crypto/x509';
import { verifyCertificateChain, type ChainResult } from '@govchain/crypto/x509-chain';
import { decodePemAll } from '@govchain/crypto/x509-pem';
import {
  addressOf, decodeCommitCertificate, decodeHeader, decodeReceipt, decodeSignedTx, encodeValidatorSet, exceedsTwoThirds,
  parseGenesis, verifyCommitCertificate, type BlockHeader, type CommitCertificate, type Genesis, type JsonValue, type Receipt,
  type SignedTx, type TxProofJson, type ValidatorEntry,
} from '@govchain/protocol';

export const TX_PROOF_FORMAT = 'govchain-tx-proof/1';

/** A tx proof as served by a node; `genesis` (the exact genesis file text) is optional and binds `genesisHash`. */
export type TxProofInput = TxProofJson & { genesis?: string };

export type ProofFailureCode =
  | 'PROOF_MALFORMED'
  | 'PROOF_UNSUPPORTED_FORMAT'
  | 'PROOF_HEADER_MALFORMED'
  | 'PROOF_HEADER_MISMATCH'
  | 'PROOF_HEADER_HASH_MISMATCH'
  | 'PROOF_TX_MALFORMED'
  | 'PROOF_TX_WRONG_CHAIN'
  | 'PROOF_TX_BAD_SIGNATURE'
  | 'PROOF_TX_PATH_INVALID'
  | 'PROOF_RECEIPT_MALFORMED'
  | 'PROOF_RECEIPT_MISMATCH'
  | 'PROOF_RECEIPT_PATH_INVALID'
  | 'PROOF_TX_FAILED'
  | 'PROOF_VALIDATORS_MALFORMED'
  | 'PROOF_VALIDATORS_HASH_MISMATCH'
  | 'PROOF_VALIDATOR_CERT_INVALID'
  | 'PROOF_CERTIFICATE_MALFORMED'
  | 'PROOF_CERTIFICATE_MISMATCH'
  | 'PROOF_QUORUM_NOT_REACHED'
  | 'PROOF_BAD_VALIDATOR_SIGNATURE'
  | 'PROOF_SENDER_CERT_INVALID'
  | 'PROOF_GENESIS_MISMATCH'
  | 'PROOF_GENESIS_MISSING'
  | 'PROOF_UNTRUSTED_ROOTS';

export interface ProofCheck {
  /** Stable name of the check (see docs/proof-format.md). */
  name: string;
  ok: boolean;
  /** What was found, in words a person can compare. */
  detail: string;
}

export interface TrustReport {
  /** What the verdict is anchored to: a genesis file or hash the caller trusts, trusted root fingerprints, or nothing. */
  anchor: 'genesis' | 'genesis-hash' | 'root-fingerprints' | 'none';
  /** Suite hash of the genesis file, as the proof states it (bound to the validators only with anchor genesis/genesis-hash). */
  genesisHash: string;
  /** Each organization's root certificate fingerprint (suite hash of its DER), to compare with published values. */
  roots: { organization: string; name: string; fingerprint: string }[];
}

export interface TxSummary {
  txId: string;
  chainId: string;
  height: number;
  index: number;
  blockHash: string;
  blockTimeMs: number;
  contract: string;
  method: string;
  /** Parsed JSON arguments (null when not JSON). */
  args: JsonValue;
  sender: { address: string; publicKey: string; organization: string | null; certificateSubject: string | null };
  receipt: { status: 'ok' | 'failed'; errorCode: string; errorMessage: string; result: JsonValue; events: { name: string; data: JsonValue }[] };
  signers: { index: number; name: string; organization: string }[];
}

export interface ProofVerdict {
  ok: boolean;
  checks: ProofCheck[];
  failure?: { code: ProofFailureCode; message: string };
  /** Present once the proof decoded far enough to say what it is about. */
  tx?: TxSummary;
  trust?: TrustReport;
}

export interface VerifyTxProofOptions {
  /** The exact bytes of a genesis file the caller trusts (strongest anchor). */
  trustedGenesis?: Uint8Array;
  /** Hex suite hash of the genesis file the caller trusts; binding only when the proof carries `genesis`. */
  trustedGenesisHash?: string;
  /** Hex fingerprints (suite hash of the DER) of organization root certificates the caller trusts. */
  trustedRootFingerprints?: readonly string[];
  /** Refuse a proof of a tx whose contract call failed (default true). */
  requireSuccess?: boolean;
  /** Suite implementation to use for signatures and hashes (e.g. the Node one with native SM2); default the pure one. */
  suite?: CryptoSuite;
}

class Failure extends Error {
  constructor(readonly code: ProofFailureCode, message: string) {
    super(message);
  }
}

function fail(code: ProofFailureCode, message: string): never {
  throw new Failure(code, message);
}

function hexField(value: unknown, what: string, bytes?: number): Uint8Array {
  if (typeof value !== 'string' || !isHex(value, bytes) || value.length === 0 || /[A-F]/.test(value)) {
    fail('PROOF_MALFORMED', `${what} must be lowercase hex${bytes === undefined ? '' : ` of ${bytes} bytes`}`);
  }
  return fromHex(value);
}

function intField(value: unknown, what: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail('PROOF_MALFORMED', `${what} must be an integer >= ${min}`);
  return value;
}

function parseJsonBytes(bytes: Uint8Array): JsonValue {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(fromUtf8(bytes)) as JsonValue;
  } catch {
    return null;
  }
}

function short(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 16)}…` : hex;
}

// Certificate chains of a chain's validators are the same in every proof; their signatures need checking once.
// The cache keeps successful paths only, and every use re-checks the validity window at the block's time.
const chainCache = new Map<string, ParsedCertificate[]>();
const CHAIN_CACHE_MAX = 512;

function verifyChainCached(leaf: Uint8Array, intermediates: Uint8Array[], root: Uint8Array, atTimeMs: number): ChainResult {
  const key = [leaf, ...intermediates, root].map(toHex).join('/');
  const path = chainCache.get(key);
  if (path !== undefined && path.every((c) => atTimeMs >= c.notBeforeMs && atTimeMs <= c.notAfterMs)) return { ok: true, path };
  const result = verifyCertificateChain(leaf, intermediates, [root], atTimeMs);
  if (result.ok) {
    if (chainCache.size >= CHAIN_CACHE_MAX) chainCache.delete(chainCache.keys().next().value!);
    chainCache.set(key, result.path);
  }
  return result;
}

// Proofs of one chain carry the same PEM certificates again and again; decoding base64 is a large share of a check.
const pemCache = new Map<string, Uint8Array[]>();

function pemCertificates(text: string): Uint8Array[] {
  let ders = pemCache.get(text);
  if (ders === undefined) {
    ders = decodePemAll(text);
    if (pemCache.size >= CHAIN_CACHE_MAX) pemCache.delete(pemCache.keys().next().value!);
    pemCache.set(text, ders);
  }
  return ders;
}

function onePemCertificate(text: string): Uint8Array {
  const ders = pemCertificates(text);
  if (ders.length !== 1) throw new GovchainError('PEM_MALFORMED', 'malformed', `expected one CERTIFICATE PEM block, found ${ders.length}`);
  return ders[0]!;
}

interface DecodedOrg {
  id: string;
  name: string;
  root: Uint8Array;
  rootFingerprint: string;
  intermediates: Uint8Array[];
}

interface DecodedValidator {
  name: string;
  organization: string;
  publicKey: Uint8Array;
  power: number;
  certificate: Uint8Array;
}

function decodeOrganizations(proof: TxProofInput, suite: CryptoSuite): DecodedOrg[] {
  if (!Array.isArray(proof.organizations) || proof.organizations.length === 0 || proof.organizations.length > 256) {
    fail('PROOF_MALFORMED', 'organizations must be a list of 1 to 256 entries');
  }
  const seen = new Set<string>();
  return proof.organizations.map((o, i) => {
    if (typeof o?.id !== 'string' || typeof o.name !== 'string' || typeof o.rootCertificate !== 'string' || !Array.isArray(o.caCertificates)) {
      fail('PROOF_MALFORMED', `organizations[${i}] must have id, name, rootCertificate and caCertificates`);
    }
    if (seen.has(o.id)) fail('PROOF_MALFORMED', `organization ${o.id} is listed twice`);
    seen.add(o.id);
    let root: Uint8Array;
    let intermediates: Uint8Array[];
    try {
      root = onePemCertificate(o.rootCertificate);
      intermediates = o.caCertificates.flatMap((pem) => pemCertificates(String(pem)));
    } catch (err) {
      fail('PROOF_MALFORMED', `organization ${o.id}: certificates are not PEM: ${(err as Error).message}`);
    }
    return { id: o.id, name: o.name, root, rootFingerprint: toHex(suite.hash(root)), intermediates };
  });
}

function decodeValidators(proof: TxProofInput): DecodedValidator[] {
  if (!Array.isArray(proof.validators) || proof.validators.length === 0 || proof.validators.length > 256) {
    fail('PROOF_VALIDATORS_MALFORMED', 'validators must be a list of 1 to 256 entries');
  }
  return proof.validators.map((v, i) => {
    if (typeof v?.name !== 'string' || typeof v.organization !== 'string' || typeof v.certificate !== 'string') {
      fail('PROOF_VALIDATORS_MALFORMED', `validators[${i}] must have name, organization, publicKey, power and certificate`);
    }
    if (typeof v.publicKey !== 'string' || !/^04[0-9a-f]{128}$/.test(v.publicKey)) {
      fail('PROOF_VALIDATORS_MALFORMED', `validators[${i}].publicKey must be an uncompressed public key in lowercase hex`);
    }
    if (!Number.isSafeInteger(v.power) || v.power < 1 || v.power > 1_000_000) {
      fail('PROOF_VALIDATORS_MALFORMED', `validators[${i}].power must be an integer from 1 to 1000000`);
    }
    let certificate: Uint8Array;
    try {
      certificate = onePemCertificate(v.certificate);
    } catch (err) {
      fail('PROOF_VALIDATORS_MALFORMED', `validators[${i}].certificate is not one PEM certificate: ${(err as Error).message}`);
    }
    return { name: v.name, organization: v.organization, publicKey: fromHex(v.publicKey), power: v.power, certificate };
  });
}

/** Compares the proof's validators and organizations with a genesis; returns a difference in words, or null. */
function differenceFromGenesis(genesis: Genesis, proof: TxProofInput): string | null {
  if (genesis.chainId !== proof.chainId) return `genesis is for chain ${genesis.chainId}, the proof for ${proof.chainId}`;
  if (genesis.suite !== proof.suite) return `genesis uses suite ${genesis.suite}, the proof ${proof.suite}`;
  if (genesis.validators.length !== proof.validators.length) {
    return `genesis has ${genesis.validators.length} validators, the proof ${proof.validators.length}`;
  }
  for (let i = 0; i < genesis.validators.length; i++) {
    const g = genesis.validators[i]!;
    const p = proof.validators[i]!;
    if (g.publicKey !== p.publicKey || g.power !== p.power || g.organization !== p.organization || g.certificate !== p.certificate || g.name !== p.name) {
      return `validator #${i} (${p.name}) differs from genesis validator ${g.name}`;
    }
  }
  if (genesis.organizations.length !== proof.organizations.length) {
    return `genesis has ${genesis.organizations.length} organizations, the proof ${proof.organizations.length}`;
  }
  for (let i = 0; i < genesis.organizations.length; i++) {
    const g = genesis.organizations[i]!;
    const p = proof.organizations[i]!;
    const sameCas = g.caCertificates.length === p.caCertificates.length && g.caCertificates.every((c, j) => c === p.caCertificates[j]);
    if (g.id !== p.id || g.name !== p.name || g.rootCertificate !== p.rootCertificate || !sameCas) {
      return `organization #${i} (${p.id}) differs from genesis organization ${g.id}`;
    }
  }
  return null;
}

function parseGenesisOrFail(bytes: Uint8Array, what: string): Genesis {
  try {
    return parseGenesis(bytes);
  } catch (err) {
    fail('PROOF_GENESIS_MISMATCH', `${what} is not a valid genesis file: ${(err as Error).message}`);
  }
}

/** Verify a tx proof offline. Never throws on bad input: every problem is a failed verdict. */
export function verifyTxProof(proof: TxProofInput, options: VerifyTxProofOptions = {}): ProofVerdict {
  const checks: ProofCheck[] = [];
  const verdict: ProofVerdict = { ok: false, checks };
  const pass = (name: string, detail: string): void => void checks.push({ name, ok: true, detail });
  let current = 'format';
  try {
    // 1. format and suite
    if (proof === null || typeof proof !== 'object') fail('PROOF_MALFORMED', 'the proof is not a JSON object');
    if (proof.format !== TX_PROOF_FORMAT) fail('PROOF_UNSUPPORTED_FORMAT', `format is ${JSON.stringify(proof.format)}, expected ${TX_PROOF_FORMAT}`);
    if (proof.suite !== 'gm' && proof.suite !== 'intl') fail('PROOF_MALFORMED', `suite must be gm or intl, not ${JSON.stringify(proof.suite)}`);
    if (typeof proof.chainId !== 'string' || proof.chainId.length === 0) fail('PROOF_MALFORMED', 'chainId must be a non-empty string');
    const suite = options.suite ?? getPureSuite(proof.suite);
    if (suite.name !== proof.suite) fail('PROOF_MALFORMED', `the proof uses suite ${proof.suite} but suite ${suite.name} was supplied`);
    const hash = (d: Uint8Array): Uint8Array => suite.hash(d);
    const height = intField(proof.height, 'height', 1);
    const txIndex = intField(proof.txIndex, 'txIndex', 0);
    const txCount = intField(proof.txCount, 'txCount', 1);
    const txBytes = hexField(proof.tx, 'tx');
    const receiptBytes = hexField(proof.receipt, 'receipt');
    const headerBytes = hexField(proof.header, 'header');
    const blockHash = hexField(proof.blockHash, 'blockHash', 32);
    const certificateBytes = hexField(proof.certificate, 'certificate');
    if (!Array.isArray(proof.txPath) || !Array.isArray(proof.receiptPath)) fail('PROOF_MALFORMED', 'txPath and receiptPath must be lists');
    const txPath = proof.txPath.map((p, i) => hexField(p, `txPath[${i}]`, 32));
    const receiptPath = proof.receiptPath.map((p, i) => hexField(p, `receiptPath[${i}]`, 32));
    hexField(proof.genesisHash, 'genesisHash', 32);
    if (proof.genesis !== undefined && typeof proof.genesis !== 'string') fail('PROOF_MALFORMED', 'genesis, when present, must be the genesis file text');
    const organizations = decodeOrganizations(proof, suite);
    pass('format', `${TX_PROOF_FORMAT}, suite ${proof.suite}, chain ${proof.chainId}`);

    // 2. header
    current = 'header';
    let header: BlockHeader;
    try {
      header = decodeHeader(headerBytes);
    } catch (err) {
      fail('PROOF_HEADER_MALFORMED', `the block header does not decode: ${(err as Error).message}`);
    }
    if (header.chainId !== proof.chainId) fail('PROOF_HEADER_MISMATCH', `the header is for chain ${header.chainId}, the proof says ${proof.chainId}`);
    if (header.height !== height) fail('PROOF_HEADER_MISMATCH', `the header is at height ${header.height}, the proof says ${height}`);
    if (header.txCount !== txCount) fail('PROOF_HEADER_MISMATCH', `the header counts ${header.txCount} txs, the proof says ${txCount}`);
    pass('header', `height ${header.height}, time ${new Date(header.timeMs).toISOString()}, ${header.txCount} txs`);

    // 3. block hash
    current = 'block-hash';
    const computedBlockHash = hash(headerBytes);
    if (!bytesEqual(computedBlockHash, blockHash)) {
      fail('PROOF_HEADER_HASH_MISMATCH', `the header hashes to ${toHex(computedBlockHash)}, not to the block hash ${toHex(blockHash)}`);
    }
    pass('block-hash', `block hash ${toHex(blockHash)} = hash of the header`);

    // 4. the tx and its signature
    current = 'tx';
    let tx: SignedTx;
    try {
      tx = decodeSignedTx(txBytes);
    } catch (err) {
      fail('PROOF_TX_MALFORMED', `the tx does not decode: ${(err as Error).message}`);
    }
    if (tx.body.chainId !== proof.chainId) fail('PROOF_TX_WRONG_CHAIN', `the tx is for chain ${tx.body.chainId}`);
    const txId = hash(tx.bodyBytes);
    if (!suite.verify(tx.body.senderPublicKey, tx.bodyBytes, tx.signature)) {
      fail('PROOF_TX_BAD_SIGNATURE', `the sender's signature on tx ${toHex(txId)} does not verify`);
    }
    pass('tx-signature', `tx ${toHex(txId)} (${tx.body.contract}.${tx.body.method}) signed by ${addressOf(hash, tx.body.senderPublicKey)}`);

    // 5. tx inclusion
    current = 'tx-path';
    if (!verifyMerkleProof(header.txRoot, txBytes, { index: txIndex, total: header.txCount, path: txPath }, hash)) {
      fail('PROOF_TX_PATH_INVALID', `the Merkle path does not lead from the tx at index ${txIndex} of ${header.txCount} to the header's tx root ${toHex(header.txRoot)}`);
    }
    pass('tx-path', `tx is #${txIndex} of ${header.txCount} under tx root ${short(toHex(header.txRoot))}`);

    // 6. the receipt and its inclusion
    current = 'receipt';
    let receipt: Receipt;
    try {
      receipt = decodeReceipt(receiptBytes);
    } catch (err) {
      fail('PROOF_RECEIPT_MALFORMED', `the receipt does not decode: ${(err as Error).message}`);
    }
    if (!bytesEqual(receipt.txId, txId)) fail('PROOF_RECEIPT_MISMATCH', `the receipt is for tx ${toHex(receipt.txId)}, not ${toHex(txId)}`);
    if (!verifyMerkleProof(header.resultsRoot, receiptBytes, { index: txIndex, total: header.txCount, path: receiptPath }, hash)) {
      fail('PROOF_RECEIPT_PATH_INVALID', `the Merkle path does not lead from the receipt at index ${txIndex} to the header's results root ${toHex(header.resultsRoot)}`);
    }
    pass('receipt-path', `receipt (${receipt.status}${receipt.errorCode === '' ? '' : ` ${receipt.errorCode}`}) under results root ${short(toHex(header.resultsRoot))}`);

    // 7. validator set
    current = 'validators';
    const validators = decodeValidators(proof);
    const entries: ValidatorEntry[] = validators.map((v) => ({ publicKey: v.publicKey, power: v.power }));
    const computedValidatorsHash = hash(encodeValidatorSet(entries));
    if (!bytesEqual(computedValidatorsHash, header.validatorsHash)) {
      fail('PROOF_VALIDATORS_HASH_MISMATCH', `the listed validators hash to ${toHex(computedValidatorsHash)}, the header commits to ${toHex(header.validatorsHash)}`);
    }
    pass('validators-hash', `${validators.length} validators, total power ${entries.reduce((s, v) => s + v.power, 0)}, match the header's validators hash`);

    // 8. validator certificates
    current = 'validator-certificates';
    const orgById = new Map(organizations.map((o) => [o.id, o]));
    validators.forEach((v, i) => {
      const org = orgById.get(v.organization);
      if (org === undefined) fail('PROOF_VALIDATOR_CERT_INVALID', `validator #${i} (${v.name}) names organization ${v.organization}, which the proof does not list`);
      const chain = verifyChainCached(v.certificate, org.intermediates, org.root, header.timeMs);
      if (!chain.ok) {
        fail('PROOF_VALIDATOR_CERT_INVALID', `the certificate of validator #${i} (${v.name}) does not chain to the root of ${v.organization} at the block's time: ${chain.error.code} ${chain.error.message}`);
      }
      if (!bytesEqual(chain.path[0]!.publicKey, v.publicKey)) {
        fail('PROOF_VALIDATOR_CERT_INVALID', `the certificate of validator #${i} (${v.name}) certifies a different public key`);
      }
    });
    pass('validator-certificates', `each validator's certificate chains to its organization's root and certifies its key`);

    // 9. commit certificate: > 2/3 of the power signed this block
    current = 'commit-certificate';
    let cert: CommitCertificate;
    try {
      cert = decodeCommitCertificate(certificateBytes);
    } catch (err) {
      fail('PROOF_CERTIFICATE_MALFORMED', `the commit certificate does not decode: ${(err as Error).message}`);
    }
    if (cert.height !== header.height) fail('PROOF_CERTIFICATE_MISMATCH', `the commit certificate is for height ${cert.height}, the block is at ${header.height}`);
    if (!bytesEqual(cert.blockHash, blockHash)) fail('PROOF_CERTIFICATE_MISMATCH', `the commit certificate is for block ${toHex(cert.blockHash)}, not ${toHex(blockHash)}`);
    let signedPower = 0;
    for (const s of cert.votes) {
      const v = validators[s.validatorIndex];
      if (v === undefined) fail('PROOF_CERTIFICATE_MISMATCH', `the commit certificate names validator #${s.validatorIndex}, which is not in the set of ${validators.length}`);
      signedPower += v.power;
    }
    const totalPower = entries.reduce((s, v) => s + v.power, 0);
    if (!exceedsTwoThirds(signedPower, totalPower)) {
      fail('PROOF_QUORUM_NOT_REACHED', `signers hold ${signedPower} of ${totalPower} voting power; more than 2/3 is needed`);
    }
    const quorum = verifyCommitCertificate(cert, entries, proof.chainId, (k, m, s) => suite.verify(k, m, s));
    if (!quorum.ok) fail('PROOF_BAD_VALIDATOR_SIGNATURE', `commit certificate: ${quorum.reason}`);
    const signers = cert.votes.map((s) => ({ index: s.validatorIndex, name: validators[s.validatorIndex]!.name, organization: validators[s.validatorIndex]!.organization }));
    pass('commit-certificate', `precommits of ${signers.map((s) => s.name).join(', ')} (power ${signedPower} of ${totalPower}) at round ${cert.round} verify`);

    // 10. the sender's certificate, when the tx carries one
    current = 'sender-certificate';
    let senderOrganization: string | null = null;
    let senderSubject: string | null = null;
    if (tx.body.senderCertificate !== null) {
      let reason = 'it chains to no organization root in the proof';
      for (const org of organizations) {
        const chain = verifyChainCached(tx.body.senderCertificate, org.intermediates, org.root, header.timeMs);
        if (!chain.ok) continue;
        if (!bytesEqual(chain.path[0]!.publicKey, tx.body.senderPublicKey)) {
          reason = `it chains to ${org.id} but certifies a different key`;
          continue;
        }
        senderOrganization = org.id;
        senderSubject = chain.path[0]!.subject.text;
        break;
      }
      if (senderOrganization === null) fail('PROOF_SENDER_CERT_INVALID', `the tx carries a sender certificate, but ${reason}`);
      pass('sender-certificate', `sender certified by ${senderOrganization}: ${senderSubject}`);
    } else {
      pass('sender-certificate', 'the tx carries no sender certificate; the sender is identified by its key only');
    }

    verdict.tx = {
      txId: toHex(txId),
      chainId: proof.chainId,
      height: header.height,
      index: txIndex,
      blockHash: toHex(blockHash),
      blockTimeMs: header.timeMs,
      contract: tx.body.contract,
      method: tx.body.method,
      args: parseJsonBytes(tx.body.args),
      sender: { address: addressOf(hash, tx.body.senderPublicKey), publicKey: toHex(tx.body.senderPublicKey), organization: senderOrganization, certificateSubject: senderSubject },
      receipt: {
        status: receipt.status,
        errorCode: receipt.errorCode,
        errorMessage: receipt.errorMessage,
        result: parseJsonBytes(receipt.result),
        events: receipt.events.map((e) => ({ name: e.name, data: parseJsonBytes(e.data) })),
      },
      signers,
    };

    // 11. the embedded genesis, when present, must be the one the proof names and list the same validators
    current = 'genesis';
    let embedded: Genesis | null = null;
    if (proof.genesis !== undefined) {
      const bytes = utf8(proof.genesis);
      const h = toHex(hash(bytes));
      if (h !== proof.genesisHash) fail('PROOF_GENESIS_MISMATCH', `the embedded genesis hashes to ${h}, the proof names ${proof.genesisHash}`);
      embedded = parseGenesisOrFail(bytes, 'the embedded genesis');
      const diff = differenceFromGenesis(embedded, proof);
      if (diff !== null) fail('PROOF_GENESIS_MISMATCH', `the embedded genesis does not match the proof: ${diff}`);
      pass('genesis', `the embedded genesis hashes to ${h} and lists exactly these validators and organizations`);
    }

    // 12. trust anchor
    current = 'trust-anchor';
    const trust: TrustReport = {
      anchor: 'none',
      genesisHash: proof.genesisHash,
      roots: organizations.map((o) => ({ organization: o.id, name: o.name, fingerprint: o.rootFingerprint })),
    };
    verdict.trust = trust;
    if (options.trustedGenesis !== undefined) {
      const h = toHex(hash(options.trustedGenesis));
      const trusted = parseGenesisOrFail(options.trustedGenesis, 'the trusted genesis');
      const diff = differenceFromGenesis(trusted, proof);
      if (diff !== null) fail('PROOF_GENESIS_MISMATCH', `the proof does not come from the trusted genesis (${h}): ${diff}`);
      if (h !== proof.genesisHash) fail('PROOF_GENESIS_MISMATCH', `the trusted genesis hashes to ${h}, the proof names ${proof.genesisHash}`);
      trust.anchor = 'genesis';
      pass('trust-anchor', `anchored to the trusted genesis file ${h}: its validators signed this block`);
    } else if (options.trustedGenesisHash !== undefined) {
      const wanted = options.trustedGenesisHash.toLowerCase();
      if (proof.genesisHash !== wanted) fail('PROOF_GENESIS_MISMATCH', `the proof is from the chain with genesis ${proof.genesisHash}, not the trusted ${wanted}`);
      if (embedded === null) {
        fail('PROOF_GENESIS_MISSING', 'the proof does not carry the genesis file, so its validator set cannot be tied to the trusted genesis hash; supply the genesis file or trusted root fingerprints instead');
      }
      trust.anchor = 'genesis-hash';
      pass('trust-anchor', `anchored to the trusted genesis hash ${wanted}: the embedded genesis has it and its validators signed this block`);
    } else if (options.trustedRootFingerprints !== undefined) {
      const wanted = new Set(options.trustedRootFingerprints.map((f) => f.toLowerCase()));
      const trustedOrgs = new Set(organizations.filter((o) => wanted.has(o.rootFingerprint)).map((o) => o.id));
      let trustedPower = 0;
      for (const s of cert.votes) if (trustedOrgs.has(validators[s.validatorIndex]!.organization)) trustedPower += validators[s.validatorIndex]!.power;
      if (!exceedsTwoThirds(trustedPower, totalPower)) {
        const untrusted = organizations.filter((o) => !trustedOrgs.has(o.id)).map((o) => `${o.id} ${o.rootFingerprint}`);
        fail('PROOF_UNTRUSTED_ROOTS', `signers certified by trusted roots hold ${trustedPower} of ${totalPower} power, not more than 2/3; roots not trusted: ${untrusted.join(', ')}`);
      }
      trust.anchor = 'root-fingerprints';
      pass('trust-anchor', `signers certified by trusted roots (${[...trustedOrgs].join(', ')}) hold ${trustedPower} of ${totalPower} power`);
    } else {
      pass('trust-anchor', `NOT ANCHORED: relied on the validator set the proof itself lists. Compare genesis hash ${proof.genesisHash} and root fingerprints ${trust.roots.map((r) => `${r.organization}=${r.fingerprint}`).join(', ')} with the published values`);
    }

    // 13. outcome of the call
    current = 'tx-outcome';
    if (receipt.status !== 'ok' && options.requireSuccess !== false) {
      fail('PROOF_TX_FAILED', `the tx was committed but its call failed: ${receipt.errorCode} ${receipt.errorMessage}`);
    }
    pass('tx-outcome', receipt.status === 'ok' ? 'the call succeeded' : `the call failed: ${receipt.errorCode}`);
    verdict.ok = true;
    return verdict;
  } catch (err) {
    if (err instanceof Failure) {
      checks.push({ name: current, ok: false, detail: err.message });
      verdict.failure = { code: err.code, message: err.message };
      return verdict;
    }
    const message = err instanceof GovchainError || err instanceof Error ? err.message : String(err);
    checks.push({ name: current, ok: false, detail: message });
    verdict.failure = { code: 'PROOF_MALFORMED', message: `the proof could not be checked: ${message}` };
    return verdict;
  }
}

/** The verdict as lines of text, one per check, then VALID or INVALID with the failure code. */
export function formatVerdict(verdict: ProofVerdict): string {
  const lines = verdict.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  lines.push(verdict.ok ? 'VALID' : `INVALID ${verdict.failure!.code}: ${verdict.failure!.message}`);
  return lines.join('\n');
}
