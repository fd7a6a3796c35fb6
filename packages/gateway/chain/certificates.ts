/**
 * The chain's certificates as the console shows them: each organization's root and operating CAs and each
 * validator's node certificate (all from genesis), plus this gateway's admin certificate. Parsed once at start.
 */
import { decodePem, encodePem, parseCertificate } from '@govchain/crypto';
import type { Genesis } from '@govchain/protocol';
import type { WatchedCertificate } from '../alerts/rules.ts';

export interface CertificateView {
  /** Readable and unique: "org1 root CA", "node2 node certificate". */
  label: string;
  kind: 'root' | 'ca' | 'node' | 'admin';
  organization: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  signatureAlgorithm: string;
  notBeforeMs: number;
  notAfterMs: number;
  fingerprint: string;
  isCA: boolean;
  pem: string;
}

export interface OrganizationView {
  id: string;
  name: string;
  validators: { name: string; publicKey: string; power: number }[];
  certificates: CertificateView[];
}

function view(pem: string, label: string, kind: CertificateView['kind'], organization: string): CertificateView {
  const der = decodePem(pem);
  const c = parseCertificate(der);
  return {
    label, kind, organization, subject: c.subject.text, issuer: c.issuer.text, serialNumber: c.serialNumber, signatureAlgorithm: c.signatureAlgorithm.name,
    notBeforeMs: c.notBeforeMs, notAfterMs: c.notAfterMs, fingerprint: c.fingerprint, isCA: c.isCA, pem: encodePem(der),
  };
}

export function organizationsOf(genesis: Genesis, admin: { organization: string; pem: string } | null): OrganizationView[] {
  return genesis.organizations.map((o) => {
    const certificates = [
      view(o.rootCertificate, `${o.id} root CA`, 'root', o.id),
      ...o.caCertificates.map((pem, i) => view(pem, `${o.id} operating CA${o.caCertificates.length > 1 ? ` ${i + 1}` : ''}`, 'ca', o.id)),
      ...genesis.validators.filter((v) => v.organization === o.id).map((v) => view(v.certificate, `${v.name} node certificate`, 'node', o.id)),
    ];
    if (admin !== null && admin.organization === o.id) certificates.push(view(admin.pem, `${o.id} gateway admin certificate`, 'admin', o.id));
    const validators = genesis.validators.filter((v) => v.organization === o.id).map((v) => ({ name: v.name, publicKey: v.publicKey, power: v.power }));
    return { id: o.id, name: o.name, validators, certificates };
  });
}

export function watchedCertificates(orgs: readonly OrganizationView[]): WatchedCertificate[] {
  return orgs.flatMap((o) => o.certificates.map((c) => ({ label: c.label, notAfterMs: c.notAfterMs })));
}
