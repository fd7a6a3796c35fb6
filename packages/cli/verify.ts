/**
 * `govchain verify <proof.json> [file]`: checks a tx proof (govchain-tx-proof/1) or an evidence proof
 * (govchain-evidence-proof/1) offline, prints every check and the verdict, and exits 0 only when it is valid
 * (1 when invalid, 2 when the inputs cannot be read). Trust anchors: --genesis, --genesis-hash, --root-fingerprint.
 * Format and checks: docs/proof-format.md.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { getSuite } from '@govchain/crypto';
import {
  EVIDENCE_PROOF_FORMAT, TX_PROOF_FORMAT, formatVerdict, verifyEvidenceProof, verifyTxProof,
  type EvidenceProofJson, type EvidenceVerdict, type TxProofInput, type VerifyEvidenceOptions,
} from '@govchain/sdk';

export interface VerifyCliOptions {
  genesis?: string;
  genesisHash?: string;
  rootFingerprint?: string[];
  hash?: string;
  fields?: string;
  json?: boolean;
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
}

class UsageError extends Error {}

/** Runs the check; returns the process exit code and the text to print. */
export function runVerify(proofPath: string, filePath: string | undefined, o: VerifyCliOptions): { code: number; out: string } {
  let proof: unknown;
  try {
    proof = JSON.parse(new TextDecoder().decode(readInput(proofPath, 'proof')));
    const anchors = [o.genesis, o.genesisHash, o.rootFingerprint?.length ? o.rootFingerprint : undefined].filter((x) => x !== undefined);
    if (anchors.length > 1) throw new UsageError('give one trust anchor: --genesis, --genesis-hash or --root-fingerprint');
    if (o.genesisHash !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.genesisHash)) throw new UsageError('--genesis-hash takes 64 hex characters');
    const format = (proof as { format?: unknown } | null)?.format;
    const suiteName = format === EVIDENCE_PROOF_FORMAT ? (proof as EvidenceProofJson).txProof?.suite : (proof as TxProofInput | null)?.suite;
    const options: VerifyEvidenceOptions = {
      ...(suiteName === 'gm' || suiteName === 'intl' ? { suite: getSuite(suiteName) } : {}),
      ...(o.genesis === undefined ? {} : { trustedGenesis: readInput(o.genesis, 'genesis file') }),
      ...(o.genesisHash === undefined ? {} : { trustedGenesisHash: o.genesisHash.toLowerCase() }),
      ...(o.rootFingerprint === undefined || o.rootFingerprint.length === 0 ? {} : { trustedRootFingerprints: o.rootFingerprint }),
    };
    let verdict: EvidenceVerdict;
    if (format === EVIDENCE_PROOF_FORMAT) {
      if (filePath !== undefined) options.file = readInput(filePath, 'file');
      if (o.hash !== undefined) options.hash = o.hash;
      if (o.fields !== undefined) options.fields = JSON.parse(new TextDecoder().decode(readInput(o.fields, 'fields file'))) as Record<string, string>;
      verdict = verifyEvidenceProof(proof as EvidenceProofJson, options);
    } else {
      if (filePath !== undefined || o.hash !== undefined || o.fields !== undefined) {
        throw new UsageError(`a file, hash or fields can be checked against an evidence proof (${EVIDENCE_PROOF_FORMAT}), not a ${String(format ?? 'unknown')} document`);
      }
      if (format !== TX_PROOF_FORMAT) throw new UsageError(`${proofPath} is not a proof: format ${JSON.stringify(format)} (expected ${TX_PROOF_FORMAT} or ${EVIDENCE_PROOF_FORMAT})`);
      verdict = verifyTxProof(proof as TxProofInput, options);
    }
    if (o.json) return { code: verdict.ok ? 0 : 1, out: JSON.stringify(verdict, null, 2) };
    const lines = [formatVerdict(verdict as Parameters<typeof formatVerdict>[0])];
    if (verdict.ok && verdict.record !== undefined) {
      const r = verdict.record;
      lines.push(`evidence ${r.id}: ${r.kind} ${r.hash}, type ${r.type}, recorded ${new Date(r.recordedAtMs).toISOString()} at height ${r.height} by ${r.organization ?? r.submitter}`);
    }
    if (verdict.ok && verdict.trust?.anchor === 'none') {
      lines.push('WARNING: not anchored to a trust anchor. Compare the genesis hash and root fingerprints above with the published values, or pass --genesis / --genesis-hash / --root-fingerprint.');
    }
    return { code: verdict.ok ? 0 : 1, out: lines.join('\n') };
  } catch (err) {
    if (err instanceof UsageError || err instanceof SyntaxError) return { code: 2, out: `error: ${err.message}` };
    throw err;
  }
}

export function registerVerifyCommand(program: Command): void {
  program.command('verify')
    .description('check a proof (tx or evidence) offline, and optionally a file against it; exit 0 only when valid')
    .argument('<proof>', 'proof JSON: GET /v1/txs/{id}/proof of a node, or an evidence proof bundle')
    .argument('[file]', 'a file to check against an evidence proof (its hash must be the recorded one)')
    .option('--genesis <file>', 'trust anchor: the chain\'s genesis.json')
    .option('--genesis-hash <hash>', 'trust anchor: the published genesis hash (needs a proof that carries the genesis)')
    .option('--root-fingerprint <hash...>', 'trust anchor: published organization root certificate fingerprints')
    .option('--hash <hash>', 'a hash to check against an evidence proof')
    .option('--fields <file>', 'JSON {field: value} of core fields to check against an evidence proof')
    .option('--json', 'print the verdict as JSON')
    .action((proofPath: string, filePath: string | undefined, o: VerifyCliOptions) => {
      const { code, out } = runVerify(proofPath, filePath, o);
      (code === 2 ? console.error : console.log)(out);
      process.exitCode = code;
    });
}
