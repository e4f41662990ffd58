/**
 * The command line itself (commander): help on every command, the version,
 * suggestions for a misspelt option or command, exit codes, lazy loading, a
 * closed stdout. In-process through `main` where only the output matters, the
 * real binary in a child process where the process's fate does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Command } from 'commander';
import { buildProgram, main } from '../../plugin/cli.js';
import { REPORT_FORMATS } from '../../plugin/report-command/index.js';
import { repoRoot } from '../support/paths.js';
import { freePort } from '../support/redis-server.js';
import { runStetpay, stetpayBin } from '../support/stetpay-bin.js';

/** `main(args)` with its stdout and stderr captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const [o, e] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

/** Every command and sub-command of the tree, as the words typed after `stetpay`. */
function commandPaths(cmd: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], command: c }, ...commandPaths(c, [...path, c.name()])]);
}

describe('commands: the command line (help, version, usage errors)', () => {
  it('HELP-01 every command and sub-command answers --help (exit 0) listing each of its options with its default', async () => {
    const all = commandPaths(buildProgram());
    expect(all.map((c) => c.path.join(' '))).to.include.members(['install', 'run', 'worker', 'sync', 'report', 'cancel', 'resolve', 'export', 'schedule', 'sandbox', 'sandbox bank', 'sandbox certs', 'sandbox odoo', 'sandbox vop', 'sandbox up', 'demo', 'signatory', 'signatory link']);
    for (const { path, command } of all) {
      const r = await cli([...path, '--help']);
      const what = `stetpay ${path.join(' ')} --help`;
      expect(r.code, what).to.equal(0);
      expect(r.err, what).to.equal('');
      expect(r.out, what).to.match(new RegExp(`^Usage: stetpay ${path.join(' ')} `));
      // Help wraps long lines: compare with the whitespace folded.
      const text = r.out.replace(/\s+/g, ' ');
      for (const option of command.options) {
        expect(text, `${what}: ${option.flags}`).to.contain(option.flags);
        if (option.defaultValue !== undefined && typeof option.defaultValue !== 'boolean') expect(text, `${what}: default of ${option.flags}`).to.contain(`default: ${JSON.stringify(option.defaultValue)}`);
      }
      // The sub-command help lists the global --config of the commands that read the config.
      if (['install', 'run', 'worker', 'sync', 'report', 'cancel', 'resolve', 'export', 'schedule'].includes(path[0]!) || path.join(' ') === 'signatory link') expect(text, what).to.contain('--config <file>');
    }
  });

  it('HELP-02 `stetpay --help` lists every command and the global options (--config, --version); `stetpay` alone prints it on stderr, exit 2', async () => {
    const r = await cli(['--help']);
    expect(r.code).to.equal(0);
    for (const c of ['install', 'run', 'worker', 'sync', 'report', 'cancel', 'resolve', 'export', 'schedule', 'sandbox', 'demo']) expect(r.out).to.match(new RegExp(`\\n  ${c} `));
    expect(r.out).to.contain('--config <file>').and.contain('-V, --version').and.contain("npx stetpay");
    const bare = await cli([]);
    expect(bare.code).to.equal(2);
    expect(bare.out).to.equal('');
    expect(bare.err).to.match(/^Usage: stetpay \[options\] \[command\]/);
    const help = await cli(['help', 'report']);
    expect(help.code).to.equal(0);
    expect(help.out).to.match(/^Usage: stetpay report \[options\]/);
  });

  it('HELP-03 `stetpay --version` prints the version of package.json; `export --version 03` stays the export\'s option', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).to.deep.equal({ code: 0, out: `${pkg.version}\n`, err: '' });
    expect(await cli(['-V'])).to.deep.equal({ code: 0, out: `${pkg.version}\n`, err: '' });
    const r = await cli(['export', 'pain001', '--version', '05']);
    expect(r).to.deep.equal({ code: 2, out: '', err: "stetpay export: option '--version <version>' argument '05' is invalid. Allowed choices are 09, 03.\n" });
  });

  it('HELP-04 a misspelt option or command: exit 2 and one line suggesting the closest one', async () => {
    expect(await cli(['report', '--fromat', 'csv'])).to.deep.equal({ code: 2, out: '', err: "stetpay report: unknown option '--fromat' (did you mean --format?)\n" });
    expect(await cli(['worker', '--concurency', '2'])).to.deep.equal({ code: 2, out: '', err: "stetpay worker: unknown option '--concurency' (did you mean --concurrency?)\n" });
    expect(await cli(['shedule'])).to.deep.equal({ code: 2, out: '', err: "stetpay: unknown command 'shedule' (did you mean schedule?)\n" });
    expect(await cli(['sandbox', 'odo'])).to.deep.equal({ code: 2, out: '', err: "stetpay sandbox: unknown command 'odo' (did you mean odoo?)\n" });
    expect(await cli(['run', '--frobnicate'])).to.deep.equal({ code: 2, out: '', err: "stetpay run: unknown option '--frobnicate' (see 'stetpay run --help')\n" });
  });

  it('HELP-05 bad values are usage errors (exit 2, one line) before anything is loaded or connected', async () => {
    const cases: [string[], string][] = [
      [['worker', '--concurrency', 'abc'], "stetpay worker: option '--concurrency <n>' argument 'abc' is invalid. Expected a whole number from 1 to 64.\n"],
      [['worker', '--callback-port', '99999'], "stetpay worker: option '--callback-port <port>' argument '99999' is invalid. Expected a whole number from 0 to 65535.\n"],
      [['worker', '--no-callback', '--callback-port', '8788'], "stetpay worker: option '--callback-port <port>' cannot be used with option '--no-callback'\n"],
      [['run', '--timeout', '-1'], "stetpay run: option '--timeout <seconds>' argument '-1' is invalid. Expected a number of seconds above 0.\n"],
      [['schedule', '--list', '--remove', 'x'], "stetpay schedule: option '--list' cannot be used with option '--remove <id>'\n"],
      [['schedule', '--sync-every', '0'], "stetpay schedule: option '--sync-every <minutes>' argument '0' is invalid. Expected a whole number from 1 to 1440.\n"],
      [['cancel', 'A', 'B'], "stetpay cancel: too many arguments for 'cancel'. Expected 1 argument but got 2.\n"],
      [['signatory', 'link', '--ttl', '0'], "stetpay signatory link: option '--ttl <hours>' argument '0' is invalid. Expected a whole number from 1 to 72.\n"],
      [['demo', '--invoices', '0'], "stetpay demo: option '--invoices <n>' argument '0' is invalid. Expected a whole number from 1 to 100000.\n"],
      [['sandbox', 'certs'], "stetpay sandbox certs: required option '--out <dir>' not specified\n"],
      [['sandbox', 'bank', '--drop-rate', '2'], "stetpay sandbox bank: option '--drop-rate <share>' argument '2' is invalid. Expected a share between 0 and 1 (0.1 = 10%).\n"],
      [['sandbox', 'bank', '--drop-rate', '0.6', '--error-503-rate', '0.6'], 'stetpay sandbox bank: the fault rates add up to 1.2: at most 1 (each call suffers one fault at most)\n'],
      [['sandbox', 'vop', '--noap-rate', '1.5'], "stetpay sandbox vop: option '--noap-rate <share>' argument '1.5' is invalid. Expected a share between 0 and 1 (0.1 = 10%).\n"],
      [['sandbox', 'vop', '--timeout-rate', '0.6', '--noap-rate', '0.6'], 'stetpay sandbox vop: the fault rates add up to 1.2: at most 1 (each request suffers one fault at most)\n'],
      [['sandbox', 'vop', '--accounts', 'a.json', '--seed', '2'], "stetpay sandbox vop: option '--accounts <file>' cannot be used with option '--seed <n>'\n"],
    ];
    for (const [args, err] of cases) expect(await cli(args), args.join(' ')).to.deep.equal({ code: 2, out: '', err });
  });

  it('HELP-06 the report formats offered are those the report makes', () => {
    const report = buildProgram().commands.find((c) => c.name() === 'report')!;
    expect(report.options.find((o) => o.long === '--format')!.argChoices).to.deep.equal([...REPORT_FORMATS]);
  });
});

describe('commands: the stetpay binary (help starts nothing, loads nothing, closed pipes)', function () {
  this.timeout(60_000);

  it('HELP-07 `sandbox odoo|bank|vop|up|certs --help` start no server: exit 0 at once, the port stays free', async () => {
    const port = await freePort();
    for (const args of [
      ['sandbox', 'odoo', '--port', String(port), '--help'],
      ['sandbox', 'bank', '--port', String(port), '--help'],
      ['sandbox', 'vop', '--port', String(port), '--help'],
      ['sandbox', 'up', '--odoo-port', String(port), '--help'],
      ['sandbox', 'certs', '--help'],
    ]) {
      const r = await runStetpay(args, { timeoutMs: 20_000 });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`^Usage: stetpay ${args.slice(0, 2).join(' ')} `));
      expect(r.stdout).to.not.contain('listening').and.not.contain('Press Ctrl+C');
    }
    // Nothing listens there: we can.
    await new Promise<void>((resolve, reject) => {
      const s = createServer().once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });

  it('HELP-08 --help loads no command module and none of their libraries (BullMQ, ioredis, ajv, pino, XML-RPC); running the command does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stetpay-lazy-'));
    try {
      const log = join(dir, 'resolved.txt');
      const hooks = join(dir, 'hooks.mjs');
      writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(file, r.url + '\\n'); return r; }
`);
      const register = join(dir, 'register.mjs');
      writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { file: ${JSON.stringify(log)} } });\n`);
      const resolved = async (args: string[]) => {
        writeFileSync(log, '');
        await new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, stetpayBin, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: 'ignore' });
          child.once('error', reject).once('exit', () => resolve());
        });
        return readFileSync(log, 'utf8').split('\n').filter(Boolean);
      };
      const heavy = /\/plugin\/commands\/|\/node_modules\/(bullmq|ioredis|ajv|pino|odoo-xmlrpc|xmlrpc)\//;
      for (const args of [['--help'], ['report', '--help'], ['worker', '--help'], ['sandbox', 'up', '--help']]) {
        const urls = await resolved(args);
        expect(urls.some((u) => u.endsWith('/plugin/cli.js')), `${args.join(' ')} resolved the CLI`).to.equal(true);
        expect(urls.filter((u) => heavy.test(u)), args.join(' ')).to.deep.equal([]);
      }
      // The control: a command that runs (and fails on its missing config) loads its module and libraries.
      const ran = await resolved(['report']);
      expect(ran.some((u) => u.endsWith('/plugin/commands/report.js'))).to.equal(true);
      expect(ran.some((u) => /\/node_modules\/ajv\//.test(u))).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('EPIPE-01 a reader that has gone (`stetpay --help | head -0`): the command exits 0 quietly, no EPIPE stack', async () => {
    const r = await runStetpay(['--help'], { closeStdout: true, timeoutMs: 20_000 });
    expect(r).to.include({ code: 0, stderr: '' });
  });
});
