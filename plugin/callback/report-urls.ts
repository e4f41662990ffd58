/**
 * The `successfulReportUrl` / `unsuccessfulReportUrl` the mapping puts in
 * STET `supplementaryData`. Deterministic for a given payment and `now`, so a
 * retried POST can carry the same body. Both carry the same compact state
 * token (one nonce: only one of the two can ever be used); the path gives the
 * outcome, and the callback only checks the payment's status at the bank.
 */
import type { PaymentIds } from '../../connector/model/index.js';
import { nonceFor, signCompactState } from './state-token.js';

export { nonceFor };

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

export function reportUrlsFor(publicUrl: string, secret: string, ids: PaymentIds & { billId: number }, opts: ReportUrlOptions = {}): ReportUrls {
  const base = publicUrl.replace(/\/+$/, '');
  const issued = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = issued + Math.round((opts.ttlDays ?? 35) * 86_400);
  const token = signCompactState(secret, { paymentId: ids.paymentInformationId, billId: ids.billId, exp });
  return {
    successfulReportUrl: `${base}${CALLBACK_PATHS.success}?state=${token}`,
    unsuccessfulReportUrl: `${base}${CALLBACK_PATHS.failure}?state=${token}`,
  };
}
