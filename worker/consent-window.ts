/**
 * The bank's consent window: how long it keeps a payment request waiting for
 * the signatory's approval after the POST (the bank profile states it); then
 * it rejects the request (RJCT NOAS). When it ends, and when it "ends soon",
 * for the bill in Odoo, the signatory's page and the morning's summary. Pure.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** When the window of a request the bank accepted at `sentAt` ends. */
export function consentDeadline(sentAt: Date, windowMs: number): Date {
  return new Date(sentAt.getTime() + windowMs);
}

/** How long before its end a window "ends soon": a third of it, at most two hours. */
export function consentSoonMs(windowMs: number): number {
  return Math.min(Math.round(windowMs / 3), 2 * 3600_000);
}

/** `open` (plenty of time), `soon` (flag it), `ended` (the bank no longer waits). */
export type ConsentWindowState = 'open' | 'soon' | 'ended';

export function consentWindowState(deadline: Date, now: Date, windowMs: number): ConsentWindowState {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return 'ended';
  return left <= consentSoonMs(windowMs) ? 'soon' : 'open';
}

/** `2026-11-25 03:15 (Europe/Paris)`: a moment as a clerk reads it in Odoo's text fields. */
export function localMoment(at: Date, timeZone: string): string {
  return `${format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd HH:mm')} (${timeZone})`;
}

/** The reason a submitted bill carries: until when the bank waits for the signatory. */
export function awaitingConsentReason(endToEndId: string, deadline: Date, timeZone: string): string {
  return (
    `The bank waits for the signatory's approval of payment ${endToEndId} until ${localMoment(deadline, timeZone)}: ` +
    `after that it rejects it (NOAS) and nothing is paid.`
  );
}

/** The reason once that end is near: the flag in Odoo. Stable text, so it is written once. */
export function consentEndsSoonReason(endToEndId: string, deadline: Date, timeZone: string): string {
  return (
    `Approval ends soon: the bank waits for the signatory's approval of payment ${endToEndId} only until ${localMoment(deadline, timeZone)}. ` +
    `The signatory approves it now on the signatory's page (or with the Approve at the bank link); after that the bank rejects it (NOAS) and nothing is paid.`
  );
}
