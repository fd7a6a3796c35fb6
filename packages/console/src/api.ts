/**
 * The console's only way to the gateway: JSON over fetch with the session cookie (sent by the browser) and the
 * CSRF token on state-changing requests. Errors become ApiError with the gateway's stable code.
 */

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the session turned out to be gone (expired, ended elsewhere): the app shows the login page. */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

const TIMEOUT_MS = 15_000;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', signal: AbortSignal.timeout(TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', `HTTP ${res.status}`);
  }
  if (!res.ok) {
    const e = (json ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/password') onUnauthenticated();
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details);
  }
  return json as T;
}

/** A raw upload (application/octet-stream), e.g. an evidence file: the CSRF token goes with it like any POST. */
async function upload<T>(path: string, body: Blob): Promise<T> {
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin', signal: AbortSignal.timeout(120_000), body,
    headers: { accept: 'application/json', 'content-type': 'application/octet-stream', 'x-csrf-token': csrfToken },
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', `HTTP ${res.status}`);
  }
  if (!res.ok) {
    const e = (json ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    if (res.status === 401) onUnauthenticated();
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details);
  }
  return json as T;
}

export const api = {
  upload,
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

// --- shapes of the gateway's answers (the subset the console reads)

export interface Me {
  user: {
    id: string; username: string; displayName: string; organization: string; roles: string[]; permissions: string[];
    mustChangePassword: boolean; lastLoginMs: number | null;
  };
  csrfToken: string;
  sessionExpiresMs: number;
  chain: { chainId: string; suite: 'gm' | 'intl' };
  apps: string[];
}

export interface Header {
  chainId: string; height: number; timeMs: number; hash: string; prevHash: string; proposerIndex: number; txCount: number;
  txRoot: string; resultsRoot: string; stateRoot: string; validatorsHash: string;
}

export interface Block { header: Header; txIds: string[]; certificate: { round: number; signers: number[] } | null }

export interface IndexedTx { txId: string; height: number; index: number | null; status: string | null; sender: string | null; contract: string | null; method: string | null }
export interface IndexedBlock { height: number; hash: string; timeMs: number; txCount: number; proposerIndex: number; proposer?: string | null }

export interface Validator {
  index: number; name: string; organization: string; publicKey: string; address: string; power: number; lastSignedHeight: number | null;
  online: boolean; height: number | null; watched: boolean;
}

export interface Dashboard {
  chain: { chainId: string; suite: string };
  nodeName: string; height: number; lastBlockTimeMs: number; mempoolTxs: number;
  consensus: { height: number; round: number; step: string };
  txTotal: number; indexedHeight: number; blockTimeAvgMs: number | null; tpsLastMinute: number;
  nodesOnline: number; nodesTotal: number; alertsFiring: number;
  validators: Validator[]; recentBlocks: IndexedBlock[]; recentTxs: IndexedTx[];
}

export interface Series {
  bucketMs: number;
  tps: { timeMs: number; tps: number }[];
  blocks: { height: number; timeMs: number; txCount: number; blockTimeMs: number }[];
}

export interface TxRecord {
  tx: {
    txId: string; chainId: string; sender: { address: string; publicKey: string; certificate: boolean }; nonce: string; expiresAtMs: number;
    contract: string; method: string; args: unknown; signature: string; raw: string;
  };
  height: number; index: number; blockHash: string;
  receipt: { txId: string; status: 'ok' | 'failed'; errorCode?: string; errorMessage?: string; result: unknown; events: { name: string; data: unknown }[] };
}

export interface NodeSnapshot {
  name: string; url: string; reachable: boolean; organization: string | null; lastOkMs: number | null; downSinceMs: number | null; lastError: string | null;
  heightChangedMs: number | null; latencyMs: number | null;
  /** The node's own machine (CPU, memory, disk of its data directory). */
  host: HostStats | null;
  status: null | {
    chainId: string; nodeName: string; height: number; lastBlockTimeMs: number; version: string;
    consensus: { height: number; round: number; step: string; isValidator: boolean };
    mempool: { txs: number; bytes: number }; peers: { name: string; connected: boolean }[];
  };
}

export interface HostStats {
  hostname: string; cpuCount: number; cpuPercent: number | null; loadAverage: [number, number, number]; memoryTotalBytes: number; memoryUsedBytes: number;
  diskPath: string; diskTotalBytes: number | null; diskUsedBytes: number | null; uptimeSeconds: number; processRssBytes: number;
}

export interface CertificateView {
  label: string; kind: 'root' | 'ca' | 'node' | 'admin'; organization: string; subject: string; issuer: string; serialNumber: string;
  signatureAlgorithm: string; notBeforeMs: number; notAfterMs: number; fingerprint: string; isCA: boolean; pem: string;
}

export interface Organization { id: string; name: string; validators: { name: string; publicKey: string; power: number }[]; certificates: CertificateView[] }

export type RuleKind = 'node_down' | 'height_stalled' | 'mempool_high' | 'cert_expiring';
export type Severity = 'critical' | 'warning' | 'info';
export interface AlertRule { id: number; name: string; kind: RuleKind; threshold: number; severity: Severity; enabled: boolean; channelIds: number[] }
export interface AlertChannel { id: number; name: string; kind: 'webhook'; url: string; enabled: boolean; createdMs: number }
export interface AlertEvent {
  id: number; ruleId: number; ruleName: string; kind: RuleKind; severity: Severity; subject: string; message: string;
  state: 'firing' | 'resolved'; firedMs: number; resolvedMs: number | null; notifyResult: string;
}

export interface AuditEntry {
  id: number; timeMs: number; userId: string | null; username: string; action: string; target: string; result: 'ok' | 'failed';
  detail: string; ip: string; method: string; path: string; status: number | null;
}

export interface UserView {
  id: string; username: string; displayName: string; roles: string[]; disabled: boolean; lockedUntilMs: number | null;
  mustChangePassword: boolean; createdMs: number; lastLoginMs: number | null;
}

export interface RoleView { id: string; name: string; description: string; builtin: boolean; permissions: string[]; users: number }
export interface PermissionDef { name: string; description: string; group: string }
