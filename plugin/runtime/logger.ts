import { pino, type Logger } from 'pino';

/**
 * Structured logs (JSON lines) for the long-running processes. Secrets never
 * reach a log: they are not passed to it, and known secret keys are redacted
 * in case they ever are.
 */
export function createLogger(opts: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      name: 'stetpay',
      level: opts.level ?? process.env.STETPAY_LOG_LEVEL ?? 'info',
      redact: { paths: ['password', 'secret', 'token', 'access_token', 'qwacKey', 'qsealKey', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
    },
    pino.destination({ dest: opts.destination ?? 2, sync: true }),
  );
}

/** The `(event, fields)` callback the worker modules take, onto a pino logger. */
export function eventLog(logger: Logger): (event: string, fields?: Record<string, unknown>) => void {
  return (event, fields = {}) => {
    // The worker names a payment `pid`; pino's `pid` is the process id.
    const { pid, ...rest } = fields;
    logger.info({ event, ...(pid === undefined ? {} : { paymentId: pid }), ...rest });
  };
}
