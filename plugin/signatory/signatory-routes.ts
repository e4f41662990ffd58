/**
 * The signatory's page, served by the consent callback server:
 *
 * - `GET /stet/signatory?t=LINK`: the link from the signatory's Odoo to-do.
 *   Checked (signature, expiry), spent once, exchanged for a session cookie,
 *   then the browser goes to the page (the token leaves the address bar). A
 *   forged, expired or already used link is refused and changes nothing; a
 *   HEAD (a mail scanner) spends nothing.
 * - `GET /stet/signatory`: the list, for the session's signatory.
 * - `POST /stet/signatory/approve` (payment id, this session's token for it):
 *   opens that payment, then sends the browser to the bank's consent page.
 * - `GET /stet/signatory/done?p=ID`: where the consent callback sends a
 *   browser with a session once the bank brought it back: the result, "3 of
 *   12", the next payment.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pickLanguage, StateTokenError, type CallbackLogger, type PageLanguage } from '../callback/index.js';
import { PAGE_HEADERS, SILENT } from '../callback/callback-server.js';
import { renderReturnPage, renderSignatoryMessage, renderSignatoryPage, SIGNATORY_PATHS, type PageFormat, type ReturnResult, type SignatoryRefusal } from './signatory-page.js';
import { actionToken, isActionToken, newSessionId, signSignatoryLink, signSignatorySession, verifySignatoryLink, verifySignatorySession, type SignatorySession } from './signatory-tokens.js';
import { actionable, type WaitingPayment } from './waiting-payments.js';

/** What opening a payment gives: the bank's consent page to go to, or why not (nothing was sent twice either way). */
export type OpenResult = { kind: 'redirect'; url: string } | { kind: 'refused'; refusal: SignatoryRefusal; detail?: string };

/** What the page needs from Odoo, Redis and the bank. */
export interface SignatoryDeps {
  /** callback.secret */
  secret: string;
  /** The cookie is `Secure` (callback.publicUrl is https). */
  secureCookie: boolean;
  timeZone: string;
  consentWindowMs: number;
  /** True the first time a link's nonce is seen (Redis SET NX); false on a replay. */
  markLinkUsed(nonce: string, ttlSeconds: number): Promise<boolean>;
  /** The signatory's name as Odoo shows it. */
  signatoryName(userId: number): Promise<string | undefined>;
  /** Every payment waiting for the signatory (Odoo, and Redis for those not at the bank yet). */
  waiting(): Promise<WaitingPayment[]>;
  /** The payments this session came back from the bank for. */
  handled(sessionId: string): Promise<string[]>;
  markHandled(sessionId: string, paymentId: string, ttlSeconds: number): Promise<void>;
  /** Opens one payment (POSTs it first when it is not at the bank yet). */
  open(paymentId: string): Promise<OpenResult>;
  /** What became of a payment once the bank sent the browser back (Odoo's record, after the callback's check). */
  result(paymentId: string): Promise<ReturnResult>;
  log?: CallbackLogger;
  now?: () => Date;
}

export const SESSION_COOKIE = 'stetpay_signatory';

// The callback pages' headers; the forms post to this server, then go on to the bank's consent page.
const HEADERS = { ...PAGE_HEADERS, 'content-security-policy': `${PAGE_HEADERS['content-security-policy']}; form-action 'self' https:` };

function sendHtml(res: ServerResponse, status: number, lang: PageLanguage, html: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...HEADERS, 'content-language': lang, 'content-length': Buffer.byteLength(html), ...extra });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', location, 'content-length': 0, ...extra });
  res.end();
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

async function readForm(req: IncomingMessage, limit = 4096): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error('form too large');
    chunks.push(c);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The page's request handler; `handle` answers for its paths and returns false for any other. */
export function signatoryRoutes(deps: SignatoryDeps): {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Where the consent callback sends a browser with a session, once the bank brought it back (undefined: no session). */
  returnLocation(req: IncomingMessage, paymentId: string): Promise<string | undefined>;
} {
  const log = deps.log ?? SILENT;
  const now = deps.now ?? (() => new Date());

  function session(req: IncomingMessage): SignatorySession | undefined {
    const token = cookieValue(req, SESSION_COOKIE);
    if (!token) return undefined;
    try {
      return verifySignatorySession(deps.secret, token, now());
    } catch {
      return undefined;
    }
  }
  const fmt = (lang: PageLanguage): PageFormat => ({ lang, timeZone: deps.timeZone, now: now(), consentWindowMs: deps.consentWindowMs });
  const tokens = (s: SignatorySession) => (paymentId: string) => actionToken(deps.secret, s.sessionId, paymentId);
  const ttlOf = (s: { exp: number }) => Math.max(60, s.exp - Math.floor(now().getTime() / 1000));

  async function openLink(req: IncomingMessage, res: ServerResponse, lang: PageLanguage, token: string): Promise<void> {
    let link;
    try {
      link = verifySignatoryLink(deps.secret, token, now());
    } catch (err) {
      const kind = err instanceof StateTokenError ? err.kind : 'malformed';
      log.warn({ event: 'signatory_link_refused', problem: kind }, 'signatory page: link refused');
      return sendHtml(res, 400, lang, renderSignatoryMessage(kind === 'expired' ? 'expired' : 'forged', lang));
    }
    if (req.method === 'HEAD') return void res.writeHead(200, { ...HEADERS, 'content-language': lang }).end();
    const current = session(req);
    if (!(await deps.markLinkUsed(link.nonce, ttlOf(link)))) {
      // Spent: the same signatory's browser goes on with its session; any other is refused.
      if (current?.userId === link.userId) return redirect(res, SIGNATORY_PATHS.page);
      log.warn({ event: 'signatory_link_refused', problem: 'used', userId: link.userId }, 'signatory page: link already used');
      return sendHtml(res, 400, lang, renderSignatoryMessage('used', lang));
    }
    const s: SignatorySession = { userId: link.userId, exp: link.exp, sessionId: newSessionId() };
    const cookie = `${SESSION_COOKIE}=${signSignatorySession(deps.secret, s)}; Path=/stet/; HttpOnly; SameSite=Lax; Max-Age=${ttlOf(s)}${deps.secureCookie ? '; Secure' : ''}`;
    log.info({ event: 'signatory_session', userId: link.userId }, 'signatory page: link opened');
    redirect(res, SIGNATORY_PATHS.page, { 'set-cookie': cookie });
  }

  async function list(res: ServerResponse, lang: PageLanguage, s: SignatorySession): Promise<void> {
    const [payments, name, handled] = await Promise.all([deps.waiting(), deps.signatoryName(s.userId).catch(() => undefined), deps.handled(s.sessionId)]);
    const done = new Set(handled);
    sendHtml(res, 200, lang, renderSignatoryPage(name ?? `#${s.userId}`, payments.filter((p) => !done.has(p.paymentId)), fmt(lang), tokens(s)));
  }

  async function approve(req: IncomingMessage, res: ServerResponse, lang: PageLanguage, s: SignatorySession): Promise<void> {
    const form = await readForm(req);
    const paymentId = form.get('p') ?? '';
    if (!paymentId || !isActionToken(deps.secret, s.sessionId, paymentId, form.get('c') ?? '')) {
      log.warn({ event: 'signatory_action_refused', userId: s.userId }, 'signatory page: an action token that is not this session\'s');
      return sendHtml(res, 403, lang, renderSignatoryMessage('stale-action', lang));
    }
    const r = await deps.open(paymentId);
    log.info({ event: 'signatory_open', userId: s.userId, paymentId, result: r.kind === 'redirect' ? 'to_bank' : r.refusal }, 'signatory page: payment opened');
    if (r.kind === 'redirect') return redirect(res, r.url);
    sendHtml(res, r.refusal === 'bank-busy' || r.refusal === 'bank-silent' || r.refusal === 'unavailable' ? 503 : 409, lang, renderSignatoryMessage(r.refusal, lang, r.detail));
  }

  async function done(res: ServerResponse, lang: PageLanguage, s: SignatorySession, paymentId: string): Promise<void> {
    const [result, payments, handled] = await Promise.all([deps.result(paymentId), deps.waiting(), deps.handled(s.sessionId)]);
    const seen = new Set(handled);
    const left = actionable(payments).filter((p) => !seen.has(p.paymentId) && p.paymentId !== paymentId);
    sendHtml(res, 200, lang, renderReturnPage(result, seen.size, seen.size + left.length, left[0], left.length, fmt(lang), tokens(s)));
  }

  return {
    async handle(req, res, url) {
      if (url.pathname !== SIGNATORY_PATHS.page && !url.pathname.startsWith(`${SIGNATORY_PATHS.page}/`)) return false;
      const lang = pickLanguage(req.headers['accept-language']);
      try {
        const linkToken = url.pathname === SIGNATORY_PATHS.page ? url.searchParams.get('t') : null;
        if (linkToken !== null && (req.method === 'GET' || req.method === 'HEAD')) {
          await openLink(req, res, lang, linkToken);
          return true;
        }
        const s = session(req);
        if (!s) {
          sendHtml(res, 401, lang, renderSignatoryMessage('no-session', lang));
          return true;
        }
        if (url.pathname === SIGNATORY_PATHS.page && req.method === 'GET') await list(res, lang, s);
        else if (url.pathname === SIGNATORY_PATHS.approve && req.method === 'POST') await approve(req, res, lang, s);
        else if (url.pathname === SIGNATORY_PATHS.done && req.method === 'GET') await done(res, lang, s, url.searchParams.get('p') ?? '');
        else sendHtml(res, 404, lang, renderSignatoryMessage('no-session', lang));
      } catch (err) {
        log.error({ event: 'signatory_page_error', err: (err as Error)?.message }, 'signatory page: cannot answer');
        if (!res.headersSent) sendHtml(res, 503, lang, renderSignatoryMessage('unavailable', lang), { 'retry-after': '30' });
        else res.end();
      }
      return true;
    },
    async returnLocation(req, paymentId) {
      const s = session(req);
      if (!s) return undefined;
      await deps.markHandled(s.sessionId, paymentId, ttlOf(s));
      return `${SIGNATORY_PATHS.done}?p=${encodeURIComponent(paymentId)}`;
    },
  };
}

/** The page's link for one signatory (an Odoo user id), valid until `expiresAt`: what their to-do in Odoo carries. */
export function signatoryLink(publicUrl: string, secret: string, userId: number, expiresAt: Date): string {
  return `${publicUrl.replace(/\/+$/, '')}${SIGNATORY_PATHS.page}?t=${signSignatoryLink(secret, userId, Math.floor(expiresAt.getTime() / 1000))}`;
}
