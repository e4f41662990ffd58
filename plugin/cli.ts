/**
 * The `stetpay` command line. Each command lives in `plugin/commands/<name>.ts`
 * and exports `run(args: string[]): Promise<number>` (the exit code); this file
 * only dispatches, so that a command's dependencies load only when it runs.
 */
interface CommandModule {
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  install: { summary: 'create the x_stet_* fields on account.move in Odoo (idempotent)', load: () => import('./commands/install.js') },
  run: { summary: 'collect approved bills, validate, reserve in Odoo and queue payments [--dry-run] [--json] [--wait]', load: () => import('./commands/run.js') },
  worker: { summary: 'run the queue workers and the consent callback server', load: () => import('./commands/worker.js') },
  sync: { summary: 'check the bank status of every unfinished payment [--wait]', load: () => import('./commands/sync.js') },
  report: { summary: 'reconciliation report [--format csv|html|json] [--out F] [--since D] [--status S]', load: () => import('./commands/report.js') },
  cancel: { summary: 'cancel the payment of bill BILL at the bank', load: () => import('./commands/cancel.js') },
  resolve: { summary: 'resolve BILL --not-at-bank: a person confirms the bank does not have a needs_review payment', load: () => import('./commands/resolve.js') },
  export: { summary: 'export pain001 [--out F]: the fallback transfer file for online banking', load: () => import('./commands/export.js') },
  schedule: { summary: "upsert the nightly run [--cron '0 30 2 * * *' --tz Europe/Paris]", load: () => import('./commands/schedule.js') },
  sandbox: { summary: 'sandbox bank|odoo|vop|certs: the bank, Odoo and Verification of Payee sandboxes for trying stetpay', load: () => import('./commands/sandbox.js') },
  demo: { summary: 'the whole job on embedded defaults [--invoices N] [--json]', load: () => import('./commands/demo.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return ['Usage: stetpay <command> [options]', '', 'Commands:', ...lines, '', 'Configuration: stetpay.config.json (or --config FILE) and STETPAY_* variables; see the README.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`stetpay: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    // A command reports its own expected failures; this is the last net, without a stack for users.
    const e = err as Error;
    console.error(`stetpay ${name}: ${e?.message ?? String(err)}`);
    if (process.env.STETPAY_DEBUG) console.error(e?.stack);
    return 1;
  }
}
