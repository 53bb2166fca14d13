// Resident memory of a bench server, read by the kernel's account rather than by the process itself.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Resident {
  /** Resident set size now (VmRSS), bytes. */
  rss: number;
  /** The highest resident set size since the process started (VmHWM), bytes. */
  peak: number;
}

/** VmRSS and VmHWM from /proc/<pid>/status (Linux); NaN where /proc is missing. */
export function residentMemory(pid: number | undefined): Resident {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

/** Resets the process's VmHWM to its current RSS (Linux `clear_refs` 5), so a later peak covers one phase only. */
export function resetPeak(pid: number | undefined): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
