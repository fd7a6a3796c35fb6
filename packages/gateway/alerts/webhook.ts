/**
 * Webhook delivery: POST of a JSON body, a 2xx answer is success. Each notification is tried at most
 * ATTEMPTS_MAX times with doubling pauses; at most DELIVERIES_MAX are in flight and QUEUE_MAX wait, beyond which
 * the oldest waiting one is dropped and the drop is logged, so a dead endpoint can never grow memory.
 */
import type { Logger } from 'pino';

export const ATTEMPTS_MAX = 4;
const FIRST_RETRY_MS = 1000;
const TIMEOUT_MS = 5000;
const DELIVERIES_MAX = 4;
const QUEUE_MAX = 1000;

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

export async function postOnce(url: string, body: unknown, timeoutMs = TIMEOUT_MS): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'govchain-gateway' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? { ok: true, status: res.status, error: null } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, status: null, error: (err as Error).message };
  }
}

interface Job {
  url: string;
  body: unknown;
  done: (r: DeliveryResult) => void;
}

export class WebhookSender {
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly logger: Logger, private readonly firstRetryMs = FIRST_RETRY_MS) {}

  /** Queues a delivery; `done` is called once with its final outcome (also when dropped or stopped). */
  send(url: string, body: unknown, done: (r: DeliveryResult) => void = () => undefined): void {
    if (this.stopped) return done({ ok: false, attempts: 0, status: null, error: 'gateway stopping' });
    if (this.queue.length >= QUEUE_MAX) {
      const dropped = this.queue.shift()!;
      this.logger.warn({ url: dropped.url }, 'webhook queue full; dropped the oldest notification');
      dropped.done({ ok: false, attempts: 0, status: null, error: 'dropped: queue full' });
    }
    this.queue.push({ url, body, done });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < DELIVERIES_MAX && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void this.deliver(job).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async deliver(job: Job): Promise<void> {
    let last = { ok: false, status: null as number | null, error: null as string | null };
    let attempt = 0;
    while (attempt < ATTEMPTS_MAX && !this.stopped) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.firstRetryMs * 2 ** (attempt - 1)).unref());
      attempt++;
      last = await postOnce(job.url, job.body);
      if (last.ok) break;
    }
    if (!last.ok) this.logger.warn({ url: job.url, attempts: attempt, error: last.error }, 'webhook delivery failed');
    job.done({ ...last, attempts: attempt });
  }

  stop(): void {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.done({ ok: false, attempts: 0, status: null, error: 'gateway stopping' });
  }
}
