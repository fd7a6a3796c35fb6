import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex as hex, hexToBytes } from '@noble/hashes/utils.js';
import { GovchainError } from '@govchain/base';
import { derOid } from './der.ts';
import { signatureFromDer, signatureToDer } from './sig-der.ts';
import { CRYPTO_MALFORMED } from './errors.ts';

const malformed = (err: unknown): boolean => err instanceof GovchainError && err.code === CRYPTO_MALFORMED;

test('raw r||s converts to canonical DER and back, with 0x00 padding for high bits and zero stripping', () => {
  const raw = hexToBytes('00'.repeat(31) + '7f' + 'ff'.repeat(32));
  const der = signatureToDer(raw);
  assert.equal(hex(der), '3026' + '02017f' + '022100' + 'ff'.repeat(32));
  assert.equal(hex(signatureFromDer(der)), hex(raw));
});

test('DER signatures that are not canonical or do not fit 32 bytes are refused as CRYPTO_MALFORMED', () => {
  const bad = [
    '3006020100020100' + '00', // trailing byte
    '30070202007f020101', // non-minimal INTEGER
    '3006020180020101', // negative INTEGER
    '308106020101020101', // non-minimal length
    '3026022201' + 'ff'.repeat(32) + '020101', // 33-byte magnitude
    '3005020101020101', // inner length runs past the sequence
  ];
  for (const h of bad) assert.throws(() => signatureFromDer(hexToBytes(h)), malformed, h);
});

test('OIDs encode per X.690, including multi-byte arcs (SM2 curve 1.2.156.10197.1.301)', () => {
  assert.equal(hex(derOid('1.2.156.10197.1.301')), '06082a811ccf5501822d');
  assert.equal(hex(derOid('1.2.840.10045.2.1')), '06072a8648ce3d0201');
});
