/** Everything a running sandbox holds, shared by its HTTPS and admin servers. */
import type { ValidateFunction } from 'ajv';
import { sandboxBank, type SandboxBankRules } from './bank-rules.js';
import { FaultEngine } from './faults.js';
import type { FallbackSigner } from './fallback.js';
import type { QsealTrustStore } from './http-signature.js';
import { PaymentStore } from './payment-store.js';
import { RateLimiter } from './rate-limit.js';
import { TokenStore } from './tokens.js';
import type { BankSandboxOptions, RequestLogEntry, SandboxProfile } from './types.js';

export const API_PREFIX = '/stet/psd2/v1.6.2';
export const TOKEN_PATH = '/stet/psd2/oauth/token';
export const CONSENT_PREFIX = '/consent/';

export class SandboxState {
  readonly store: PaymentStore;
  readonly tokens: TokenStore;
  readonly faults: FaultEngine;
  readonly limiter: RateLimiter;
  /** How the bank played behaves. */
  readonly bank: SandboxBankRules;
  log: RequestLogEntry[] = [];
  /** Set once the HTTPS server listens. */
  origin = '';
  /** Serial number of each TLS connection accepted (keep-alive reuse shows as one number for several requests). */
  private readonly connectionIds = new WeakMap<object, number>();
  private connectionCount = 0;
  private clockOffsetMs: number;
  private readonly initialOffsetMs: number;
  private readonly callbacks = new Set<Promise<unknown>>();
  private readonly callbackAbort = new AbortController();

  constructor(
    readonly profile: SandboxProfile,
    readonly options: BankSandboxOptions,
    readonly trust: QsealTrustStore,
    readonly validate: ValidateFunction,
    /** The server certificate and key: they sign the fallback links (RS256). */
    readonly signer: FallbackSigner,
  ) {
    this.bank = sandboxBank(profile);
    this.store = new PaymentStore(this.bank, options.consentTimeoutMs ?? this.bank.consentTimeoutMs);
    this.store.setRejectedCreditors(options.rejectedCreditorIbans ?? []);
    this.tokens = new TokenStore(options.tokenLifetimeSeconds ?? 180 * 24 * 3600);
    this.faults = new FaultEngine(options.faults);
    this.limiter = new RateLimiter(options.requestsPerSecond);
    this.initialOffsetMs = options.startTime ? options.startTime.getTime() - Date.now() : 0;
    this.clockOffsetMs = this.initialOffsetMs;
  }

  /** Called once per accepted TLS connection. */
  noteConnection(socket: object): void {
    this.connectionIds.set(socket, ++this.connectionCount);
  }

  /** The serial number of the TLS connection `socket` (0 when it was never noted). */
  connectionOf(socket: object): number {
    return this.connectionIds.get(socket) ?? 0;
  }

  get apiBaseUrl(): string {
    return this.origin + API_PREFIX;
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  advanceClock(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('the sandbox clock only moves forward: give a positive number of ms');
    this.clockOffsetMs += ms;
    return this.now();
  }

  reset(): void {
    this.store.clear();
    this.tokens.clear();
    this.faults.set({});
    this.limiter.reset();
    this.log = [];
    this.clockOffsetMs = this.initialOffsetMs;
  }

  /** GET the report URL as the PSU's browser would after the bank's redirect (auto-consent). */
  followRedirect(url: string): void {
    const p = fetch(url, { redirect: 'manual', signal: this.callbackAbort.signal }).then((r) => r.arrayBuffer()).catch(() => undefined);
    this.callbacks.add(p);
    void p.finally(() => this.callbacks.delete(p));
  }

  async stopCallbacks(): Promise<void> {
    this.callbackAbort.abort();
    await Promise.allSettled([...this.callbacks]);
  }
}
