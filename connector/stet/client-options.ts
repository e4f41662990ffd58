import type { BankProfile } from '../profiles/bank-profile.js';
import type { BankSetting } from './errors/bank-error.js';

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
   * every process that talks to the bank. Rejects when `signal` aborts. @defaultValue no wait
   */
  beforeRequest?: (signal?: AbortSignal) => Promise<void>;
  /** Called after every answer (token calls included), for metrics and logs: no header, no body, no secret. */
  onResponse?: (s: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

/** What every call returns: the parsed body and what the answer said about it. */
export interface BankResult<T> {
  body: T;
  meta: {
    status: number;
    /** The X-Request-ID of the try that succeeded. */
    requestId: string;
    location?: string;
    /** Parsed from Location (its last path segment). */
    resourceId?: string;
  };
}

export interface CallOptions {
  /** Stops the call; it then rejects with BankCallAbortedError (name 'AbortError'). */
  signal?: AbortSignal;
}
