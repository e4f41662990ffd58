/**
 * The real `bin/stetpay.js` in a child process, as a user or systemd runs it:
 * exit codes, stdout and stderr, signals. Only PATH and HOME come from this
 * process's environment: no STETPAY_* of the developer's shell leaks in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StetpayOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Close our end of its stdout at once, as `| head` does after its lines. */
  closeStdout?: boolean;
}

export interface RunningStetpay {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr matches (rejects when the process ends first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<Ran>;
}

export const stetpayBin = join(repoRoot, 'bin', 'stetpay.js');

export function startStetpay(args: string[], o: StetpayOptions = {}): RunningStetpay {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [k, v] of Object.entries(o.env ?? {})) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, [stetpayBin, ...args], { cwd: o.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (o.closeStdout) child.stdout!.destroy();
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), changed()));
  child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), changed()));
  const exited = new Promise<Ran>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => (resolve({ code, signal, stdout, stderr }), changed()));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms; stderr: ${stderr.slice(-1500)}`)), timeoutMs);
      const check = () => {
        if (pattern.test(stdout) || pattern.test(stderr)) done();
        else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}; stderr: ${stderr.slice(-1500)}`));
      };
      const done = (err?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => ({ stdout, stderr }), waitFor, exited };
}

/** Runs `stetpay ...args` to the end (killed after `timeoutMs`). */
export async function runStetpay(args: string[], o: StetpayOptions & { timeoutMs?: number } = {}): Promise<Ran> {
  const p = startStetpay(args, o);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}
