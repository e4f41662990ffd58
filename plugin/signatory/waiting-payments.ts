/**
 * What waits for the signatory, as the page and the morning's summary show
 * it: one entry per payment request (one transfer, or several under one
 * consent), from Odoo's record and, for a request not yet at the bank,
 * Redis's (its job waits for the signatory; the ledger says whether a POST
 * was made). Pure: the readers hand in what they read.
 */
import type { WaitingBill } from '../../connector/odoo/index.js';
import { toCents } from '../../connector/rules/index.js';
import { consentWindowState, isLiveJob, type LedgerEntry } from '../../worker/index.js';

/** One transfer of a waiting payment. */
export interface WaitingTransfer {
  billId: number;
  billName: string;
  supplier: string;
  amountCents: number;
  currency: string;
  endToEndId: string;
  /** Who approved the bill for payment, when Odoo records it. */
  approver?: string;
  /** The verification of the payee (name against account), when there is one: its result and who confirmed it. */
  payeeCheck?: { result: string; confirmedBy?: string };
}

/**
 * `on-open`: reserved, POSTed when the signatory opens it (its consent window starts then);
 * `at-bank`: the bank has it and waits for the signatory until `deadline`.
 */
export type WaitingStage = 'on-open' | 'at-bank';

/** `new`: not at the bank yet; `open`, `soon`, `ended`: the bank's consent window. */
export type WindowState = 'new' | 'open' | 'soon' | 'ended';

export interface WaitingPayment {
  /** The request's paymentInformationId: what the page's button names. */
  paymentId: string;
  /** YYYY-MM-DD */
  executionDate: string;
  transfers: WaitingTransfer[];
  stage: WaitingStage;
  window: WindowState;
  consentUrl?: string;
  deadline?: Date;
  totalCents: number;
  currency: string;
}

/** What Redis says of payments Odoo shows queued. */
export interface QueuedFacts {
  /** BullMQ state of each payment's job in the signatory queue ('unknown': none). */
  signatoryJob: Map<string, string>;
  ledger: Map<string, LedgerEntry | null>;
  claimTtlMs: number;
}

export interface WaitingContext {
  now: Date;
  consentWindowMs: number;
}

const odooTime = (v: string): Date => new Date(Date.parse(v.replace(' ', 'T') + 'Z'));

function transferOf(b: WaitingBill): WaitingTransfer {
  let cents = 0;
  try {
    cents = toCents(b.amount);
  } catch {
    cents = 0;
  }
  const payeeCheck = b.payeeResult ? { result: b.payeeResult, ...(b.payeeConfirmedBy ? { confirmedBy: b.payeeConfirmedBy } : {}) } : undefined;
  return { billId: b.billId, billName: b.name, supplier: b.supplierName, amountCents: cents, currency: b.currency, endToEndId: b.endToEndId, ...(payeeCheck ? { payeeCheck } : {}) };
}

/**
 * The payments waiting for the signatory, earliest execution date first (then
 * by bill): a request the bank has (submitted in Odoo, or sent per the
 * ledger while the write-back is pending) until its window ended, and a
 * request reserved for the signatory (its job waits in the signatory queue,
 * never POSTed). A queued payment the workers send is not the signatory's yet.
 */
export function waitingPayments(bills: readonly WaitingBill[], facts: QueuedFacts | undefined, ctx: WaitingContext): WaitingPayment[] {
  const byRequest = new Map<string, WaitingBill[]>();
  for (const b of bills) byRequest.set(b.paymentInformationId, [...(byRequest.get(b.paymentInformationId) ?? []), b]);
  const out: WaitingPayment[] = [];
  for (const [paymentId, group] of byRequest) {
    const first = group[0]!;
    const order = first.members;
    const sorted = order ? [...group].sort((a, b) => order.indexOf(a.endToEndId) - order.indexOf(b.endToEndId)) : group;
    const transfers = sorted.map(transferOf);
    const base = { paymentId, executionDate: first.executionDate ?? '', transfers, totalCents: transfers.reduce((s, t) => s + t.amountCents, 0), currency: first.currency };
    const submitted = group.find((b) => b.status === 'submitted' && b.consentUrl);
    if (submitted) {
      const deadline = submitted.consentDeadline ? odooTime(submitted.consentDeadline) : undefined;
      out.push({ ...base, stage: 'at-bank', consentUrl: submitted.consentUrl!, deadline, window: deadline ? consentWindowState(deadline, ctx.now, ctx.consentWindowMs) : 'open' });
      continue;
    }
    if (!facts || group.some((b) => b.status !== 'queued')) continue;
    const entry = facts.ledger.get(paymentId) ?? null;
    if (entry?.state === 'sent' && entry.consentUrl) {
      // The bank has it; Odoo shows it once the write-back ran.
      const deadline = entry.sentAt ? new Date(entry.sentAt + ctx.consentWindowMs) : undefined;
      out.push({ ...base, stage: 'at-bank', consentUrl: entry.consentUrl, deadline, window: deadline ? consentWindowState(deadline, ctx.now, ctx.consentWindowMs) : 'open' });
      continue;
    }
    if (isLiveJob(facts.signatoryJob.get(paymentId)) && (!entry || entry.state === 'sending')) out.push({ ...base, stage: 'on-open', window: 'new' });
  }
  return out.sort((a, b) => a.executionDate.localeCompare(b.executionDate) || a.transfers[0]!.billName.localeCompare(b.transfers[0]!.billName));
}

/** Count and amount per execution date (and currency), in the list's order. */
export interface DateTotal {
  executionDate: string;
  currency: string;
  count: number;
  cents: number;
}

export function totalsByDate(payments: readonly WaitingPayment[]): DateTotal[] {
  const out: DateTotal[] = [];
  for (const p of payments) {
    for (const t of p.transfers) {
      let row = out.find((r) => r.executionDate === p.executionDate && r.currency === t.currency);
      if (!row) out.push((row = { executionDate: p.executionDate, currency: t.currency, count: 0, cents: 0 }));
      row.count++;
      row.cents += t.amountCents;
    }
  }
  return out;
}

/** Payments the signatory can still act on (the bank's window has not ended). */
export function actionable(payments: readonly WaitingPayment[]): WaitingPayment[] {
  return payments.filter((p) => p.window !== 'ended');
}
