import type { Queue } from 'bullmq';
import type { BillUpdate, PaymentRequestResource, ReservedBill, TrackedBill } from '../connector/model/index.js';
import { paymentIds, reservationChanges, reservationOf, storedRequest } from '../connector/rules/index.js';
import { withdrawnUpdate, needsReviewUpdate } from './bill-updates.js';
import { enqueuePayments } from './enqueue-payments.js';
import type { SubmitJobOptions } from './interfaces/submit-worker-options.js';
import type { OdooPort } from './interfaces/odoo-port.js';
import { entryEvidence, evidencePhrase, isLiveJob, replayUpdate } from './ledger/ledger-meaning.js';
import { RETIRE, type PaymentLedger } from './ledger/payment-ledger.js';
import { changedMayBeAtBankReason, unprovenReason, withdrawnReason } from './reservation-reasons.js';
import type { LedgerEntry, ReviewEvidence } from './types/ledger-entry.js';
import type { SubmitJobData } from './types/submit-job-data.js';
import type { SubmitOutcome } from './types/submit-outcome.js';
import type { WritebackQueue } from './writeback/writeback-queue.js';

/** What the sweeper needs. */
export interface SweeperDeps {
  odoo: Pick<OdooPort, 'readTrackedBills' | 'readReservedBills'>;
  ledger: PaymentLedger;
  submitQueue: Queue<SubmitJobData, SubmitOutcome>;
  /** The payments reserved for the signatory: a job waiting there is live (the signatory's page may POST it). */
  signatoryQueue?: Queue<SubmitJobData, SubmitOutcome>;
  /** `on-signatory`: a bill queued again goes back to the signatory queue, never to the workers. @defaultValue 'nightly' */
  mode?: 'nightly' | 'on-signatory';
  writeback: WritebackQueue;
  /** The Odoo database: part of the payment ids, checked against each stored request. */
  database: string;
  jobOptions?: SubmitJobOptions;
  /** Told of each bill given an outcome, and of each sweep that did anything (no secret). */
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** What one sweep did. */
export interface SweepSummary {
  /** Bills `queued` in Odoo. */
  queued: number;
  /** With a waiting, delayed or active job: left alone. */
  live: number;
  /** Queued again from the request Odoo recorded at reservation. */
  reenqueued: number[];
  /** The ledger already had the answer: written back again. */
  replayed: number[];
  /** Never sent and never will be under these ids: the bill changed, its record cannot be proven, or a person retired its ids. */
  withdrawn: number[];
  /** The bill changed, or its request cannot be proven, while the bank may have it: needs_review. */
  needsReview: number[];
  /** `queued` in Odoo with no payment id (set outside stetpay): recorded invalid. */
  withoutIds: number[];
}

/**
 * Job states in pages of parallel calls (one connection pipelines them), not
 * one round trip per bill: the submit queue's, else the signatory queue's.
 */
async function jobStatesOf(queue: Queue, ids: string[], signatory?: Queue): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const stateOf = async (id: string) => {
    const s = await queue.getJobState(id);
    return s === 'unknown' && signatory ? signatory.getJobState(id) : s;
  };
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const states = await Promise.all(slice.map(stateOf));
    slice.forEach((id, j) => out.set(id, states[j]!));
  }
  return out;
}

interface Candidate {
  tracked: TrackedBill;
  pid: string;
  entry: LedgerEntry | null;
  /** The BullMQ job, when it still exists (finished): Redis then knows nothing was sent if the ledger has no entry. */
  jobState: string;
}

/**
 * Gives every bill left `queued` in Odoo without a live job (Redis lost or
 * flushed, a job failed for good) a way forward, never from the bill as it is
 * now: the ledger's answer is written back; otherwise the request Odoo
 * recorded at reservation is queued again (digest checked, bill unchanged).
 * Before queueing a bill Redis has no trace of, the ledger records that the
 * bank may have it, so a refusal of the re-send reads as needs_review. A bill
 * that cannot be sent gets an outcome with its reason: nothing stays queued
 * silently.
 */
export async function sweepQueuedBills(deps: SweeperDeps): Promise<SweepSummary> {
  const log = deps.log ?? (() => undefined);
  const bills = await deps.odoo.readTrackedBills({ statuses: ['queued'] });
  const summary: SweepSummary = { queued: bills.length, live: 0, reenqueued: [], replayed: [], withdrawn: [], needsReview: [], withoutIds: [] };
  const updates: { update: BillUpdate; onlyIfStatus: ['queued'] }[] = [];
  const push = (update: BillUpdate) => updates.push({ update, onlyIfStatus: ['queued'] });

  const withIds = bills.filter((b) => {
    if (b.paymentInformationId) return true;
    summary.withoutIds.push(b.billId);
    const reason = `Bill ${b.name} shows queued, but stetpay recorded no payment for it (its status was set outside stetpay): nothing is sent under it. To have the next run send it, run stetpay retry ${b.name}.`;
    push({ billId: b.billId, values: { x_stet_status: 'invalid', x_stet_status_reason: reason }, note: `stetpay: ${reason}` });
    return false;
  });
  const ledger = await deps.ledger.getMany(withIds.map((b) => b.paymentInformationId!));
  const jobStates = await jobStatesOf(deps.submitQueue, withIds.map((b) => b.paymentInformationId!), deps.signatoryQueue);
  const candidates: Candidate[] = [];
  for (const b of withIds) {
    const pid = b.paymentInformationId!;
    const jobState = jobStates.get(pid) ?? 'unknown';
    if (isLiveJob(jobState)) {
      summary.live++;
      continue;
    }
    const entry = ledger.get(pid) ?? null;
    const base = { billId: b.billId, ids: { paymentInformationId: pid, endToEndId: b.endToEndId ?? '', instructionId: '' }, attempt: b.attempt };
    if (entry?.state === 'released') {
      // A person retired these ids (stetpay resolve) and Odoo was set queued again by hand: nothing is ever sent under them.
      const reason = `Bill ${b.name}: payment ${b.endToEndId ?? pid} was recorded as not at the bank (stetpay resolve) and its ids are retired: nothing is sent under them. To pay the bill, run stetpay retry ${b.name} and the next run sends a new payment.`;
      push(withdrawnUpdate({ ...base, reason }));
      summary.withdrawn.push(b.billId);
      continue;
    }
    if (entry && entry.state !== 'sending') {
      const update = replayUpdate(entry, base);
      if (update) {
        push(update);
        summary.replayed.push(b.billId);
      } else {
        // executed at the bank while Odoo still says queued: a person must look
        const reason = `Bill ${b.name}: Odoo shows payment ${b.endToEndId ?? pid} queued, but ${entryEvidence(entry, deps.ledger.claimTtlMs)}: check it in online banking.`;
        push(needsReviewUpdate({ ...base, reason }));
        summary.needsReview.push(b.billId);
      }
      continue;
    }
    candidates.push({ tracked: b, pid, entry, jobState });
  }

  const jobs: SubmitJobData[] = [];
  if (candidates.length) {
    const reserved = new Map((await deps.odoo.readReservedBills(candidates.map((c) => c.tracked.billId), { withRequest: true })).map((r) => [r.billId, r]));
    for (const c of candidates) {
      const r = reserved.get(c.tracked.billId);
      if (!r || r.status !== 'queued' || r.paymentInformationId !== c.pid) continue; // deleted or changed since this sweep read it: the next sweep sees it
      const job = await sweepOne(deps, c, r, push, summary, log);
      if (job) jobs.push(job);
    }
  }
  await deps.writeback.push(updates);
  if (jobs.length) {
    await enqueuePayments(deps.mode === 'on-signatory' && deps.signatoryQueue ? deps.signatoryQueue : deps.submitQueue, jobs, deps.jobOptions);
    summary.reenqueued.push(...jobs.map((j) => j.billId));
  }
  if (summary.reenqueued.length || summary.replayed.length || summary.withdrawn.length || summary.needsReview.length || summary.withoutIds.length) {
    log('sweeper.swept', { queued: summary.queued, live: summary.live, reenqueued: summary.reenqueued, replayed: summary.replayed, withdrawn: summary.withdrawn, needsReview: summary.needsReview, withoutIds: summary.withoutIds });
  }
  return summary;
}

/** One queued bill without a live job: its job again from the stored request, or its outcome. */
async function sweepOne(
  deps: SweeperDeps,
  c: Candidate,
  r: ReservedBill,
  push: (u: BillUpdate) => void,
  summary: SweepSummary,
  log: NonNullable<SweeperDeps['log']>,
): Promise<SubmitJobData | null> {
  const e2e = r.endToEndId ?? c.pid;
  const traced = c.entry !== null || c.jobState !== 'unknown';
  // The bank may have it: a try was claimed and not settled, or Redis has no trace at all (lost, or expired).
  const mayBeAtBank = c.entry?.state === 'sending' ? entryEvidence(c.entry, deps.ledger.claimTtlMs) : traced ? null : evidencePhrase('no_trace');
  const stored = storedRequest(r);
  let problem: string | null = stored.request ? null : stored.problem;
  let request: PaymentRequestResource | null = stored.request;
  if (request && paymentIds(deps.database, r.billId, r.attempt).paymentInformationId !== c.pid) {
    problem = `its recorded ids (${c.pid}) are not those of attempt ${r.attempt}`;
    request = null;
  }
  const changes = request ? reservationChanges(r, request) : [];
  const base = { billId: r.billId, ids: { paymentInformationId: c.pid, endToEndId: e2e, instructionId: '' }, attempt: r.attempt };

  if (request && changes.length === 0) {
    if (!c.entry && !traced) await deps.ledger.markUncertain(c.pid, r.billId, e2e, 'no_trace');
    // A finished job still holds the id: remove it so the id can run again (the ledger guards the POST).
    if (c.jobState === 'completed' || c.jobState === 'failed') await deps.submitQueue.remove(c.pid).catch(() => 0);
    return { billId: r.billId, billName: r.name, database: deps.database, attempt: r.attempt, request, executionDate: r.requestedExecutionDate ?? reservationOf(request).executionDate };
  }

  let reason: string;
  let reviewReason: string;
  let evidence: ReviewEvidence;
  if (!request) {
    reason = unprovenReason({ billName: r.name, endToEndId: e2e, problem: problem!, mayBeAtBank: null });
    reviewReason = unprovenReason({ billName: r.name, endToEndId: e2e, problem: problem!, mayBeAtBank: mayBeAtBank ?? evidencePhrase(undefined) });
    evidence = traced ? 'unproven_content' : 'no_trace';
  } else {
    const about = { billName: r.name, reservation: reservationOf(request) };
    reason = withdrawnReason({ ...about, changes });
    reviewReason = changedMayBeAtBankReason({ ...about, changes, evidence: mayBeAtBank ?? evidencePhrase(undefined) });
    evidence = traced ? 'changed_after_reservation' : 'no_trace';
  }
  // No trace: first record that the bank may have it, so the retirement below stops it (needs_review) instead of withdrawing it.
  if (!traced) await deps.ledger.markUncertain(c.pid, r.billId, e2e, 'no_trace');
  const code = await deps.ledger.retire(c.pid, { billId: r.billId, endToEndId: e2e, status: 'withdrawn', reason, reviewReason, evidence });
  if (code === RETIRE.RETIRED) {
    push(withdrawnUpdate({ ...base, reason }));
    summary.withdrawn.push(r.billId);
    log('sweeper.withdrawn', { billId: r.billId, pid: c.pid, reason });
  } else if (code === RETIRE.STOPPED) {
    push(needsReviewUpdate({ ...base, reason: reviewReason }));
    summary.needsReview.push(r.billId);
    log('sweeper.needs_review', { billId: r.billId, pid: c.pid, reason: reviewReason });
  }
  // HELD or DECIDED: a worker or another path took it meanwhile; the next sweep sees its outcome.
  return null;
}
