/**
 * The evidence app (可信存证): its system contract (run by every node: pass `evidenceContract` to startNode) and
 * its gateway app (`createEvidenceApp()`), which loads PDF, QR and bundling libraries only when first used.
 */
export * from './contract.ts';
export { createEvidenceApp, buildVerifyPageScript, EVIDENCE_PERMISSIONS, BATCH_ITEMS_MAX, RECORD_CHUNK, type EvidenceAppOptions } from './gateway.ts';
export { findCjkFont, renderEvidenceCertificate, renderCaseReport, type CertificateFont } from './certificate.ts';
