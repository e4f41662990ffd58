/**
 * What the ledger means: for each state, what it says about the bank (may it
 * have the payment?), which bill update it replays, which job states are
 * live, and the decision every path makes before starting attempt n+1, filing
 * a payment or retiring its ids: "may attempt n be at the bank?", from Odoo's
 * record, the ledger entry and the job. The processor, the sweeper, the run,
 * the export, cancel, resolve and retry all decide through this module; the
 * table and the argument are in docs/worker.md ("Never twice, only what was
 * reserved").
 *
 * A missing entry never means "not sent": Redis may have lost it, or it
 * expired (40 days). Then only Odoo's record can prove an attempt closed.
 */
import type { BillStatus, BillUpdate } from '../../connector/model/index.js';
import { cancelledBeforeSendingUpdate, needsReviewUpdate, rejectedUpdate, submittedUpdate, withdrawnUpdate, type UpdateBase } from '../bill-updates.js';
import type { LedgerEntry, ReviewEvidence } from './ledger-entry.js';

/** BullMQ job states in which a worker may still take the job, and POST. */
export const LIVE_JOB_STATES: ReadonlySet<string> = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export function isLiveJob(state: string | undefined): boolean {
  return state !== undefined && LIVE_JOB_STATES.has(state);
}

/**
 * What one entry says about the bank:
 * `unknown` no entry (lost, expired, or never claimed): Redis says nothing;
 * `in_flight` a worker holds a live claim: it may be calling the bank now;
 * `may_have` a try may have reached it (`sending`, no live claim), or stetpay could not tell (`needs_review`);
 * `has` the bank accepted it (`sent`), executed it, or said it has these ids;
 * `by_file` it went out in a pain.001 file;
 * `never_paid` the bank's final no (rejected, cancelled), retired before sending (withdrawn, cancelled), or released by a person.
 */
export type BankFact = 'unknown' | 'in_flight' | 'may_have' | 'has' | 'by_file' | 'never_paid';

const NEVER_PAID: ReadonlySet<string> = new Set(['rejected', 'cancelled', 'withdrawn']);
const BANK_SAID_IT_HAS: ReadonlySet<string> = new Set(['duplicate', 'no_resource_id']);

/**
 * What Odoo keeps (`x_stet_bank_status`) of the bank's word that it has a
 * payment stetpay cannot follow (no resource id to ask it by): the evidence
 * outlives Redis, so `resolve` refuses on it after the ledger is lost or expired.
 */
const ODOO_CODE: Partial<Record<ReviewEvidence, string>> = { duplicate: 'DUPLICATE', no_resource_id: 'NO_REFERENCE' };

/** The code a needs_review bill records for its evidence (undefined: none to keep). */
export function evidenceCode(kind: ReviewEvidence | undefined): string | undefined {
  return kind ? ODOO_CODE[kind] : undefined;
}

/** The evidence a bill's `x_stet_bank_status` records that the bank has its payment, or null. */
export function recordedEvidence(bankStatus: string | null | undefined): ReviewEvidence | null {
  const found = Object.entries(ODOO_CODE).find(([, code]) => code === bankStatus);
  return found ? (found[0] as ReviewEvidence) : null;
}

/** A live claim: taken by a worker within the claim's life. */
export function hasLiveClaim(entry: LedgerEntry | null, claimTtlMs: number, now = Date.now()): boolean {
  return !!entry && entry.state === 'sending' && entry.token !== '' && entry.claimedAt + claimTtlMs > now;
}

export function bankFact(entry: LedgerEntry | null, claimTtlMs: number, now = Date.now()): BankFact {
  if (!entry) return 'unknown';
  switch (entry.state) {
    case 'sending':
      return hasLiveClaim(entry, claimTtlMs, now) ? 'in_flight' : 'may_have';
    case 'sent':
      return 'has';
    case 'exported':
      return 'by_file';
    case 'released':
      return 'never_paid';
    case 'final':
      if (NEVER_PAID.has(entry.status ?? '')) return 'never_paid';
      if (entry.status === 'needs_review') return BANK_SAID_IT_HAS.has(entry.evidence ?? '') ? 'has' : 'may_have';
      return 'has'; // executed, submitted, accepted
  }
}

/** A clerk's phrase for each kind of evidence that the bank may have a payment. */
export function evidencePhrase(kind: ReviewEvidence | undefined): string {
  switch (kind) {
    case 'duplicate':
      return 'the bank answered that it already has a payment with these ids';
    case 'no_resource_id':
      return 'the bank accepted it without giving a reference';
    case 'lost_answer':
      return 'every try failed and one may have reached the bank (its answer was lost)';
    case 'refused_resend':
      return 'the bank refused a re-send after a try that may have reached it';
    case 'changed_after_reservation':
      return 'the bill changed after a try that may have reached the bank';
    case 'no_trace':
      return 'Redis had lost its record of it, so an earlier try may have reached the bank';
    case 'unproven_content':
      return 'Odoo holds no record of the request reserved for it';
    default:
      return 'an earlier try may have reached the bank';
  }
}

/** Why an entry says the bank has, or may have, a payment: one phrase for a clerk. */
export function entryEvidence(entry: LedgerEntry, claimTtlMs: number, now = Date.now()): string {
  switch (bankFact(entry, claimTtlMs, now)) {
    case 'in_flight':
      return 'a worker is sending it to the bank right now';
    case 'may_have':
      return entry.state === 'sending' ? `${evidencePhrase(entry.evidence ?? 'lost_answer')} (ledger: sending)` : `${evidencePhrase(entry.evidence)} (ledger: needs_review)`;
    case 'has':
      if (entry.state === 'sent') return `the bank accepted it${entry.resourceId ? ` (resource ${entry.resourceId})` : ''} (ledger: sent)`;
      if (entry.status === 'needs_review') return `${evidencePhrase(entry.evidence)} (ledger: needs_review)`;
      return `the bank reported it ${entry.status ?? 'final'} (ledger)`;
    case 'by_file':
      return 'it went in a pain.001 file (ledger: exported)';
    default:
      return `ledger: ${entry.state}${entry.status ? `, ${entry.status}` : ''}`;
  }
}

/**
 * The bill update an entry replays while Odoo still shows the bill `queued`
 * (a crash lost the write-back, or Redis kept the answer Odoo missed); null
 * when it replays none (`sending`: nothing is known yet; `released`; executed:
 * the sync records it).
 */
export function replayUpdate(entry: LedgerEntry | null, base: UpdateBase): BillUpdate | null {
  if (!entry) return null;
  if (entry.state === 'sent') return entry.resourceId ? submittedUpdate({ ...base, resourceId: entry.resourceId, consentUrl: entry.consentUrl, requestId: entry.requestId }) : null;
  if (entry.state === 'exported') return { billId: base.billId, values: { x_stet_status: 'exported' } };
  if (entry.state !== 'final') return null;
  switch (entry.status as BillStatus | undefined) {
    case 'rejected':
      return rejectedUpdate({ ...base, reason: entry.reason ?? 'rejected by the bank' });
    case 'needs_review':
      return needsReviewUpdate({ ...base, reason: entry.reason ?? 'fate unknown', bankStatus: evidenceCode(entry.evidence) });
    case 'withdrawn':
      return withdrawnUpdate({ ...base, reason: entry.reason ?? 'the bill changed after its payment was reserved; nothing was sent' });
    case 'cancelled':
      return cancelledBeforeSendingUpdate({ ...base, reason: entry.reason ?? 'cancelled before it was sent' });
    default:
      return null;
  }
}

/** What Odoo, the ledger and the queue hold about attempt n of one bill. */
export interface AttemptFacts {
  /** n (`x_stet_attempt`); 0 = no attempt was ever reserved. */
  attempt: number;
  /** `x_stet_closed_attempt`. */
  closedAttempt: number;
  /** `x_stet_status` when it still speaks of attempt n (the retry's case); null once cleared. */
  odooStatus?: BillStatus | null;
  /** The ledger entry of attempt n. */
  entry: LedgerEntry | null;
  /** BullMQ state of attempt n's job ('unknown': none). */
  jobState: string;
  claimTtlMs: number;
  now?: number;
}

/**
 * May attempt n be at the bank? `closed`: proven not (Odoo's record, or the
 * ledger's final word), attempt n+1 may start. `retirable`: nothing reached the
 * bank (its job is in Redis, finished, and the worker released its claim), but
 * the job could still be retried: retire the ids first (`PaymentLedger.retire`),
 * then it is closed. `may_be_at_bank`: the evidence, for a clerk.
 */
export type AttemptVerdict = { kind: 'closed'; proof: string } | { kind: 'retirable' } | { kind: 'may_be_at_bank'; evidence: string };

export function attemptVerdict(f: AttemptFacts): AttemptVerdict {
  if (f.attempt <= 0) return { kind: 'closed', proof: 'no attempt was reserved' };
  if (f.closedAttempt >= f.attempt) return { kind: 'closed', proof: `Odoo records attempt ${f.closedAttempt} closed` };
  if (f.odooStatus && NEVER_PAID.has(f.odooStatus)) return { kind: 'closed', proof: `Odoo records it ${f.odooStatus}` };
  const now = f.now ?? Date.now();
  const fact = bankFact(f.entry, f.claimTtlMs, now);
  if (fact === 'never_paid') return { kind: 'closed', proof: `the ledger records it ${f.entry!.state === 'released' ? 'released' : f.entry!.status}` };
  if (f.entry) return { kind: 'may_be_at_bank', evidence: entryEvidence(f.entry, f.claimTtlMs, now) };
  if (isLiveJob(f.jobState)) return { kind: 'may_be_at_bank', evidence: `it is still queued for the bank (job ${f.jobState})` };
  if (f.jobState !== 'unknown') return { kind: 'retirable' };
  return { kind: 'may_be_at_bank', evidence: 'Redis has no trace of it (no job, no ledger entry: Redis was lost, or its record expired after 40 days) and Odoo does not record it closed' };
}

/**
 * What forbids a person to record "not at the bank" (`stetpay resolve`): the
 * bank has it, said it has it (in the ledger, or as Odoo recorded it:
 * `odooBankStatus`, the bill's `x_stet_bank_status`), or a worker has it in
 * hand. Empty: what is left (a lost answer, a refused re-send, no trace) is
 * what the person's check of online banking settles.
 */
export function notAtBankBlockers(entry: LedgerEntry | null, jobState: string, claimTtlMs: number, now = Date.now(), odooBankStatus?: string | null): string[] {
  const out: string[] = [];
  if (isLiveJob(jobState)) out.push(`a worker still has it in hand (job ${jobState})`);
  const fact = bankFact(entry, claimTtlMs, now);
  if (fact === 'in_flight' || fact === 'has' || fact === 'by_file') out.push(entryEvidence(entry!, claimTtlMs, now));
  const recorded = recordedEvidence(odooBankStatus);
  if (recorded && fact !== 'has') out.push(`${evidencePhrase(recorded)} (Odoo: bank status ${odooBankStatus})`);
  return out;
}
