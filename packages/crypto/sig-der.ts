/**
 * Raw r || s signatures (protocol form) ⇄ DER `SEQUENCE { r INTEGER, s INTEGER }` (OpenSSL, X.509).
 * Both SM2 (GM/T 0009 §7.3) and ECDSA use this ASN.1 shape.
 */
import { DerReader, derSequence, derUnsignedInteger, fixedWidth } from './der.ts';
import { malformedEncoding } from './errors.ts';

export function signatureToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw malformedEncoding(`raw signature must be 64 bytes r||s, got ${raw.length}`);
  return derSequence(derUnsignedInteger(raw.subarray(0, 32)), derUnsignedInteger(raw.subarray(32)));
}

/** Strict DER to raw r || s; throws CRYPTO_MALFORMED if the DER is not canonical or r/s exceed 32 bytes. */
export function signatureFromDer(der: Uint8Array): Uint8Array {
  const outer = new DerReader(der, 'DER signature');
  const seq = outer.readSequence('DER signature');
  outer.end();
  const r = fixedWidth(seq.readUnsignedInteger(), 32);
  const s = fixedWidth(seq.readUnsignedInteger(), 32);
  seq.end();
  if (r === null || s === null) throw malformedEncoding('DER signature: r or s is longer than 32 bytes');
  const out = new Uint8Array(64);
  out.set(r);
  out.set(s, 32);
  return out;
}
