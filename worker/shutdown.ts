/** Anything with an async close: workers, queues, drainers, HTTP servers, Redis. */
export interface Closable {
  close(): Promise<unknown> | unknown;
}

/** Options of {@link closeInOrder} and {@link installShutdown}. */
export interface ShutdownOptions {
  /** Told of each step and failure. */
  log?: (message: string) => void;
  /** Ms after which the process exits anyway (a stuck bank call). 0: wait forever. @defaultValue 0 */
  forceAfterMs?: number;
  /** Signals handled. @defaultValue ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[];
  /** Called when all are closed; default exits with code 0 (1 if a close failed). */
  exit?: (code: number) => void;
}

/**
 * Closes in the given order, each after the previous one (e.g. callback
 * server, workers, drainer, queues, Redis). A Worker's close() waits for its
 * in-flight jobs and takes no new one. Returns false when a close failed.
 */
export async function closeInOrder(closables: Closable[], log?: (m: string) => void): Promise<boolean> {
  let ok = true;
  for (const c of closables) {
    try {
      await c.close();
    } catch (err) {
      ok = false;
      log?.(`stetpay: close failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return ok;
}

/**
 * On SIGTERM/SIGINT: finish in-flight jobs, take no new ones, close the rest
 * in order, then exit. A second signal exits at once. Returns an uninstaller.
 */
export function installShutdown(closables: Closable[], opts: ShutdownOptions = {}): () => void {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const handler = (sig: NodeJS.Signals) => {
    if (closing) {
      opts.log?.(`stetpay: ${sig} again: exiting now; jobs in flight will be retried (same ids)`);
      exit(1);
      return;
    }
    closing = true;
    opts.log?.(`stetpay: ${sig}: finishing jobs in flight, taking no new ones`);
    if (opts.forceAfterMs) setTimeout(() => exit(1), opts.forceAfterMs).unref();
    void closeInOrder(closables, opts.log).then((ok) => exit(ok ? 0 : 1));
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
