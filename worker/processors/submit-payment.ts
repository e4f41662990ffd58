import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { PaymentRequestResource } from '../../connector/model/index.js';
import type { BankPort } from '../interfaces/bank-port.js';
import type { PaymentLedger } from '../ledger/payment-ledger.js';
import type { WritebackQueue } from '../writeback/writeback-queue.js';
import type { SubmitJobData } from '../types/submit-job-data.js';
import { submitJobIds } from '../submit-job-ids.js';
import type { SubmitOutcome } from '../types/submit-outcome.js';
import { CLAIM, type LedgerEntry } from '../types/ledger-entry.js';
import { classifySubmitError, mayHaveReachedBank, rejectionReason, retryAfterOf } from '../classify-submit-error.js';
import { type UpdateBase, needsReviewUpdate, rejectedUpdate, stillQueuedUpdate, submittedUpdate, withdrawnUpdate } from '../bill-updates.js';
import { BankCredentialsError } from '../errors/bank-credentials-error.js';
import type { GateVerdict, ReservationGate } from '../gate/reservation-gate.js';
import { entryEvidence, replayUpdate } from '../ledger/ledger-meaning.js';
import { RETIRE } from '../ledger/payment-ledger.js';
import { changedMayBeAtBankReason, notQueuedReason, withdrawnReason } from '../reservation-reasons.js';
import { reservationOf } from '../../connector/rules/index.js';
import { consentDeadline } from '../consent-window.js';

/** What the submit processor needs from outside. */
export interface SubmitProcessorDeps {
  bank: BankPort;
  ledger: PaymentLedger;
  writeback: WritebackQueue;
  /** The submit queue's shared rate limit: `(ms) => queue.rateLimit(ms)`. */
  rateLimit: (ms: number) => Promise<void>;
  /** Ms to wait on a 429 without Retry-After. @defaultValue 1000 */
  defaultRateLimitMs?: number;
  /** Told of each decision (no secret in it). */
  log?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * The body to POST for a job: the plugin puts back what it did not store
   * (the consent links, which need the callback secret). Must give the same
   * body on every try. @defaultValue the job's stored request
   */
  prepareRequest?: (data: SubmitJobData) => PaymentRequestResource;
  /**
   * Checks the bill in Odoo before each claim: still `queued` under the job's
   * ids, posted, approved, unpaid, same recipient, amount and request as
   * reserved. Absent: no check (tests of the bank side only).
   */
  gate?: ReservationGate;
  /** Ms to wait before asking Odoo again when it did not answer the gate (no attempt spent). @defaultValue 15000 */
  odooRetryMs?: number;
  /** The bank's consent window: a submitted bill records when it ends (absent: not recorded). */
  consent?: { windowMs: number; timeZone: string };
}

export type SubmitProcessor = (job: Job<SubmitJobData, SubmitOutcome>, token?: string, signal?: AbortSignal) => Promise<SubmitOutcome>;

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

/**
 * The heart: never two POSTs of one payment that the bank could both accept.
 * 1. ledger claim before any bank call (Lua, atomic);
 * 2. POST the job's stored body (same ids and content on every try) with the
 *    job's AbortSignal (a lost lock aborts the call);
 * 3. record the 201 in the ledger, then hand the bill update to the write-back.
 */
export function createSubmitProcessor(deps: SubmitProcessorDeps): SubmitProcessor {
  const log = deps.log ?? (() => undefined);
  return async (job, token, signal) => {
    const d = job.data;
    const ids = submitJobIds(d);
    const pid = ids.paymentInformationId;
    const claimToken = token ?? `${job.id}:${job.attemptsStarted}`;
    const base = { billId: d.billId, ids, attempt: d.attempt, executionDate: d.executionDate };
    const outcome = (o: Omit<SubmitOutcome, 'paymentInformationId' | 'billId'>): SubmitOutcome => ({ paymentInformationId: pid, billId: d.billId, ...o });

    if (deps.gate) {
      const verdict = await deps.gate.check(d.billId, d.request);
      if (verdict.kind !== 'send') return stopBeforeSending(verdict);
    }

    const code = await deps.ledger.claim({ paymentInformationId: pid, token: claimToken, billId: d.billId, endToEndId: ids.endToEndId });
    if (code === CLAIM.DONE) {
      const entry = await deps.ledger.get(pid);
      log('submit.replayed', { pid, state: entry?.state });
      await replayFromLedger(deps, base, entry);
      return outcome({ kind: 'replayed', status: entry?.status ?? 'submitted', resourceId: entry?.resourceId, reason: entry?.reason });
    }
    if (code === CLAIM.HELD) return waitForClaim();

    let res;
    try {
      signal?.throwIfAborted();
      res = await deps.bank.createPaymentRequest(deps.prepareRequest ? deps.prepareRequest(d) : d.request, { signal });
    } catch (err) {
      return handleFailure(err);
    }

    if (!res.resourceId) {
      // 201 without a resource id: the bank has it, stetpay cannot follow it.
      const reason = `The bank accepted payment ${ids.endToEndId} (request id ${res.requestId}) but gave no reference to follow it: check it in online banking.`;
      await deps.ledger.markFinal(pid, { status: 'needs_review', reason, evidence: 'no_resource_id' });
      await deps.writeback.push(needsReviewUpdate({ ...base, reason }));
      return outcome({ kind: 'needs_review', status: 'needs_review', reason });
    }
    await retrying(() => deps.ledger.markSent(pid, { resourceId: res.resourceId!, consentUrl: res.consentUrl, requestId: res.requestId }));
    const consent = deps.consent ? { deadline: consentDeadline(new Date(), deps.consent.windowMs), timeZone: deps.consent.timeZone } : undefined;
    await deps.writeback.push(submittedUpdate({ ...base, resourceId: res.resourceId, consentUrl: res.consentUrl, requestId: res.requestId, consent }));
    log('submit.sent', { pid, resourceId: res.resourceId, resumed: code === CLAIM.RESUMED });
    return outcome({ kind: 'posted', status: 'submitted', resourceId: res.resourceId });

    /** A live claim of another worker: come back once it has ended or lapsed. */
    async function waitForClaim(): Promise<never> {
      const entry = await deps.ledger.get(pid);
      const at = (entry?.claimedAt ?? Date.now()) + deps.ledger.claimTtlMs + 1000;
      log('submit.held', { pid, retryAt: at });
      await job.moveToDelayed(Math.max(at, Date.now() + 1000), token);
      throw new DelayedError();
    }

    /**
     * The gate said no: nothing is POSTed. Odoo down: the job waits (no attempt
     * spent). Otherwise the ids are retired atomically against a concurrent
     * claim: withdrawn when nothing can be at the bank, needs_review when an
     * earlier try may have reached it; an answer the ledger already has is replayed.
     */
    async function stopBeforeSending(v: Exclude<GateVerdict, { kind: 'send' }>): Promise<SubmitOutcome> {
      if (v.kind === 'unreachable') {
        log('submit.odoo_unreachable', { pid, error: v.error });
        await job.moveToDelayed(Date.now() + (deps.odooRetryMs ?? 15_000), token);
        throw new DelayedError();
      }
      const reservation = reservationOf(d.request);
      const current = v.kind !== 'gone' && v.bill.paymentInformationId === pid;
      const changes = v.kind === 'changed' ? v.changes : v.kind === 'gone' ? ['the bill was deleted in Odoo'] : [`Odoo no longer shows it queued (${v.now})`];
      const before = await deps.ledger.get(pid);
      const evidence = before ? entryEvidence(before, deps.ledger.claimTtlMs) : 'an earlier try may have reached the bank';
      const about = { billName: d.billName, reservation };
      const reason =
        v.kind === 'changed'
          ? withdrawnReason({ ...about, changes })
          : v.kind === 'not_queued'
            ? notQueuedReason({ billName: d.billName, endToEndId: ids.endToEndId, now: v.now })
            : `Bill ${d.billName}: payment ${ids.endToEndId} was not sent: the bill was deleted in Odoo; its ids are retired and never sent.`;
      const reviewReason = changedMayBeAtBankReason({ ...about, changes, evidence });
      const code = await deps.ledger.retire(pid, { billId: d.billId, endToEndId: ids.endToEndId, status: 'withdrawn', reason, reviewReason, evidence: 'changed_after_reservation' });
      deps.gate?.forget(d.billId);
      log('submit.not_sent', { pid, billId: d.billId, gate: v.kind, changes, retire: code });
      if (code === RETIRE.HELD) return waitForClaim();
      if (code === RETIRE.DECIDED) {
        const entry = await deps.ledger.get(pid);
        await replayFromLedger(deps, base, entry);
        return outcome({ kind: 'replayed', status: entry?.status ?? 'submitted', resourceId: entry?.resourceId, reason: entry?.reason });
      }
      if (code === RETIRE.STOPPED) {
        if (v.kind === 'changed') await deps.writeback.push({ update: needsReviewUpdate({ ...base, reason: reviewReason }), onlyIfStatus: ['queued'] });
        else if (current) await deps.writeback.push(needsReviewUpdate({ ...base, reason: reviewReason }));
        return outcome({ kind: 'needs_review', status: 'needs_review', reason: reviewReason });
      }
      if (v.kind === 'changed') await deps.writeback.push({ update: withdrawnUpdate({ ...base, reason }), onlyIfStatus: ['queued'] });
      // Not queued any more under these ids: the bill's status is a person's (or a newer attempt's); only the closed attempt is recorded.
      else if (current) await deps.writeback.push({ billId: d.billId, values: { x_stet_closed_attempt: d.attempt }, note: `stetpay: ${reason}` });
      return outcome({ kind: 'withdrawn', status: 'withdrawn', reason });
    }

    async function handleFailure(err: unknown): Promise<SubmitOutcome> {
      const kind = classifySubmitError(err);
      log('submit.failed', { pid, kind, error: err instanceof Error ? err.message : String(err) });
      switch (kind) {
        case 'rejected': {
          const { code: bankCode, reason, bankSaid } = rejectionReason(err);
          if (code === CLAIM.RESUMED) {
            // Only a refusal of the first copy proves the bank has none: a "rejected" here could be paid.
            const why = refusedResendReason(ids.endToEndId, bankSaid);
            await deps.ledger.markFinal(pid, { status: 'needs_review', reason: why, evidence: 'refused_resend' });
            await deps.writeback.push(needsReviewUpdate({ ...base, reason: why }));
            return outcome({ kind: 'needs_review', status: 'needs_review', reason: why });
          }
          await deps.ledger.markFinal(pid, { status: 'rejected', reason });
          await deps.writeback.push(rejectedUpdate({ ...base, bankCode, reason }));
          return outcome({ kind: 'rejected', status: 'rejected', reason });
        }
        case 'duplicate': {
          const reason = duplicateReason(ids.endToEndId);
          await deps.ledger.markFinal(pid, { status: 'needs_review', reason, evidence: 'duplicate' });
          await deps.writeback.push(needsReviewUpdate({ ...base, reason }));
          return outcome({ kind: 'needs_review', status: 'needs_review', reason });
        }
        case 'rate_limited': {
          await deps.ledger.release(pid, claimToken, false);
          await deps.rateLimit(retryAfterOf(err) ?? deps.defaultRateLimitMs ?? 1000);
          throw Worker.RateLimitError();
        }
        case 'credentials': {
          await deps.ledger.release(pid, claimToken, false);
          const message = `The bank refused stetpay's access (${err instanceof Error ? err.message : String(err)}): the operator must fix the bank credentials or URL; the payment stays queued and is sent once fixed.`;
          await deps.writeback.push(stillQueuedUpdate({ ...base, reason: message }));
          throw new UnrecoverableError(new BankCredentialsError(message, { cause: err }).message);
        }
        case 'transient': {
          const reached = mayHaveReachedBank(err);
          const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          if (!lastTry) {
            await deps.ledger.release(pid, claimToken, reached);
            throw err instanceof Error ? err : new Error(String(err));
          }
          const entry = await deps.ledger.get(pid);
          if (reached || entry?.uncertain) {
            const reason = unknownFateReason(ids.endToEndId, job.attemptsMade + 1);
            await deps.ledger.markFinal(pid, { status: 'needs_review', reason, evidence: 'lost_answer' });
            await deps.writeback.push(needsReviewUpdate({ ...base, reason }));
            return outcome({ kind: 'needs_review', status: 'needs_review', reason });
          }
          // Surely never reached the bank: stays queued; the sweeper re-enqueues it later.
          await deps.ledger.release(pid, claimToken, false);
          const reason = `The bank could not be reached after ${job.attemptsMade + 1} tries; stetpay will try again later (nothing was sent).`;
          await deps.writeback.push(stillQueuedUpdate({ ...base, reason }));
          return outcome({ kind: 'left_queued', status: 'queued', reason });
        }
      }
    }
  };
}

/** The ledger knows the answer already (a crash lost the write-back, or a re-enqueue): write it again if Odoo still shows `queued`. */
async function replayFromLedger(deps: SubmitProcessorDeps, base: UpdateBase, entry: LedgerEntry | null): Promise<void> {
  const update = replayUpdate(entry, base);
  if (update) await deps.writeback.push({ update, onlyIfStatus: ['queued'] });
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
