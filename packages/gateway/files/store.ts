/**
 * The encrypted, content-addressed file store (FileStore of packages/apps/app.ts). A file is addressed by the hex
 * suite hash of its plaintext (SM3 for gm). Each stored copy is sealed under its own random 32-byte key with the
 * suite's authenticated encryption (gm: SM4-CTR + HMAC-SM3 encrypt-then-MAC; intl: AES-256-GCM), and that key is
 * wrapped (gm: SM2 encryption; intl: ECIES P-256) for every party entitled to the file: the owner at `put`, others
 * by `grant`. Whoever presents a private key without a wrapped key for it gets FILE_FORBIDDEN.
 *
 * Objects in the backend (a local directory or an S3-compatible bucket):
 *   <hash>/present            empty marker: some copy of the file is stored
 *   <hash>/v/<keyId>          sealed copy: seal(fileKey, plaintext, aad = "govchain/file/v1" ‖ hash ‖ keyId)
 *   <hash>/k/<recipientId>    keyId (16 bytes) ‖ wrapKey(recipient public key, fileKey)
 * keyId = first 16 bytes of H("govchain/file/key-id/v1" ‖ fileKey), hex; recipientId = hex H(recipient public key).
 * Two owners storing the same file get two independent copies: a key is never shared between owners, and storing
 * a file reveals nothing about whether someone else stored it.
 */
import { GovchainError, bytesEqual, concatBytes, fromHex, toHex, utf8 } from '@govchain/base';
import type { CryptoSuite } from '@govchain/crypto';
import type { FileStore, StoredFile } from '@govchain/apps';

/** Where sealed objects live; keys are '/'-separated paths of lowercase hex and fixed words. */
export interface BlobBackend {
  readonly kind: 'local' | 's3';
  put(key: string, data: Uint8Array): Promise<void>;
  /** null when absent. */
  get(key: string): Promise<Uint8Array | null>;
  exists(key: string): Promise<boolean>;
}

const KEY_ID_BYTES = 16;
const FILE_KEY_BYTES = 32;
export const FILE_BYTES_MAX = 256 * 1024 * 1024;

const forbidden = (hash: string): GovchainError =>
  new GovchainError('FILE_FORBIDDEN', 'forbidden', `no key to file ${hash} was granted to this caller`);

function checkHash(hash: string): void {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new GovchainError('FILE_HASH_INVALID', 'malformed', 'a file address is a 32-byte hash in lowercase hex');
}

export class EncryptedFileStore implements FileStore {
  constructor(private readonly suite: CryptoSuite, private readonly backend: BlobBackend) {}

  get backendKind(): 'local' | 's3' {
    return this.backend.kind;
  }

  private recipientId(publicKey: Uint8Array): string {
    return toHex(this.suite.hash(publicKey));
  }

  private aad(hash: string, keyId: string): Uint8Array {
    return concatBytes(utf8('govchain/file/v1'), fromHex(hash), fromHex(keyId));
  }

  private async wrappedKeyOf(hash: string, publicKey: Uint8Array): Promise<{ keyId: string; wrapped: Uint8Array } | null> {
    const rec = await this.backend.get(`${hash}/k/${this.recipientId(publicKey)}`);
    if (rec === null || rec.length <= KEY_ID_BYTES) return null;
    return { keyId: toHex(rec.subarray(0, KEY_ID_BYTES)), wrapped: rec.subarray(KEY_ID_BYTES) };
  }

  private async fileKeyOf(hash: string, privateKey: Uint8Array): Promise<{ keyId: string; fileKey: Uint8Array }> {
    checkHash(hash);
    let publicKey: Uint8Array;
    try {
      publicKey = this.suite.publicKeyOf(privateKey);
    } catch {
      throw forbidden(hash);
    }
    const rec = await this.wrappedKeyOf(hash, publicKey);
    if (rec === null) {
      if (!(await this.backend.exists(`${hash}/present`))) throw new GovchainError('FILE_NOT_FOUND', 'not_found', `no file ${hash} is stored`);
      throw forbidden(hash);
    }
    let fileKey: Uint8Array;
    try {
      fileKey = this.suite.unwrapKey(privateKey, rec.wrapped);
    } catch {
      throw forbidden(hash);
    }
    if (fileKey.length !== FILE_KEY_BYTES || toHex(this.keyIdOf(fileKey)) !== rec.keyId) {
      throw new GovchainError('FILE_CORRUPT', 'internal', `the wrapped key of file ${hash} does not match its copy`);
    }
    return { keyId: rec.keyId, fileKey };
  }

  private keyIdOf(fileKey: Uint8Array): Uint8Array {
    return this.suite.hash(concatBytes(utf8('govchain/file/key-id/v1'), fileKey)).subarray(0, KEY_ID_BYTES);
  }

  async put(plaintext: Uint8Array, ownerPublicKey: Uint8Array): Promise<StoredFile> {
    if (plaintext.length > FILE_BYTES_MAX) throw new GovchainError('FILE_TOO_LARGE', 'too_large', `files are at most ${FILE_BYTES_MAX} bytes`);
    if (!this.suite.isValidPublicKey(ownerPublicKey)) throw new GovchainError('FILE_OWNER_INVALID', 'malformed', 'the owner key is not a valid public key of this suite');
    const hash = toHex(this.suite.hash(plaintext));
    // The owner already holds a copy: nothing to store.
    if ((await this.wrappedKeyOf(hash, ownerPublicKey)) !== null) return { hash, size: plaintext.length };
    const fileKey = this.suite.randomBytes(FILE_KEY_BYTES);
    const keyId = toHex(this.keyIdOf(fileKey));
    await this.backend.put(`${hash}/v/${keyId}`, this.suite.seal(fileKey, plaintext, this.aad(hash, keyId)));
    await this.backend.put(`${hash}/k/${this.recipientId(ownerPublicKey)}`, concatBytes(fromHex(keyId), this.suite.wrapKey(ownerPublicKey, fileKey)));
    await this.backend.put(`${hash}/present`, new Uint8Array(0));
    return { hash, size: plaintext.length };
  }

  async grant(hash: string, ownerPrivateKey: Uint8Array, granteePublicKey: Uint8Array): Promise<void> {
    if (!this.suite.isValidPublicKey(granteePublicKey)) throw new GovchainError('FILE_GRANTEE_INVALID', 'malformed', 'the grantee key is not a valid public key of this suite');
    const { keyId, fileKey } = await this.fileKeyOf(hash, ownerPrivateKey);
    await this.backend.put(`${hash}/k/${this.recipientId(granteePublicKey)}`, concatBytes(fromHex(keyId), this.suite.wrapKey(granteePublicKey, fileKey)));
  }

  async get(hash: string, privateKey: Uint8Array): Promise<Uint8Array> {
    const { keyId, fileKey } = await this.fileKeyOf(hash, privateKey);
    const sealed = await this.backend.get(`${hash}/v/${keyId}`);
    if (sealed === null) throw new GovchainError('FILE_NOT_FOUND', 'not_found', `the stored copy of file ${hash} is missing`);
    let plaintext: Uint8Array;
    try {
      plaintext = this.suite.open(fileKey, sealed, this.aad(hash, keyId));
    } catch {
      throw new GovchainError('FILE_CORRUPT', 'internal', `the stored copy of file ${hash} fails authentication: it was altered`);
    }
    if (!bytesEqual(this.suite.hash(plaintext), fromHex(hash))) {
      throw new GovchainError('FILE_CORRUPT', 'internal', `the stored copy of file ${hash} does not hash to its address`);
    }
    return plaintext;
  }

  async has(hash: string): Promise<boolean> {
    checkHash(hash);
    return this.backend.exists(`${hash}/present`);
  }

  /** True when `publicKey` holds a wrapped key to the file. */
  async isEntitled(hash: string, publicKey: Uint8Array): Promise<boolean> {
    checkHash(hash);
    return (await this.wrappedKeyOf(hash, publicKey)) !== null;
  }
}
