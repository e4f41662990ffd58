/**
 * The run (design steps 1-4): collect approved bills, map and validate each,
 * reserve them in Odoo (ids + `queued`, or `invalid` with reasons) in batched
 * writes, then hand one job per payment to the queue. Odoo is written BEFORE
 * the queue: a crash in between leaves bills `queued` with their ids, which the
 * sweeper re-enqueues with the same ids; never a bill without a record.
 */
import { collectApprovedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { checkMappingContext, mappingContextWarnings } from '../../connector/mapping/index.js';
import { paymentIds, addDays, today as todayIn } from '../../connector/rules/index.js';
import { isOpenForRun, type BillUpdate } from '../../connector/model/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { enqueuePayments, lockKey, PayeeCheckCache, withRedisLock, type LockHolder, type StetpayQueues, type SubmitJobInput } from '../../worker/index.js';
import { CommandFailure } from '../cli-args.js';
import { withoutConsentLinks } from '../app/job-consent-links.js';
import { mapForAttempt, runMappingContext, type MappingConfig } from '../app/mapping-context.js';
import { heldUpdate, invalidUpdate, queuedUpdate, refusedResubmissionUpdate, withNote } from './reserve-updates.js';
import { PayeeChecks, type PayeeVerifier } from './payee-checks.js';
import { countStatus, emptySummary, type RunSummary } from './run-summary.js';

export interface RunDeps {
  odoo: OdooClient;
  config: MappingConfig & { odoo: { approvedDomain?: unknown[] }; worker: { attempts: number } };
  profile: BankProfile;
  /** Absent for a dry run: nothing is written, nothing is queued. */
  queues?: StetpayQueues;
  now?: Date;
  /** The Verification of Payee provider; absent when vop.url is not configured. */
  payeeVerifier?: PayeeVerifier;
  /** Called after each page with the bills seen so far, and the bills the run found in all. */
  onProgress?: (seen: number, total: number) => void;
}

/** Ledger states of an earlier attempt that forbid a new one: the bank has, or may have, that payment. */
function earlierAttemptMayBePaid(entry: { state: string; status?: string } | null): boolean {
  if (!entry) return false;
  if (entry.state === 'final') return entry.status !== 'rejected' && entry.status !== 'cancelled';
  if (entry.state === 'released') return false; // a person confirmed the bank does not have it (stetpay resolve)
  return true; // sending, sent, exported
}

/** Another run holds the run lock: this one did nothing. */
export class RunInProgressError extends CommandFailure {
  constructor(readonly holder: LockHolder | null) {
    super(`another stetpay run is in progress${holder ? ` (${holder.by}, since ${holder.since})` : ''}: nothing was read, reserved or queued; wait for it to end`);
    this.name = 'RunInProgressError';
  }
}

/**
 * One run at a time per Redis (a run lock, renewed while it lasts): two runs
 * reading the same bills could each reserve and queue them. A dry run writes
 * nothing and takes no lock.
 */
export async function runPayments(deps: RunDeps): Promise<RunSummary> {
  const { queues } = deps;
  if (!queues) return collectReserveEnqueue(deps);
  return withRedisLock(queues.redis, lockKey(queues.prefix, 'run'), () => collectReserveEnqueue(deps), { held: (h) => new RunInProgressError(h) });
}

async function collectReserveEnqueue(deps: RunDeps): Promise<RunSummary> {
  const started = Date.now();
  const now = deps.now ?? new Date();
  const { config, profile, odoo, queues } = deps;
  const dryRun = !queues;
  const summary = emptySummary(dryRun);
  const callsBefore = odoo.calls;

  // A setting that does not fit the bank stops the run before anything is written.
  const context = runMappingContext(config, profile, now, 0);
  const problems = checkMappingContext(context);
  if (problems.length) throw new Error(`the configuration does not fit bank profile ${profile.id}: ${problems.join('; ')}`);
  summary.warnings.push(...mappingContextWarnings(context));
  // Verification of Payee before any reservation (a dry run asks nothing: no provider call for a rehearsal).
  const payees = dryRun ? null : PayeeChecks.for({ odoo, vop: config.vop, verifier: deps.payeeVerifier, cache: queues && new PayeeCheckCache(queues.redis, queues.prefix, config.vop.cacheHours * 3_600_000) });
  if (payees) summary.warnings.push(...payees.warnings());
  else if (dryRun && config.vop.mode !== 'off' && deps.payeeVerifier) summary.warnings.push('A dry run does not check payees (Verification of Payee): the real run may hold bills this one shows as queued.');

  const horizon = config.payments.executionPolicy === 'due-date' ? addDays(todayIn(now, config.payments.timeZone), profile.maxDaysAhead) : undefined;
  let total = 0;
  const pages = collectApprovedBills(odoo, {
    database: odoo.database,
    horizon,
    domain: config.odoo.approvedDomain,
    onCount: (n) => {
      total = n;
      deps.onProgress?.(0, n);
    },
  });

  for await (const page of pages) {
    summary.bills += page.length;
    const updates: BillUpdate[] = [];
    const jobs: SubmitJobInput[] = []; // ids given are checked against the request, then not stored
    // A bill with an earlier attempt was put back by a person (status cleared): resubmit only if that attempt surely did not pay.
    const resubmissions = page.filter((s) => s.bill.attempt > 0 && isOpenForRun(s.bill.stetStatus)); // bills already taken are skipped below: no ledger read for them
    const earlier = queues && resubmissions.length
      ? await queues.ledger.getMany(resubmissions.map((s) => paymentIds(s.database, s.bill.id, s.bill.attempt).paymentInformationId))
      : new Map();
    const payee = payees && (await payees.decidePage(page.filter((s) => isOpenForRun(s.bill.stetStatus)), (s) => mapForAttempt(s, s.bill.attempt + 1, config, profile, now)));

    for (const snapshot of page) {
      const bill = snapshot.bill;
      if (!isOpenForRun(bill.stetStatus)) {
        // Reserved (or set by a person) after the search, whatever domain the config gives: never a second reservation.
        summary.alreadyTaken++;
        continue;
      }
      if (bill.attempt > 0) {
        const previous = paymentIds(snapshot.database, bill.id, bill.attempt);
        const entry = earlier.get(previous.paymentInformationId) ?? null;
        if (earlierAttemptMayBePaid(entry)) {
          const reason =
            `Bill ${bill.name}: payment ${previous.endToEndId} (attempt ${bill.attempt}) was already sent to the bank ` +
            `(${entry!.state}${entry!.status ? ', ' + entry!.status : ''}); stetpay will not send a second one. ` +
            `Check it in online banking; if it was refused, record that and resubmit.`;
          updates.push(refusedResubmissionUpdate({ billId: bill.id, reason, now }));
          summary.invalid.push({ billId: bill.id, billName: bill.name, status: 'needs_review', reasons: [{ code: 'ALREADY_SENT', rule: 'NEVER-TWICE', message: reason }] });
          countStatus(summary, 'needs_review');
          continue;
        }
      }
      const attempt = bill.attempt + 1;
      const outcome = mapForAttempt(snapshot, attempt, config, profile, now);
      if (outcome.kind === 'not_yet_payable') {
        summary.notYetPayable++;
      } else if (outcome.kind === 'invalid') {
        updates.push(invalidUpdate({ billId: bill.id, reasons: outcome.reasons, now }));
        summary.invalid.push({ billId: bill.id, billName: bill.name, status: 'invalid', reasons: outcome.reasons.map(({ code, rule, message }) => ({ code, rule, message })) });
        countStatus(summary, 'invalid');
      } else if (payee?.get(bill.id)?.hold) {
        const hold = payee.get(bill.id)!.hold!;
        const update = heldUpdate({ billId: bill.id, holds: [hold], now, previousReason: bill.stetReason });
        if (update) updates.push(update); // else held for the same reason already: no second note
        summary.invalid.push({ billId: bill.id, billName: bill.name, status: 'held', reasons: [{ code: hold.code, rule: hold.rule, message: hold.message }] });
        countStatus(summary, 'held');
      } else {
        const tx = outcome.request.creditTransferTransaction[0]!;
        updates.push(withNote(queuedUpdate({ billId: bill.id, ids: outcome.ids, attempt, executionDate: outcome.executionDate, amountCents: outcome.amountCents, creditorIban: tx.beneficiary.creditorAccount.iban, now }), payee?.get(bill.id)?.note));
        const job = { billId: bill.id, billName: bill.name, database: snapshot.database, attempt, ids: outcome.ids, request: outcome.request, executionDate: outcome.executionDate };
        jobs.push(withoutConsentLinks(config.callback, job)); // the worker puts them back: half a pending payment's weight in Redis
        summary.queuedBillIds.push(bill.id);
        summary.queuedCents += outcome.amountCents;
        countStatus(summary, 'queued');
      }
    }
    if (queues) {
      if (updates.length) await writeBillUpdates(odoo, updates, now);
      if (jobs.length) summary.enqueued += await enqueuePayments(queues.submit, jobs, { attempts: config.worker.attempts });
    }
    deps.onProgress?.(summary.bills, total);
  }
  if (payees) summary.payeeChecks = payees.stats;
  summary.odooCalls = odoo.calls - callsBefore;
  summary.durationMs = Date.now() - started;
  return summary;
}
