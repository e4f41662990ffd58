/**
 * The bank sandbox in a child process of its own, as a bank is elsewhere: its
 * clock stamps each request when it arrives, not when an event loop shared
 * with the workers and the Odoo dev server gets round to it. Its request log
 * and reset go through the sandbox's admin API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { BankSandboxOptions, RequestLogEntry, TestCertificates } from '../../sandbox/bank/index.js';

export interface BankProcess {
  apiBaseUrl: string;
  tokenUrl: string;
  adminUrl: string;
  certs: TestCertificates;
  pid: number;
  /** The sandbox's request log (GET /admin/requests). */
  requests(): Promise<RequestLogEntry[]>;
  /** Moves the sandbox's clock on (POST /admin/clock): payments accepted for a later date are executed. */
  advanceDays(days: number): Promise<void>;
  /** Forgets payments, tokens, log (POST /admin/reset). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const CHILD = `
const { startBankSandbox } = await import(process.env.STETPAY_BENCH_SANDBOX);
const bank = await startBankSandbox(JSON.parse(process.env.STETPAY_BENCH_BANK_OPTIONS));
process.on('SIGTERM', () => { bank.close().finally(() => process.exit(0)); });
process.stdout.write('READY ' + JSON.stringify({ apiBaseUrl: bank.apiBaseUrl, tokenUrl: bank.tokenUrl, adminUrl: bank.adminUrl, certs: bank.certs }) + '\\n');
`;

export function startBankProcess(opts: BankSandboxOptions): Promise<BankProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, STETPAY_BENCH_SANDBOX: new URL('../../sandbox/bank/index.js', import.meta.url).href, STETPAY_BENCH_BANK_OPTIONS: JSON.stringify(opts) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bank sandbox process exited ${code}: ${err.slice(-500)}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = /^READY (.*)$/m.exec(out)?.[1];
      if (!line) return;
      const info = JSON.parse(line) as Pick<BankProcess, 'apiBaseUrl' | 'tokenUrl' | 'adminUrl' | 'certs'>;
      const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
        const res = await fetch(info.adminUrl + path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
        if (!res.ok) throw new Error(`bank sandbox admin ${method} ${path}: ${res.status}`);
        return res.json();
      };
      resolve({
        ...info,
        pid: child.pid!,
        advanceDays: async (days: number) => void (await admin('POST', '/admin/clock', { advanceDays: days })),
        requests: async () => (await admin('GET', '/admin/requests')) as RequestLogEntry[],
        reset: async () => void (await admin('POST', '/admin/reset')),
        close: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
