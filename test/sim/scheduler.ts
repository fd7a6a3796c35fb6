/**
 * Virtual time: a priority queue of events ordered by (time, insertion order), so equal times run in a fixed
 * order. Each executed event's label feeds a running trace hash: two runs of one seed are the same run exactly
 * when their trace hashes match.
 */
import { createHash, type Hash } from 'node:crypto';

interface Scheduled {
  atMs: number;
  seq: number;
  label: string;
  run: () => void;
}

/** Bounds the in-memory tail of the trace printed when a seed fails. */
const TRACE_TAIL_MAX = 40;

export class Scheduler {
  private heap: Scheduled[] = [];
  private seq = 0;
  private nowMs = 0;
  private readonly trace: Hash = createHash('sha256');
  private readonly tail: string[] = [];
  executed = 0;

  get now(): number {
    return this.nowMs;
  }

  at(atMs: number, label: string, run: () => void): void {
    this.push({ atMs: Math.max(atMs, this.nowMs), seq: this.seq++, label, run });
  }

  after(delayMs: number, label: string, run: () => void): void {
    this.at(this.nowMs + delayMs, label, run);
  }

  /** Runs the next event; false when none is left or the next is after `untilMs`. */
  step(untilMs: number): boolean {
    const next = this.heap[0];
    if (next === undefined || next.atMs > untilMs) return false;
    this.pop();
    this.nowMs = next.atMs;
    this.executed++;
    const line = `${next.atMs} ${next.label}`;
    this.trace.update(line).update('\n');
    this.tail.push(line);
    if (this.tail.length > TRACE_TAIL_MAX) this.tail.shift();
    next.run();
    return true;
  }

  traceHash(): string {
    return this.trace.copy().digest('hex');
  }

  traceTail(): readonly string[] {
    return this.tail;
  }

  private before(x: Scheduled, y: Scheduled): boolean {
    return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
  }

  private push(item: Scheduled): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
