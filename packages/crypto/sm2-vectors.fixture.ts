/**
 * Known-answer data for SM2, used by the tests. Sources:
 *  - recommended curve: GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A (signature, default ID 1234567812345678)
 *    and Annex C (encryption), as also used by OpenSSL's test/sm2_internal_test.c;
 *  - 256-bit test curve: GB/T 32918.2-2016 / .4-2016 Annex A (ID ALICE123@YAHOO.COM), as in draft-shen-sm2-ecdsa
 *    and OpenSSL's sm2_internal_test.c.
 * Each value was also checked by recomputation: public keys from private keys, signatures verified by OpenSSL.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { defineSm2Curve } from './sm2-curve.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export const RECOMMENDED_CURVE_SIGNATURE = {
  privateKey: hexToBytes('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8'),
  publicKey: hexToBytes(
    '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
      'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  ),
  message: ascii('message digest'),
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  signature:
    'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
    'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

export const RECOMMENDED_CURVE_ENCRYPTION = {
  privateKey: RECOMMENDED_CURVE_SIGNATURE.privateKey,
  message: ascii('encryption standard'),
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  /** C1 || C3 || C2 of Annex C. */
  ciphertext:
    '04' +
    '04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73' +
    'e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
    '59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766' +
    '21886ca989ca9c7d58087307ca93092d651efa',
  /** The same in GM/T 0009 DER, as in OpenSSL's test. */
  der:
    '307c022004ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73' +
    '022100e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
    '042059983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766' +
    '041321886ca989ca9c7d58087307ca93092d651efa',
};

/** The 256-bit prime-field example curve of GB/T 32918 Annex A (not for production use). */
export const TEST_CURVE = defineSm2Curve({
  p: 0x8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3n,
  a: 0x787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498n,
  b: 0x63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249an,
  Gx: 0x421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43dn,
  Gy: 0x0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2n,
  n: 0x8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7n,
});

export const TEST_CURVE_SIGNATURE = {
  id: ascii('ALICE123@YAHOO.COM'),
  privateKey: hexToBytes('128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263'),
  message: ascii('message digest'),
  z: 'f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a',
  k: 0x6cb28d99385c175c94f94e934817663fc176d925dd72b727260dbaae1fb2f96fn,
  signature:
    '40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1' +
    '6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7',
};

export const TEST_CURVE_ENCRYPTION = {
  privateKey: hexToBytes('1649ab77a00637bd5e2efe283fbf353534aa7f7cb89463f208ddbc2920bb0da0'),
  message: ascii('encryption standard'),
  k: 0x4c62eefd6ecfc2b95b92fd6c3d9575148afa17425546d49018e5388d49dd7b4fn,
  der:
    '307b0220245c26fb68b1ddddb12c4b6bf9f2b6d5fe60a383b0d18d1c4144abf17f6252e7' +
    '022076cb9264c2a7e88e52b19903fdc47378f605e36811f5c07423a24b84400f01b8' +
    '04209c3d7360c30156fab7c80a0276712da9d8094a634b766d3a285e07480653426d' +
    '0413650053a89b41c418b0c3aad00d886c00286467',
};
