/**
 * Interim adapter: the X.509 functions p2p needs, until @govchain/crypto's index exports them (its x509 modules
 * exist but are not yet re-exported). Replace these imports with '@govchain/crypto' then and delete this file.
 */
export { issueCertificate, parseCertificate, type ParsedCertificate } from '../../crypto/x509.ts';
export { verifyCertificateChain } from '../../crypto/x509-chain.ts';
