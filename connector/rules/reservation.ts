/**
 * What a reservation holds, and whether a bill still matches it. At
 * reservation the run records on the bill the exact request its attempt will
 * send (`x_stet_request`, its SHA-256 in `x_stet_request_digest`) and what a
 * person sees of it (recipient IBAN, amount, currency, execution date). Every
 * path that could send (worker, sweeper, export) sends only that request, and
 * only while the bill still says what was reserved. Pure.
 */
import { createHash } from 'node:crypto';
import type { ReservedBill } from '../model/reserved-bill.js';
import type { PaymentRequestResource } from '../model/stet-payment-request.js';
import { formatIban, normalizeIban } from './iban.js';
import { formatCents, toCents } from './money.js';

/** What a person sees was reserved: who is paid, how much, when, under which ids. */
export interface Reservation {
  paymentInformationId: string;
  endToEndId: string;
  /** Electronic format. */
  iban: string;
  amountCents: number;
  currency: string;
  /** YYYY-MM-DD */
  executionDate: string;
}

/** The text recorded in `x_stet_request` (and its digest): the request as a job stores it. */
export function requestText(request: PaymentRequestResource): string {
  return JSON.stringify(request);
}

/** SHA-256, hex, of the request's text. */
export function requestDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The reservation a request makes. @throws Error when the request holds no transaction. */
export function reservationOf(request: PaymentRequestResource): Reservation {
  const tx = request.creditTransferTransaction[0];
  if (!tx) throw new Error(`payment ${request.paymentInformationId} has no credit transfer transaction`);
  return {
    paymentInformationId: request.paymentInformationId,
    endToEndId: tx.paymentId.endToEndId,
    iban: normalizeIban(tx.beneficiary.creditorAccount.iban),
    amountCents: toCents(tx.instructedAmount.amount),
    currency: tx.instructedAmount.currency,
    executionDate: (tx.requestedExecutionDate ?? '').slice(0, 10),
  };
}

/** `FR76 …0189`: enough for a clerk to recognise an account in a sentence. */
export function maskIban(iban: string): string {
  const f = formatIban(iban);
  return f.length > 9 ? `${f.slice(0, 4)} …${normalizeIban(iban).slice(-4)}` : f;
}

/** `approved for 1200.00 EUR to FR76 …0189` */
export function describeReservation(r: Pick<Reservation, 'amountCents' | 'currency' | 'iban'>): string {
  return `approved for ${formatCents(r.amountCents)} ${r.currency} to ${maskIban(r.iban)}`;
}

/**
 * The stored request of a reserved bill, checked against its digest; null with
 * the reason when it cannot be trusted (absent: reserved by an older stetpay;
 * unreadable; not matching its digest or its recorded ids).
 */
export function storedRequest(bill: Pick<ReservedBill, 'request' | 'requestDigest' | 'paymentInformationId'>): { request: PaymentRequestResource; text: string } | { request: null; problem: string } {
  if (!bill.request || !bill.requestDigest) {
    return { request: null, problem: 'Odoo holds no record of the request reserved for it (reserved by a stetpay older than this one), so stetpay cannot prove what it would send' };
  }
  if (requestDigest(bill.request) !== bill.requestDigest) return { request: null, problem: 'the request recorded on the bill no longer matches its digest (x_stet_request_digest): it was edited after reservation' };
  let request: PaymentRequestResource;
  try {
    request = JSON.parse(bill.request) as PaymentRequestResource;
    reservationOf(request);
  } catch {
    return { request: null, problem: 'the request recorded on the bill cannot be read' };
  }
  if (request.paymentInformationId !== bill.paymentInformationId) {
    return { request: null, problem: `the request recorded on the bill is for payment ${request.paymentInformationId}, not ${bill.paymentInformationId ?? 'the one recorded'}` };
  }
  return { request, text: bill.request };
}

/**
 * What changed since the reservation, one clause each for the clerk (empty:
 * the bill still says exactly what was reserved). `sent`: the bill's part of
 * the request a path is about to send (the job's, or the stored one),
 * compared by digest with what Odoo recorded, and by content with the bill as
 * it is now; `composition`: the end-to-end ids of that request's transfers, in
 * order, for a request of several (compared with `x_stet_request_members`).
 */
export function reservationChanges(bill: ReservedBill, sent: PaymentRequestResource, composition?: readonly string[]): string[] {
  const changes: string[] = [];
  const r = reservationOf(sent);
  // A request of several transfers: the ones sent, in their order, are those recorded on the bill.
  if ((bill.members ?? []).join(',') !== (composition && composition.length > 1 ? composition.join(',') : '')) changes.push('the transfers of its bank request are not those recorded at reservation');
  if (bill.paymentInformationId !== r.paymentInformationId) changes.push(`Odoo now records payment ${bill.paymentInformationId ?? 'none'} for it, not ${r.paymentInformationId}`);
  if (bill.moveType !== 'in_invoice') changes.push(`it is no longer a vendor bill (${bill.moveType})`);
  if (bill.state === 'draft') changes.push('it was reset to draft');
  else if (bill.state === 'cancel') changes.push('it was cancelled');
  else if (bill.state !== 'posted') changes.push(`it is no longer posted (${bill.state})`);
  if (!bill.approved) changes.push('its approval for bank payment was withdrawn');
  if (!bill.reviewed) changes.push('it was flagged "to check"');
  if (bill.paymentState === 'paid' || bill.paymentState === 'in_payment') changes.push(`Odoo shows it ${bill.paymentState === 'paid' ? 'paid' : 'in payment'}`);
  else if (bill.paymentState !== 'not_paid' && bill.paymentState !== 'partial') changes.push(`its payment state is now ${bill.paymentState}`);
  if (bill.requestDigest && bill.requestDigest !== requestDigest(requestText(sent))) changes.push('the request to send is not the one recorded at reservation');
  if (bill.reservedIban && normalizeIban(bill.reservedIban) !== r.iban) changes.push(`the recipient IBAN recorded at reservation (${maskIban(bill.reservedIban)}) is not the request's`);
  if (bill.reservedAmount !== null && safeCents(bill.reservedAmount) !== r.amountCents) changes.push(`the amount recorded at reservation (${bill.reservedAmount}) is not the request's`);
  const account = bill.account;
  if (!account) changes.push('its recipient bank account was removed');
  else {
    if (account.iban !== r.iban) changes.push(`its recipient account is now ${maskIban(account.iban)}`);
    if (account.partnerId === null || account.partnerId !== bill.commercialPartnerId) changes.push('its recipient account no longer belongs to its vendor');
    if (account.trusted === false) changes.push('its recipient account is no longer trusted');
    if (!account.active) changes.push('its recipient account was archived');
  }
  if (bill.currency !== r.currency) changes.push(`its currency is now ${bill.currency || 'none'}`);
  const due = safeCents(bill.amountResidual);
  if (due !== r.amountCents) changes.push(`its amount due is now ${due === null ? String(bill.amountResidual) : formatCents(due)} ${bill.currency}`);
  return changes;
}

function safeCents(amount: number): number | null {
  try {
    return toCents(amount);
  } catch {
    return null;
  }
}
