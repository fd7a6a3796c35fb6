/**
 * Resources of the machine a process runs on: a node reports its host at GET /v1/host (disk = its data
 * directory's file system), and a gateway reports its own. CPU use is measured between two samples from os.cpus()
 * counters, so the first sample has none.
 */
import { cpus, freemem, hostname, loadavg, totalmem, uptime } from 'node:os';
import { statfsSync } from 'node:fs';
import type { HostStats } from '@govchain/protocol';

export type { HostStats };

interface CpuTimes { idle: number; total: number }

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

export class HostSampler {
  private last: CpuTimes = cpuTimes();
  private lastPercent: number | null = null;

  constructor(private readonly diskPath: string) {}

  sample(): HostStats {
    const now = cpuTimes();
    const dTotal = now.total - this.last.total;
    if (dTotal > 0) this.lastPercent = Math.round((1 - (now.idle - this.last.idle) / dTotal) * 1000) / 10;
    this.last = now;
    let diskTotalBytes: number | null = null;
    let diskUsedBytes: number | null = null;
    try {
      const s = statfsSync(this.diskPath);
      diskTotalBytes = s.blocks * s.bsize;
      diskUsedBytes = (s.blocks - s.bfree) * s.bsize;
    } catch {
      // a path on a file system without statfs: leave the disk figures unknown
    }
    const [l1, l5, l15] = loadavg() as [number, number, number];
    return {
      hostname: hostname(), cpuCount: cpus().length, cpuPercent: this.lastPercent, loadAverage: [l1, l5, l15],
      memoryTotalBytes: totalmem(), memoryUsedBytes: totalmem() - freemem(), diskPath: this.diskPath, diskTotalBytes, diskUsedBytes,
      uptimeSeconds: Math.round(uptime()), processRssBytes: process.memoryUsage().rss,
    };
  }
}
