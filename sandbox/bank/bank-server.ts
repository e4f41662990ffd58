/**
 * The sandbox's HTTPS side: token endpoint, STET payment-request API and consent
 * pages, as the NWM guide describes them.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parisDate } from './calendar.js';
import { renderConsentPage, renderMessagePage } from './consent-page.js';
import { plainError, rejectionBody, type StetErrorBody } from './error-bodies.js';
import { checkFallbackJwt, FALLBACK_SCOPES, foundBody, ONLINE_BANKING_PATH, signFallbackJwt } from './fallback.js';
import { checkDigest, checkSignature } from './http-signature.js';
import { ConflictError } from './payment-store.js';
import { API_PREFIX, CONSENT_PREFIX, TOKEN_PATH, type SandboxState } from './sandbox-state.js';
import type { RequestLogEntry } from './types.js';
import { validatePaymentRequestBody } from './validate-request.js';

const MAX_BODY = 1024 * 1024;
const HAL = 'application/hal+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TMRQ_MESSAGE = 'TooManyRequest: the number of permissible requests has been exceeded';
const CANCELLATION_REASONS = ['DS02', 'DUPL', 'FRAD', 'TECH'];

class Exchange {
  readonly entry: RequestLogEntry;
  constructor(readonly state: SandboxState, readonly req: IncomingMessage, readonly res: ServerResponse, readonly path: string, readonly body: Buffer) {
    const requestId = header(req, 'x-request-id');
    this.entry = { at: state.now().toISOString(), method: req.method ?? 'GET', path, status: 0, requestId, connection: state.connectionOf(req.socket) };
    state.log.push(this.entry);
  }
  get requestId(): string | undefined {
    return this.entry.requestId;
  }
  send(status: number, payload: unknown, contentType = JSON_TYPE, extra: Record<string, string> = {}): void {
    this.entry.status = status;
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    // Date on the sandbox clock: a client comparing it with its own clock sees the skew the tests set.
    const headers: Record<string, string> = { Date: this.state.now().toUTCString(), 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), ...extra };
    if (this.requestId) headers['X-Request-ID'] = this.requestId;
    if (!contentType.startsWith('text/html')) headers.Digest = 'SHA-256=' + createHash('sha256').update(text).digest('base64');
    this.res.writeHead(status, headers).end(text);
  }
  error(body: StetErrorBody, extra: Record<string, string> = {}): void {
    this.send(body.status, body, JSON_TYPE, extra);
  }
  fail(status: number, message: string, extra: Partial<StetErrorBody> = {}, headers: Record<string, string> = {}): void {
    this.error(plainError(status, message, this.path, this.state.now(), extra), headers);
  }
  drop(): void {
    this.entry.status = 'dropped';
    this.req.socket.destroy();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The organisation identifier (OID 2.5.4.97) of the verified client certificate, if any. */
function clientOrganisationId(req: IncomingMessage): string | undefined | null {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return null;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return null;
  const subject = new X509Certificate(peer.raw).subject;
  return /^organizationIdentifier=(.+)$/m.exec(subject)?.[1];
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

export function createBankHandler(state: SandboxState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch {
        res.writeHead(413).end();
        return;
      }
      const ex = new Exchange(state, req, res, url.pathname, body);
      try {
        if (url.pathname.startsWith(CONSENT_PREFIX)) return handleConsent(ex, url);
        if (url.pathname === ONLINE_BANKING_PATH) return handleOnlineBanking(ex, url);
        if (url.pathname === TOKEN_PATH || url.pathname.startsWith(API_PREFIX + '/')) {
          // The guide: the fallback uses the token endpoint, told apart by the header `fallback: 1`, and is always active.
          const fallback = url.pathname === TOKEN_PATH && state.bank.apiFallback && header(req, 'fallback')?.trim() === '1';
          if (fallback) ex.entry.fallback = true;
          if (state.faults.outage && !fallback) return ex.fail(503, 'Service Unavailable: the API gateway is down', {}, { 'Retry-After': '60' });
          if (!state.limiter.take()) {
            return ex.fail(429, TMRQ_MESSAGE, { code: 'TMRQ' }, { 'Retry-After': '1' });
          }
          if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
          if (url.pathname === TOKEN_PATH) return fallback ? handleFallback(ex) : handleToken(ex);
          return await handleApi(ex, url);
        }
        ex.fail(404, 'Not Found');
      } catch (err) {
        if (!res.headersSent) ex.fail(500, 'Internal server error: ' + (err as Error).message);
      }
    })();
  };
}

/**
 * The checks of a token request, the fallback's included (same endpoint, same TPP checks): a
 * QWAC signed by a trusted CA, client_credentials, a scope among `scopes`, client_id = the QWAC's
 * organisation identifier. Answers the refusal itself and returns undefined, or returns the client and scope.
 */
function tokenClient(ex: Exchange, scopes: string[]): { clientId: string; scope: string } | undefined {
  if (ex.req.method !== 'POST') return void ex.fail(405, 'Method not allowed');
  const org = clientOrganisationId(ex.req);
  if (org === null) return void ex.send(401, { error: 'invalid_client', error_description: 'a client certificate issued by a trusted CA is required (mutual TLS with the QWAC)' });
  const form = new URLSearchParams(ex.body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') return void ex.send(400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
  const scope = (form.get('scope') ?? '').split(/\s+/).find((s) => scopes.includes(s));
  if (!scope) return void ex.send(400, { error: 'invalid_scope', error_description: `scope must be ${scopes.join(' or ')}` });
  const clientId = form.get('client_id');
  if (!clientId || clientId !== org) {
    return void ex.send(401, { error: 'invalid_client', error_description: 'client_id must equal the organisation identifier of the client certificate' });
  }
  return { clientId, scope };
}

function handleToken(ex: Exchange): void {
  const client = tokenClient(ex, ['pisp']);
  if (client) ex.send(200, state(ex).tokens.issue(client.clientId, state(ex).now()), JSON_TYPE, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** The guide's fallback: `302 Found`, `Location` into online banking with the `fallback=` JWT, the connection closed. */
function handleFallback(ex: Exchange): void {
  const client = tokenClient(ex, FALLBACK_SCOPES);
  if (!client) return;
  const s = ex.state;
  const jwt = signFallbackJwt(s.signer, { iss: s.origin, sub: client.clientId, cdetab: NWM_CDETAB, scope: client.scope }, s.now());
  const location = `${s.origin}${ONLINE_BANKING_PATH}?service=dei&cdetab=${NWM_CDETAB}&fallback=${jwt}`;
  ex.send(302, foundBody(location), 'text/html; charset=iso-8859-1', { Location: location, Connection: 'close' });
}

/** A stand-in for the company's online banking: it checks the fallback link and stops there. */
function handleOnlineBanking(ex: Exchange, url: URL): void {
  const html = 'text/html; charset=utf-8';
  if (ex.req.method !== 'GET') return ex.send(405, renderMessagePage('Not allowed', 'Open the link.'), html);
  const check = checkFallbackJwt(ex.state.signer, url.searchParams.get('fallback'), ex.state.now());
  if (!check.ok || url.searchParams.get('cdetab') !== check.claims.cdetab) {
    return ex.send(403, renderMessagePage('Link not valid', check.ok ? 'the link names another establishment' : check.reason), html);
  }
  ex.send(200, renderMessagePage('Online banking (sandbox)',
    `Fallback access for ${check.claims.sub}, establishment ${check.claims.cdetab}. A real bank asks here for the signatory's own login and strong authentication; ` +
    'then import the pain.001 file under Transfers and sign it. The sandbox stops here: it takes no file.'), html);
}

const NWM_CDETAB = '18919';

const state = (ex: Exchange) => ex.state;

async function handleApi(ex: Exchange, url: URL): Promise<void> {
  const s = ex.state;
  const rest = ex.path.slice(API_PREFIX.length);
  const method = ex.req.method ?? 'GET';
  const parsed = ex.body.length > 0 ? parseJson(ex.body) : { ok: true as const, value: undefined };
  const pid = parsed.ok ? (parsed.value as { paymentInformationId?: unknown } | undefined)?.paymentInformationId : undefined;
  if (typeof pid === 'string') ex.entry.paymentInformationId = pid;
  const org = clientOrganisationId(ex.req);
  if (org === null) return ex.fail(403, 'Forbidden: a client certificate issued by a trusted CA is required');
  const token = s.tokens.check(header(ex.req, 'authorization'), s.now());
  if (!token.ok) {
    // NWM-22: an expired token gets the bank's answer (400 "Invalid Token"); a bad or missing one 403.
    if (token.reason === 'expired') return ex.fail(s.bank.expiredToken.status, s.bank.expiredToken.message, { error: 'invalid_token' });
    return ex.fail(403, 'Forbidden: bad access token, authentication issue');
  }
  if (token.clientId !== org) return ex.fail(403, 'Forbidden: the access token was issued to another client certificate');
  const signed = { method, target: url.pathname + url.search, headers: ex.req.headers, body: ex.body };
  // The guide's error table: "Bad access token, authentication issue" -> 403 Forbidden. A Digest or
  // Signature the bank cannot verify is such an authentication issue (it names no 401 at all).
  const digest = checkDigest(signed);
  if (!digest.ok) return ex.fail(403, `Forbidden: authentication issue: ${digest.reason}`, { error: 'invalid_digest' });
  const signature = checkSignature(signed, s.trust);
  if (!signature.ok) return ex.fail(403, `Forbidden: authentication issue: ${signature.reason}`, { error: 'invalid_signature' });
  ex.entry.signedHeaders = signature.headers;

  const isCreate = method === 'POST' && rest === '/payment-requests';
  const fault = s.faults.decide(isCreate);
  if (fault === 'drop') return ex.drop();
  if (fault === 401) {
    // A generic STET gateway's answer to a revoked token (RFC 6750); the token stays refused.
    s.tokens.revoke(header(ex.req, 'authorization'));
    return ex.fail(401, 'Unauthorized: the access token was revoked', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="the access token was revoked"' });
  }
  if (fault === 500) return ex.fail(500, 'Internal server error');
  if (fault === 503) return ex.fail(503, 'Service Unavailable', { error: 'Service Unavailable' }, { 'Retry-After': '1' });
  if (fault === 429) return ex.fail(429, TMRQ_MESSAGE, { code: 'TMRQ' }, { 'Retry-After': '1' });

  if (rest === '/payment-requests') {
    if (method !== 'POST') return ex.fail(405, 'Method not allowed');
    return createPayment(ex, parsed, fault === 'recordThenDrop');
  }
  const m = /^\/payment-requests\/([^/]+)(\/confirmation)?$/.exec(rest);
  if (!m?.[1]) return ex.fail(404, 'Not Found');
  const resourceId = decodeURIComponent(m[1]);
  if (m[2]) {
    if (method !== 'POST') return ex.fail(405, 'Method not allowed');
    if (!s.bank.confirmation) return ex.fail(405, 'Method not allowed: confirmation is not available at this bank');
    const p = s.store.get(resourceId, s.now());
    if (!p) return ex.fail(404, 'Not Found');
    try {
      s.store.confirm(p, s.now());
    } catch (err) {
      if (err instanceof ConflictError) return ex.fail(409, 'Conflict: ' + err.message);
      throw err;
    }
    return ex.send(200, s.store.toHal(p, s.apiBaseUrl), HAL);
  }
  if (method === 'GET') {
    const p = s.store.get(resourceId, s.now());
    if (!p) return ex.fail(404, 'Not Found');
    return ex.send(200, s.store.toHal(p, s.apiBaseUrl), HAL);
  }
  if (method === 'PUT') {
    if (!s.bank.cancellation) return ex.fail(405, 'Method not allowed: modification and cancellation are not available at this bank');
    return cancelPayment(ex, resourceId, parsed);
  }
  ex.fail(405, 'Method not allowed');
}

function createPayment(ex: Exchange, parsed: { ok: true; value: unknown } | { ok: false }, recordThenDrop: boolean): void {
  const s = ex.state;
  const now = s.now();
  if (!parsed.ok) return ex.error(rejectionBody('the body is not valid JSON', [], ex.path, now));
  const ctx = { today: parisDate(now), registeredBeneficiaries: s.options.registeredBeneficiaries ?? 'any', cashAccounts: s.options.cashAccounts ?? 'any' } as const;
  const verdict = validatePaymentRequestBody(parsed.value, s.bank, s.validate, ctx);
  if (!verdict.ok) return ex.error(rejectionBody(verdict.error, verdict.details, ex.path, now));
  const body = parsed.value as Record<string, unknown>;
  if (s.store.hasPaymentInformationId(String(body.paymentInformationId))) {
    return ex.fail(s.bank.duplicate.status, s.bank.duplicate.message, { error: s.bank.duplicate.message });
  }
  const p = s.store.create(body, now);
  if (recordThenDrop) return ex.drop();
  if (s.options.autoConsent === 'approve') {
    const target = s.store.consent(p.resourceId, true, now);
    if (s.options.autoConsentCallback !== false) setImmediate(() => s.followRedirect(target));
  }
  const location = `${s.apiBaseUrl}/payment-requests/${encodeURIComponent(p.resourceId)}`;
  const href = `${s.origin}${CONSENT_PREFIX}${encodeURIComponent(p.resourceId)}?nonce=${p.nonce}`;
  ex.send(201, { appliedAuthenticationApproach: 'REDIRECT', _links: { consentApproval: { href } } }, HAL, { Location: location });
}

function cancelPayment(ex: Exchange, resourceId: string, parsed: { ok: true; value: unknown } | { ok: false }): void {
  const s = ex.state;
  const p = s.store.get(resourceId, s.now());
  if (!p) return ex.fail(404, 'Not Found');
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return ex.error(rejectionBody('the body is not a JSON object', [], ex.path, s.now()));
  const b = parsed.value as Record<string, unknown>;
  // STET's cancellation: CANC (1.6) or RJCT (1.4 style) with a reason; any other change is refused with 403.
  if (!['CANC', 'RJCT'].includes(String(b.paymentInformationStatus)) || !CANCELLATION_REASONS.includes(String(b.statusReasonInformation))) {
    return ex.fail(403, 'Forbidden: only a cancellation (paymentInformationStatus CANC with reason DS02, DUPL, FRAD or TECH) is allowed');
  }
  if (!sameResource(p.resource, b)) return ex.fail(403, 'Forbidden: a cancellation must resend the resource unchanged');
  try {
    s.store.cancel(p, String(b.statusReasonInformation));
  } catch (err) {
    if (err instanceof ConflictError) return ex.fail(409, 'Conflict: ' + err.message);
    throw err;
  }
  ex.send(200, { appliedAuthenticationApproach: 'NONE' }, HAL);
}

/** The fields that define the payment: a cancellation may not change them. */
function sameResource(stored: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  const key = (r: Record<string, unknown>) => JSON.stringify([
    r.paymentInformationId,
    (r.debtorAccount as { iban?: unknown } | undefined)?.iban,
    ((r.creditTransferTransaction ?? []) as Array<Record<string, any>>).map((t) => [t?.paymentId?.instructionId, t?.paymentId?.endToEndId,
      Number(t?.instructedAmount?.amount), t?.instructedAmount?.currency, t?.beneficiary?.creditorAccount?.iban]),
  ]);
  return key(stored) === key(sent);
}

function handleConsent(ex: Exchange, url: URL): void {
  const s = ex.state;
  const html = 'text/html; charset=utf-8';
  const resourceId = decodeURIComponent(ex.path.slice(CONSENT_PREFIX.length));
  const p = s.store.get(resourceId, s.now());
  if (!p) return ex.send(404, renderMessagePage('Unknown payment', `No payment request ${resourceId} is waiting here.`), html);
  if (ex.req.method === 'GET') {
    if (url.searchParams.get('nonce') !== p.nonce) return ex.send(403, renderMessagePage('Link not valid', 'This consent link is not valid.'), html);
    if (p.paymentInformationStatus !== 'ACTC' || p.consentAt) {
      return ex.send(409, renderMessagePage('Nothing to approve', `This payment is ${p.paymentInformationStatus}: no consent is awaited.`), html);
    }
    return ex.send(200, renderConsentPage(p, `${CONSENT_PREFIX}${encodeURIComponent(p.resourceId)}`), html);
  }
  if (ex.req.method !== 'POST') return ex.send(405, renderMessagePage('Not allowed', 'Use the page buttons.'), html);
  const form = new URLSearchParams(ex.body.toString('utf8'));
  if (form.get('nonce') !== p.nonce) return ex.send(403, renderMessagePage('Link not valid', 'This consent link is not valid.'), html);
  const decision = form.get('decision');
  if (decision !== 'approve' && decision !== 'refuse') return ex.send(400, renderMessagePage('No decision', 'Approve or refuse.'), html);
  try {
    const target = s.store.consent(p.resourceId, decision === 'approve', s.now());
    ex.entry.paymentInformationId = p.paymentInformationId;
    ex.send(302, renderMessagePage('Redirecting', target), html, { Location: target });
  } catch (err) {
    if (err instanceof ConflictError) return ex.send(409, renderMessagePage('Nothing to approve', err.message), html);
    throw err;
  }
}
