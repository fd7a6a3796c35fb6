/**
 * PEM armour (RFC 7468): base64 of DER between `-----BEGIN <label>-----` and `-----END <label>-----`, 64 characters
 * a line. Decoding is strict about the label and the base64 (so a key is never read where a certificate was meant),
 * and lenient only about surrounding text and line endings, as RFC 7468 asks. btoa/atob keep this browser-safe.
 */
import { GovchainError } from '@govchain/base';

const PEM_BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A PEM bundle (a chain file) holds a handful of certificates; this bounds the work on hostile input. */
const PEM_BLOCKS_MAX = 64;

export function encodePem(der: Uint8Array, label = 'CERTIFICATE'): string {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every block with `label`, in order; other blocks (a key beside a certificate) are skipped. */
export function decodePemAll(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const out: Uint8Array[] = [];
  let blocks = 0;
  for (const match of text.matchAll(PEM_BLOCK_RE)) {
    if (++blocks > PEM_BLOCKS_MAX) throw new GovchainError('PEM_MALFORMED', 'malformed', `more than ${PEM_BLOCKS_MAX} PEM blocks`);
    if (match[1] !== label) continue;
    const body = match[2]!.replace(/\s+/g, '');
    if (!BASE64_RE.test(body)) throw new GovchainError('PEM_MALFORMED', 'malformed', `the ${label} block is not valid base64`);
    out.push(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
  }
  return out;
}

/** Exactly one block with `label`; none or several is refused rather than guessed at. */
export function decodePem(text: string, label = 'CERTIFICATE'): Uint8Array {
  const all = decodePemAll(text, label);
  if (all.length !== 1) throw new GovchainError('PEM_MALFORMED', 'malformed', `expected one ${label} PEM block, found ${all.length}`);
  return all[0]!;
}
