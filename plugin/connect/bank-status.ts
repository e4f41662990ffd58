/**
 * Is the bank's API usable right now, and when it is not, the bank's own
 * fallback link into online banking (when its profile has one). What `run`
 * asks before reserving, what `export pain001` prints beside the file, and
 * what a `status` or `doctor` command can show: one call, no exception for an
 * outage or a set-up error, only for a bug.
 */
import {
  BankNotFoundError,
  BankRateLimitedError,
  BankTransientError,
  BankUnauthorizedError,
  isBankError,
  type StetClient,
} from '../../connector/stet/index.js';
import type { BankConfig } from '../config/index.js';
import { openBank, type BankRateStore } from './open-bank.js';

/** The payment id the probe reads: none can have it, so a bank that lets stetpay in answers 404. */
export const PROBE_RESOURCE_ID = 'stetpay-preflight-check';

/** What the bank's fallback gave, when the API is down. */
export type FallbackOutcome =
  /** The link into online banking (a short-lived credential: for the signatory only, never logged or stored). */
  | { kind: 'link'; url: string; expiresAt?: Date }
  /** The bank's profile has no fallback link: log in to online banking directly. */
  | { kind: 'none' }
  /** The fallback could not be obtained either; `reason` says why. */
  | { kind: 'failed'; reason: string }
  /** Not asked (the caller did not want it). */
  | { kind: 'not-asked' };

export type BankApiStatus =
  /** The bank let stetpay in (token with mutual TLS, then a signed GET answered). */
  | { api: 'up' }
  /** Unreachable or failing (refused, time-out, 5xx): temporary. */
  | { api: 'down'; cause: string; fallback: FallbackOutcome }
  /** stetpay's own set-up (a certificate, a key, the CA, a URL) or the bank refused its credentials: not temporary. */
  | { api: 'misconfigured'; cause: string };

export type BankProbe = { api: 'up' } | { api: 'down'; cause: string } | { api: 'misconfigured'; cause: string };

/** A signed GET of a payment that cannot exist: 404 (or any answer of the bank's own) means the API works. */
export async function probeBankApi(stet: StetClient): Promise<BankProbe> {
  try {
    await stet.paymentRequests.retrieve(PROBE_RESOURCE_ID);
    return { api: 'up' };
  } catch (err) {
    if (err instanceof BankUnauthorizedError) return { api: 'misconfigured', cause: err.message };
    if (err instanceof BankTransientError) return { api: 'down', cause: err.message };
    if (err instanceof BankNotFoundError || err instanceof BankRateLimitedError || isBankError(err)) return { api: 'up' };
    throw err;
  }
}

/** The bank's fallback link, or why there is none. */
export async function fallbackFor(stet: StetClient, profile: { apiFallback: 'token-redirect' | 'none' }): Promise<FallbackOutcome> {
  if (profile.apiFallback === 'none') return { kind: 'none' };
  try {
    const link = await stet.fallbackLink();
    return { kind: 'link', url: link.url, ...(link.expiresAt ? { expiresAt: link.expiresAt } : {}) };
  } catch (err) {
    if (isBankError(err)) return { kind: 'failed', reason: err.message };
    throw err;
  }
}

/**
 * The bank's API now, for the configured bank. With `fallback` (default true),
 * a down API also asks the bank's fallback for its link (the bank monitors the
 * fallback's use: ask only when it will be shown to a person). With `rate`, its
 * requests wait for the shared rate limit like the workers'.
 */
export async function bankApiStatus(bank: Readonly<BankConfig>, o: { fallback?: boolean; rate?: BankRateStore } = {}): Promise<BankApiStatus> {
  let opened;
  try {
    opened = openBank(bank, o.rate);
  } catch (err) {
    if (err instanceof BankUnauthorizedError) return { api: 'misconfigured', cause: err.message };
    throw err;
  }
  const { client, profile } = opened;
  try {
    const probe = await probeBankApi(client);
    if (probe.api !== 'down') return probe;
    return { ...probe, fallback: o.fallback === false ? { kind: 'not-asked' } : await fallbackFor(client, profile) };
  } finally {
    client.close();
  }
}

/** The lines that tell a person what to do with a file for online banking, given the API's state. */
export function fallbackAdvice(status: BankApiStatus): string[] {
  if (status.api === 'up') return [];
  if (status.api === 'misconfigured') {
    return [`The bank's API could not be checked: ${status.cause}`, 'The signatory logs in to online banking directly and uploads the file there.'];
  }
  const lines = [`The bank's API cannot be used right now: ${status.cause}`];
  const f = status.fallback;
  if (f.kind === 'link') {
    const until = f.expiresAt ? ` until ${f.expiresAt.toISOString().slice(11, 16)} UTC` : '';
    lines.push(`The bank's fallback into online banking, for the signatory only (it works${until}; do not forward it): ${f.url}`);
    lines.push('The signatory opens it, logs in with their own means and uploads the file there.');
  } else if (f.kind === 'none') {
    lines.push('This bank gives no fallback link through its API: the signatory logs in to online banking directly and uploads the file there.');
  } else if (f.kind === 'failed') {
    lines.push(`The bank's fallback link could not be obtained either: ${f.reason}`, 'The signatory logs in to online banking directly and uploads the file there.');
  }
  return lines;
}
