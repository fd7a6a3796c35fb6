/**
 * Interop with the OpenSSL 3 CLI in both directions. OpenSSL facts these tests rely on (measured in
 * shared/measurements/baselines.md §5): without `distid` OpenSSL signs and verifies SM2 with an EMPTY ID, and
 * `openssl verify` of a three-level default-ID chain fails at depth 1 even with -vfyopt, so gm chains are checked
 * link by link with -partial_chain and the issuer as the only CA file. P-256 chains verify in one call.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8 } from '@govchain/base';
import { parseCertificate } from './x509.ts';
import { verifyCertificateChain, type ChainResult } from './x509-chain.ts';
import { decodePem, encodePem } from './x509-pem.ts';
import { DAY_MS, NOW_MS, indexOfBytes, issueParty, threeLevelPki, type Party } from './x509-testkit.ts';
import type { SuiteName } from './suite.ts';

const version = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const skip = version.status === 0 && /^OpenSSL 3\./.test(version.stdout) ? false : 'OpenSSL 3 CLI is not on PATH';

const DISTID = ['-vfyopt', 'distid:1234567812345678'];
const SIGN_DISTID = ['-sigopt', 'distid:1234567812345678'];
/** Our fixtures are issued around NOW_MS, so OpenSSL is asked to verify at that time too. */
const AT = ['-attime', String(NOW_MS / 1000)];

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'govchain-x509-'));
});
after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function opensslOk(...args: string[]): string {
  const r = openssl(...args);
  assert.equal(r.status, 0, `openssl ${args.join(' ')}\n${r.output}`);
  return r.output;
}

function writeCert(name: string, der: Uint8Array): string {
  const file = `${name}.pem`;
  writeFileSync(join(dir, file), encodePem(der));
  return file;
}

function readCert(file: string): Uint8Array {
  return decodePem(readFileSync(join(dir, file), 'utf8'));
}

function refusalCode(result: ChainResult): string {
  return result.ok ? 'ok' : result.error.code;
}

/** `openssl verify` of one certificate against one issuer; gm links need the default distid. */
function verifyLink(suite: SuiteName, certFile: string, issuerFile: string, extra: string[] = []): { status: number | null; output: string } {
  return openssl('verify', ...AT, ...(suite === 'gm' ? DISTID : []), ...extra, '-partial_chain', '-CAfile', issuerFile, certFile);
}

test('gm: openssl x509 reads each certificate of our SM2 chain as SM2-with-SM3 with its subject', { skip }, () => {
  const pki = threeLevelPki('gm');
  for (const [name, party] of Object.entries(pki) as [string, Party][]) {
    const file = writeCert(`gm-read-${name}`, party.der);
    const text = opensslOk('x509', '-in', file, '-noout', '-text');
    assert.match(text, /Signature Algorithm: SM2-with-SM3/);
    assert.match(text, /Public Key Algorithm: id-ecPublicKey[\s\S]*ASN1 OID: SM2/);
    assert.equal(opensslOk('x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb').trim(), `subject=${party.cert.subject.text}`);
    assert.equal(opensslOk('x509', '-in', file, '-noout', '-serial').trim(), `serial=${party.cert.serialNumber.toUpperCase()}`);
  }
  const nodeText = opensslOk('x509', '-in', 'gm-read-node.pem', '-noout', '-text');
  assert.match(nodeText, /DNS:node-1\.chain\.gov\.cn, IP Address:10\.0\.0\.1/);
  assert.match(nodeText, /TLS Web Server Authentication, TLS Web Client Authentication/);
  assert.match(opensslOk('x509', '-in', 'gm-read-root.pem', '-noout', '-text'), /CA:TRUE, pathlen:1/);
});

test('gm: every link of our SM2 chain passes openssl verify with the default distid and fails with the empty ID', { skip }, () => {
  const { root, operating, node } = threeLevelPki('gm');
  const files = { root: writeCert('gm-link-root', root.der), operating: writeCert('gm-link-op', operating.der), node: writeCert('gm-link-node', node.der) };
  for (const [cert, issuer] of [[files.node, files.operating], [files.operating, files.root], [files.root, files.root]] as const) {
    const r = verifyLink('gm', cert, issuer);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`${cert}: OK`));
  }
  // Without the distid OpenSSL computes Z over an empty ID: proof that we sign with 1234567812345678.
  const emptyId = openssl('verify', ...AT, '-partial_chain', '-CAfile', files.operating, files.node);
  assert.notEqual(emptyId.status, 0);
  assert.match(emptyId.output, /certificate signature failure/);
});

test('intl: openssl verify accepts our whole P-256 chain in one call', { skip }, () => {
  const { root, operating, node } = threeLevelPki('intl');
  const r = openssl('verify', ...AT, '-CAfile', writeCert('intl-root', root.der), '-untrusted', writeCert('intl-op', operating.der), writeCert('intl-node', node.der));
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /intl-node\.pem: OK/);
  assert.match(opensslOk('x509', '-in', 'intl-node.pem', '-noout', '-text'), /Signature Algorithm: ecdsa-with-SHA256[\s\S]*NIST CURVE: P-256/);
});

for (const suite of ['gm', 'intl'] as const) {
  test(`${suite}: openssl and we both refuse a foreign CA's certificate, an expired one, a tampered one and one issued by a leaf`, { skip }, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const rootFile = writeCert(`${suite}-neg-root`, root.der);
    const opFile = writeCert(`${suite}-neg-op`, operating.der);
    const nodeFile = writeCert(`${suite}-neg-node`, node.der);
    // gm checks the failing link alone (see the header); intl gives OpenSSL the whole chain.
    const check = (certFile: string, issuerFile: string, untrusted: string[], extra: string[] = []): { status: number | null; output: string } =>
      suite === 'gm'
        ? verifyLink(suite, certFile, issuerFile, extra)
        : openssl('verify', ...AT, ...extra, '-CAfile', rootFile, ...untrusted.flatMap((u) => ['-untrusted', u]), certFile);

    // Signed by a different CA (another PKI with the same names).
    const foreign = threeLevelPki(suite).node;
    const foreignFile = writeCert(`${suite}-neg-foreign`, foreign.der);
    assert.equal(refusalCode(verifyCertificateChain(foreign.der, [operating.der], [root.der], NOW_MS)), 'CERT_UNKNOWN_ISSUER');
    const foreignResult = check(foreignFile, opFile, [opFile]);
    assert.notEqual(foreignResult.status, 0);
    assert.match(foreignResult.output, /unable to get local issuer certificate|certificate signature failure/);

    // Expired: checked a day after the node certificate's notAfter.
    const late = node.cert.notAfterMs + DAY_MS;
    assert.equal(refusalCode(verifyCertificateChain(node.der, [operating.der], [root.der], late)), 'CERT_EXPIRED');
    const lateArgs = ['-attime', String(late / 1000)];
    const expired = suite === 'gm'
      ? openssl('verify', ...lateArgs, ...DISTID, '-partial_chain', '-CAfile', opFile, nodeFile)
      : openssl('verify', ...lateArgs, '-CAfile', rootFile, '-untrusted', opFile, nodeFile);
    assert.notEqual(expired.status, 0);
    assert.match(expired.output, /certificate has expired/);

    // One byte of the signed part changed.
    const tampered = node.der.slice();
    tampered[indexOfBytes(tampered, utf8('node-1'))] = 'N'.charCodeAt(0);
    assert.equal(refusalCode(verifyCertificateChain(tampered, [operating.der], [root.der], NOW_MS)), 'CERT_BAD_SIGNATURE');
    const tamperedResult = check(writeCert(`${suite}-neg-tampered`, tampered), opFile, [opFile]);
    assert.notEqual(tamperedResult.status, 0);
    assert.match(tamperedResult.output, /certificate signature failure/);

    // A leaf used as a CA: issueCertificate refuses that, so hand it a CA-shaped view of the leaf.
    const victim = issueParty(suite, { ...node, cert: { ...node.cert, isCA: true } }, { subject: { commonName: 'issued-by-leaf' } });
    assert.equal(refusalCode(verifyCertificateChain(victim.der, [node.der, operating.der], [root.der], NOW_MS)), 'CERT_NOT_CA');
    const victimResult = check(writeCert(`${suite}-neg-victim`, victim.der), nodeFile, [opFile, nodeFile]);
    assert.notEqual(victimResult.status, 0);
    assert.match(victimResult.output, /invalid CA certificate|key usage does not include certificate signing/);
  });
}

test('gm: an SM2 CA and leaves made by openssl with the default distid parse and chain with ours', { skip }, () => {
  opensslOk('genpkey', '-algorithm', 'SM2', '-out', 'o-gm-ca.key');
  opensslOk('req', '-x509', '-new', '-key', 'o-gm-ca.key', '-sm3', ...SIGN_DISTID, '-days', '365',
    '-subj', '/C=CN/O=OpenSSL Test/CN=OpenSSL SM2 CA', '-out', 'o-gm-ca.pem');
  opensslOk('genpkey', '-algorithm', 'SM2', '-out', 'o-gm-leaf.key');
  opensslOk('req', '-new', '-key', 'o-gm-leaf.key', '-sm3', ...SIGN_DISTID, '-subj', '/CN=openssl-leaf', '-out', 'o-gm-leaf.csr');
  const signLeaf = (out: string, extra: string[]): void => {
    opensslOk('x509', '-req', '-in', 'o-gm-leaf.csr', '-CA', 'o-gm-ca.pem', '-CAkey', 'o-gm-ca.key', '-CAcreateserial',
      '-sm3', ...SIGN_DISTID, ...DISTID, '-days', '30', ...extra, '-out', out);
  };
  signLeaf('o-gm-leaf.pem', []);
  writeFileSync(join(dir, 'o-gm-leaf.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
    'subjectAltName=DNS:openssl-leaf.gov.cn,IP:192.168.1.7',
  ].join('\n'));
  signLeaf('o-gm-leaf-v3.pem', ['-extfile', 'o-gm-leaf.ext']);

  const caDer = readCert('o-gm-ca.pem');
  const ca = parseCertificate(caDer);
  assert.equal(ca.suite, 'gm');
  assert.equal(ca.signatureAlgorithm.name, 'SM2-with-SM3');
  assert.equal(ca.subject.text, 'CN=OpenSSL SM2 CA,O=OpenSSL Test,C=CN');
  assert.equal(ca.isCA, true);
  const spki = new Uint8Array(spawnSync('openssl', ['pkey', '-in', 'o-gm-ca.key', '-pubout', '-outform', 'DER'], { cwd: dir }).stdout);
  assert.deepEqual(ca.publicKey, spki.subarray(spki.length - 65));

  const now = Date.now();
  for (const file of ['o-gm-leaf.pem', 'o-gm-leaf-v3.pem']) {
    const der = readCert(file);
    const result = verifyCertificateChain(der, [], [caDer], now);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    // The chain check includes the CA's self-signature, which `openssl verify` itself cannot check with a distid.
    assert.equal(result.path[1]!.fingerprint, ca.fingerprint);
  }
  const v1 = parseCertificate(readCert('o-gm-leaf.pem'));
  assert.deepEqual([v1.version, v1.subject.text, v1.isCA, v1.keyUsage], [1, 'CN=openssl-leaf', false, undefined]);
  const v3 = parseCertificate(readCert('o-gm-leaf-v3.pem'));
  assert.equal(v3.version, 3);
  assert.deepEqual(v3.keyUsage, ['digitalSignature']);
  assert.deepEqual(v3.extendedKeyUsage, ['clientAuth']);
  assert.deepEqual(v3.subjectAltNames, { dns: ['openssl-leaf.gov.cn'], ip: ['192.168.1.7'] });
});

test('gm: an SM2 certificate openssl signs with the empty ID fails our signature check', { skip }, () => {
  opensslOk('genpkey', '-algorithm', 'SM2', '-out', 'o-gm-empty.key');
  opensslOk('req', '-x509', '-new', '-key', 'o-gm-empty.key', '-sm3', '-days', '365', '-subj', '/CN=Empty ID CA', '-out', 'o-gm-empty.pem');
  const der = readCert('o-gm-empty.pem');
  const result = verifyCertificateChain(der, [], [der], Date.now());
  assert.equal(refusalCode(result), 'CERT_BAD_SIGNATURE');
});

test('intl: P-256 certificates made by openssl parse and chain with ours, whichever half s falls in', { skip }, () => {
  opensslOk('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'o-p256-ca.key');
  opensslOk('req', '-x509', '-new', '-key', 'o-p256-ca.key', '-sha256', '-days', '365', '-subj', '/CN=OpenSSL P-256 CA', '-out', 'o-p256-ca.pem');
  const caDer = readCert('o-p256-ca.pem');
  assert.equal(parseCertificate(caDer).signatureAlgorithm.name, 'ecdsa-with-SHA256');
  // OpenSSL does not normalise s; eight signatures include a high-s one with probability 255/256.
  for (let i = 0; i < 8; i++) {
    opensslOk('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `o-p256-${i}.key`);
    opensslOk('req', '-new', '-key', `o-p256-${i}.key`, '-sha256', '-subj', `/CN=p256-leaf-${i}`, '-out', `o-p256-${i}.csr`);
    opensslOk('x509', '-req', '-in', `o-p256-${i}.csr`, '-CA', 'o-p256-ca.pem', '-CAkey', 'o-p256-ca.key', '-CAcreateserial',
      '-sha256', '-days', '30', '-out', `o-p256-${i}.pem`);
    const result = verifyCertificateChain(readCert(`o-p256-${i}.pem`), [], [caDer], Date.now());
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.path[0]!.subject.commonName, `p256-leaf-${i}`);
  }
});
