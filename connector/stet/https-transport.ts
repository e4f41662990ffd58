/**
 * One HTTPS exchange over a keep-alive agent, with a connect time-out, a response
 * time-out and an AbortSignal. No retry, no classification: errors come back as
 * TransportFailure so the client can name them.
 */
import { request, type Agent } from 'node:https';

export interface RawExchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface ExchangeOptions {
  agent: Agent;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  signal?: AbortSignal;
}

export type TransportFailureKind = 'connect-timeout' | 'response-timeout' | 'network' | 'aborted';

export class TransportFailure extends Error {
  constructor(readonly kind: TransportFailureKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export function exchange(o: ExchangeOptions): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) { reject(new TransportFailure('aborted', 'aborted before sending', o.signal.reason)); return; }
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: TransportFailure | undefined, value?: RawExchange) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err); else resolve(value as RawExchange);
    };
    let req: ReturnType<typeof request>;
    try {
      req = request(o.url, { method: o.method, headers: o.headers, agent: o.agent }, onResponse);
    } catch (e) {
      // The TLS context is made here: a certificate or key OpenSSL cannot use throws before any connection.
      const code = (e as NodeJS.ErrnoException).code;
      finish(new TransportFailure('network', `${code ?? 'TLS set-up error'}: ${(e as Error).message}`, e));
      return;
    }
    function onResponse(res: import('node:http').IncomingMessage): void {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish(new TransportFailure('network', `the connection broke while reading the answer: ${e.message}`, e)));
      res.on('aborted', () => finish(new TransportFailure('network', 'the bank closed the connection mid-answer')));
    }
    const fail = (f: TransportFailure) => { finish(f); req.destroy(); };
    function onAbort(): void {
      fail(new TransportFailure('aborted', 'the caller aborted the call', o.signal?.reason));
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => fail(new TransportFailure('response-timeout', `no complete answer within ${o.responseTimeoutMs} ms`)), o.responseTimeoutMs));
    req.on('socket', (socket) => {
      // A reused keep-alive socket is already connected; only a new one gets the connect time-out.
      if (!socket.connecting) return;
      const t = setTimeout(() => fail(new TransportFailure('connect-timeout', `could not connect within ${o.connectTimeoutMs} ms`)), o.connectTimeoutMs);
      timers.push(t);
      socket.once('secureConnect', () => clearTimeout(t));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(new TransportFailure('network', `${e.code ?? 'network error'}: ${e.message}`, e)));
    req.end(o.body);
  });
}
