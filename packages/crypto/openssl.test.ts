// Cross-checks against the OpenSSL command-line tool in both directions: what we produce, OpenSSL accepts, and
// what OpenSSL produces, we accept. Needs `openssl` (3.x, with SM2) on PATH; skipped with a note otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bytesToHex as hex } from '@noble/hashes/utils.js';
import { sm2GenerateKeyPair, sm2Sign, sm2Verify } from './sm2.ts';
import { sm2CiphertextFromDer, sm2CiphertextToDer, sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
import { signatureFromDer, signatureToDer } from './sig-der.ts';
import { privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './keys.ts';
import { sm4Ctr } from './sm4.ts';
import { getSuite } from './suites.node.ts';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'the openssl command-line tool is not installed';

function workdir(): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'govchain-openssl-'));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `openssl pkeyutl -verify` and reports whether it printed success (its exit status alone is not enough). */
function opensslVerifies(args: string[]): boolean {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('Signature Verified Successfully');
}

test('our SM2 signature with the default ID verifies with openssl pkeyutl -pkeyopt distid:1234567812345678', { skip }, () => {
  const w = workdir();
  try {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const message = randomBytes(200);
    writeFileSync(w.path('pub.pem'), publicKeyToPem(publicKey));
    writeFileSync(w.path('msg.bin'), message);
    writeFileSync(w.path('sig.der'), signatureToDer(sm2Sign(privateKey, message)));
    const base = ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', w.path('pub.pem'), '-in', w.path('msg.bin'), '-sigfile', w.path('sig.der')];
    assert.equal(opensslVerifies([...base, '-pkeyopt', 'distid:1234567812345678']), true);
    // Without the distid OpenSSL uses an empty ID, so the same signature must fail there.
    assert.equal(opensslVerifies(base), false);
  } finally {
    w.cleanup();
  }
});

test('an OpenSSL SM2 signature with distid 1234567812345678 verifies with ours, and one with the empty ID does not', { skip }, () => {
  const w = workdir();
  try {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const message = randomBytes(333);
    writeFileSync(w.path('key.pem'), privateKeyToPem(privateKey));
    writeFileSync(w.path('msg.bin'), message);
    const sign = ['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', w.path('key.pem'), '-in', w.path('msg.bin')];
    const withId = signatureFromDer(openssl([...sign, '-pkeyopt', 'distid:1234567812345678']));
    const emptyId = signatureFromDer(openssl(sign));
    const suite = getSuite('gm');
    assert.equal(sm2Verify(publicKey, message, withId), true);
    assert.equal(suite.verify(publicKey, message, withId), true);
    assert.equal(sm2Verify(publicKey, message, emptyId), false);
    assert.equal(suite.verify(publicKey, message, emptyId), false);
    // …yet it is a valid SM2 signature over the empty ID: only the ID differs.
    assert.equal(sm2Verify(publicKey, message, emptyId, { id: new Uint8Array(0) }), true);
  } finally {
    w.cleanup();
  }
});

test('a non-default ID (ALICE123@YAHOO.COM) interoperates with OpenSSL distid in both directions', { skip }, () => {
  const w = workdir();
  try {
    const id = new TextEncoder().encode('ALICE123@YAHOO.COM');
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const message = randomBytes(64);
    writeFileSync(w.path('key.pem'), privateKeyToPem(privateKey));
    writeFileSync(w.path('pub.pem'), publicKeyToPem(publicKey));
    writeFileSync(w.path('msg.bin'), message);
    const theirs = signatureFromDer(openssl(['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', w.path('key.pem'), '-in', w.path('msg.bin'), '-pkeyopt', 'distid:ALICE123@YAHOO.COM']));
    assert.equal(sm2Verify(publicKey, message, theirs, { id }), true);
    assert.equal(sm2Verify(publicKey, message, theirs), false);
    writeFileSync(w.path('sig.der'), signatureToDer(sm2Sign(privateKey, message, { id })));
    assert.equal(opensslVerifies(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', w.path('pub.pem'), '-in', w.path('msg.bin'), '-sigfile', w.path('sig.der'), '-pkeyopt', 'distid:ALICE123@YAHOO.COM']), true);
  } finally {
    w.cleanup();
  }
});

test('SM2 encryption interoperates with openssl pkeyutl -encrypt/-decrypt (GM/T 0009 DER) in both directions', { skip }, () => {
  const w = workdir();
  try {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    writeFileSync(w.path('key.pem'), privateKeyToPem(privateKey));
    writeFileSync(w.path('pub.pem'), publicKeyToPem(publicKey));
    const secret = randomBytes(32);
    writeFileSync(w.path('secret.bin'), secret);
    const theirs = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', w.path('pub.pem'), '-in', w.path('secret.bin')]);
    assert.equal(hex(sm2Decrypt(privateKey, sm2CiphertextFromDer(theirs))), hex(secret));
    assert.equal(hex(getSuite('gm').unwrapKey(privateKey, sm2CiphertextFromDer(theirs))), hex(secret));
    writeFileSync(w.path('ours.der'), sm2CiphertextToDer(sm2Encrypt(publicKey, secret)));
    assert.equal(hex(openssl(['pkeyutl', '-decrypt', '-inkey', w.path('key.pem'), '-in', w.path('ours.der')])), hex(secret));
    writeFileSync(w.path('wrapped.der'), sm2CiphertextToDer(getSuite('gm').wrapKey(publicKey, secret)));
    assert.equal(hex(openssl(['pkeyutl', '-decrypt', '-inkey', w.path('key.pem'), '-in', w.path('wrapped.der')])), hex(secret));
  } finally {
    w.cleanup();
  }
});

test('pure SM4-CTR output equals openssl enc -sm4-ctr', { skip }, () => {
  const w = workdir();
  try {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    iv.fill(0xff, 12); // exercise the carry out of the low 32 bits
    const data = randomBytes(1000);
    writeFileSync(w.path('plain.bin'), data);
    const theirs = openssl(['enc', '-sm4-ctr', '-K', hex(key), '-iv', hex(iv), '-in', w.path('plain.bin')]);
    assert.equal(hex(sm4Ctr(key, iv, data)), hex(theirs));
  } finally {
    w.cleanup();
  }
});

test('keys written by openssl genpkey -algorithm SM2 parse, and our PEM encoding is byte-identical to OpenSSL\'s', { skip }, () => {
  const w = workdir();
  try {
    openssl(['genpkey', '-algorithm', 'SM2', '-out', w.path('key.pem')]);
    openssl(['pkey', '-in', w.path('key.pem'), '-pubout', '-out', w.path('pub.pem')]);
    const keyPem = readFileSync(w.path('key.pem'), 'utf8');
    const pubPem = readFileSync(w.path('pub.pem'), 'utf8');
    const { privateKey, publicKey } = privateKeyFromPem(keyPem);
    assert.equal(hex(publicKeyFromPem(pubPem)), hex(publicKey));
    assert.equal(privateKeyToPem(privateKey), keyPem);
    assert.equal(publicKeyToPem(publicKey), pubPem);
  } finally {
    w.cleanup();
  }
});
