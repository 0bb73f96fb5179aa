// Memory of a target process from /proc (Linux): resident set now and its peak since the last reset.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Memory {
  rssBytes: number;
  peakRssBytes: number;
}

export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (clear_refs "5", Linux >= 4.0), so the next peak is the next step's. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
