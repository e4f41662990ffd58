/**
 * Peak resident memory: of this process by sampling process.memoryUsage.rss(),
 * of a child from the kernel's own high-water mark (/proc/<pid>/status VmHWM,
 * exact, no sampling; Linux only).
 */
import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** Highest RSS seen so far, bytes. */
  peak(): number;
  stop(): number;
}

/** Samples this process's RSS every `intervalMs` (unref'd timer). */
export function sampleOwnRss(intervalMs = 50): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** A process's peak RSS in bytes (VmHWM), or null when /proc cannot tell (not Linux, process gone). */
export function peakRssOfPid(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
