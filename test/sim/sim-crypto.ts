/**
 * Real signatures for the simulator: Ed25519 from node:crypto, with keys derived from the validator index so
 * every run uses the same keys. The consensus machine takes sign/verify as functions, so production passes the
 * chain suite (SM2) instead; nothing here is used outside the simulator.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { concatBytes, toHex, utf8 } from '@govchain/base';

const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
/** Verdicts remembered across runs; retransmitted messages are verified once. Cleared when full. */
const VERIFY_CACHE_MAX = 200_000;

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export interface SimKey {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const keys = new Map<number, SimKey>();

export function validatorKey(index: number): SimKey {
  let key = keys.get(index);
  if (key === undefined) {
    const seed = sha256(utf8(`govchain-sim-validator-${index}`));
    const privateKey = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_ED25519_PREFIX, seed)), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    key = {
      publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
      sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    };
    keys.set(index, key);
  }
  return key;
}

const publicKeyObjects = new Map<string, KeyObject>();
const verdicts = new Map<string, boolean>();

export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const pk = toHex(publicKey);
  const cacheKey = `${pk}${toHex(signature)}${toHex(message)}`;
  const known = verdicts.get(cacheKey);
  if (known !== undefined) return known;
  let keyObject = publicKeyObjects.get(pk);
  if (keyObject === undefined) {
    keyObject = createPublicKey({ key: Buffer.from(concatBytes(SPKI_ED25519_PREFIX, publicKey)), format: 'der', type: 'spki' });
    publicKeyObjects.set(pk, keyObject);
  }
  const ok = verify(null, message, keyObject, signature);
  if (verdicts.size >= VERIFY_CACHE_MAX) verdicts.clear();
  verdicts.set(cacheKey, ok);
  return ok;
}
