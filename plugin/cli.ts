/**
 * The `stetpay` command line (commander). Every command is declared here with
 * its arguments and options (and their defaults), so `--help` works on each
 * without loading anything else; the command's module loads only when it runs.
 *
 * Adding a command: one `command('name', description, () => import('./commands/name.js'))`
 * block below with its options, and
 * `plugin/commands/name.ts` exporting `run(options, ...args): Promise<number>`
 * (the exit code). The module only turns options into a call and prints the
 * result; the logic lives in modules it imports. A thrown error is printed by
 * `printError` (plugin/errors.ts) as one line.
 *
 * Exit codes: 0 done, 1 failed (the message says why), 2 bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command, CommanderError, Option } from 'commander';
import { addBankOptions, bankProfileOption } from '../sandbox/bank/cli-args.js';
import { addVopOptions } from '../sandbox/vop/cli-args.js';
import { positiveNumber, port, wholeNumber } from './cli-values.js';
import { exitQuietlyOnClosedPipe } from './runtime/closed-pipe.js';

/** What a command module exports: options as declared below (camelCase), then the arguments. */
type CommandRun = (options: never, ...args: string[]) => Promise<number>;

const CONFIG_HELP = 'the configuration file (default: $STETPAY_CONFIG, else stetpay.config.json in the current folder)';

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // Help asked for, or the version: 0. Help shown because nothing was asked (`stetpay` alone) or any parse error: usage, 2.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
    return 2;
  }
}

/** The whole command tree (commands, arguments, options); `main` parses with it. Exported for the tests. */
export function buildProgram(setExitCode: (code: number) => void = () => undefined): Command {
  /** The action of a command: loads its module, runs it with its options (local ones over global ones) and arguments. */
  const runs = (name: string, load: () => Promise<{ run: CommandRun } | CommandRun>) =>
    async function (this: Command): Promise<void> {
      const options = { ...program.opts(), ...this.opts() };
      try {
        const loaded = await load();
        const run = typeof loaded === 'function' ? loaded : loaded.run;
        setExitCode(await run(options as never, ...(this.processedArgs as string[])));
      } catch (err) {
        const { printError } = await import('./errors.js');
        setExitCode(printError(name, err));
      }
    };
  const sandboxModule = () => import('./commands/sandbox.js');

  const program = new Command('stetpay')
    .description("Pays the vendor bills approved in Odoo by SEPA credit transfer through the bank's STET PSD2 API, and writes each payment's status back into Odoo.")
    .version(packageVersion(), '-V, --version', 'print the stetpay version')
    .option('--config <file>', CONFIG_HELP)
    .enablePositionalOptions()
    .exitOverride()
    .addHelpText(
      'after',
      `
Run 'stetpay <command> --help' for a command's options.
Configuration: stetpay.config.json (or --config FILE) and STETPAY_* variables; see the README.
From the stetpay folder, run it as 'npx stetpay ...' (or 'npm link' once to put 'stetpay' on PATH).
Exit codes: 0 done, 1 failed (the message says why), 2 bad usage.`,
    );
  /** A command that reads the config: its own --config, and its module, loaded only when it runs. */
  const command = (name: string, description: string, load: () => Promise<{ run: CommandRun }>) =>
    program.command(name).description(description).option('--config <file>', CONFIG_HELP).action(runs(name, load));
  /** A command on one bill, as a person types it (`plugin/find-bill.ts`). */
  const billCommand = (name: string, description: string, load: () => Promise<{ run: CommandRun }>) =>
    command(name, description, load).argument('<bill>', 'the bill number (e.g. BILL/2026/11/0001) or its Odoo id');
  /** Who acts on the bill, named in its chatter note. */
  const chatterBy = (who: string) => new Option('--by <name>', `${who}, for the chatter note (default: your login name)`);

  command('install', 'create the x_stet_* fields, the payee checks (Verification of Payee) and the "Bank payment" page in Odoo (idempotent; needs a Settings administrator once)', () => import('./commands/install.js'))
    .option('--json', 'print the result as one JSON object');

  command('run', 'collect the approved bills, validate them, reserve them in Odoo and queue their payments', () => import('./commands/run.js'))
    .option('--dry-run', 'check and print the summary; write nothing, queue nothing')
    .option('--json', 'print the summary as one JSON object')
    .option('--wait', 'return when every payment of the run is settled and written back to Odoo')
    .option('--timeout <seconds>', 'with --wait: stop waiting after this long (exit 1 if payments are still queued)', positiveNumber('seconds'), 600)
    .option('--no-bank-check', 'reserve and queue without first checking that the bank lets stetpay in');

  command('worker', 'run the queue workers, the nightly run and status sync, and the consent callback server, until SIGTERM/SIGINT', () => import('./commands/worker.js'))
    .option('--concurrency <n>', 'bank submissions in flight in this process (default: worker.concurrency in the config, 2)', wholeNumber(1, 64))
    .addOption(new Option('--callback-port <port>', 'port of the consent callback server of this process (default: callback.listenPort in the config, 8787)').argParser(port).conflicts('callback'))
    .option('--no-callback', 'serve no consent callback (another worker on this host serves it)');

  command('sync', 'check the bank status of every unfinished payment (queued for the workers, or here with --wait)', () => import('./commands/sync.js'))
    .option('--wait', 'check now in this process and print the summary')
    .option('--json', 'with --wait: print the summary as one JSON object');

  command('report', "the accountant's reconciliation report: one row per payment, totals per status", () => import('./commands/report.js'))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'html', 'json']).default('csv'))
    .option('--out <file>', 'write the report to this file (default: standard output)')
    .option('--since <date>', 'only payments updated on or after this date (YYYY-MM-DD, in payments.timeZone)')
    .option('--status <statuses>', 'only these statuses, comma-separated (e.g. rejected,needs_review)');

  billCommand('cancel', 'stop a queued payment, or cancel one the bank has not executed yet (where its API allows it)', () => import('./commands/cancel.js'))
    .addOption(chatterBy('who cancels'));

  billCommand('resolve', 'after checking online banking: record that the bank does not have a needs_review (or expired) payment, so the next run sends a new attempt', () => import('./commands/resolve.js'))
    .option('--not-at-bank', 'no payment with its end-to-end id exists in online banking (required: say what you found)')
    .addOption(chatterBy('who checked'));

  billCommand('retry', 'send a rejected, invalid, withdrawn or cancelled bill again: the next run makes a new attempt with new ids, once stetpay proves the earlier one was never paid', () => import('./commands/retry.js'))
    .addOption(chatterBy('who asks'));

  command('export', "the fallback transfer file to upload in online banking when the bank's API is down", () => import('./commands/export.js'))
    .addArgument(new Argument('<format>', 'file format').choices(['pain001']))
    .option('--out <file>', 'the file to write (default: pain001-<date>-<time>.xml in the current folder)')
    .addOption(new Option('--version <version>', 'pain.001.001 version the bank wants').choices(['09', '03']).default('09'))
    .option('--bills <bills>', 'only these bills: bill numbers or Odoo ids separated by commas (default: every queued payment never sent)');

  const signatory = program.command('signatory').description("the signatory's page (docs/signatory.md)");
  signatory
    .command('link')
    .description("print a fresh link to the signatory's page for a configured signatory (activities.signatories), to send them when the morning's to-do is missing, expired or was opened in another browser: signed, it opens the page once, in one browser, until it expires")
    .option('--config <file>', CONFIG_HELP)
    .option('--user <login>', 'only this signatory (their Odoo login; one of activities.signatories) (default: one link per configured signatory)')
    .option('--ttl <hours>', 'hours the link opens the page (default: activities.linkHours in the config, 12)', wholeNumber(1, 72))
    .option('--json', 'print the links as one JSON array (userId, name, url, expiresAt)')
    .action(runs('signatory link', async () => (await import('./commands/signatory.js')).link));

  command('status', "what waits: the queues, the payments waiting for the signatory, the bills a person must look at, the last run, the schedules and the bank's API; exit 1 when something needs the operator", () => import('./commands/status.js'))
    .option('--json', 'print the status as one JSON object')
    .option('--no-bank-check', "do not ask the bank's API (nor its fallback link)");

  command('doctor', 'check the set-up: config, Odoo, Redis, the bank, the callback URL, the clock, the schedules; exit 0 only when all pass', () => import('./commands/doctor.js'))
    .option('--json', 'print the checks as one JSON object');

  command('schedule', 'store the nightly run and the status sync in Redis (a deploy step; running it again replaces them), or list or remove them', () => import('./commands/schedule.js'))
    .option('--cron <expr>', "when the nightly run starts: cron with seconds, e.g. '0 30 2 * * *' (default: schedule.cron in the config, '0 30 2 * * *')")
    .option('--tz <zone>', 'IANA time zone of --cron, e.g. Europe/Paris (default: schedule.tz in the config, Europe/Paris)')
    .option('--sync-every <minutes>', 'minutes between two status syncs (default: sync.everyMinutes in the config, 15)', wholeNumber(1, 1440))
    .addOption(new Option('--list', 'list the schedules stored in Redis with their next run, change nothing').conflicts(['cron', 'tz', 'syncEvery', 'remove']))
    .addOption(new Option('--remove <id>', 'remove one schedule (its id as --list shows it)').conflicts(['cron', 'tz', 'syncEvery']));

  const sandbox = program.command('sandbox').description('the bank sandbox, the Odoo dev server and the Verification of Payee sandbox, for trying stetpay without a bank or an Odoo');
  addBankOptions(sandbox.command('bank').description('the bank sandbox: STET PSD2 1.6.2 over HTTPS with mutual TLS, consent pages and an admin API, until Ctrl+C'))
    .action(runs('sandbox bank', async () => (await sandboxModule()).bank));
  sandbox
    .command('certs')
    .description('make test certificates (a CA, a server certificate, a client QWAC and QSealC; not for production)')
    .requiredOption('--out <dir>', 'the folder to write them to')
    .option('--organisation-id <id>', 'organisation identifier in the certificates (the clientId)', 'PSDFR-ACPR-12345')
    .action(runs('sandbox certs', async () => (await sandboxModule()).certs));
  sandbox
    .command('odoo')
    .description('the Odoo dev server: XML-RPC answered as Odoo 16, 17 or 18 does, with seeded vendor bills, until Ctrl+C')
    .option('--port <port>', 'HTTP port; 0 picks a free one', port, 8069)
    .addOption(new Option('--version <version>', 'the Odoo version it answers as').choices(['16', '17', '18']).default('17'))
    .option('--invoices <n>', 'vendor bills to seed (some wrong on purpose)', wholeNumber(0, 100_000), 50)
    .option('--seed <n>', 'seed of the generated data', wholeNumber(0, 2 ** 31), 1)
    .option('--data <file>', 'JSON file: loaded at start when it exists (no seed then), written on stop')
    .option('--db <name>', 'database name', 'stetpay-demo')
    .action(runs('sandbox odoo', async () => (await sandboxModule()).odoo));
  addVopOptions(sandbox.command('vop').description("the Verification of Payee sandbox: the payees' banks answering MTCH, CMTC, NMTC or NOAP over HTTPS with mutual TLS, until Ctrl+C"))
    .action(runs('sandbox vop', async () => (await sandboxModule()).vop));
  sandbox
    .command('up')
    .description('start the bank sandbox, the Odoo dev server, the Verification of Payee sandbox and a throwaway redis-server, and write a config for them, until Ctrl+C')
    .option('--out <file>', 'the config file to write (refused if it exists; removed at the end)', 'stetpay.config.json')
    .option('--invoices <n>', 'vendor bills to seed in Odoo (some wrong on purpose)', wholeNumber(0, 100_000), 20)
    .addOption(new Option('--odoo-version <version>', 'the Odoo version the dev server answers as').choices(['16', '17', '18']).default('17'))
    .addOption(bankProfileOption())
    .option('--no-auto-consent', 'a person approves each payment on its consent page (linked from the bill in Odoo); by default the bank approves every payment at once')
    .option('--odoo-port <port>', 'Odoo dev server port; 0 picks a free one', port, 8069)
    .option('--bank-port <port>', 'bank sandbox HTTPS port; 0 picks a free one', port, 8443)
    .option('--bank-admin-port <port>', 'bank sandbox admin port; 0 picks a free one', port, 8444)
    .option('--callback-port <port>', 'port `stetpay worker` serves the consent callback on (written to the config)', port, 8787)
    .option('--redis-url <url>', 'use this Redis instead of starting a throwaway redis-server')
    .action(runs('sandbox up', () => import('./commands/sandbox-up.js')));

  program
    .command('demo')
    .description('the whole job on embedded sandboxes: install, run, workers, consent, sync, summary (about 20 s)')
    .option('--invoices <n>', 'vendor bills to seed', wholeNumber(1, 100_000), 200)
    .option('--json', 'print the summary as one JSON object (the last line of standard output)')
    .action(runs('demo', () => import('./commands/demo.js')));

  formatUsageErrors(program);
  return program;
}

/** Each command prints its usage errors as one line naming it: `stetpay report: unknown option '--fromat' (did you mean --format?)`. */
function formatUsageErrors(cmd: Command, path = cmd.name()): void {
  cmd.configureOutput({
    outputError: (text, write) => {
      // commander: "error: unknown option '--fromat'\n(Did you mean --format?)\n"
      const [first = '', ...more] = text.trim().replace(/^error: /, '').split('\n');
      let hint = more.join(' ').replace(/^\(Did you mean/, '(did you mean');
      if (!hint && /^unknown (option|command)/.test(first)) hint = `(see '${path} --help')`;
      write(`${path}: ${first}${hint ? ` ${hint}` : ''}\n`);
    },
  });
  for (const sub of cmd.commands) formatUsageErrors(sub, `${path} ${sub.name()}`);
}

/** stetpay's version, from the package.json above this module (dist/ or wherever it was compiled to). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'stetpay' && pkg.version) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
