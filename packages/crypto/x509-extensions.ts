/**
 * The certificate extensions govchain writes and reads: basicConstraints and keyUsage (both critical),
 * extKeyUsage, subjectAltName (DNS and IP), subjectKeyIdentifier, authorityKeyIdentifier. Any other extension is
 * carried through unread; a critical one is listed so that chain validation can refuse it (RFC 5280 §4.2).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, Extension, GeneralName, KeyIdentifier, KeyUsage,
  KeyUsageFlags, SubjectAlternativeName, SubjectKeyIdentifier, id_ce_authorityKeyIdentifier, id_ce_basicConstraints,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { GovchainError } from '@govchain/base';

export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

const KEY_USAGE_NAMES: readonly KeyUsageName[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign',
  'cRLSign', 'encipherOnly', 'decipherOnly',
];

const EKU_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;

const EKU_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EKU_OIDS).map(([name, oid]) => [oid, name]));

export type ExtendedKeyUsageName = keyof typeof EKU_OIDS;

export interface SubjectAltNames {
  dns?: string[];
  /** IPv4 dotted quads or IPv6 text. */
  ip?: string[];
}

export interface ExtensionsInput {
  isCA: boolean;
  pathLength?: number;
  keyUsage: readonly KeyUsageName[];
  extendedKeyUsage?: readonly ExtendedKeyUsageName[];
  subjectAltNames?: SubjectAltNames;
  subjectKeyId: Uint8Array;
  authorityKeyId: Uint8Array;
}

export interface CertificateExtensions {
  isCA: boolean;
  /** undefined: no path length constraint. */
  pathLength: number | undefined;
  /** undefined: no keyUsage extension, so the key is not restricted by it. */
  keyUsage: KeyUsageName[] | undefined;
  /** Names for the purposes above, dotted OIDs for others; undefined when the extension is absent. */
  extendedKeyUsage: string[] | undefined;
  /** DNS and IP entries; other kinds of alternative names are not reported. */
  subjectAltNames: { dns: string[]; ip: string[] };
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** OIDs of critical extensions this module does not understand; chain validation refuses such certificates. */
  unknownCriticalExtensions: string[];
}

/** Refusal of issuing input that would make a wrong certificate. */
export function certificateInputError(message: string): GovchainError {
  return new GovchainError('CERT_BAD_INPUT', 'malformed', message);
}

const IPV4_RE = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_RE = /^[0-9a-fA-F:]{2,39}$/;
const DNS_RE = /^(?:\*\.)?(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const DNS_NAME_LENGTH_MAX = 253;

function altNameEntries(names: SubjectAltNames): GeneralName[] {
  const out: GeneralName[] = [];
  for (const dns of names.dns ?? []) {
    if (dns.length > DNS_NAME_LENGTH_MAX || !DNS_RE.test(dns)) throw certificateInputError(`"${dns}" is not a DNS name`);
    out.push(new GeneralName({ dNSName: dns }));
  }
  for (const ip of names.ip ?? []) {
    // IPv6 text is parsed by the ASN.1 library; the pattern only keeps other text away from it.
    if (!IPV4_RE.test(ip) && !(IPV6_RE.test(ip) && ip.includes(':'))) throw certificateInputError(`"${ip}" is not an IP address`);
    out.push(new GeneralName({ iPAddress: ip }));
  }
  return out;
}

function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** The extensions, in the order OpenSSL writes them. */
export function buildExtensions(input: ExtensionsInput): Extension[] {
  let keyUsageFlags = 0;
  for (const name of new Set(input.keyUsage)) keyUsageFlags |= KeyUsageFlags[name];
  const extensions = [
    extension(id_ce_basicConstraints, true, new BasicConstraints(
      input.pathLength === undefined ? { cA: input.isCA } : { cA: true, pathLenConstraint: input.pathLength },
    )),
    extension(id_ce_keyUsage, true, new KeyUsage(keyUsageFlags)),
  ];
  if (input.extendedKeyUsage !== undefined && input.extendedKeyUsage.length > 0) {
    extensions.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage(input.extendedKeyUsage.map((n) => EKU_OIDS[n]))));
  }
  const altNames = altNameEntries(input.subjectAltNames ?? {});
  if (altNames.length > 0) extensions.push(extension(id_ce_subjectAltName, false, new SubjectAlternativeName(altNames)));
  extensions.push(extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(input.subjectKeyId)));
  extensions.push(extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(input.authorityKeyId) })));
  return extensions;
}

/** Reads the extensions; throws a plain Error on invalid content, which the parser reports as CERT_MALFORMED. */
export function readExtensions(extensions: readonly Extension[]): CertificateExtensions {
  const out: CertificateExtensions = {
    isCA: false, pathLength: undefined, keyUsage: undefined, extendedKeyUsage: undefined,
    subjectAltNames: { dns: [], ip: [] }, subjectKeyId: undefined, authorityKeyId: undefined, unknownCriticalExtensions: [],
  };
  const seen = new Set<string>();
  for (const ext of extensions) {
    // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
    if (seen.has(ext.extnID)) throw new Error(`extension ${ext.extnID} appears twice`);
    seen.add(ext.extnID);
    const value = ext.extnValue.buffer;
    switch (ext.extnID) {
      case id_ce_basicConstraints: {
        const bc = AsnConvert.parse(value, BasicConstraints);
        out.isCA = bc.cA;
        if (bc.pathLenConstraint !== undefined) {
          if (!bc.cA || !Number.isSafeInteger(bc.pathLenConstraint) || bc.pathLenConstraint < 0) throw new Error('invalid pathLenConstraint');
          out.pathLength = bc.pathLenConstraint;
        }
        break;
      }
      case id_ce_keyUsage: {
        const flags = AsnConvert.parse(value, KeyUsage).toNumber();
        out.keyUsage = KEY_USAGE_NAMES.filter((name) => (flags & KeyUsageFlags[name]) !== 0);
        break;
      }
      case id_ce_extKeyUsage:
        out.extendedKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)].map((oid) => EKU_NAMES[oid] ?? oid);
        break;
      case id_ce_subjectAltName:
        for (const name of AsnConvert.parse(value, SubjectAlternativeName)) {
          if (name.dNSName !== undefined) out.subjectAltNames.dns.push(name.dNSName);
          if (name.iPAddress !== undefined) out.subjectAltNames.ip.push(name.iPAddress);
        }
        break;
      case id_ce_subjectKeyIdentifier:
        out.subjectKeyId = new Uint8Array(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
        break;
      case id_ce_authorityKeyIdentifier: {
        const keyId = AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier;
        if (keyId !== undefined) out.authorityKeyId = new Uint8Array(keyId.buffer);
        break;
      }
      default:
        if (ext.critical) out.unknownCriticalExtensions.push(ext.extnID);
    }
  }
  return out;
}
