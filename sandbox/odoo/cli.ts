// Placeholder until the Odoo dev server is built.
export async function runOdooCli(_args: string[]): Promise<number> {
  console.error('stetpay sandbox odoo: not available yet in this version.');
  return 2;
}
