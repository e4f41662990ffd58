/**
 * The `successfulReportUrl` / `unsuccessfulReportUrl` the mapping puts in
 * STET `supplementaryData`. Deterministic for a given payment and `now`, so a
 * retried POST can carry the same body.
 */
import { createHmac } from 'node:crypto';
import type { PaymentIds } from '../../connector/model/index.js';
import { signState } from './state-token.js';

export const CALLBACK_PATHS = { success: '/stet/callback/success', failure: '/stet/callback/failure' } as const;

export interface ReportUrls {
  successfulReportUrl: string;
  unsuccessfulReportUrl: string;
}

export interface ReportUrlOptions {
  /** Time the token is issued. @defaultValue new Date() */
  now?: Date;
  /** Days the links stay valid: the bank keeps a payment request 35 days. @defaultValue 35 */
  ttlDays?: number;
}

/** One nonce per payment attempt, derived from the secret: success and failure links share it, so only one of them can ever be used. */
export function nonceFor(secret: string, paymentInformationId: string): string {
  return createHmac('sha256', secret).update(`stetpay-consent-nonce:${paymentInformationId}`).digest('base64url').slice(0, 22);
}

export function reportUrlsFor(publicUrl: string, secret: string, ids: PaymentIds & { billId: number }, opts: ReportUrlOptions = {}): ReportUrls {
  const base = publicUrl.replace(/\/+$/, '');
  const issued = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = issued + Math.round((opts.ttlDays ?? 35) * 86_400);
  const nonce = nonceFor(secret, ids.paymentInformationId);
  const token = (outcome: 'success' | 'failure') =>
    signState(secret, { paymentId: ids.paymentInformationId, billId: ids.billId, nonce, exp, outcome });
  return {
    successfulReportUrl: `${base}${CALLBACK_PATHS.success}?state=${token('success')}`,
    unsuccessfulReportUrl: `${base}${CALLBACK_PATHS.failure}?state=${token('failure')}`,
  };
}
