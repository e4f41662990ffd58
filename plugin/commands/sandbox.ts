/**
 * `stetpay sandbox bank|certs|odoo|vop`: the sandboxes are products of their own
 * (sandbox/), so this only hands over to their command lines.
 */
export async function run(args: string[]): Promise<number> {
  const [which, ...rest] = args;
  switch (which) {
    case 'bank':
      return (await import('../../sandbox/bank/cli.js')).runBankCli(rest);
    case 'certs':
      return (await import('../../sandbox/bank/cli.js')).runCertsCli(rest);
    case 'odoo':
      return (await import('../../sandbox/odoo/cli.js')).runOdooCli(rest);
    case 'vop':
      return (await import('../../sandbox/vop/cli.js')).runVopCli(rest);
    default:
      console.error('Usage: stetpay sandbox bank [--port P] [--profile nwm-18919|stet-1.6] [... see sandbox bank --help] | sandbox certs --out DIR | sandbox odoo [--port P] [--version 16|17|18] [--invoices N] | sandbox vop [--port P] [--certs DIR] [--invoices N] [... see sandbox vop --help]');
      return 2;
  }
}
