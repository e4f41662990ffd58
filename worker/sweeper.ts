import type { Queue } from 'bullmq';
import type { BillUpdate } from '../connector/model/index.js';
import { needsReviewUpdate, rejectedUpdate, submittedUpdate } from './bill-updates.js';
import { enqueuePayments } from './enqueue-payments.js';
import type { SubmitJobOptions } from './interfaces/submit-worker-options.js';
import type { OdooPort } from './interfaces/odoo-port.js';
import type { PaymentLedger } from './ledger/payment-ledger.js';
import type { SubmitJobData } from './types/submit-job-data.js';
import type { SubmitOutcome } from './types/submit-outcome.js';
import type { WritebackQueue } from './writeback/writeback-queue.js';

/** What the sweeper needs. `rebuild` is the plugin's: only it can map a bill to its request (same ids). */
export interface SweeperDeps {
  odoo: Pick<OdooPort, 'readTrackedBills'>;
  ledger: PaymentLedger;
  submitQueue: Queue<SubmitJobData, SubmitOutcome>;
  writeback: WritebackQueue;
  rebuild: (billIds: number[]) => Promise<SubmitJobData[]>;
  jobOptions?: SubmitJobOptions;
}

/** What one sweep did. */
export interface SweepSummary {
  /** Bills `queued` in Odoo. */
  queued: number;
  /** With a waiting, delayed or active job: left alone. */
  live: number;
  /** Re-enqueued (no live job; ledger empty or 'sending'). */
  reenqueued: number[];
  /** The ledger already had the bank's answer: written back again. */
  replayed: number[];
  /** `queued` but no payment id in Odoo: cannot be the worker's (the run reserves ids first). */
  withoutIds: number[];
  /** `queued` under ids a person retired (stetpay resolve): never sent; clear the status to send a new attempt. */
  retired: number[];
}

/** Job states in pages of parallel calls (one connection pipelines them), not one round trip per bill. */
async function jobStatesOf(queue: Queue, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const states = await Promise.all(slice.map((id) => queue.getJobState(id)));
    slice.forEach((id, j) => out.set(id, states[j]!));
  }
  return out;
}

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Re-enqueues bills left `queued` in Odoo with no live job (Redis lost or
 * flushed, a job failed for good). A ledger entry 'sending' means the bank
 * may have it: the re-enqueued job re-sends the SAME ids and the bank's
 * duplicate refusal decides. An entry 'sent'/'final' means the answer is
 * known: it is written back again (only while Odoo still shows `queued`).
 */
export async function sweepQueuedBills(deps: SweeperDeps): Promise<SweepSummary> {
  const bills = await deps.odoo.readTrackedBills({ statuses: ['queued'] });
  const summary: SweepSummary = { queued: bills.length, live: 0, reenqueued: [], replayed: [], withoutIds: [], retired: [] };
  const withIds = bills.filter((b) => {
    if (!b.paymentInformationId) summary.withoutIds.push(b.billId);
    return !!b.paymentInformationId;
  });
  const ledger = await deps.ledger.getMany(withIds.map((b) => b.paymentInformationId!));
  const jobStates = await jobStatesOf(deps.submitQueue, withIds.map((b) => b.paymentInformationId!));
  const replays: BillUpdate[] = [];
  const toRebuild: number[] = [];
  for (const b of withIds) {
    const pid = b.paymentInformationId!;
    const state = jobStates.get(pid) ?? 'unknown';
    if (LIVE.has(state)) {
      summary.live++;
      continue;
    }
    const entry = ledger.get(pid) ?? null;
    const ids = { paymentInformationId: pid, endToEndId: b.endToEndId ?? '', instructionId: '' };
    const base = { billId: b.billId, ids, attempt: b.attempt };
    if (entry?.state === 'released') {
      // A person retired these ids (stetpay resolve) and Odoo was set queued again by hand: nothing to send under them.
      summary.retired.push(b.billId);
      continue;
    }
    if (entry && (entry.state === 'sent' || entry.state === 'final' || entry.state === 'exported')) {
      if (entry.state === 'sent' && entry.resourceId) replays.push(submittedUpdate({ ...base, resourceId: entry.resourceId, consentUrl: entry.consentUrl }));
      else if (entry.status === 'rejected') replays.push(rejectedUpdate({ ...base, reason: entry.reason ?? 'rejected by the bank' }));
      else if (entry.status === 'needs_review') replays.push(needsReviewUpdate({ ...base, reason: entry.reason ?? 'fate unknown' }));
      else if (entry.state === 'exported') replays.push({ billId: b.billId, values: { x_stet_status: 'exported' } });
      summary.replayed.push(b.billId);
      continue;
    }
    // A finished job still holds the id: remove it so the id can run again (the ledger guards the POST).
    if (state === 'completed' || state === 'failed') await deps.submitQueue.remove(pid).catch(() => 0);
    toRebuild.push(b.billId);
  }
  await deps.writeback.push(replays.map((update) => ({ update, onlyIfStatus: ['queued' as const] })));
  if (toRebuild.length > 0) {
    const jobs = await deps.rebuild(toRebuild);
    await enqueuePayments(deps.submitQueue, jobs, deps.jobOptions);
    summary.reenqueued.push(...jobs.map((j) => j.billId));
  }
  return summary;
}
