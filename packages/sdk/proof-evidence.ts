/**
 * Evidence (可信存证) records as the evidence system contract writes them, the canonical encoding of a data item's
 * core fields, and offline verification of an evidence proof bundle (`govchain-evidence-proof/1`): a tx proof plus
 * the record it created, checked against a file, a hash or core fields. Pure TypeScript, runs in browsers.
 * Format and checks: docs/proof-format.md; the contract: docs/evidence.md.
 */
import { Writer, toHex } from '@govchain/base';
import { getPureSuite, type CryptoSuite } from '@govchain/crypto/pure';
import type { JsonValue } from '@govchain/protocol';
import { verifyTxProof, type ProofCheck, type ProofVerdict, type TxProofInput, type VerifyTxProofOptions } from './proof.ts';

export const EVIDENCE_CONTRACT = 'evidence';
export const EVIDENCE_PROOF_FORMAT = 'govchain-evidence-proof/1';
export const EVIDENCE_FIELDS_DOMAIN = 'govchain/evidence/fields/v1';
/** Methods whose receipt result is `{records: EvidenceRecord[]}`. */
export const EVIDENCE_RECORDING_METHODS: readonly string[] = ['record', 'recordBatch'];

export type MetadataValue = string | number | boolean;

/** One evidence record, exactly as the contract stores it and returns it in the receipt. */
export interface EvidenceRecord {
  id: string;
  /** `file`: hash of a file's bytes; `fields`: hash of the canonical encoding of core fields (evidenceFieldsBytes). */
  kind: 'file' | 'fields';
  /** Hex suite hash (SM3 for gm, SHA-256 for intl). */
  hash: string;
  type: string;
  /** Template version the fields were hashed under (kind `fields`), or the type's template version when one existed. */
  templateVersion: number | null;
  /** Address (40 hex) of the owner's key: a pseudonym, never a name. */
  owner: string;
  /** Organization named by the sender's certificate (O), or null; attested offline by the proof's sender check. */
  organization: string | null;
  /** Address of the key that signed the tx. */
  submitter: string;
  businessRef: string | null;
  caseId: string | null;
  caseSeq: number | null;
  metadata: Record<string, MetadataValue>;
  size: number | null;
  mediaType: string | null;
  recordedAtMs: number;
  height: number;
  txId: string;
}

export interface EvidenceProofJson {
  format: typeof EVIDENCE_PROOF_FORMAT;
  evidenceId: string;
  record: EvidenceRecord;
  txProof: TxProofInput;
}

/** Unicode NFC, then leading and trailing white space removed: how a person's typing becomes a canonical value. */
export function normalizeFieldValue(value: string): string {
  return value.normalize('NFC').trim();
}

function compareUtf8(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return ea.length - eb.length;
}

/**
 * Canonical bytes of a data item's core fields (docs/evidence.md): string(domain) ‖ string(type) ‖ u32(templateVersion)
 * ‖ list of (string name ‖ string normalizeFieldValue(value)), sorted by the UTF-8 bytes of the name.
 */
export function evidenceFieldsBytes(type: string, templateVersion: number, fields: Readonly<Record<string, string>>): Uint8Array {
  const entries = Object.entries(fields)
    .map(([name, value]) => [name, normalizeFieldValue(String(value))] as const)
    .sort(([a], [b]) => compareUtf8(a, b));
  return new Writer(256)
    .string(EVIDENCE_FIELDS_DOMAIN)
    .string(type)
    .u32(templateVersion)
    .list(entries, (w, [name, value]) => w.string(name).string(value))
    .finish();
}

export function evidenceFieldsHash(suite: CryptoSuite | 'gm' | 'intl', type: string, templateVersion: number, fields: Readonly<Record<string, string>>): string {
  const s = typeof suite === 'string' ? getPureSuite(suite) : suite;
  return toHex(s.hash(evidenceFieldsBytes(type, templateVersion, fields)));
}

export interface VerifyEvidenceOptions extends VerifyTxProofOptions {
  /** The file to check against the record (its hash must equal the recorded one). */
  file?: Uint8Array;
  /** A hash to check against the record. */
  hash?: string;
  /** Core fields to check against a `fields` record (hashed with the record's type and template version). */
  fields?: Record<string, string>;
}

export interface EvidenceVerdict extends Omit<ProofVerdict, 'failure'> {
  failure?: { code: string; message: string };
  /** The record as committed (taken from the receipt, not from the bundle). */
  record?: EvidenceRecord;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Verify an evidence proof bundle offline: the tx proof (every check of verifyTxProof), that the committed tx is an
 * evidence recording whose receipt holds the record with this id, that the bundle's record is that record, and —
 * when given — that the file, hash or core fields match the recorded hash.
 */
export function verifyEvidenceProof(bundle: EvidenceProofJson, options: VerifyEvidenceOptions = {}): EvidenceVerdict {
  const failWith = (v: EvidenceVerdict, name: string, code: string, message: string): EvidenceVerdict => {
    v.checks.push({ name, ok: false, detail: message });
    v.ok = false;
    v.failure = { code, message };
    return v;
  };
  if (bundle === null || typeof bundle !== 'object' || bundle.format !== EVIDENCE_PROOF_FORMAT) {
    return failWith({ ok: false, checks: [] }, 'evidence-format', 'PROOF_UNSUPPORTED_FORMAT', `format must be ${EVIDENCE_PROOF_FORMAT}`);
  }
  const base = verifyTxProof(bundle.txProof, options);
  const v: EvidenceVerdict = { ...base, checks: [...base.checks] };
  if (!base.ok) return v;
  const pass = (name: string, detail: string): void => void v.checks.push({ name, ok: true, detail } satisfies ProofCheck);
  const tx = base.tx!;
  if (tx.contract !== EVIDENCE_CONTRACT || !EVIDENCE_RECORDING_METHODS.includes(tx.method)) {
    return failWith(v, 'evidence-record', 'PROOF_NOT_EVIDENCE', `the tx calls ${tx.contract}.${tx.method}, not an evidence recording`);
  }
  const result = tx.receipt.result as { records?: JsonValue } | null;
  const records = result !== null && typeof result === 'object' && Array.isArray(result.records) ? (result.records as unknown as EvidenceRecord[]) : [];
  const committed = records.find((r) => r !== null && typeof r === 'object' && r.id === bundle.evidenceId);
  if (committed === undefined) {
    return failWith(v, 'evidence-record', 'PROOF_RECORD_NOT_IN_TX', `the committed tx did not record evidence ${bundle.evidenceId}`);
  }
  if (committed.txId !== tx.txId || committed.height !== tx.height || committed.recordedAtMs !== tx.blockTimeMs) {
    return failWith(v, 'evidence-record', 'PROOF_RECORD_MISMATCH', `the committed record names tx ${committed.txId} at height ${committed.height}, time ${committed.recordedAtMs}; the proof is of tx ${tx.txId} at height ${tx.height}, time ${tx.blockTimeMs}`);
  }
  if (!sameJson(committed, bundle.record)) {
    return failWith(v, 'evidence-record', 'PROOF_RECORD_MISMATCH', `the bundle's record differs from the one committed in tx ${tx.txId}`);
  }
  v.record = committed;
  pass('evidence-record', `evidence ${committed.id} (${committed.kind}, type ${committed.type}) recorded at height ${committed.height}, ${new Date(committed.recordedAtMs).toISOString()}, hash ${committed.hash}`);

  const suite = options.suite ?? getPureSuite(bundle.txProof.suite);
  const algorithm = bundle.txProof.suite === 'gm' ? 'SM3' : 'SHA-256';
  if (options.file !== undefined) {
    const h = toHex(suite.hash(options.file));
    if (h !== committed.hash) {
      return failWith(v, 'file-hash', 'PROOF_FILE_HASH_MISMATCH', `the file's ${algorithm} hash ${h} differs from the recorded hash ${committed.hash}: the file is not the one recorded`);
    }
    pass('file-hash', `the file's ${algorithm} hash equals the recorded hash`);
  }
  if (options.hash !== undefined) {
    if (options.hash.toLowerCase() !== committed.hash) {
      return failWith(v, 'hash', 'PROOF_HASH_MISMATCH', `the hash ${options.hash.toLowerCase()} differs from the recorded hash ${committed.hash}`);
    }
    pass('hash', 'the given hash equals the recorded hash');
  }
  if (options.fields !== undefined) {
    if (committed.kind !== 'fields' || committed.templateVersion === null) {
      return failWith(v, 'fields-hash', 'PROOF_FIELDS_HASH_MISMATCH', `evidence ${committed.id} records a ${committed.kind}, not core fields`);
    }
    const h = evidenceFieldsHash(suite, committed.type, committed.templateVersion, options.fields);
    if (h !== committed.hash) {
      return failWith(v, 'fields-hash', 'PROOF_FIELDS_HASH_MISMATCH', `the fields hash to ${h}, not to the recorded hash ${committed.hash}: at least one value differs`);
    }
    pass('fields-hash', `the core fields hash (${algorithm}) equals the recorded hash`);
  }
  return v;
}
