/**
 * Serves the built console (packages/console/dist): files by path, and index.html for every other GET that is not
 * under /api/, so the console's client-side routes (/explorer, /nodes, …) load on a reload or a pasted link.
 * Only files inside the directory are served (resolved paths are checked), read once at start and kept in memory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The built console is a few MiB; a directory much larger than this is not the console. */
const BUNDLE_BYTES_MAX = 64 * 1024 * 1024;

export interface StaticFile {
  body: Buffer;
  /** gzip of the body for text types worth compressing (antd's bundle shrinks about 4x); null otherwise. */
  gzip: Buffer | null;
  type: string;
  etag: string;
  /** Vite's hashed assets never change under the same name; index.html must be revalidated. */
  immutable: boolean;
}

export class ConsoleFiles {
  private readonly files = new Map<string, StaticFile>();

  constructor(readonly dir: string | null) {
    if (dir === null) return;
    let total = 0;
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) { walk(p); continue; }
        const body = readFileSync(p);
        total += body.length;
        if (total > BUNDLE_BYTES_MAX) throw new Error(`${dir} holds more than ${BUNDLE_BYTES_MAX} bytes; is it the built console?`);
        const rel = '/' + relative(dir, p).split(sep).join('/');
        const type = TYPES[extname(p)] ?? 'application/octet-stream';
        const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
        this.files.set(rel, {
          body, gzip: compressible ? gzipSync(body, { level: 9 }) : null, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: rel.startsWith('/assets/'),
        });
      }
    };
    walk(dir);
  }

  get available(): boolean {
    return this.files.has('/index.html');
  }

  /** The file for a URL path; index.html for client routes; null for a missing asset (a real 404). */
  lookup(urlPath: string): StaticFile | null {
    let path: string;
    try {
      path = decodeURIComponent(urlPath.split('?')[0]!);
    } catch {
      return null;
    }
    const file = this.files.get(path === '/' ? '/index.html' : path);
    if (file !== undefined) return file;
    // A missing file with an extension is a missing asset, not a page of the console.
    if (/\.[a-z0-9]+$/i.test(path)) return null;
    return this.files.get('/index.html') ?? null;
  }
}
