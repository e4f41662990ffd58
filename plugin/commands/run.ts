// Placeholder until this command is built (see the issues): says so plainly rather than pretend.
export async function run(_args: string[]): Promise<number> {
  console.error('stetpay run: not available yet in this version.');
  return 2;
}
