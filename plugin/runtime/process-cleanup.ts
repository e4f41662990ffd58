/**
 * What a command that starts throwaway parts (the demo, `sandbox up`) leaves
 * behind: nothing. Its temporary folder (test certificates with their private
 * keys, a config) goes when the command ends, also on an error, on Ctrl-C and
 * on `process.exit`; its servers are stopped on SIGINT/SIGTERM before the exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempFolder {
  path: string;
  /** Removes it now (idempotent). */
  remove(): void;
}

/** Every folder made here, removed again on exit: a part still starting when Ctrl-C came may write into one after `remove()`. */
const madeFolders = new Set<string>();
let removeAtExit = false;

/** A new folder in the system's temporary folder, removed by `remove()` and again when the process exits (any way but SIGKILL). */
export function makeTempFolder(prefix: string): TempFolder {
  const path = mkdtempSync(join(tmpdir(), prefix));
  madeFolders.add(path);
  if (!removeAtExit) {
    removeAtExit = true;
    process.on('exit', () => {
      for (const p of madeFolders) rmSync(p, { recursive: true, force: true });
    });
  }
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

const EXIT_CODE: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Until the returned function is called, SIGINT or SIGTERM runs `cleanup` (stop
 * the servers, remove the files) and then exits, 130 after Ctrl-C; a second
 * signal exits at once (the temporary folders still go, on 'exit').
 */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  let cleaning = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = EXIT_CODE[signal] ?? 1;
    if (cleaning) return exit(code);
    cleaning = true;
    void cleanup()
      .catch(() => undefined)
      .then(() => exit(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** Resolves on the first SIGINT or SIGTERM (a foreground process's normal stop). */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
