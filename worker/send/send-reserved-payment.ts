/**
 * The one way a reserved payment reaches the bank, whoever sends it: the
 * submit worker (a BullMQ job, `nightly`) and the signatory's page (the
 * `on-signatory` POST when the signatory opens it). The same three steps,
 * for a single transfer or a request of several:
 *
 * 1. the gate: every bill of the request is still as reserved in Odoo (else
 *    nothing is POSTed: the ids are retired, or the bills are needs_review
 *    when a try may have reached the bank);
 * 2. the ledger claim (Lua, atomic): one sender at a time, never after the
 *    bank answered, a decision or a file;
 * 3. the POST of the recorded body (same ids and content on every try), then
 *    the bank's answer in the ledger before the bills' updates.
 *
 * What the caller does next (wait, retry, give up) is its own: this returns
 * what happened, and every decided outcome is already in the ledger and
 * handed to the write-back.
 */
import type { BillUpdate, PaymentRequestResource } from '../../connector/model/index.js';
import { reservationOf } from '../../connector/rules/index.js';
import { backToApprovedValues, needsReviewUpdate, rejectedUpdate, stillQueuedUpdate, submittedUpdate, withdrawnUpdate, type UpdateBase } from '../bill-updates.js';
import { classifySubmitError, mayHaveReachedBank, rejectionReason, retryAfterOf } from '../classify-submit-error.js';
import { consentDeadline } from '../consent-window.js';
import type { GateVerdict, ReservationGate } from '../gate/reservation-gate.js';
import type { BankPort } from '../interfaces/bank-port.js';
import { entryEvidence, evidenceCode, replayUpdate } from '../ledger/ledger-meaning.js';
import { RETIRE, type PaymentLedger } from '../ledger/payment-ledger.js';
import { changedMayBeAtBankReason, notQueuedReason, withdrawnReason } from '../reservation-reasons.js';
import { paymentMembers, type PaymentMember } from '../submit-members.js';
import { CLAIM, type LedgerEntry } from '../ledger/ledger-entry.js';
import type { SubmitJobData, SubmitOutcome } from '../submit-job.js';
import type { WritebackQueue } from '../writeback/writeback-queue.js';

/** What sending needs from outside. */
export interface SendDeps {
  bank: BankPort;
  ledger: PaymentLedger;
  writeback: WritebackQueue;
  /** The body to POST: the stored request with what it does not store put back (the consent links). Same body on every try. */
  prepareRequest?: (data: SubmitJobData) => PaymentRequestResource;
  /** Checks every bill of the request in Odoo before the claim. Absent: no check (tests of the bank side only). */
  gate?: ReservationGate;
  /** The bank's consent window: a submitted bill records when it ends. */
  consent?: { windowMs: number; timeZone: string };
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** One try. */
export interface SendTry {
  /** The claim's token: one per try (a job's lock token, a page request's random value). */
  claimToken: string;
  signal?: AbortSignal;
  /** Tries made before this one, for the reasons a clerk reads. */
  triesBefore: number;
  /** The caller makes no other try after a transient failure: it is decided now (needs_review, or left queued). */
  lastTry: boolean;
}

/**
 * `done`: decided, in the ledger and the write-back (posted, replayed, rejected,
 * needs_review, withdrawn, left queued); `consentUrl` when the bank has it.
 * `held`: another sender holds a live claim until `retryAt`. `odoo_unreachable`:
 * the gate could not ask Odoo; nothing spent. `rate_limited`, `credentials`,
 * `retry`: no answer that decides; the claim was released (marked "may be at
 * the bank" when it may be) and the same body goes on the next try.
 */
export type SendResult =
  | { kind: 'done'; outcome: SubmitOutcome; consentUrl?: string }
  | { kind: 'held'; retryAt: number }
  | { kind: 'odoo_unreachable'; error: string }
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'credentials'; message: string; error: unknown }
  | { kind: 'retry'; error: unknown };

/** The clerk's explanation when the bank says it already has the payment. */
export function duplicateReason(endToEndId: string): string {
  return (
    `The bank already has a payment with these ids, but stetpay did not receive its answer: ` +
    `check in online banking whether payment ${endToEndId} exists before doing anything. ` +
    `Do not resubmit it unless the bank confirms it does not have it.`
  );
}

/**
 * The clerk's explanation when the bank refused a RE-SEND: an earlier try may
 * have reached it, and a refusal of the second copy (a rule checked before its
 * duplicate check, such as a date now in the past) says nothing of the first.
 */
export function refusedResendReason(endToEndId: string, bankSaid: string): string {
  return (
    `The bank refused a re-send of payment ${endToEndId} (${bankSaid}), but an earlier try may have reached it: ` +
    `check in online banking whether payment ${endToEndId} exists before doing anything. ` +
    `Do not resubmit it unless the bank confirms it does not have it.`
  );
}

/** The clerk's explanation when every try failed and the bank may have the payment. */
export function unknownFateReason(endToEndId: string, tries: number): string {
  return (
    `stetpay got no usable answer from the bank after ${tries} tries, and the bank may have received payment ${endToEndId}: ` +
    `check in online banking whether it exists before doing anything. Do not resubmit it unless the bank confirms it does not have it.`
  );
}

/** A bill of a request of several transfers, not sent because another bill of it changed: back among the approved bills. */
export function sentWithOthersReason(m: PaymentMember, count: number, others: string): string {
  return (
    `Bill ${m.billName}: payment ${m.ids.endToEndId} was not sent: it was one of the ${count} transfers of payment ${m.ids.paymentInformationId}, ` +
    `and ${others} changed after reservation. Nothing reached the bank and these ids are never sent; the bill is back among the approved ones and the next run sends it in a new payment.`
  );
}

const baseOf = (m: PaymentMember): UpdateBase => ({ billId: m.billId, ids: m.ids, attempt: m.attempt, executionDate: m.executionDate });

export async function sendReservedPayment(deps: SendDeps, data: SubmitJobData, t: SendTry): Promise<SendResult> {
  const log = deps.log ?? (() => undefined);
  const members = paymentMembers(data);
  const first = members[0]!;
  const pid = data.request.paymentInformationId;
  const label = members.length === 1 ? first.ids.endToEndId : pid;
  const outcome = (o: Omit<SubmitOutcome, 'paymentInformationId' | 'billId'>): SubmitOutcome => ({ paymentInformationId: pid, billId: data.billId, ...o });
  const each = (f: (b: UpdateBase, m: PaymentMember) => BillUpdate) => deps.writeback.push(members.map((m) => f(baseOf(m), m)));
  const heldUntil = async (): Promise<SendResult> => {
    const entry = await deps.ledger.get(pid);
    return { kind: 'held', retryAt: (entry?.claimedAt ?? Date.now()) + deps.ledger.claimTtlMs + 1000 };
  };
  const replay = async (): Promise<SendResult> => {
    const entry = await deps.ledger.get(pid);
    log('submit.replayed', { pid, state: entry?.state });
    await replayFromLedger(deps, members, entry);
    return { kind: 'done', outcome: outcome({ kind: 'replayed', status: entry?.status ?? 'submitted', resourceId: entry?.resourceId, reason: entry?.reason }), consentUrl: entry?.state === 'sent' ? entry.consentUrl : undefined };
  };

  if (deps.gate) {
    const verdicts = await deps.gate.checkAll(members.map((m) => ({ billId: m.billId, request: m.part })), members.length > 1 ? members.map((m) => m.ids.endToEndId) : undefined);
    const unreachable = verdicts.find((v): v is Extract<GateVerdict, { kind: 'unreachable' }> => v.kind === 'unreachable');
    if (unreachable) {
      log('submit.odoo_unreachable', { pid, error: unreachable.error });
      return { kind: 'odoo_unreachable', error: unreachable.error };
    }
    if (verdicts.some((v) => v.kind !== 'send')) return stopBeforeSending(verdicts);
  }

  const code = await deps.ledger.claim({ paymentInformationId: pid, token: t.claimToken, billId: first.billId, endToEndId: first.ids.endToEndId });
  if (code === CLAIM.DONE) return replay();
  if (code === CLAIM.HELD) {
    const held = await heldUntil();
    log('submit.held', { pid, retryAt: held.kind === 'held' ? held.retryAt : undefined });
    return held;
  }

  let res;
  try {
    t.signal?.throwIfAborted();
    res = await deps.bank.createPaymentRequest(deps.prepareRequest ? deps.prepareRequest(data) : data.request, { signal: t.signal });
  } catch (err) {
    return handleFailure(err);
  }

  if (!res.resourceId) {
    // 201 without a resource id: the bank has it, stetpay cannot follow it.
    const reason = `The bank accepted payment ${label} (request id ${res.requestId}) but gave no reference to follow it: check it in online banking.`;
    await deps.ledger.markFinal(pid, { status: 'needs_review', reason, evidence: 'no_resource_id' });
    await each((b) => needsReviewUpdate({ ...b, reason, bankStatus: evidenceCode('no_resource_id') }));
    return { kind: 'done', outcome: outcome({ kind: 'needs_review', status: 'needs_review', reason }) };
  }
  await retrying(() => deps.ledger.markSent(pid, { resourceId: res.resourceId!, consentUrl: res.consentUrl, requestId: res.requestId }));
  const consent = deps.consent ? { deadline: consentDeadline(new Date(), deps.consent.windowMs), timeZone: deps.consent.timeZone } : undefined;
  await each((b) => submittedUpdate({ ...b, resourceId: res.resourceId!, consentUrl: res.consentUrl, requestId: res.requestId, consent }));
  log('submit.sent', { pid, resourceId: res.resourceId, resumed: code === CLAIM.RESUMED, transfers: members.length });
  return { kind: 'done', outcome: outcome({ kind: 'posted', status: 'submitted', resourceId: res.resourceId }), consentUrl: res.consentUrl };

  /**
   * The gate said no for a bill: nothing is POSTed. The request's ids are
   * retired atomically against a concurrent claim: withdrawn when nothing can be
   * at the bank, needs_review when an earlier try may have reached it; an answer
   * the ledger already has is replayed. The other bills of a request of several
   * go back among the approved ones (never sent with content other than recorded).
   */
  async function stopBeforeSending(verdicts: GateVerdict[]): Promise<SendResult> {
    const stops = members.map((m, i) => ({ m, v: verdicts[i]! })).filter((x) => x.v.kind !== 'send');
    const about = (m: PaymentMember) => ({ billName: m.billName, reservation: reservationOf(m.part) });
    const changesOf = (v: GateVerdict): string[] => (v.kind === 'changed' ? v.changes : v.kind === 'gone' ? ['the bill was deleted in Odoo'] : v.kind === 'not_queued' ? [`Odoo no longer shows it queued (${v.now})`] : []);
    const before = await deps.ledger.get(pid);
    const evidence = before ? entryEvidence(before, deps.ledger.claimTtlMs) : 'an earlier try may have reached the bank';
    const reasonOf = (m: PaymentMember, v: GateVerdict): string =>
      v.kind === 'changed'
        ? withdrawnReason({ ...about(m), changes: v.changes })
        : v.kind === 'not_queued'
          ? notQueuedReason({ billName: m.billName, endToEndId: m.ids.endToEndId, now: v.now })
          : `Bill ${m.billName}: payment ${m.ids.endToEndId} was not sent: the bill was deleted in Odoo; its ids are retired and never sent.`;
    const others = stops.map((s) => `bill ${s.m.billName} (${changesOf(s.v).join('; ')})`).join(', ');
    const reviewOf = (m: PaymentMember): string => {
      const own = stops.find((s) => s.m === m);
      return changedMayBeAtBankReason({ ...about(m), changes: own ? changesOf(own.v) : [`${others} of the same request changed`], evidence });
    };
    const [lead] = stops;
    const code = await deps.ledger.retire(pid, { billId: lead!.m.billId, endToEndId: lead!.m.ids.endToEndId, status: 'withdrawn', reason: reasonOf(lead!.m, lead!.v), reviewReason: reviewOf(lead!.m), evidence: 'changed_after_reservation' });
    for (const m of members) deps.gate?.forget(m.billId);
    log('submit.not_sent', { pid, bills: stops.map((s) => s.m.billId), gate: stops.map((s) => s.v.kind), retire: code });
    if (code === RETIRE.HELD) return heldUntil();
    if (code === RETIRE.DECIDED) return replay();
    const updates: ({ update: BillUpdate; onlyIfStatus: ['queued'] } | BillUpdate)[] = [];
    for (const m of members) {
      const v = verdicts[members.indexOf(m)]!;
      // Not queued any more under these ids (or gone): the bill's status is a person's (or a newer attempt's); only the closed attempt is recorded.
      const current = v.kind === 'send' || ((v.kind === 'not_queued' || v.kind === 'changed') && v.bill.paymentInformationId === pid);
      if (code === RETIRE.STOPPED) {
        if (v.kind === 'not_queued' || v.kind === 'gone') {
          if (current) updates.push(needsReviewUpdate({ ...baseOf(m), reason: reviewOf(m) }));
        } else updates.push({ update: needsReviewUpdate({ ...baseOf(m), reason: reviewOf(m) }), onlyIfStatus: ['queued'] });
      } else if (v.kind === 'changed') updates.push({ update: withdrawnUpdate({ ...baseOf(m), reason: reasonOf(m, v) }), onlyIfStatus: ['queued'] });
      else if (v.kind === 'send') {
        const reason = sentWithOthersReason(m, members.length, others);
        updates.push({ update: { billId: m.billId, values: { ...backToApprovedValues(m.attempt), x_stet_status_reason: reason }, note: `stetpay: ${reason}` }, onlyIfStatus: ['queued'] });
      } else if (current) updates.push({ billId: m.billId, values: { x_stet_closed_attempt: m.attempt }, note: `stetpay: ${reasonOf(m, v)}` });
    }
    await deps.writeback.push(updates);
    if (code === RETIRE.STOPPED) return { kind: 'done', outcome: outcome({ kind: 'needs_review', status: 'needs_review', reason: reviewOf(lead!.m) }) };
    return { kind: 'done', outcome: outcome({ kind: 'withdrawn', status: 'withdrawn', reason: reasonOf(lead!.m, lead!.v) }) };
  }

  async function handleFailure(err: unknown): Promise<SendResult> {
    const kind = classifySubmitError(err);
    log('submit.failed', { pid, kind, error: err instanceof Error ? err.message : String(err) });
    const review = async (reason: string, evidenceKind: 'refused_resend' | 'duplicate' | 'lost_answer'): Promise<SendResult> => {
      await deps.ledger.markFinal(pid, { status: 'needs_review', reason, evidence: evidenceKind });
      await each((b) => needsReviewUpdate({ ...b, reason, bankStatus: evidenceCode(evidenceKind) }));
      return { kind: 'done', outcome: outcome({ kind: 'needs_review', status: 'needs_review', reason }) };
    };
    switch (kind) {
      case 'rejected': {
        const { code: bankCode, reason, bankSaid } = rejectionReason(err);
        // Only a refusal of the first copy proves the bank has none: a "rejected" here could be paid.
        if (code === CLAIM.RESUMED) return review(refusedResendReason(label, bankSaid), 'refused_resend');
        await deps.ledger.markFinal(pid, { status: 'rejected', reason });
        await each((b) => rejectedUpdate({ ...b, bankCode, reason }));
        return { kind: 'done', outcome: outcome({ kind: 'rejected', status: 'rejected', reason }) };
      }
      case 'duplicate':
        return review(duplicateReason(label), 'duplicate');
      case 'rate_limited':
        await deps.ledger.release(pid, t.claimToken, false);
        return { kind: 'rate_limited', retryAfterMs: retryAfterOf(err) };
      case 'credentials': {
        await deps.ledger.release(pid, t.claimToken, false);
        const message = `The bank refused stetpay's access (${err instanceof Error ? err.message : String(err)}): the operator must fix the bank credentials or URL; the payment stays queued and is sent once fixed.`;
        await each((b) => stillQueuedUpdate({ ...b, reason: message }));
        return { kind: 'credentials', message, error: err };
      }
      case 'transient': {
        const reached = mayHaveReachedBank(err);
        if (!t.lastTry) {
          await deps.ledger.release(pid, t.claimToken, reached);
          return { kind: 'retry', error: err };
        }
        const entry = await deps.ledger.get(pid);
        if (reached || entry?.uncertain) return review(unknownFateReason(label, t.triesBefore + 1), 'lost_answer');
        // Surely never reached the bank: stays queued; the sweeper sends it later.
        await deps.ledger.release(pid, t.claimToken, false);
        const reason = `The bank could not be reached after ${t.triesBefore + 1} tries; stetpay will try again later (nothing was sent).`;
        await each((b) => stillQueuedUpdate({ ...b, reason }));
        return { kind: 'done', outcome: outcome({ kind: 'left_queued', status: 'queued', reason }) };
      }
    }
  }
}

/** The ledger knows the answer already (a crash lost the write-back, or a re-enqueue): write it again on each bill Odoo still shows `queued`. */
async function replayFromLedger(deps: SendDeps, members: PaymentMember[], entry: LedgerEntry | null): Promise<void> {
  const updates = members.map((m) => replayUpdate(entry, baseOf(m))).filter((u): u is BillUpdate => u !== null);
  if (updates.length) await deps.writeback.push(updates.map((update) => ({ update, onlyIfStatus: ['queued'] as ['queued'] })));
}

async function retrying<T>(fn: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}
