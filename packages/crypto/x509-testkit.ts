/**
 * Test fixtures for the x509 tests: key pairs per suite and a three-level PKI (root CA → operating CA → node).
 * Not exported from the package.
 */
import { parseCertificate, type ParsedCertificate } from './x509.ts';
import { issueCertificate, type IssueCertificateInput } from './x509-issue.ts';
import { SUITE_NAMES, type KeyPair, type SuiteName } from './suite.ts';
import { getPureSuite } from './pure-suites.ts';

export const TEST_SUITES: readonly SuiteName[] = SUITE_NAMES;

export const DAY_MS = 86_400_000;
/** A fixed clock, whole seconds, so expected validity bounds are exact. */
export const NOW_MS = Date.UTC(2026, 0, 15, 8, 0, 0);

export function keyPairOf(suite: SuiteName): KeyPair {
  return getPureSuite(suite).generateKeyPair();
}

export interface Party {
  keys: KeyPair;
  der: Uint8Array;
  cert: ParsedCertificate;
}

type Overrides = Partial<Omit<IssueCertificateInput, 'suite' | 'issuerPrivateKey' | 'issuerCertificate' | 'subjectPublicKey'>>;

let serial = 0x1000;

/** Issue a certificate for fresh keys; `issuer` undefined means self-signed. */
export function issueParty(suite: SuiteName, issuer: Party | undefined, overrides: Overrides = {}): Party {
  const keys = keyPairOf(suite);
  const der = issueCertificate({
    suite,
    issuerPrivateKey: issuer?.keys.privateKey ?? keys.privateKey,
    ...(issuer === undefined ? {} : { issuerCertificate: issuer.cert }),
    subjectPublicKey: keys.publicKey,
    subject: { commonName: 'node-1', organization: 'Test Bureau', country: 'CN' },
    serialNumber: (serial++).toString(16).padStart(4, '0'),
    notBeforeMs: NOW_MS - DAY_MS,
    notAfterMs: NOW_MS + 365 * DAY_MS,
    isCA: false,
    keyUsage: ['digitalSignature'],
    ...overrides,
  });
  return { keys, der, cert: parseCertificate(der) };
}

export interface Pki {
  root: Party;
  operating: Party;
  node: Party;
}

export function threeLevelPki(suite: SuiteName): Pki {
  const root = issueParty(suite, undefined, {
    subject: { commonName: 'Govchain Root CA', organization: '政务服务数据管理局', country: 'CN' },
    notAfterMs: NOW_MS + 3650 * DAY_MS,
    isCA: true,
    pathLength: 1,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const operating = issueParty(suite, root, {
    subject: { commonName: 'Govchain Operating CA', organization: '政务服务数据管理局', organizationalUnit: 'CA', country: 'CN' },
    notAfterMs: NOW_MS + 1825 * DAY_MS,
    isCA: true,
    pathLength: 0,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const node = issueParty(suite, operating, {
    subject: { commonName: 'node-1', organization: '市场监督管理局', organizationalUnit: 'Validators', country: 'CN' },
    keyUsage: ['digitalSignature', 'keyAgreement'],
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    subjectAltNames: { dns: ['node-1.chain.gov.cn'], ip: ['10.0.0.1'] },
  });
  return { root, operating, node };
}

/** Deterministic PRNG (mulberry32) so a fuzz failure can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
