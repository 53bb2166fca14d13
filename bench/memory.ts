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

/** What bench/liaison-server.ts reports over IPC: process.memoryUsage() and V8's heap statistics, bytes. */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  external: number;
  /** Pages V8 holds for its heaps (young generation included), whether or not live objects fill them. */
  heapPhysical: number;
  /** Physical size per V8 heap space (new_space, old_space, large_object_space, code_space, …). */
  spaces: Record<string, number>;
  /** Main-thread time spent in garbage collection since start, ms. */
  gcMs: number;
}

/**
 * One line of where a server's resident memory goes: V8's heaps, memory outside them that V8 accounts for (Buffers),
 * and the rest (Node's own code, SQLite's page cache, thread stacks and malloc arenas).
 */
export function memoryBreakdown(m: ServerMemory): string {
  const space = (name: string) => mib(m.spaces[name] ?? 0);
  const rest = m.rss - m.heapPhysical - m.external;
  return `RSS ${mib(m.rss)} = V8 heap ${mib(m.heapPhysical)} (objects ${mib(m.heapUsed)}; young ${space('new_space')}, old ${space('old_space')}, large objects ${space('large_object_space')}, code ${space('code_space')}) + external ${mib(m.external)} + native ${mib(rest)} (Node's code, SQLite, threads, malloc)`;
}
