/**
 * S3-compatible backend of the file store (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode, s3rver): path-style
 * requests signed with AWS Signature Version 4, written here with node:crypto (a few dozen lines, no SDK).
 * Objects are opaque sealed bytes; the store's encryption does not rely on the bucket's.
 */
import { createHash, createHmac } from 'node:crypto';
import { GovchainError } from '@govchain/base';
import type { BlobBackend } from './store.ts';

export interface S3Config {
  /** e.g. https://s3.cn-north-1.amazonaws.com.cn or http://127.0.0.1:9000 */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix inside the bucket, e.g. "govchain/org1/" (default none). */
  prefix?: string;
  /** Per-request timeout, default 30 s. */
  timeoutMs?: number;
}

const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, '/' kept in paths. */
function uriEncode(s: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

/** Signs a request (AWS Signature Version 4, service s3, payload hash in x-amz-content-sha256). */
export function signS3Request(
  cfg: Pick<S3Config, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>,
  method: string,
  path: string,
  query: Record<string, string>,
  payload: Uint8Array,
  now: Date = new Date(),
): SignedRequest {
  const endpoint = new URL(cfg.endpoint);
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const canonicalUri = uriEncode(path, true);
  const canonicalQuery = Object.keys(query).sort().map((k) => `${uriEncode(k, false)}=${uriEncode(query[k]!, false)}`).join('&');
  const payloadHash = sha256Hex(payload);
  const headers: Record<string, string> = { host: endpoint.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const signedHeaders = Object.keys(headers).sort();
  const canonicalRequest = [
    method, canonicalUri, canonicalQuery, signedHeaders.map((h) => `${h}:${headers[h]!.trim()}\n`).join(''), signedHeaders.join(';'), payloadHash,
  ].join('\n');
  const scope = `${day}/${cfg.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${cfg.secretAccessKey}`, day), cfg.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${cfg.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const base = cfg.endpoint.replace(/\/+$/, '');
  return { url: `${base}${canonicalUri}${canonicalQuery === '' ? '' : `?${canonicalQuery}`}`, headers };
}

export class S3Backend implements BlobBackend {
  readonly kind = 's3' as const;

  constructor(private readonly cfg: S3Config) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(cfg.bucket)) throw new RangeError(`bad bucket name ${cfg.bucket}`);
  }

  private async request(method: 'GET' | 'PUT' | 'HEAD', key: string | null, body: Uint8Array = new Uint8Array(0)): Promise<Response> {
    const path = key === null ? `/${this.cfg.bucket}` : `/${this.cfg.bucket}/${this.cfg.prefix ?? ''}${key}`;
    const signed = signS3Request(this.cfg, method, path, {}, body);
    const init: RequestInit = { method, headers: signed.headers, signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 30_000) };
    if (method === 'PUT') init.body = new Uint8Array(body);
    let res: Response;
    try {
      res = await fetch(signed.url, init);
    } catch (err) {
      throw new GovchainError('FILE_STORE_UNAVAILABLE', 'unavailable', `the object store at ${this.cfg.endpoint} cannot be reached: ${(err as Error).message}`);
    }
    return res;
  }

  private async failure(res: Response, what: string): Promise<GovchainError> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.status}`;
    return new GovchainError('FILE_STORE_FAILED', 'unavailable', `object store refused ${what}: ${code}`);
  }

  /** Creates the bucket when it does not exist (for development object stores; production buckets are provisioned). */
  async ensureBucket(): Promise<void> {
    const head = await this.request('HEAD', null);
    if (head.ok) return;
    const res = await this.request('PUT', null);
    if (!res.ok && res.status !== 409) throw await this.failure(res, `creating bucket ${this.cfg.bucket}`);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const res = await this.request('PUT', key, data);
    if (!res.ok) throw await this.failure(res, `storing ${key}`);
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Uint8Array | null> {
    const res = await this.request('GET', key);
    if (res.status === 404) {
      await res.arrayBuffer();
      return null;
    }
    if (!res.ok) throw await this.failure(res, `reading ${key}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async exists(key: string): Promise<boolean> {
    const res = await this.request('HEAD', key);
    await res.arrayBuffer();
    if (res.status === 404) return false;
    if (!res.ok) throw new GovchainError('FILE_STORE_FAILED', 'unavailable', `object store refused reading ${key}: HTTP ${res.status}`);
    return true;
  }
}
