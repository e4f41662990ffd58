/**
 * The payee-verification port: asks a Verification of Payee provider, over
 * mutual TLS, whether each (IBAN, name) is held by that name, and returns the
 * EPC's four results. Batched: one POST carries up to `batchSize` pairs (1 for
 * a provider that takes one check per call). Never retries: a check that fails
 * is the run's to decide (vop.notPossible), and the next run asks again.
 *
 * The wire format (docs/vop.md): `POST {url}/payee-verifications` with
 * `{requests: [{id, iban, name, organisationId?}]}`, answered 200 with
 * `{responses: [{id, result, matchedName?, reasonCode?, reference}]}`, or an
 * `error` for one item. Its words are the EPC VOP scheme's (MTCH, CMTC, NMTC,
 * NOAP; the matched name only with CMTC); its batching is Qonto's
 * bulk_verify_payee (ids echoed, one result per request).
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import { isVopResult, odooNow, type PayeeCheck, type PayeeCheckRequest } from '../model/index.js';
import { exchange, TransportFailure } from '../stet/https-transport.js';
import { PayeeVerificationError, PayeeVerificationRefusedError, PayeeVerificationTimeoutError, PayeeVerificationUnavailableError } from './errors.js';

export interface PayeeVerificationOptions {
  /** The provider's base URL, e.g. `https://vop.bank.example/vop/v1` (stetpay appends `/payee-verifications`). */
  url: string;
  /** Client certificate (PEM) for mutual TLS. */
  cert: string | Buffer;
  /** Its private key (PEM). Secret: never logged. */
  key: string | Buffer;
  /** CA(s) of the provider's server certificate, when not a public CA. */
  ca?: string | Buffer;
  /** Connect and answer, per request, in ms. @defaultValue 10000 */
  timeoutMs?: number;
  /** Pairs per request. @defaultValue 100 */
  batchSize?: number;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/** One pair's fate: its check, or why none was made. */
export type PayeeVerification = { ok: true; check: PayeeCheck } | { ok: false; error: PayeeVerificationError };

interface WireResponse {
  id?: unknown;
  result?: unknown;
  matchedName?: unknown;
  reasonCode?: unknown;
  reference?: unknown;
  error?: { code?: unknown; message?: unknown };
}

export class PayeeVerificationClient {
  private readonly agent: Agent;
  private readonly endpoint: URL;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly now: () => Date;
  /** Requests sent (one per batch), for the run summary and the tests. */
  requestsSent = 0;

  constructor(options: PayeeVerificationOptions) {
    for (const k of ['url', 'cert', 'key'] as const) if (!options[k]) throw new Error(`PayeeVerificationClient: option ${k} is required`);
    this.endpoint = new URL('payee-verifications', options.url.replace(/\/+$/, '') + '/');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.now = options.now ?? (() => new Date());
    this.agent = new Agent({ keepAlive: true, cert: options.cert, key: options.key, ca: options.ca, maxSockets: 4 });
  }

  /**
   * Checks each request (give each pair once). The answers come in the order
   * of the requests.
   * @throws PayeeVerificationRefusedError when the provider refuses stetpay's credentials.
   */
  async verify(requests: readonly PayeeCheckRequest[], opts: { signal?: AbortSignal } = {}): Promise<PayeeVerification[]> {
    const out: PayeeVerification[] = [];
    for (let i = 0; i < requests.length; i += this.batchSize) out.push(...(await this.verifyBatch(requests.slice(i, i + this.batchSize), opts.signal)));
    return out;
  }

  close(): void {
    this.agent.destroy();
  }

  private async verifyBatch(batch: readonly PayeeCheckRequest[], signal?: AbortSignal): Promise<PayeeVerification[]> {
    const requestId = randomUUID();
    const body = Buffer.from(
      JSON.stringify({
        requests: batch.map((r, i) => ({
          id: String(i + 1),
          iban: r.iban,
          name: r.name,
          ...(r.organisationId ? { organisationId: { identification: r.organisationId, schemeName: 'TXID' } } : {}),
        })),
      }),
    );
    const failAll = (error: PayeeVerificationError): PayeeVerification[] => batch.map(() => ({ ok: false, error }));
    this.requestsSent++;
    let raw;
    try {
      raw = await exchange({
        agent: this.agent,
        method: 'POST',
        url: this.endpoint,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': requestId, 'content-length': String(body.length) },
        body,
        connectTimeoutMs: this.timeoutMs,
        responseTimeoutMs: this.timeoutMs,
        signal,
      });
    } catch (err) {
      if (!(err instanceof TransportFailure)) throw err;
      if (err.kind === 'connect-timeout' || err.kind === 'response-timeout') {
        return failAll(new PayeeVerificationTimeoutError(`the Verification of Payee provider did not answer within ${this.timeoutMs} ms (${err.message}, X-Request-ID ${requestId})`, requestId, err));
      }
      const code = (err.cause as NodeJS.ErrnoException | undefined)?.code ?? '';
      // A handshake the provider ends on our certificate: every later call fails alike.
      if (/CERT|SSL|TLS|ALERT/i.test(code) || /certificate|handshake|alert/i.test(err.message)) {
        throw new PayeeVerificationRefusedError(`the Verification of Payee provider at ${this.endpoint.origin} refused the TLS connection (${err.message}): check vop.cert, vop.key and vop.ca (X-Request-ID ${requestId})`, requestId, err);
      }
      return failAll(new PayeeVerificationUnavailableError(`the Verification of Payee provider could not be reached (${err.message}, X-Request-ID ${requestId})`, requestId, err));
    }
    if (raw.status === 401 || raw.status === 403) {
      throw new PayeeVerificationRefusedError(`the Verification of Payee provider refused stetpay's client certificate (HTTP ${raw.status}): check vop.cert and vop.key, and that the provider knows the certificate (X-Request-ID ${requestId})`, requestId);
    }
    if (raw.status !== 200) {
      return failAll(new PayeeVerificationUnavailableError(`the Verification of Payee provider answered HTTP ${raw.status} (${raw.text.slice(0, 200)}; X-Request-ID ${requestId})`, requestId));
    }
    let parsed: { responses?: unknown };
    try {
      parsed = JSON.parse(raw.text) as { responses?: unknown };
    } catch {
      return failAll(new PayeeVerificationUnavailableError(`the Verification of Payee provider answered 200 with a body that is not JSON (X-Request-ID ${requestId})`, requestId));
    }
    const byId = new Map<string, WireResponse>();
    for (const r of Array.isArray(parsed.responses) ? (parsed.responses as WireResponse[]) : []) if (r && typeof r === 'object') byId.set(String(r.id), r);
    const checkedAt = odooNow(this.now());
    return batch.map((req, i): PayeeVerification => {
      const r = byId.get(String(i + 1));
      if (!r) return { ok: false, error: new PayeeVerificationUnavailableError(`the Verification of Payee provider gave no answer for this account (X-Request-ID ${requestId})`, requestId) };
      if (r.error) {
        return { ok: false, error: new PayeeVerificationUnavailableError(`the Verification of Payee provider could not check this account (${String(r.error.code ?? 'error')}: ${String(r.error.message ?? '').slice(0, 200)}; X-Request-ID ${requestId})`, requestId) };
      }
      if (!isVopResult(r.result) || typeof r.reference !== 'string' || r.reference === '') {
        return { ok: false, error: new PayeeVerificationUnavailableError(`the Verification of Payee provider's answer has no result stetpay knows (result ${JSON.stringify(r.result)}; X-Request-ID ${requestId})`, requestId) };
      }
      // The EPC scheme returns the name only with a close match; anything else is dropped.
      const matchedName = r.result === 'CMTC' && typeof r.matchedName === 'string' && r.matchedName.trim() !== '' ? r.matchedName.trim().slice(0, 140) : null;
      const reasonCode = typeof r.reasonCode === 'string' && /^[A-Z0-9]{1,8}$/.test(r.reasonCode) ? r.reasonCode : null;
      return { ok: true, check: { iban: req.iban, name: req.name, result: r.result, matchedName, reference: r.reference.slice(0, 64), checkedAt, reasonCode } };
    });
  }
}
