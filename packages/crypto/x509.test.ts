import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GovchainError, concatBytes, fromHex, toHex, utf8 } from '@govchain/base';
import { parseCertificate, verifyCertificateSignature } from './x509.ts';
import { issueCertificate, keyIdentifierOf, type IssueCertificateInput } from './x509-issue.ts';
import { decodePem, encodePem, decodePemAll } from './x509-pem.ts';
import { getPureSuite } from './pure-suites.ts';
import { DAY_MS, NOW_MS, TEST_SUITES, indexOfBytes, issueParty, keyPairOf, seededRandom, threeLevelPki } from './x509-testkit.ts';

function assertMalformed(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GovchainError, `expected GovchainError, got ${String(err)}`);
    assert.equal(err.code, 'CERT_MALFORMED');
    if (pattern !== undefined) assert.match(err.message, pattern);
    return true;
  });
}

for (const suite of TEST_SUITES) {
  test(`${suite}: a self-signed CA certificate parses back to every field it was issued with`, () => {
    const { root } = threeLevelPki(suite);
    const c = root.cert;
    assert.equal(c.suite, suite);
    assert.equal(c.signatureAlgorithm.name, suite === 'gm' ? 'SM2-with-SM3' : 'ecdsa-with-SHA256');
    assert.deepEqual(
      { cn: c.subject.commonName, o: c.subject.organization, ou: c.subject.organizationalUnit, c: c.subject.country },
      { cn: 'Govchain Root CA', o: '政务服务数据管理局', ou: undefined, c: 'CN' },
    );
    assert.equal(c.subject.text, 'CN=Govchain Root CA,O=政务服务数据管理局,C=CN');
    assert.deepEqual(c.issuer.der, c.subject.der);
    assert.equal(c.notBeforeMs, NOW_MS - DAY_MS);
    assert.equal(c.notAfterMs, NOW_MS + 3650 * DAY_MS);
    assert.deepEqual(c.publicKey, root.keys.publicKey);
    assert.equal(c.isCA, true);
    assert.equal(c.pathLength, 1);
    assert.deepEqual(c.keyUsage, ['keyCertSign', 'cRLSign']);
    assert.equal(c.extendedKeyUsage, undefined);
    assert.deepEqual(c.subjectKeyId, keyIdentifierOf(suite, root.keys.publicKey));
    assert.deepEqual(c.authorityKeyId, c.subjectKeyId);
    assert.deepEqual(c.unknownCriticalExtensions, []);
    assert.equal(c.signature.length, 64);
    assert.deepEqual(c.der, root.der);
    assert.equal(c.fingerprint, toHex(getPureSuite(suite).hash(root.der)));
    assert.ok(verifyCertificateSignature(c, root.keys.publicKey));
  });

  test(`${suite}: a node certificate names its issuer, carries usages and alt names, and verifies with the issuer key only`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const c = node.cert;
    assert.equal(c.issuer.text, operating.cert.subject.text);
    assert.deepEqual(c.issuer.der, operating.cert.subject.der);
    assert.equal(c.subject.text, 'CN=node-1,OU=Validators,O=市场监督管理局,C=CN');
    assert.equal(c.isCA, false);
    assert.equal(c.pathLength, undefined);
    assert.deepEqual(c.keyUsage, ['digitalSignature', 'keyAgreement']);
    assert.deepEqual(c.extendedKeyUsage, ['serverAuth', 'clientAuth']);
    assert.deepEqual(c.subjectAltNames, { dns: ['node-1.chain.gov.cn'], ip: ['10.0.0.1'] });
    assert.deepEqual(c.authorityKeyId, operating.cert.subjectKeyId);
    assert.ok(verifyCertificateSignature(c, operating.keys.publicKey));
    assert.equal(verifyCertificateSignature(c, root.keys.publicKey), false);
    assert.equal(verifyCertificateSignature(c, node.keys.publicKey), false);
  });

  test(`${suite}: changing one byte of the signed part leaves a parseable certificate whose signature fails`, () => {
    const { operating, node } = threeLevelPki(suite);
    const der = node.der.slice();
    const at = indexOfBytes(der, utf8('node-1'));
    assert.ok(at > 0);
    der[at] = 'm'.charCodeAt(0);
    const tampered = parseCertificate(der);
    assert.equal(tampered.subject.commonName, 'mode-1');
    assert.equal(verifyCertificateSignature(tampered, operating.keys.publicKey), false);
  });

  test(`${suite}: parsing a few hundred mutated certificates gives CERT_MALFORMED or a certificate whose signature fails`, () => {
    const { operating, node } = threeLevelPki(suite);
    const random = seededRandom(20260115);
    let parsed = 0;
    for (let round = 0; round < 400; round++) {
      const der = node.der.slice();
      const kind = round % 4;
      let mutated: Uint8Array;
      if (kind === 0) {
        // Flip one bit in each of 1 to 3 distinct bytes (distinct, so two flips cannot cancel out).
        const positions = new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * der.length)));
        for (const at of positions) der[at] ^= 1 << Math.floor(random() * 8);
        mutated = der;
      } else if (kind === 1) {
        mutated = der.subarray(0, Math.floor(random() * der.length));
      } else if (kind === 2) {
        const at = Math.floor(random() * der.length);
        mutated = concatBytes(der.subarray(0, at), new Uint8Array([Math.floor(random() * 256)]), der.subarray(at));
      } else {
        // Overwrite a random byte with a length-ish value, the kind of damage that confuses TLV parsers; never
        // with the value it already has, or the "mutation" would rightly still verify.
        const at = Math.floor(random() * der.length);
        const value = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][Math.floor(random() * 7)]!;
        der[at] = value === der[at] ? value ^ 0x01 : value;
        mutated = der;
      }
      try {
        const cert = parseCertificate(mutated);
        parsed++;
        assert.equal(verifyCertificateSignature(cert, operating.keys.publicKey), false, `round ${round} still verifies`);
      } catch (err) {
        assert.ok(err instanceof GovchainError, `round ${round}: ${String(err)}`);
        assert.equal(err.code, 'CERT_MALFORMED', `round ${round}`);
      }
    }
    // Most damage is caught by parsing; some (inside strings, key ids) only by the signature.
    assert.ok(parsed < 200, `${parsed} of 400 mutations parsed`);
  });

  test(`${suite}: key identifiers are the first 20 bytes of the suite hash of the public key`, () => {
    const keys = keyPairOf(suite);
    assert.deepEqual(keyIdentifierOf(suite, keys.publicKey), getPureSuite(suite).hash(keys.publicKey).subarray(0, 20));
    const explicit = fromHex('0102030405');
    const party = issueParty(suite, undefined, { subjectKeyId: explicit, isCA: true, keyUsage: ['keyCertSign'] });
    assert.deepEqual(party.cert.subjectKeyId, explicit);
    assert.deepEqual(issueParty(suite, party).cert.authorityKeyId, explicit);
  });

  test(`${suite}: serial numbers round-trip as minimal unsigned hex, up to 20 encoded octets`, () => {
    const cases: [string, string][] = [['01', '01'], ['00ff', 'ff'], ['7f'.padEnd(40, 'e'), '7f'.padEnd(40, 'e')], ['80'.padEnd(38, '1'), '80'.padEnd(38, '1')]];
    for (const [given, parsed] of cases) assert.equal(issueParty(suite, undefined, { serialNumber: given }).cert.serialNumber, parsed);
    for (const bad of ['', '00', 'xyz', '80'.padEnd(40, '0'), '01'.repeat(21)]) {
      assert.throws(() => issueParty(suite, undefined, { serialNumber: bad }), /serialNumber/);
    }
  });

  test(`${suite}: validity after 2049 is written as GeneralizedTime and read back exactly`, () => {
    const notAfterMs = Date.UTC(2070, 5, 30, 23, 59, 59);
    const party = issueParty(suite, undefined, { notAfterMs });
    assert.equal(party.cert.notAfterMs, notAfterMs);
    assert.ok(indexOfBytes(party.der, utf8('20700630235959Z')) > 0);
    // Milliseconds are dropped: X.509 stores whole seconds.
    assert.equal(issueParty(suite, undefined, { notBeforeMs: NOW_MS + 999 }).cert.notBeforeMs, NOW_MS);
  });

  test(`${suite}: issuing refuses input that would produce a wrong or unverifiable certificate`, () => {
    const { operating, node } = threeLevelPki(suite);
    const other = keyPairOf(suite);
    const base: IssueCertificateInput = {
      suite, issuerPrivateKey: operating.keys.privateKey, issuerCertificate: operating.cert, subject: { commonName: 'x' },
      subjectPublicKey: other.publicKey, serialNumber: '01', notBeforeMs: NOW_MS, notAfterMs: NOW_MS + DAY_MS,
      isCA: false, keyUsage: ['digitalSignature'],
    };
    const refusals: [Partial<IssueCertificateInput>, RegExp][] = [
      [{ issuerPrivateKey: other.privateKey }, /does not match the key of/],
      [{ issuerCertificate: undefined }, /self-signed certificate: issuerPrivateKey does not match/],
      [{ issuerCertificate: node.cert, issuerPrivateKey: node.keys.privateKey }, /is not a CA certificate/],
      [{ subjectPublicKey: other.publicKey.subarray(1) }, /not a valid public key/],
      [{ keyUsage: ['keyCertSign'] }, /keyCertSign must be set exactly when isCA/],
      [{ isCA: true }, /keyCertSign must be set exactly when isCA/],
      [{ pathLength: 0 }, /pathLength/],
      [{ keyUsage: [] }, /at least one usage/],
      [{ notAfterMs: NOW_MS }, /notBeforeMs must be before notAfterMs/],
      [{ subjectAltNames: { dns: ['bad name'] } }, /not a DNS name/],
      [{ subjectAltNames: { ip: ['10.0.0.256'] } }, /not an IP address/],
      [{ subject: { commonName: '' } }, /commonName must be 1 to 64/],
      [{ subject: { commonName: 'x'.repeat(65) } }, /commonName must be 1 to 64/],
      [{ subject: { commonName: 'a\nb' } }, /control character/],
      [{ subject: { commonName: 'x', country: 'China' } }, /country must be two capital letters/],
    ];
    assert.ok(issueCertificate(base).length > 0);
    for (const [change, pattern] of refusals) assert.throws(() => issueCertificate({ ...base, ...change }), pattern);
  });

  test(`${suite}: PEM armour round-trips one certificate and reads every certificate of a bundle in order`, () => {
    const { root, operating, node } = threeLevelPki(suite);
    const pem = encodePem(node.der);
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
    assert.deepEqual(decodePem(pem), node.der);
    const bundle = `subject=node\n${encodePem(node.der)}\r\n${encodePem(operating.der)}${encodePem(root.der)}`;
    assert.deepEqual(decodePemAll(bundle), [node.der, operating.der, root.der]);
  });
}

test('a certificate with a special-character subject prints an RFC 4514 string with escapes', () => {
  const party = issueParty('intl', undefined, { subject: { commonName: ' #a,b+c"d\\e<f>g;h ', organization: 'O' } });
  assert.equal(party.cert.subject.text, 'CN=\\ #a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\ ,O=O');
  assert.equal(party.cert.subject.commonName, ' #a,b+c"d\\e<f>g;h ');
});

test('parsing refuses non-certificates and non-DER encodings with CERT_MALFORMED', () => {
  const { der } = issueParty('intl', undefined);
  assertMalformed(() => parseCertificate(new Uint8Array(0)));
  assertMalformed(() => parseCertificate(new Uint8Array(70_000)), /1 to 65536 bytes/);
  assertMalformed(() => parseCertificate(utf8('-----BEGIN CERTIFICATE-----')));
  assertMalformed(() => parseCertificate(concatBytes(der, new Uint8Array([0]))));
  // The outer length in a non-minimal long form: valid BER, not DER.
  assert.equal(der[1], 0x82);
  const longForm = concatBytes(new Uint8Array([0x30, 0x83, 0x00]), der.subarray(2));
  assertMalformed(() => parseCertificate(longForm), /not DER/);
});

test('a PEM block with a different label or broken base64 is refused', () => {
  const { der } = issueParty('intl', undefined);
  const pem = encodePem(der);
  assert.throws(() => decodePem(pem.replaceAll('CERTIFICATE', 'PUBLIC KEY')), GovchainError);
  assert.throws(() => decodePem(pem.replace(/\n[A-Za-z]/, '\n*')), GovchainError);
  assert.deepEqual(decodePemAll('no certificates here'), []);
});
