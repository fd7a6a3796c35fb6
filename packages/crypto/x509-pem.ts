/**
 * PEM armour for certificates and certificate bundles, on top of the key PEM helpers in keys.ts (RFC 7468:
 * base64 of DER between BEGIN/END lines, 64 characters a line).
 */
import { GovchainError } from '@govchain/base';
import { fromPem, toPem } from './keys.ts';

/** A chain file holds a handful of certificates; this bounds the work on hostile input. */
const PEM_BLOCKS_MAX = 64;

export function encodePem(der: Uint8Array, label = 'CERTIFICATE'): string {
  return toPem(der, label);
}

/** Every block with `label`, in order; other blocks (a key beside a certificate) are skipped. */
export function decodePemAll(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const blocks = text.match(new RegExp(`-----BEGIN ${escaped}-----[\\s\\S]*?-----END ${escaped}-----`, 'g')) ?? [];
  if (blocks.length > PEM_BLOCKS_MAX) throw new GovchainError('PEM_MALFORMED', 'malformed', `more than ${PEM_BLOCKS_MAX} ${label} blocks`);
  return blocks.map((block) => fromPem(block, label));
}

/** Exactly one block with `label`; none or several is refused rather than guessed at. */
export function decodePem(text: string, label = 'CERTIFICATE'): Uint8Array {
  const all = decodePemAll(text, label);
  if (all.length !== 1) throw new GovchainError('PEM_MALFORMED', 'malformed', `expected one ${label} PEM block, found ${all.length}`);
  return all[0]!;
}
