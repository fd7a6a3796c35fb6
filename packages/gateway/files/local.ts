/**
 * Local-directory backend of the file store: one file per object under `<dir>/<hash[0..2]>/<hash>/…`. Writes go to
 * a temporary file that is synced and renamed into place, so a crash leaves either the old object or the new one.
 */
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BlobBackend } from './store.ts';

const KEY_RE = /^[0-9a-f]{64}(?:\/[a-z]+(?:\/[0-9a-f]{1,128})?)?$/;

export class LocalDirBackend implements BlobBackend {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private pathOf(key: string): string {
    if (!KEY_RE.test(key)) throw new RangeError(`bad object key ${key}`);
    const path = join(this.root, key.slice(0, 2), key);
    if (!path.startsWith(this.root + sep)) throw new RangeError(`object key ${key} escapes the store`);
    return path;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
