/**
 * The gateway's encrypted file store: `createFileStore(suite, config)` gives a FileStore on a local directory
 * (default) or an S3-compatible bucket. Formats and guarantees in store.ts and docs/evidence.md.
 */
import { z } from 'zod';
import type { CryptoSuite } from '@govchain/crypto';
import { EncryptedFileStore } from './store.ts';
import { LocalDirBackend } from './local.ts';
import { S3Backend } from './s3.ts';

export { EncryptedFileStore, FILE_BYTES_MAX, type BlobBackend } from './store.ts';
export { LocalDirBackend } from './local.ts';
export { S3Backend, signS3Request, type S3Config } from './s3.ts';

export const fileStoreConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), dir: z.string().min(1) }).strict(),
  z.object({
    kind: z.literal('s3'),
    endpoint: z.string().regex(/^https?:\/\/[^\s/]+(?:\/[^\s]*)?$/),
    region: z.string().min(1).max(64).default('us-east-1'),
    bucket: z.string().min(3).max(63),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    prefix: z.string().regex(/^(?:[A-Za-z0-9._-]+\/)*$/).optional(),
    /** Create the bucket at start when missing (development object stores). */
    createBucket: z.boolean().default(false),
  }).strict(),
]);
export type FileStoreConfig = z.input<typeof fileStoreConfigSchema>;

export async function createFileStore(suite: CryptoSuite, config: FileStoreConfig): Promise<EncryptedFileStore> {
  const c = fileStoreConfigSchema.parse(config);
  if (c.kind === 'local') return new EncryptedFileStore(suite, new LocalDirBackend(c.dir));
  const backend = new S3Backend({
    endpoint: c.endpoint, region: c.region, bucket: c.bucket, accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey,
    ...(c.prefix === undefined ? {} : { prefix: c.prefix }),
  });
  if (c.createBucket) await backend.ensureBucket();
  return new EncryptedFileStore(suite, backend);
}
