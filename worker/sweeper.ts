import type { Queue } from 'bullmq';
import type { BillUpdate, PaymentIds, PaymentRequestResource, ReservedBill, TrackedBill } from '../connector/model/index.js';
import { bulkPaymentId, joinParts, paymentIds, reservationChanges, reservationOf, storedRequest } from '../connector/rules/index.js';
import { backToApprovedValues, withdrawnUpdate, needsReviewUpdate } from './bill-updates.js';
import { enqueuePayments } from './enqueue-payments.js';
import { forEachTrackedPage } from './tracked-bill-pages.js';
import type { SubmitJobData, SubmitJobOptions, SubmitOutcome } from './submit-job.js';
import type { OdooPort } from './interfaces/odoo-port.js';
import { entryEvidence, evidencePhrase, isLiveJob, replayUpdate } from './ledger/ledger-meaning.js';
import { RETIRE, type PaymentLedger } from './ledger/payment-ledger.js';
import { changedMayBeAtBankReason, unprovenReason, withdrawnReason } from './reservation-reasons.js';
import type { LedgerEntry, ReviewEvidence } from './ledger/ledger-entry.js';
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

/**
 * The ids of attempt n of a bill; null when Odoo's attempt number is not one
 * stetpay writes (changed outside stetpay: -2, 10000000): that bill's record
 * cannot be proven, and the sweep goes on with the others.
 */
function idsOfAttempt(database: string, billId: number, attempt: number): PaymentIds | null {
  try {
    return paymentIds(database, billId, attempt);
  } catch {
    return null;
  }
}

/** Why a bill's recorded ids are not those of its attempt, for the clerk. */
function notItsAttempt(r: ReservedBill, ids: PaymentIds | null, recorded: string): string {
  return ids
    ? `its recorded ids (${recorded}) are not those of attempt ${r.attempt}`
    : `its attempt number (x_stet_attempt = ${String(r.attempt)}) is not one stetpay writes: it was changed outside stetpay, so the ids recorded for it cannot be checked`;
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
  const summary: SweepSummary = { queued: 0, live: 0, reenqueued: [], replayed: [], withdrawn: [], needsReview: [], withoutIds: [] };
  const updates: { update: BillUpdate; onlyIfStatus: ['queued'] }[] = [];
  const push = (update: BillUpdate) => updates.push({ update, onlyIfStatus: ['queued'] });

  // The queued bills one page at a time (after a night of 100k, nearly all have a live job: only the others are kept).
  const candidates: Candidate[] = [];
  await forEachTrackedPage(deps.odoo, ['queued'], SWEEP_PAGE_SIZE, async (page) => {
    summary.queued += page.length;
    candidates.push(...(await triage(deps, page, push, summary)));
  });

  const jobs: SubmitJobData[] = [];
  if (candidates.length) {
    const reserved = new Map((await deps.odoo.readReservedBills(candidates.map((c) => c.tracked.billId), { withRequest: true })).map((r) => [r.billId, r]));
    const requests = new Map<string, { c: Candidate; r: ReservedBill }[]>();
    for (const c of candidates) {
      const r = reserved.get(c.tracked.billId);
      if (!r || r.status !== 'queued' || r.paymentInformationId !== c.pid) continue; // deleted or changed since this sweep read it: the next sweep sees it
      requests.set(c.pid, [...(requests.get(c.pid) ?? []), { c, r }]);
    }
    for (const group of requests.values()) {
      // Per request: whatever goes wrong with one is logged with its bills, and the sweep goes on (the next sweep looks again).
      try {
        if (group.every(({ r }) => (r.members?.length ?? 0) < 2)) {
          for (const { c, r } of group) {
            const job = await sweepOne(deps, c, r, push, summary, log);
            if (job) jobs.push(job);
          }
        } else {
          const job = await sweepRequest(deps, group, push, summary, log);
          if (job) jobs.push(job);
        }
      } catch (err) {
        log('sweeper.failed', { pid: group[0]!.c.pid, bills: group.map(({ r }) => r.billId), error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  await deps.writeback.push(updates);
  if (jobs.length) {
    await enqueuePayments(deps.mode === 'on-signatory' && deps.signatoryQueue ? deps.signatoryQueue : deps.submitQueue, jobs, deps.jobOptions);
    summary.reenqueued.push(...jobs.flatMap((j) => j.bills?.map((b) => b.billId) ?? [j.billId]));
  }
  if (summary.reenqueued.length || summary.replayed.length || summary.withdrawn.length || summary.needsReview.length || summary.withoutIds.length) {
    log('sweeper.swept', { queued: summary.queued, live: summary.live, reenqueued: summary.reenqueued, replayed: summary.replayed, withdrawn: summary.withdrawn, needsReview: summary.needsReview, withoutIds: summary.withoutIds });
  }
  return summary;
}

/** Queued bills a sweep reads at once. */
export const SWEEP_PAGE_SIZE = 1000;

/**
 * One page of queued bills: a bill with a live job is left alone; one without
 * ids, with retired ids or with the ledger's answer gets its update now; the
 * others are returned, to be swept from what Odoo recorded (with every bill of
 * their request, whatever its page).
 */
async function triage(deps: SweeperDeps, bills: TrackedBill[], push: (update: BillUpdate) => void, summary: SweepSummary): Promise<Candidate[]> {
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
  return candidates;
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
  const ids = idsOfAttempt(deps.database, r.billId, r.attempt);
  if (request && ids?.paymentInformationId !== c.pid) {
    problem = notItsAttempt(r, ids, c.pid);
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

/**
 * A request of several transfers whose bills are queued without a live job:
 * its job again from the parts Odoo recorded on its bills, joined in the
 * order recorded on each (every bill present, every part's digest and ids
 * checked, every bill unchanged); else its ids are retired (or it is stopped
 * as needs_review when the bank may have it): a changed bill is withdrawn, the
 * others go back among the approved ones. Never a request other than recorded.
 */
async function sweepRequest(
  deps: SweeperDeps,
  group: { c: Candidate; r: ReservedBill }[],
  push: (u: BillUpdate) => void,
  summary: SweepSummary,
  log: NonNullable<SweeperDeps['log']>,
): Promise<SubmitJobData | null> {
  const [lead] = group;
  const pid = lead!.c.pid;
  const members = lead!.r.members ?? [];
  const byE2e = new Map(group.map((g) => [g.r.endToEndId, g]));
  const traced = lead!.c.entry !== null || lead!.c.jobState !== 'unknown';
  const mayBeAtBank = lead!.c.entry?.state === 'sending' ? entryEvidence(lead!.c.entry, deps.ledger.claimTtlMs) : traced ? null : evidencePhrase('no_trace');
  let problem: string | null = null;
  const changed = new Map<number, string[]>();
  let request: PaymentRequestResource | null = null;
  if (group.some((g) => (g.r.members ?? []).join(',') !== members.join(','))) problem = 'its bills do not record the same transfers for it';
  else if (members.some((e) => !byE2e.has(e))) problem = `${members.filter((e) => !byE2e.has(e)).join(', ')} of it ${members.length - group.length === 1 ? 'is' : 'are'} no longer queued under it`;
  else {
    const parts: PaymentRequestResource[] = [];
    for (const e of members) {
      const g = byE2e.get(e)!;
      const stored = storedRequest(g.r);
      if (!stored.request) {
        problem = `bill ${g.r.name}: ${stored.problem}`;
        break;
      }
      const ids = idsOfAttempt(deps.database, g.r.billId, g.r.attempt);
      if (stored.request.creditTransferTransaction[0]?.paymentId.endToEndId !== ids?.endToEndId) {
        problem = `bill ${g.r.name}: ${ids ? `its recorded transfer is not that of attempt ${g.r.attempt}` : notItsAttempt(g.r, ids, pid)}`;
        break;
      }
      const changes = reservationChanges(g.r, stored.request, members);
      if (changes.length) changed.set(g.r.billId, changes);
      parts.push(stored.request);
    }
    if (!problem) {
      try {
        request = joinParts(parts);
        if (request.paymentInformationId !== pid || pid !== bulkPaymentId(deps.database, byE2e.get(members[0]!)!.r.billId, byE2e.get(members[0]!)!.r.attempt)) problem = `its recorded request is not payment ${pid}`;
      } catch (err) {
        problem = (err as Error).message;
      }
    }
  }
  const ordered = members.filter((e) => byE2e.has(e)).map((e) => byE2e.get(e)!);
  const bills = (ordered.length === group.length ? ordered : group).map((g) => g.r);
  if (!problem && changed.size === 0 && request) {
    if (!traced) await deps.ledger.markUncertain(pid, bills[0]!.billId, bills[0]!.endToEndId ?? pid, 'no_trace');
    if (lead!.c.jobState === 'completed' || lead!.c.jobState === 'failed') await deps.submitQueue.remove(pid).catch(() => 0);
    const first = bills[0]!;
    return {
      billId: first.billId, billName: first.name, database: deps.database, attempt: first.attempt, request,
      executionDate: first.requestedExecutionDate ?? reservationOf(request).executionDate,
      bills: bills.map((b) => ({ billId: b.billId, billName: b.name, attempt: b.attempt })),
    };
  }
  // Not sendable as recorded: no bill of it is sent under these ids.
  const why = problem ?? [...changed].map(([id, cs]) => `bill ${bills.find((b) => b.billId === id)!.name} (${cs.join('; ')})`).join(', ');
  const reasonOf = (b: ReservedBill): string => {
    const own = changed.get(b.billId);
    const base = `Bill ${b.name}: payment ${b.endToEndId ?? pid}, one of the ${members.length} transfers of payment ${pid}`;
    return own
      ? `${base}, was not sent: the bill changed after stetpay reserved it: ${own.join('; ')}. Nothing reached the bank and these ids are never sent. Check the bill; to pay it as it is now, run stetpay retry ${b.name} and the next run sends a new payment.`
      : `${base}, was not sent: ${why}. Nothing reached the bank and these ids are never sent; the bill is back among the approved ones and the next run sends it in a new payment.`;
  };
  const reviewOf = (b: ReservedBill): string =>
    `Bill ${b.name}: payment ${b.endToEndId ?? pid}, one of the ${members.length} transfers of payment ${pid}, cannot be sent as recorded (${why}), and the bank may already have the request: ${mayBeAtBank ?? evidencePhrase(undefined)}. ` +
    `stetpay sends nothing more. Check in online banking whether payment ${pid} exists; if it does not, run stetpay resolve ${b.name} --not-at-bank.`;
  if (!traced) await deps.ledger.markUncertain(pid, bills[0]!.billId, bills[0]!.endToEndId ?? pid, 'no_trace');
  const lead0 = bills[0]!;
  const code = await deps.ledger.retire(pid, { billId: lead0.billId, endToEndId: lead0.endToEndId ?? pid, status: 'withdrawn', reason: reasonOf(lead0), reviewReason: reviewOf(lead0), evidence: traced ? 'changed_after_reservation' : 'no_trace' });
  for (const b of bills) {
    const base = { billId: b.billId, ids: { paymentInformationId: pid, endToEndId: b.endToEndId ?? '', instructionId: '' }, attempt: b.attempt };
    if (code === RETIRE.RETIRED) {
      if (changed.has(b.billId)) {
        push(withdrawnUpdate({ ...base, reason: reasonOf(b) }));
        summary.withdrawn.push(b.billId);
      } else {
        push({ billId: b.billId, values: { ...backToApprovedValues(b.attempt), x_stet_status_reason: reasonOf(b) }, note: `stetpay: ${reasonOf(b)}` });
        summary.withdrawn.push(b.billId);
      }
    } else if (code === RETIRE.STOPPED) {
      push(needsReviewUpdate({ ...base, reason: reviewOf(b) }));
      summary.needsReview.push(b.billId);
    }
  }
  log(code === RETIRE.STOPPED ? 'sweeper.needs_review' : 'sweeper.withdrawn', { pid, bills: bills.map((b) => b.billId), reason: why });
  return null;
}
