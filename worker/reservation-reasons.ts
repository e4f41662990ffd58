/**
 * The sentences written on a bill when a reserved payment is not sent as
 * reserved: what changed, what stetpay did, what the clerk does next. Pure.
 */
import { describeReservation, type Reservation } from '../connector/rules/index.js';

interface About {
  billName: string;
  reservation: Reservation;
}

function head(a: About): string {
  return `Bill ${a.billName}: payment ${a.reservation.endToEndId} (${describeReservation(a.reservation)})`;
}

/** Never sent, ids retired: the bill changed after its payment was reserved. */
export function withdrawnReason(a: About & { changes: string[] }): string {
  return (
    `${head(a)} was not sent: the bill changed after stetpay reserved it: ${a.changes.join('; ')}. ` +
    `Nothing reached the bank and these ids are never sent. Check the bill; to pay it as it is now, run stetpay retry ${a.billName} and the next run sends a new payment.`
  );
}

/** The bill changed, or is no longer queued, and an earlier try may have reached the bank: a person must look. */
export function changedMayBeAtBankReason(a: About & { changes: string[]; evidence: string }): string {
  return (
    `${head(a)}: the bill changed after stetpay reserved it (${a.changes.join('; ')}), and the bank may already have the payment: ${a.evidence}. ` +
    `stetpay sends nothing more. Check in online banking whether payment ${a.reservation.endToEndId} exists; if it does not, run stetpay resolve ${a.billName} --not-at-bank.`
  );
}

/** Reserved by an older stetpay (or its record is damaged): the content cannot be proven, so nothing is sent. */
export function unprovenReason(a: { billName: string; endToEndId: string; problem: string; mayBeAtBank: string | null }): string {
  const start = `Bill ${a.billName}: payment ${a.endToEndId} is not sent: ${a.problem}.`;
  return a.mayBeAtBank
    ? `${start} The bank may already have it: ${a.mayBeAtBank}. Check in online banking whether payment ${a.endToEndId} exists; if it does not, run stetpay resolve ${a.billName} --not-at-bank.`
    : `${start} Nothing reached the bank and these ids are never sent; to pay the bill, run stetpay retry ${a.billName} and the next run sends a new payment.`;
}

/** Odoo no longer shows this payment queued when a worker takes it (a person cleared or changed its status, or a newer attempt exists). */
export function notQueuedReason(a: { billName: string; endToEndId: string; now: string }): string {
  return `Bill ${a.billName}: payment ${a.endToEndId} was not sent: Odoo no longer showed it queued (${a.now}) when a worker took it; its ids are retired and never sent.`;
}
