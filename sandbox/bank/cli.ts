// Placeholder until the bank sandbox is built.
export async function runBankCli(_args: string[]): Promise<number> {
  console.error('stetpay sandbox bank: not available yet in this version.');
  return 2;
}
export async function runCertsCli(_args: string[]): Promise<number> {
  console.error('stetpay sandbox certs: not available yet in this version.');
  return 2;
}
