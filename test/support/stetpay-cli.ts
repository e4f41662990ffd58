/** The real `stetpay` command line in a child process, with only the environment given (none of the developer's STETPAY_*). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRoot } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From start to exit. */
  ms: number;
}

const BOOT = `import(${JSON.stringify(pathToFileURL(join(buildRoot, 'plugin', 'cli.js')).href)}).then((m) => m.main(process.argv.slice(1))).then((c) => process.exit(c))`;

export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', BOOT, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
