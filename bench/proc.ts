/** What the benches read about a process from Linux's /proc: memory fields of /proc/<pid>/status and CPU time. */
import { readFileSync } from 'node:fs';

/** Memory fields of /proc/<pid>/status (VmRSS, VmHWM, RssAnon, RssFile…) in MB; NaN for a field that is absent. */
export function memoryMb<F extends string>(pid: number, fields: readonly F[]): Record<F, number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return Object.fromEntries(fields.map((f) => [f, kb(f) / 1024])) as Record<F, number>;
}

/** CPU time (user + system) a process has used so far, in ms; /proc/<pid>/stat counts in clock ticks. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
