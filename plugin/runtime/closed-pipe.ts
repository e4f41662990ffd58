/**
 * `stetpay report --format json | head`: once the reader has gone, writing to
 * stdout (or stderr) fails with EPIPE. That is not the command's failure: the
 * reader took what it wanted, so the process exits quietly (code 0) instead of
 * crashing with a stack. Installed once per process by the command line.
 */
let installed = false;

export function exitQuietlyOnClosedPipe(exit: (code: number) => void = (c) => process.exit(c)): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return exit(0);
      throw err;
    });
  }
}
