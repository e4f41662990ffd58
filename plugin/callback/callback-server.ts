/**
 * The consent callback: where the bank sends the signatory back after
 * approving or refusing. A plain node:http server with its own error handling
 * (an "encapsulated plugin"): it answers a browser with a short page, never a
 * stack trace, and changes nothing for a forged, expired, unknown or replayed
 * link, nor for a HEAD (link previewers and mail scanners probe with it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pickLanguage, renderCallbackPage, type PageDetails, type PageKind } from './callback-pages.js';
import type { OdooLinks } from './odoo-links.js';
import { CALLBACK_PATHS } from './report-urls.js';
import { verifyState } from './state-token.js';
import { isUnknownPaymentError, StateTokenError } from '../errors.js';

/** The structured logger the server writes to (pino's Logger fits). */
export interface CallbackLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CheckStatusRequest {
  paymentId: string;
  billId: number;
  outcome: 'success' | 'failure';
  /** Other query parameters the bank appended to the report URL (e.g. `code`), for profiles that confirm with them. */
  query: Record<string, string>;
}

/** What `checkStatus` may tell the page (optional). */
export interface CheckStatusResult {
  /** Bill number to show instead of its id. */
  billName?: string;
}

/**
 * How often `checkStatus` may sync again while the payment is not yet checkable: the bank can redirect the
 * signatory before the submit worker's write-back recorded its answer. 20 tries 250 ms apart (about 5 s of
 * waiting, half the page's `checkWaitMs` of 10 s by default), so the page usually shows the checked status.
 */
export const CONSENT_CHECK_RETRY = Object.freeze({ attempts: 20, intervalMs: 250 });

export interface CallbackServerOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 = any free port. */
  port: number;
  /** HMAC key of the state tokens (callback.secret). */
  secret: string;
  /** Whether stetpay follows this payment (its ledger entry exists). Asked before the link's nonce is used up, so an unknown payment changes nothing. */
  knows(paymentId: string): Promise<boolean>;
  /** Checks the payment at the bank now (and confirms it when the profile needs it). May still throw UnknownPaymentError (the payment was dropped since `knows`). */
  checkStatus(p: CheckStatusRequest): Promise<void | CheckStatusResult>;
  /** True the first time a nonce is seen (Redis SET NX in production), false on a replay. */
  markUsed(tokenNonce: string): Promise<boolean>;
  log?: CallbackLogger;
  /** Ms the page waits for checkStatus before answering anyway (the check goes on). @defaultValue 10000 */
  checkWaitMs?: number;
  /** Clock, for tests. @defaultValue () => new Date() */
  now?: () => Date;
  /** Every page links back to Odoo: to the bill when the link names one, else to Odoo itself. */
  odooLinks?: OdooLinks;
  /** The bill's number, for the pages that do not check the payment (a used link, Redis down...): they show `#id` when it fails or is slow. */
  billName?(billId: number): Promise<string | undefined>;
  /** More pages on this server (the signatory's page): true when it answered the request. */
  routes?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /**
   * After a checked return, where to send the browser instead of the short page
   * (the signatory's page, for a browser that came from it); undefined: the short page.
   */
  returnTo?(req: IncomingMessage, paymentId: string): Promise<string | undefined>;
}

export interface CallbackServer {
  /** `http://host:port` actually bound. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const SILENT: CallbackLogger = { info() {}, warn() {}, error() {} };

/** The headers of every page this server answers (the signatory's page too). */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The URL holds the state token: never send it on as a referrer.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

/** Ms a page waits for the bill's number before showing its id. */
const NAME_WAIT_MS = 2000;

function send(res: ServerResponse, status: number, kind: PageKind, lang: 'fr' | 'en', details?: PageDetails, extra: Record<string, string> = {}): void {
  const body = renderCallbackPage(kind, lang, details);
  res.writeHead(status, { ...PAGE_HEADERS, 'content-language': lang, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export async function startCallbackServer(opts: CallbackServerOptions): Promise<CallbackServer> {
  const log = opts.log ?? SILENT;
  const now = opts.now ?? (() => new Date());
  const waitMs = opts.checkWaitMs ?? 10_000;
  const home: PageDetails = opts.odooLinks ? { odooUrl: opts.odooLinks.home } : {};

  /** The page's details for a bill named by a genuine token: its number (bounded wait; `#id` if unknown), its link in Odoo. */
  async function billDetails(billId: number, paymentId: string, knownName?: string): Promise<PageDetails> {
    let name = knownName;
    if (!name && opts.billName) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), NAME_WAIT_MS)));
      name = await Promise.race([opts.billName(billId).catch(() => undefined), late]);
      clearTimeout(timer);
    }
    return { bill: name || `#${billId}`, paymentId, ...(opts.odooLinks ? { odooUrl: opts.odooLinks.bill(billId) } : {}) };
  }

  async function handleReturn(req: IncomingMessage, res: ServerResponse, url: URL, outcome: 'success' | 'failure'): Promise<void> {
    const lang = pickLanguage(req.headers['accept-language']);
    const token = url.searchParams.get('state');
    if (!token) return send(res, 400, 'malformed', lang, home);
    let payload;
    try {
      payload = verifyState(opts.secret, token, now());
    } catch (err) {
      const kind = err instanceof StateTokenError ? err.kind : 'malformed';
      log.warn({ event: 'consent_callback_refused', outcome, problem: kind }, 'consent callback refused: bad state token');
      return send(res, 400, kind, lang, home);
    }
    if (req.method === 'HEAD') {
      // A previewer or scanner, not the signatory: the token is genuine, but nothing is used up or checked.
      log.info({ event: 'consent_callback_head', outcome, paymentId: payload.paymentId }, 'consent callback: HEAD answered, nothing done');
      res.writeHead(200, { ...PAGE_HEADERS, 'content-language': lang });
      return void res.end();
    }
    const details = () => billDetails(payload.billId, payload.paymentId);
    /** A question to Redis; when it cannot answer, the page says so (503) and nothing changes: undefined. */
    const ask = async (question: () => Promise<boolean>, doing: string): Promise<boolean | undefined> => {
      try {
        return await question();
      } catch (err) {
        log.error({ event: 'consent_callback_store_down', paymentId: payload.paymentId, err: (err as Error)?.message }, `consent callback: cannot ${doing}`);
        send(res, 503, 'unavailable', lang, await details(), { 'retry-after': '30' });
        return undefined;
      }
    };
    // Known before used up: a link to a payment stetpay does not follow must not consume anything.
    const known = await ask(() => opts.knows(payload.paymentId), 'look the payment up');
    if (known === undefined) return;
    if (!known) {
      log.warn({ event: 'consent_callback_refused', outcome, problem: 'unknown-payment', paymentId: payload.paymentId, billId: payload.billId }, 'consent callback refused: payment not followed');
      return send(res, 400, 'unknown', lang, await details());
    }
    const first = await ask(() => opts.markUsed(payload.nonce), 'record the link as used');
    if (first === undefined) return;
    if (!first) {
      log.warn({ event: 'consent_callback_replayed', paymentId: payload.paymentId, billId: payload.billId }, 'consent callback refused: link already used');
      return send(res, 400, 'replayed', lang, await details());
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (k !== 'state') query[k] = v;
    log.info({ event: 'consent_callback', paymentId: payload.paymentId, billId: payload.billId, outcome }, 'consent callback: checking the payment now');
    const check = Promise.resolve()
      .then(() => opts.checkStatus({ paymentId: payload.paymentId, billId: payload.billId, outcome, query }))
      .then(
        (r) => ({ ok: true as const, r }),
        (err: unknown) => ({ ok: false as const, err }),
      );
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([check, new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), waitMs); })]);
    clearTimeout(timer);
    if (settled === 'late') {
      log.warn({ event: 'consent_callback_slow', paymentId: payload.paymentId }, 'consent callback: status check still running, answered the page');
      void check.then((s) => { if (!s.ok) log.error({ event: 'consent_callback_check_failed', paymentId: payload.paymentId, err: (s.err as Error)?.message }, 'consent callback: status check failed'); });
    } else if (!settled.ok) {
      if (isUnknownPaymentError(settled.err)) return send(res, 400, 'unknown', lang, await details());
      log.error({ event: 'consent_callback_check_failed', paymentId: payload.paymentId, err: (settled.err as Error)?.message }, 'consent callback: status check failed; the scheduled sync will retry');
    }
    const back = await opts.returnTo?.(req, payload.paymentId).catch(() => undefined);
    if (back) {
      res.writeHead(303, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', location: back, 'content-length': 0 });
      return void res.end();
    }
    const checkedName = settled !== 'late' && settled.ok && settled.r ? settled.r.billName : undefined;
    return send(res, 200, outcome === 'success' ? 'approved' : 'refused', lang, await billDetails(payload.billId, payload.paymentId, checkedName));
  }

  const server = createServer((req, res) => {
    const lang = pickLanguage(req.headers['accept-language']);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback.invalid');
    } catch {
      return send(res, 400, 'malformed', lang, home);
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return res.end('ok\n');
    }
    const outcome = url.pathname === CALLBACK_PATHS.success ? 'success' : url.pathname === CALLBACK_PATHS.failure ? 'failure' : undefined;
    if (!outcome && opts.routes) {
      opts.routes(req, res, url).then(
        (answered) => { if (!answered && !res.headersSent) send(res, 404, 'not-found', lang, home); },
        (err: unknown) => {
          log.error({ event: 'callback_route_error', err: (err as Error)?.message }, 'callback server: unexpected error');
          if (!res.headersSent) send(res, 503, 'unavailable', lang, home);
          else res.end();
        },
      );
      return;
    }
    if (!outcome) return send(res, 404, 'not-found', lang, home);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'not-found', lang, home, { allow: 'GET, HEAD' });
    handleReturn(req, res, url, outcome).catch((err: unknown) => {
      // Last net: the browser gets a page, the log gets the cause, nobody gets a stack.
      log.error({ event: 'consent_callback_error', err: (err as Error)?.message }, 'consent callback: unexpected error');
      if (!res.headersSent) send(res, 503, 'unavailable', lang, home);
      else res.end();
    });
  });
  server.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
