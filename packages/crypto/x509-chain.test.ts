import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '@govchain/base';
import { verifyCertificateChain, type ChainResult } from './x509-chain.ts';
import { fastSignatureVerifier } from './suites.node.ts';
import { DAY_MS, NOW_MS, TEST_SUITES, indexOfBytes, issueParty, threeLevelPki } from './x509-testkit.ts';

function assertRefused(result: ChainResult, code: string, subjectPattern: RegExp, depth?: number): void {
  assert.equal(result.ok, false, 'expected a refusal');
  if (result.ok) return;
  assert.equal(result.error.code, code, result.error.message);
  assert.match(result.error.message, subjectPattern);
  if (depth !== undefined) assert.equal(result.error.details?.['depth'], depth);
}

for (const suite of TEST_SUITES) {
  test(`${suite}: a node certificate chains through the operating CA to the trusted root`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const result = verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(result.path.map((c) => c.subject.commonName), ['node-1', 'Govchain Operating CA', 'Govchain Root CA']);
    // Intermediates may come in any order and with unrelated extras.
    const extra = issueParty(suite, undefined, { isCA: true, keyUsage: ['keyCertSign'] });
    assert.ok(verifyCertificateChain(node.der, [extra.der, root.der, operating.der], [root.der], NOW_MS).ok);
    // The root and operating CA verify on their own too.
    assert.ok(verifyCertificateChain(operating.der, [], [root.der], NOW_MS).ok);
    assert.ok(verifyCertificateChain(root.der, [], [root.der], NOW_MS).ok);
  });

  test(`${suite}: a certificate whose issuer is neither supplied nor trusted is refused as CERT_UNKNOWN_ISSUER`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    assertRefused(verifyCertificateChain(node.der, [], [root.der], NOW_MS), 'CERT_UNKNOWN_ISSUER', /"CN=node-1,OU=Validators/, 0);
    const otherRoot = threeLevelPki(suite).root;
    assertRefused(verifyCertificateChain(node.der, [operating.der], [otherRoot.der], NOW_MS), 'CERT_UNKNOWN_ISSUER', /Govchain Operating CA/, 1);
    // A self-signed certificate that is not among the trusted roots.
    assertRefused(verifyCertificateChain(root.der, [], [], NOW_MS), 'CERT_UNKNOWN_ISSUER', /Govchain Root CA/, 0);
  });

  test(`${suite}: a certificate signed by a different CA of the same name is refused as CERT_BAD_SIGNATURE`, () => {
    const { root, operating } = threeLevelPki(suite);
    const impostor = issueParty(suite, root, {
      subject: { commonName: 'Govchain Operating CA', organization: '政务服务数据管理局', organizationalUnit: 'CA', country: 'CN' },
      isCA: true, keyUsage: ['keyCertSign'],
      // Same name and key id as the real operating CA, so only the signature tells them apart.
      subjectKeyId: operating.cert.subjectKeyId,
    });
    assert.deepEqual(impostor.cert.subject.der, operating.cert.subject.der);
    const forged = issueParty(suite, impostor);
    assertRefused(verifyCertificateChain(forged.der, [operating.der], [root.der], NOW_MS), 'CERT_BAD_SIGNATURE', /node-1/, 0);
  });

  test(`${suite}: a certificate with one altered signed byte is refused as CERT_BAD_SIGNATURE`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const der = node.der.slice();
    const at = indexOfBytes(der, utf8('node-1'));
    assert.ok(at > 0);
    der[at] = 'N'.charCodeAt(0);
    assertRefused(verifyCertificateChain(der, [operating.der], [root.der], NOW_MS), 'CERT_BAD_SIGNATURE', /Node-1/, 0);
  });

  test(`${suite}: certificates outside their validity are refused as CERT_EXPIRED or CERT_NOT_YET_VALID, the root included`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const leafEnd = node.cert.notAfterMs;
    assert.ok(verifyCertificateChain(node.der, [operating.der], [root.der], leafEnd).ok, 'valid through the notAfter second');
    assertRefused(verifyCertificateChain(node.der, [operating.der], [root.der], leafEnd + 1000), 'CERT_EXPIRED', /node-1.*expired at/, 0);
    assertRefused(verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS - 2 * DAY_MS), 'CERT_NOT_YET_VALID', /node-1/, 0);
    const shortRoot = issueParty(suite, undefined, { isCA: true, keyUsage: ['keyCertSign'], notAfterMs: NOW_MS + DAY_MS });
    const leaf = issueParty(suite, shortRoot);
    assertRefused(verifyCertificateChain(leaf.der, [], [shortRoot.der], NOW_MS + 2 * DAY_MS), 'CERT_EXPIRED', /serial/, 1);
  });

  test(`${suite}: a certificate issued by a non-CA leaf is refused as CERT_NOT_CA`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    // issueCertificate refuses a non-CA issuer, so forge the situation with a CA-shaped copy of the leaf's name and key.
    const leafAsIssuer = { ...node, cert: { ...node.cert, isCA: true } };
    const victim = issueParty(suite, leafAsIssuer, { subject: { commonName: 'signed-by-leaf' } });
    assertRefused(verifyCertificateChain(victim.der, [node.der, operating.der], [root.der], NOW_MS), 'CERT_NOT_CA', /node-1.*issued "CN=signed-by-leaf"/, 1);
    // A CA flag without keyCertSign in keyUsage is no better.
    const noCertSign = issueParty(suite, root, { subject: { commonName: 'half CA' }, isCA: false, keyUsage: ['digitalSignature'] });
    const below = issueParty(suite, { ...noCertSign, cert: { ...noCertSign.cert, isCA: true } });
    assertRefused(verifyCertificateChain(below.der, [noCertSign.der], [root.der], NOW_MS), 'CERT_NOT_CA', /half CA/, 1);
  });

  test(`${suite}: a CA below a CA with pathLength 0 is refused as CERT_PATH_TOO_LONG`, () => {
    const { root, operating } = threeLevelPki(suite);
    const subCa = issueParty(suite, { ...operating, cert: { ...operating.cert, pathLength: undefined } }, {
      subject: { commonName: 'Sub CA' }, isCA: true, keyUsage: ['keyCertSign'],
    });
    const leaf = issueParty(suite, subCa);
    assertRefused(verifyCertificateChain(leaf.der, [subCa.der, operating.der], [root.der], NOW_MS), 'CERT_PATH_TOO_LONG', /Operating CA.*allows 0/, 2);
  });

  test(`${suite}: a certificate whose serial is in the revoked set is refused as CERT_REVOKED`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const revokeLeaf = { revokedSerials: new Set([node.cert.serialNumber]) };
    assertRefused(verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS, revokeLeaf), 'CERT_REVOKED', /node-1.*revoked/, 0);
    const revokeCa = { revokedSerials: new Set([operating.cert.serialNumber]) };
    assertRefused(verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS, revokeCa), 'CERT_REVOKED', /Operating CA/, 1);
    assert.ok(verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS, { revokedSerials: new Set(['ffff']) }).ok);
  });

  test(`${suite}: malformed inputs are refused as CERT_MALFORMED naming which input`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    assertRefused(verifyCertificateChain(node.der.subarray(1), [operating.der], [root.der], NOW_MS), 'CERT_MALFORMED', /leaf certificate/);
    assertRefused(verifyCertificateChain(node.der, [new Uint8Array([0x30, 0])], [root.der], NOW_MS), 'CERT_MALFORMED', /intermediate certificate #1/);
    assertRefused(verifyCertificateChain(node.der, [operating.der], [operating.der, utf8('x')], NOW_MS), 'CERT_MALFORMED', /trusted root #2/);
  });

  test(`${suite}: a path longer than eight certificates is refused as CERT_PATH_TOO_LONG`, () => {
    const root = issueParty(suite, undefined, { subject: { commonName: 'CA 0' }, isCA: true, keyUsage: ['keyCertSign'] });
    const cas = [root];
    for (let i = 1; i <= 8; i++) cas.push(issueParty(suite, cas[i - 1], { subject: { commonName: `CA ${i}` }, isCA: true, keyUsage: ['keyCertSign'] }));
    const leaf = issueParty(suite, cas[8]);
    const intermediates = cas.slice(1).map((c) => c.der);
    assertRefused(verifyCertificateChain(leaf.der, intermediates, [root.der], NOW_MS), 'CERT_PATH_TOO_LONG', /within 8 certificates/);
    assert.ok(verifyCertificateChain(leaf.der, intermediates, [cas[2]!.der], NOW_MS).ok, 'a nearer trust anchor shortens the path');
  });
}

test('an issuer of the other suite with the same name and key id is never taken as the issuer', () => {
  const gm = threeLevelPki('gm');
  const intlRoot = issueParty('intl', undefined, {
    subject: { commonName: 'Govchain Root CA', organization: '政务服务数据管理局', country: 'CN' },
    isCA: true, keyUsage: ['keyCertSign'], subjectKeyId: gm.root.cert.subjectKeyId,
  });
  assert.deepEqual(intlRoot.cert.subject.der, gm.root.cert.subject.der);
  assertRefused(verifyCertificateChain(gm.operating.der, [], [intlRoot.der], NOW_MS), 'CERT_UNKNOWN_ISSUER', /Operating CA/, 0);
});

for (const suite of TEST_SUITES) {
  test(`${suite}: the caller's signature verifier is the one used, for every link and the root's self-signature`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const seen: string[] = [];
    const counting = (name: string, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
      seen.push(name);
      return fastSignatureVerifier(name as typeof suite, publicKey, message, signature);
    };
    assert.equal(verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS, { verifySignature: counting }).ok, true);
    assert.deepEqual(seen, [suite, suite, suite], 'node→operating, operating→root, root→itself');
    const refusing = verifyCertificateChain(node.der, [operating.der], [root.der], NOW_MS, { verifySignature: () => false });
    assertRefused(refusing, 'CERT_BAD_SIGNATURE', /.*/, 0);
  });
}
