/**
 * Distinguished names: the small subject form govchain issues (C, O, OU, CN, one attribute per RDN, in that
 * order, as OpenSSL's `-subj "/C=../O=../OU=../CN=.."` would), and a reading of any name into the same fields plus
 * the RFC 4514 string (`CN=node1,O=Org,C=CN`, most specific first, as `openssl x509 -nameopt RFC2253` prints it).
 * Certificates are matched to issuers by the exact DER of the name, not by these strings.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { GovchainError, toHex } from '@govchain/base';

export interface CertificateSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** ISO 3166 two-letter code, e.g. "CN". */
  country?: string;
}

export interface NameAttribute {
  /** RFC 4514 short name where one exists (CN, O, OU, C, L, ST, STREET, DC, UID), else the dotted OID. */
  type: string;
  value: string;
}

export interface DistinguishedName {
  /** The first value of each of the four attributes govchain issues; absent when the name has none. */
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
  /** Every attribute in encoding order (least specific first). */
  attributes: NameAttribute[];
  /** RFC 4514 string form. */
  text: string;
  /** The exact DER of the Name; issuer matching compares these bytes. */
  der: Uint8Array;
}

const OID = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' } as const;

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** RFC 5280 upper bounds (ub-common-name, ub-organization-name, ub-organizational-unit-name). */
const NAME_ATTRIBUTE_LENGTH_MAX = 64;

function nameError(message: string): GovchainError {
  return new GovchainError('CERT_BAD_SUBJECT', 'malformed', message);
}

function checkText(field: string, value: string): void {
  const length = [...value].length;
  if (length === 0 || length > NAME_ATTRIBUTE_LENGTH_MAX) {
    throw nameError(`${field} must be 1 to ${NAME_ATTRIBUTE_LENGTH_MAX} characters, got ${length}`);
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) throw nameError(`${field} contains a control character`);
}

function rdn(type: string, value: AttributeValue): RelativeDistinguishedName {
  return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
}

export function buildName(subject: CertificateSubject): Name {
  if (subject.commonName === undefined) throw nameError('commonName is required');
  const rdns: RelativeDistinguishedName[] = [];
  if (subject.country !== undefined) {
    // RFC 5280 requires PrintableString for countryName.
    if (!/^[A-Z]{2}$/.test(subject.country)) throw nameError(`country must be two capital letters, got "${subject.country}"`);
    rdns.push(rdn(OID.C, new AttributeValue({ printableString: subject.country })));
  }
  const texts: [keyof CertificateSubject, string][] = [['organization', OID.O], ['organizationalUnit', OID.OU], ['commonName', OID.CN]];
  for (const [field, oid] of texts) {
    const value = subject[field];
    if (value === undefined) continue;
    checkText(field, value);
    rdns.push(rdn(oid, new AttributeValue({ utf8String: value })));
  }
  return new Name(rdns);
}

/** RFC 4514 §2.4 escaping of a string value. */
function escapeValue(value: string): string {
  const chars = [...value].map((c) => (/[\\"+,;<>]/.test(c) ? `\\${c}` : c === '\u0000' ? '\\00' : c));
  if (chars[0] === ' ' || chars[0] === '#') chars[0] = `\\${chars[0]}`;
  if (chars.length > 1 && chars[chars.length - 1] === ' ') chars[chars.length - 1] = '\\ ';
  return chars.join('');
}

function attributeText(atv: AttributeTypeAndValue): NameAttribute & { rendered: string } {
  const type = SHORT_NAMES[atv.type] ?? atv.type;
  const v = atv.value;
  // A value that is not a string type prints as #hex of its encoding (RFC 4514 §2.4).
  if (v.anyValue !== undefined) {
    const hex = `#${toHex(new Uint8Array(v.anyValue))}`;
    return { type, value: hex, rendered: `${type}=${hex}` };
  }
  const value = v.toString();
  return { type, value, rendered: `${type}=${escapeValue(value)}` };
}

export function readName(name: Name): DistinguishedName {
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  for (const set of name) {
    const parts = set.map(attributeText);
    attributes.push(...parts.map(({ type, value }) => ({ type, value })));
    rdnTexts.push(parts.map((p) => p.rendered).join('+'));
  }
  const first = (type: string): string | undefined => attributes.find((a) => a.type === type)?.value;
  const out: DistinguishedName = {
    attributes,
    text: rdnTexts.reverse().join(','),
    der: new Uint8Array(AsnConvert.serialize(name)),
  };
  const fields: [keyof CertificateSubject, string][] = [['commonName', 'CN'], ['organization', 'O'], ['organizationalUnit', 'OU'], ['country', 'C']];
  for (const [field, type] of fields) {
    const value = first(type);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
