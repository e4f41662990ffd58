/**
 * STET PSD2 v1.6.2 PISP client (stripe-node style): OAuth2 client credentials over
 * mutual TLS with the QWAC, Digest and HTTP Signature with the QSealC on every
 * request, errors by what the caller must do. It never retries, except one token
 * renewal and replay after the bank refuses the token itself (its profile's signal, NWM: 400 "Invalid Token";
 * 401 invalid_token; not a signature refusal): the queue decides the rest.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { Agent } from 'node:https';
import { BankCallAbortedError, BankError, BankRateLimitedError, BankSetupError, BankSignatureRefusedError, BankTransientError, BankUnauthorizedError, BankUnreachableError, markRequestNotSent, type BankSetting } from './errors/bank-error.js';
import { classifyBankResponse, isTokenRefusal } from './errors/classify-bank-response.js';
import { classifyTransportFailure, SETUP_ERROR_NOTE } from './errors/classify-transport-failure.js';
import { checkCredentials } from './credentials.js';
import { fallbackLinkFrom, type FallbackLink } from './fallback-link.js';
import { digestHeader, signatureHeaderAsync } from './http-signature.js';
import { exchange, TransportFailure, type RawExchange } from './https-transport.js';
import { resourceIdFromLocation } from './location.js';
import { PaymentRequests, type BankResult, type CallOptions } from './payment-requests.js';
import type { BankProfile } from '../profiles/bank-profile.js';
import { TokenProvider, type IssuedToken } from './token-provider.js';

/** Options of the STET PISP client. PEM strings or Buffers; none of them is ever logged. */
export interface StetClientOptions {
  /** API base, e.g. `https://www.18919.oba-bad-me-live.api.89c3.com/stet/psd2/v1.6.2` (no trailing slash needed). */
  baseUrl: string;
  /** Token URL, e.g. `https://www.18919.oba-bad-me-live.api.89c3.com/stet/psd2/oauth/token`. */
  tokenUrl: string;
  /** The organisation identifier in the QWAC, e.g. `PSDFR-ACPR-12345`. */
  clientId: string;
  /** QWAC certificate (PEM) for mutual TLS, on the token and API calls. */
  qwacCert: string | Buffer;
  /** QWAC private key (PEM). */
  qwacKey: string | Buffer;
  /** Extra CA certificates to trust for the bank's server certificate (the sandbox's test CA). @defaultValue Node's default CAs */
  ca?: string | Buffer | Array<string | Buffer>;
  /** QSealC private key (PEM) that signs every request. */
  qsealKey: string | Buffer;
  /** URL of the QSealC certificate, ending in `_` + its SHA-256 fingerprint (64 lowercase hex). */
  qsealKeyId: string;
  /** @defaultValue 5000 */
  connectTimeoutMs?: number;
  /** From sending to the complete answer. @defaultValue 30000 */
  responseTimeoutMs?: number;
  /**
   * What the client must know of the bank: how it words a duplicate and a token refusal
   * (`signals`), whether and how it cancels (`cancellation`, `cancellationStatus`).
   */
  profile: Pick<BankProfile, 'signals' | 'cancellation' | 'cancellationStatus'>;
  /**
   * What the user calls each setting, so that a set-up error names what to fix
   * (e.g. `{ qwacCert: 'bank.qwacCert' }`). @defaultValue the option's own name
   */
  settingNames?: Partial<Record<BankSetting, string>>;
  /**
   * Waits for the bank's rate limit before each request leaves (token, API and
   * fallback requests alike), just before it is written: the limit is shared by
   * every process that talks to the bank. Rejects when `signal` aborts. May resolve
   * to a function the client calls once when that request has ended (answer, error,
   * time-out or abort): the limit counts from the bank's answers. @defaultValue no wait
   */
  beforeRequest?: (signal?: AbortSignal) => Promise<BankRequestEnded | void>;
  /** Called after every answer (token calls included), for metrics and logs: no header, no body, no secret. */
  onResponse?: (s: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

/** Told once that a request has ended: `answered` when the bank's answer (any status) came back. */
export type BankRequestEnded = (o: { answered: boolean }) => void;

export class StetClient {
  readonly paymentRequests: PaymentRequests;
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly tokens: TokenProvider;
  private readonly connectTimeoutMs: number;
  private readonly responseTimeoutMs: number;
  /** The QSealC key, parsed once (not for every request). */
  private readonly qsealKey: KeyObject;
  /** What the user calls a setting, in set-up errors. */
  private readonly name: (s: BankSetting) => string;

  /** @throws BankSetupError naming the setting when a certificate, a key, the keyId or the CA is not what it must be. */
  constructor(private readonly options: StetClientOptions) {
    for (const k of ['baseUrl', 'tokenUrl', 'clientId', 'qwacCert', 'qwacKey', 'qsealKey', 'qsealKeyId', 'profile'] as const) {
      if (!options[k]) throw new Error(`StetClient: option ${k} is required`);
    }
    this.name = (s) => options.settingNames?.[s] ?? s;
    const problems = checkCredentials(options, this.name);
    if (problems.length) throw new BankSetupError(`${problems.map((p) => p.problem).join('; ')}. ${SETUP_ERROR_NOTE}`, problems[0]!.setting);
    this.qsealKey = createPrivateKey(options.qsealKey);
    this.base = new URL(options.baseUrl.replace(/\/+$/, '') + '/');
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 30000;
    this.agent = new Agent({ keepAlive: true, cert: options.qwacCert, key: options.qwacKey, ca: options.ca, maxSockets: 32 });
    this.tokens = new TokenProvider(() => this.requestToken());
    this.paymentRequests = new PaymentRequests(this, options.profile);
  }

  /**
   * Fetches the access token ahead of the first call (a worker starting): the
   * first payments then do not wait for it together and reach the bank in one
   * burst. Its failure is the first call's to report.
   */
  async prefetchToken(): Promise<void> {
    await this.tokens.get().catch(() => undefined);
  }

  /**
   * The bank's fallback link into online banking, for when its API is down (the
   * token request with the header `fallback: 1`, mutual TLS with the QWAC,
   * answered 302 with the link in `Location`). Ask only when the API fails: the
   * bank monitors its use. No token is fetched; the link is never logged.
   * @throws BankUnreachableError / BankTransientError when the fallback cannot be reached either,
   * BankUnauthorizedError when the bank refuses the QWAC, BankNotSupportedError when it has no fallback there.
   */
  async fallbackLink(opts: CallOptions = {}): Promise<FallbackLink> {
    const url = new URL(this.options.tokenUrl);
    const form = Buffer.from(new URLSearchParams({ client_id: this.options.clientId, grant_type: 'client_credentials', scope: 'pisp' }).toString());
    const requestId = randomUUID();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*', 'x-request-id': requestId, fallback: '1', 'content-length': String(form.length) };
    const raw = await this.timed('POST', url, headers, form, requestId, opts.signal);
    return fallbackLinkFrom(raw, { requestId, path: url.pathname, clientId: this.options.clientId, signals: this.options.profile.signals });
  }

  /**
   * Asks the bank for an access token now (client credentials, mutual TLS with the
   * QWAC), to check the set-up; the token stays inside the client.
   * @throws the token request's BankError (BankSetupError for the CA or a host, BankUnauthorizedError when refused)
   */
  async authenticate(opts: CallOptions = {}): Promise<void> {
    await this.withAbort(this.tokens.get(), opts.signal);
  }

  /** Closes the keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** One API call: body fixed once; token, Date, Digest, Signature and X-Request-ID per try. */
  async send<T>(method: string, path: string, body: unknown, opts: CallOptions = {}): Promise<BankResult<T>> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    // A failure while getting the token comes before the request left: the bank cannot have it.
    const tokenOf = (p: Promise<string>) => this.withAbort(p, opts.signal).catch((err: unknown) => Promise.reject(markRequestNotSent(err)));
    let token = await tokenOf(this.tokens.get());
    for (let attempt = 0; ; attempt++) {
      const requestId = randomUUID();
      const raw = await this.exchangeSigned(method, url, payload, token, requestId, opts.signal);
      if (raw.status >= 200 && raw.status < 300) return this.result<T>(raw, requestId);
      if (isTokenRefusal(raw, this.options.profile.signals)) {
        if (attempt === 0) {
          token = await tokenOf(this.tokens.renewAfterRefusal(token)); // the bank refused the first try's token: it did not process it
          continue;
        }
        const cause = classifyBankResponse({ ...raw, requestId, method, path }, this.options.profile.signals);
        throw new BankUnauthorizedError(
          `The bank refused a freshly renewed access token too on ${method} ${path} (${raw.status}: ${cause.bankMessage ?? 'no message'}). ` +
            `Check the QWAC certificate, client_id ${this.options.clientId} and that the token URL and the API base name the same establishment (X-Request-ID ${requestId}).`,
          { status: raw.status, requestId, stetCode: cause.stetCode, bankMessage: cause.bankMessage },
        );
      }
      const error = classifyBankResponse({ ...raw, requestId, method, path }, this.options.profile.signals);
      // A 401/403 that may concern the token: the next call asks for a new one. A signature refusal leaves the token alone.
      if ((raw.status === 401 || raw.status === 403) && !(error instanceof BankSignatureRefusedError)) this.tokens.invalidate(token);
      throw error;
    }
  }

  private result<T>(raw: RawExchange, requestId: string): BankResult<T> {
    let parsed: unknown = undefined;
    if (raw.text.trim() !== '') {
      try {
        parsed = JSON.parse(raw.text);
      } catch {
        throw new BankTransientError(`The bank answered ${raw.status} with a body that is not JSON (X-Request-ID ${requestId}).`, { status: raw.status, requestId });
      }
    }
    const loc = raw.headers.location;
    const location = Array.isArray(loc) ? loc[0] : loc;
    return { body: parsed as T, meta: { status: raw.status, requestId, location, resourceId: resourceIdFromLocation(location) } };
  }

  private async exchangeSigned(method: string, url: URL, payload: Buffer | undefined, token: string, requestId: string, signal?: AbortSignal): Promise<RawExchange> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'x-request-id': requestId,
      date: new Date().toUTCString(),
      digest: digestHeader(payload ?? Buffer.alloc(0)),
      accept: 'application/hal+json, application/json',
    };
    const names = ['(request-target)', 'date', 'digest', 'x-request-id'];
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
      names.push('content-type', 'content-length');
    }
    headers.signature = await signatureHeaderAsync({ method, target: url.pathname + url.search, headers, headerNames: names, key: this.qsealKey, keyId: this.options.qsealKeyId });
    return this.timed(method, url, headers, payload, requestId, signal);
  }

  private async timed(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined, requestId: string, signal?: AbortSignal): Promise<RawExchange> {
    const started = Date.now();
    const path = url.pathname.startsWith(this.base.pathname) ? '/' + url.pathname.slice(this.base.pathname.length) : url.pathname;
    const ended = await this.waitForRate(method, path, requestId, signal);
    let answered = false;
    try {
      const raw = await exchange({ agent: this.agent, method, url, headers, body, connectTimeoutMs: this.connectTimeoutMs, responseTimeoutMs: this.responseTimeoutMs, signal });
      answered = true;
      this.options.onResponse?.({ method, path, status: raw.status, requestId, ms: Date.now() - started });
      return raw;
    } catch (err) {
      if (err instanceof TransportFailure) {
        if (err.kind === 'aborted') throw new BankCallAbortedError(`${method} ${path} was aborted by the caller; the bank may or may not have received it (X-Request-ID ${requestId})`, requestId, err.cause);
        throw classifyTransportFailure({
          kind: err.kind, message: err.message, cause: err, method, path, url, isToken: url.href === new URL(this.options.tokenUrl).href,
          caGiven: this.options.ca !== undefined, connectTimeoutMs: this.connectTimeoutMs, requestId, name: this.name,
        });
      }
      throw err;
    } finally {
      ended?.({ answered });
    }
  }

  /**
   * The shared rate limit, after signing so the request leaves at its moment. Nothing is sent when it fails.
   * Returns what to call when the request has ended.
   */
  private async waitForRate(method: string, path: string, requestId: string, signal?: AbortSignal): Promise<BankRequestEnded | undefined> {
    if (!this.options.beforeRequest) return undefined;
    try {
      return (await this.options.beforeRequest(signal)) ?? undefined;
    } catch (err) {
      if (signal?.aborted) throw markRequestNotSent(new BankCallAbortedError(`${method} ${path} was aborted by the caller while waiting for the bank's rate limit: it was not sent (X-Request-ID ${requestId})`, requestId, signal.reason));
      throw new BankUnreachableError(
        `${method} ${path} was not sent: the bank's shared rate limit could not be asked (${err instanceof Error ? err.message : String(err)}): nothing was sent; try again once Redis answers.`,
        'rate-limit',
        { cause: err, requestId },
      );
    }
  }

  private async withAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) return p;
    if (signal.aborted) throw new BankCallAbortedError('the call was aborted by the caller before it was sent', undefined, signal.reason);
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new BankCallAbortedError('the call was aborted by the caller while waiting for an access token', undefined, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([p, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** client_credentials over mutual TLS with the QWAC (the shared agent carries it). */
  private async requestToken(): Promise<IssuedToken> {
    const url = new URL(this.options.tokenUrl);
    const form = Buffer.from(new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, scope: 'pisp' }).toString());
    const requestId = randomUUID();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-request-id': requestId, 'content-length': String(form.length) };
    const raw = await this.timed('POST', url, headers, form, requestId);
    if (raw.status === 200) {
      let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown } = {};
      try {
        body = JSON.parse(raw.text) as typeof body;
      } catch { /* handled below */ }
      if (typeof body.access_token !== 'string' || body.access_token === '' || (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer')) {
        throw new BankTransientError(`The token endpoint answered 200 without a Bearer access_token (X-Request-ID ${requestId}).`, { status: 200, requestId });
      }
      const expiresIn = Number(body.expires_in);
      return { accessToken: body.access_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
    }
    const classified = classifyBankResponse({ ...raw, requestId, method: 'POST', path: url.pathname }, this.options.profile.signals);
    if (classified instanceof BankRateLimitedError) throw classified;
    if (classified instanceof BankTransientError) {
      throw new BankTransientError(`The bank's token endpoint failed (${raw.status}: ${classified.bankMessage ?? 'no message'}); try again later (X-Request-ID ${requestId}).`, { status: raw.status, requestId, bankMessage: classified.bankMessage });
    }
    throw new BankUnauthorizedError(
      `The bank's token endpoint refused client_id ${this.options.clientId} with this QWAC certificate (${raw.status}: ${classified.bankMessage ?? 'no message'}). ` +
        `Check that ${this.name('clientId')} equals the organisation identifier in ${this.name('qwacCert')} and that the bank knows that certificate (X-Request-ID ${requestId}).`,
      { status: raw.status, requestId, bankMessage: classified.bankMessage },
    );
  }
}

export { BankError };
