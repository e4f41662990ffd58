/**
 * The run (design steps 1-4): collect approved bills, map and validate each,
 * reserve them in Odoo (ids + `queued`, or `invalid` with reasons) in batched
 * writes, then hand one job per payment to the queue. Odoo is written BEFORE
 * the queue: a crash in between leaves bills `queued` with their ids, which the
 * sweeper re-enqueues with the same ids; never a bill without a record.
 */
import { collectApprovedBills, readBillsDueLater, readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { checkMappingContext, executionDateIn, mappingContextWarnings, MappingConfigError, type MappingOutcome } from '../../connector/mapping/index.js';
import { paymentIds, addDays, today as todayIn, bulkPaymentId, combineRequests, groupTransfers, requestHeaderKey, requestMembers, requestParts } from '../../connector/rules/index.js';
import { isOpenForRun, type BillSnapshot, type BillUpdate, type PaymentIds, type PaymentRequestResource } from '../../connector/model/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import { attemptVerdict, enqueuePayments, lockKey, PayeeCheckCache, RETIRE, withRedisLock, type AttemptVerdict, type LockHolder, type StetpayQueues, type SubmitJobInput } from '../../worker/index.js';
import { CommandFailure } from '../errors.js';
import { withoutConsentLinks } from '../callback/job-consent-links.js';
import { consentLinks, mapForAttempt, runMappingContext, type MappingConfig } from './mapping-context.js';
import { submissionSettings } from '../connect/open-bank.js';
import { recordLastRun } from './last-run.js';
import { heldUpdate, invalidUpdate, queuedUpdate, refusedResubmissionUpdate, withNote, withPayeeCheck } from './reserve-updates.js';
import { RunApprovals } from './approvals.js';
import { recordedRequest, requestMemberVerdict, type RequestFacts } from './request-member-verdict.js';
import type { ApprovalsConfig } from '../config/index.js';
import { PayeeChecks, type PayeeVerifier, type RunPayeeDecision } from './payee-checks.js';
import { countStatus, emptySummary, NOT_YET_PAYABLE_LISTED, type RunProblem, type RunSummary } from './run-summary.js';

export interface RunDeps {
  odoo: OdooClient;
  config: MappingConfig & { odoo: { approvedDomain?: unknown[] }; worker: { attempts: number }; approvals: ApprovalsConfig };
  profile: BankProfile;
  /** Absent for a dry run: nothing is written, nothing is queued. */
  queues?: StetpayQueues;
  now?: Date;
  /** The Verification of Payee provider; absent when vop.url is not configured. */
  payeeVerifier?: PayeeVerifier;
  /** Called after each page with the bills seen so far, and the bills the run found in all. */
  onProgress?: (seen: number, total: number) => void;
}

/** The highest `x_stet_attempt` whose next attempt still gets ids (`paymentIds` takes 0..9 999 999). */
const LAST_ATTEMPT = 9_999_998;

function isAttemptNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= LAST_ATTEMPT;
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
  return withRedisLock(
    queues.redis,
    lockKey(queues.prefix, 'run'),
    async () => {
      const summary = await collectReserveEnqueue(deps);
      // For `stetpay status`; losing it loses nothing the bills do not record.
      await recordLastRun(queues.redis, queues.prefix, summary, new Date()).catch(() => undefined);
      return summary;
    },
    { held: (h) => new RunInProgressError(h) },
  );
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
  const submission = submissionSettings(config.bank, profile);
  const problems = checkMappingContext(context);
  if (problems.length) throw new Error(`the configuration does not fit bank profile ${profile.id}: ${problems.join('; ')}`);
  summary.warnings.push(...mappingContextWarnings(context));
  // Verification of Payee before any reservation (a dry run asks nothing: no provider call for a rehearsal).
  const payees = dryRun ? null : PayeeChecks.for({ odoo, vop: config.vop, verifier: deps.payeeVerifier, cache: queues && new PayeeCheckCache(queues.redis, queues.prefix, config.vop.cacheHours * 3_600_000) });
  if (payees) summary.warnings.push(...payees.warnings());
  else if (dryRun && config.vop.mode !== 'off' && deps.payeeVerifier) summary.warnings.push('A dry run does not check payees (Verification of Payee): the real run may hold bills this one shows as queued.');

  // Who approved what: read for every run, dry runs too (reads only).
  const approvals = new RunApprovals(odoo, config.approvals, config.payments.timeZone);

  const horizon = config.payments.executionPolicy === 'due-date' ? addDays(todayIn(now, config.payments.timeZone), profile.maxDaysAhead) : undefined;
  let total = 0;
  const pages = collectApprovedBills(odoo, {
    database: odoo.database,
    horizon,
    domain: config.odoo.approvedDomain,
    debtorAccounts: config.payments.debtorAccounts,
    onCount: (n) => {
      total = n;
      deps.onProgress?.(0, n);
    },
  });

  for await (const page of pages) {
    summary.bills += page.length;
    const updates: BillUpdate[] = [];
    const jobs: SubmitJobInput[] = []; // ids given are checked against the request, then not stored
    const earlier = await earlierAttempts(page, odoo, queues, now);
    // Approvals, then payees, only for the bills this page may send: a first attempt, or one whose earlier attempt is proven never paid.
    const candidates = page.filter((s) => mayTakeNewAttempt(s, earlier));
    const approvalHolds = await approvals.decidePage(candidates, now);
    const payee = payees && (await payees.decidePage(candidates.filter((s) => !approvalHolds.has(s.bill.id)), (s) => mapForAttempt(s, s.bill.attempt + 1, config, profile, now)));
    const payables: Payable[] = [];
    const refuse = (problem: RunProblem, update: BillUpdate) => {
      updates.push(update);
      summary.invalid.push(problem);
      countStatus(summary, problem.status);
    };

    for (const snapshot of page) {
      const bill = snapshot.bill;
      if (!isOpenForRun(bill.stetStatus)) {
        // Reserved (or set by a person) after the search, whatever domain the config gives: never a second reservation.
        summary.alreadyTaken++;
        continue;
      }
      // Per bill: whatever goes wrong with one bill is recorded on that bill, and the run goes on.
      try {
        if (!isAttemptNumber(bill.attempt)) {
          const message =
            `Bill ${bill.name}: its payment attempt number (x_stet_attempt = ${String(bill.attempt)}) is not one stetpay writes (a whole number from 0 to ${LAST_ATTEMPT}): ` +
            `it was changed outside stetpay, so stetpay cannot tell which of this bill's payments reached the bank, and sends nothing. ` +
            `Look in online banking for this bill's payments, then have an administrator set the attempt back to the last one stetpay used.`;
          refuse({ billId: bill.id, billName: bill.name, status: 'needs_review', reasons: [{ code: 'ATTEMPT_INVALID', rule: 'NEVER-TWICE', message }] }, refusedResubmissionUpdate({ billId: bill.id, reason: message, now }));
          continue;
        }
        let closedAttempt = bill.closedAttempt ?? 0;
        if (bill.attempt > 0) {
          // The bill was put back among the approved ones: a new attempt only once attempt n is proven never paid.
          const verdict = earlier.get(bill.id)!;
          if (verdict.kind !== 'closed') {
            const previous = paymentIds(snapshot.database, bill.id, bill.attempt);
            const evidence = verdict.kind === 'may_be_at_bank' ? verdict.evidence : 'a worker took it while the run checked it';
            const message =
              `Bill ${bill.name}: payment ${previous.endToEndId} (attempt ${bill.attempt}) may already be at the bank: ${evidence}. stetpay will not send a second one. ` +
              `Check it in online banking; if the bank does not have it, run stetpay resolve ${bill.name} --not-at-bank, and the next run sends a new payment.`;
            refuse({ billId: bill.id, billName: bill.name, status: 'needs_review', reasons: [{ code: 'ALREADY_SENT', rule: 'NEVER-TWICE', message }] }, refusedResubmissionUpdate({ billId: bill.id, reason: message, now }));
            continue;
          }
          closedAttempt = Math.max(closedAttempt, bill.attempt);
        }
        const attempt = bill.attempt + 1;
        const outcome = mapForAttempt(snapshot, attempt, config, profile, now);
        const decision = payee?.get(bill.id);
        if (outcome.kind === 'not_yet_payable') {
          summary.notYetPayable++;
          if (summary.notYetPayableBills.length < NOT_YET_PAYABLE_LISTED) summary.notYetPayableBills.push({ billId: bill.id, billName: bill.name, dueDate: bill.dueDate, payableFrom: outcome.payableFrom });
        } else if (outcome.kind === 'invalid') {
          const closed = closedAttempt > (bill.closedAttempt ?? 0) ? closedAttempt : undefined; // proven by this run: kept in Odoo for retry
          refuse({ billId: bill.id, billName: bill.name, status: 'invalid', reasons: outcome.reasons.map(({ code, rule, message }) => ({ code, rule, message })) }, invalidUpdate({ billId: bill.id, reasons: outcome.reasons, now, closedAttempt: closed }));
        } else if (approvalHolds.has(bill.id) || decision?.hold) {
          // Not approved as the settings require (or no longer for what it is now), or the payee held: nothing reserved;
          // the proof that the earlier attempt is closed is kept in Odoo for the runs to come.
          const approvalHold = approvalHolds.get(bill.id);
          const hold = approvalHold ?? decision!.hold!;
          const update = heldUpdate({ billId: bill.id, holds: [hold], now, previousReason: bill.stetReason, closedAttempt: closedAttempt > (bill.closedAttempt ?? 0) ? closedAttempt : undefined });
          if (update) updates.push(approvalHold ? update : withPayeeCheck(update, decision)); // else held for the same reason already: nothing to write, no second note
          summary.invalid.push({ billId: bill.id, billName: bill.name, status: 'held', reasons: [{ code: hold.code, rule: hold.rule, message: hold.message }] });
          countStatus(summary, 'held');
        } else {
          payables.push({ billId: bill.id, billName: bill.name, database: snapshot.database, attempt, closedAttempt, outcome, payee: decision });
        }
      } catch (err) {
        if (err instanceof MappingConfigError) throw err; // the settings, not the bill: stops the run before more is written
        const message = `Bill ${bill.name}: stetpay could not prepare its payment (${err instanceof Error ? err.message : String(err)}); nothing was reserved or sent for it. Tell the operator, who can see the details in the run's log.`;
        refuse({ billId: bill.id, billName: bill.name, status: 'invalid', reasons: [{ code: 'BILL_UNPROCESSABLE', rule: 'PER-BILL', message }] }, invalidUpdate({ billId: bill.id, reasons: [{ code: 'BILL_UNPROCESSABLE', rule: 'PER-BILL', field: 'bill', message }], now }));
      }
    }
    // The page's payable bills become requests: one per bill, or (banks that take several transfers) one per execution date and paying account.
    for (const group of groupTransfers(payables, (p) => requestHeaderKey(p.outcome.request), submission.maxTransactionsPerRequest)) {
      const r = reserve(group, config, now, submission.mode === 'on-signatory');
      updates.push(...r.updates);
      jobs.push(r.job);
      for (const p of group) {
        summary.queuedBillIds.push(p.billId);
        summary.queuedCents += p.outcome.amountCents;
        countStatus(summary, 'queued');
      }
    }
    if (queues) {
      if (updates.length) await writeBillUpdates(odoo, updates, now);
      if (jobs.length) {
        const queue = submission.mode === 'on-signatory' ? queues.signatory : queues.submit;
        const n = await enqueuePayments(queue, jobs, { attempts: config.worker.attempts });
        summary.enqueued += n;
        if (submission.mode === 'on-signatory') summary.forSignatory += n;
      }
    }
    deps.onProgress?.(summary.bills, total);
  }
  if (horizon) await countBillsDueLater(deps, summary, horizon, now);
  if (payees) summary.payeeChecks = payees.stats;
  summary.odooCalls = odoo.calls - callsBefore;
  summary.durationMs = Date.now() - started;
  return summary;
}

/**
 * The approved bills the search left out (due beyond the bank's window): counted
 * and listed with the day each becomes payable, so the summary shows every
 * approved bill. Two calls; nothing is written on them.
 */
async function countBillsDueLater(deps: RunDeps, summary: RunSummary, horizon: string, now: Date): Promise<void> {
  const later = await readBillsDueLater(deps.odoo, { horizon, domain: deps.config.odoo.approvedDomain, limit: NOT_YET_PAYABLE_LISTED });
  summary.bills += later.count;
  summary.notYetPayable += later.count;
  const context = runMappingContext(deps.config, deps.profile, now, 0);
  for (const b of later.bills) {
    if (summary.notYetPayableBills.length >= NOT_YET_PAYABLE_LISTED) break;
    const decision = executionDateIn(context, b.dueDate);
    const payableFrom = decision.kind === 'not_yet_payable' ? decision.payableFrom : addDays(b.dueDate, -deps.profile.maxDaysAhead);
    summary.notYetPayableBills.push({ billId: b.id, billName: b.name, dueDate: b.dueDate, payableFrom });
  }
  summary.notYetPayableBills.sort((a, b) => a.payableFrom.localeCompare(b.payableFrom) || a.billId - b.billId);
}

/**
 * A bill the run may give a new attempt (if its mapping and payee allow):
 * open for the run, and a first attempt or an earlier one proven never paid.
 */
function mayTakeNewAttempt(s: BillSnapshot, earlier: Map<number, AttemptVerdict>): boolean {
  return isOpenForRun(s.bill.stetStatus) && isAttemptNumber(s.bill.attempt) && (s.bill.attempt === 0 || earlier.get(s.bill.id)?.kind === 'closed');
}

/**
 * For each bill of the page put back among the approved ones (no status or
 * `held`, attempt n > 0): may attempt n be at the bank? Odoo's closed attempt answers
 * without Redis; otherwise the ledger and the queue (ledger.ts's meaning), under the
 * bill's own ids, or, for a transfer Odoo records in a request of several with no
 * trace under its own ids, under that request's (request-member-verdict.ts). An
 * attempt nothing reached the bank under is retired here, atomically, before
 * a new one is made. A dry run reads no Redis: only Odoo's record can prove.
 */
async function earlierAttempts(page: BillSnapshot[], odoo: OdooClient, queues: StetpayQueues | undefined, now: Date): Promise<Map<number, AttemptVerdict>> {
  const out = new Map<number, AttemptVerdict>();
  const open = page.filter((s) => isOpenForRun(s.bill.stetStatus) && isAttemptNumber(s.bill.attempt) && s.bill.attempt > 0);
  const pids = open.map((s) => paymentIds(s.database, s.bill.id, s.bill.attempt));
  const needRedis = open.map((s) => (s.bill.closedAttempt ?? 0) < s.bill.attempt);
  const entries = queues ? await queues.ledger.getMany(pids.filter((_, i) => needRedis[i]).map((p) => p.paymentInformationId)) : new Map();
  const jobStates = await Promise.all(
    pids.map((p, i) => (queues && needRedis[i] && !entries.get(p.paymentInformationId) ? queues.jobState(p.paymentInformationId) : Promise.resolve('unknown'))),
  );
  const requests = queues ? await requestFacts(open.filter((s, i) => needRedis[i] && jobStates[i] === 'unknown' && !entries.get(pids[i]!.paymentInformationId)), odoo, queues, now) : new Map<string, RequestFacts>();
  const retired = new Map<string, boolean>(); // a request retired once for all its bills
  for (const [i, s] of open.entries()) {
    const ids = pids[i]!;
    const request = needRedis[i] && jobStates[i] === 'unknown' && !entries.get(ids.paymentInformationId) ? requests.get(recordedRequest(s) ?? '') : undefined;
    let verdict = request
      ? requestMemberVerdict(s, request)
      : attemptVerdict({
          attempt: s.bill.attempt,
          closedAttempt: s.bill.closedAttempt ?? 0,
          entry: entries.get(ids.paymentInformationId) ?? null,
          jobState: jobStates[i]!,
          claimTtlMs: queues?.ledger.claimTtlMs ?? 0,
          now: now.getTime(),
        });
    if (verdict.kind === 'retirable' && queues && request) {
      if (!retired.has(request.pid)) retired.set(request.pid, await retireRequest(queues, request, s.database));
      verdict = retired.get(request.pid) ? { kind: 'closed', proof: 'retired now' } : verdict;
    } else if (verdict.kind === 'retirable' && queues) {
      const reason = `Bill ${s.bill.name}: payment ${ids.endToEndId} was never sent (its job ended without reaching the bank) and the bill was put back among the approved ones: its ids are retired; a new attempt replaces it.`;
      const code = await queues.ledger.retire(ids.paymentInformationId, { billId: s.bill.id, endToEndId: ids.endToEndId, status: 'withdrawn', reason, reviewReason: reason, evidence: 'lost_answer' });
      verdict = code === RETIRE.RETIRED ? { kind: 'closed', proof: 'retired now' } : verdict;
    }
    if (!queues && verdict.kind !== 'closed') verdict = { kind: 'may_be_at_bank', evidence: 'a dry run does not read Redis; the run checks the ledger' };
    out.set(s.bill.id, verdict);
  }
  return out;
}

/** What Redis holds of each request of several transfers the bills record (its ledger entry, job state and job), by request id; for a never-sent one, Odoo's record of its bills. */
async function requestFacts(bills: BillSnapshot[], odoo: OdooClient, queues: StetpayQueues, now: Date): Promise<Map<string, RequestFacts>> {
  const byPid = new Map<string, BillSnapshot>();
  for (const s of bills) {
    const pid = recordedRequest(s);
    if (pid && !byPid.has(pid)) byPid.set(pid, s);
  }
  const entries = await queues.ledger.getMany([...byPid.keys()]);
  const out = new Map<string, RequestFacts>();
  for (const [pid, s] of byPid) {
    const entry = entries.get(pid) ?? null;
    const jobState = entry ? 'unknown' : await queues.jobState(pid);
    const job = (await queues.submit.getJob(pid)) ?? (await queues.signatory.getJob(pid)) ?? null;
    const verdict = attemptVerdict({ attempt: s.bill.attempt, closedAttempt: 0, entry, jobState, claimTtlMs: queues.ledger.claimTtlMs, now: now.getTime() });
    // Whether every bill of a never-sent request is back among the approved ones: Odoo's record now, wherever the bills are in the run's pages.
    const listed = verdict.kind === 'retirable' ? (job?.data.bills ?? []).map((b) => b.billId) : [];
    const members = listed.length ? await readTrackedBills(odoo, { billIds: listed }) : [];
    out.set(pid, { pid, job: job?.data ?? null, verdict, members });
  }
  return out;
}

/** Retires a request nothing sent, once Odoo records every bill of it back among the approved ones (requestMemberVerdict decided so): true when retired now. */
async function retireRequest(queues: StetpayQueues, r: RequestFacts, database: string): Promise<boolean> {
  const bills = r.job!.bills!;
  const first = paymentIds(database, bills[0]!.billId, bills[0]!.attempt);
  const reason = `Payment ${r.pid} (the transfers of bills ${bills.map((b) => b.billName).join(', ')}) was never sent (its job ended without reaching the bank) and each of its bills was put back among the approved ones: its ids are retired; new attempts replace it.`;
  const code = await queues.ledger.retire(r.pid, { billId: bills[0]!.billId, endToEndId: first.endToEndId, status: 'withdrawn', reason, reviewReason: reason, evidence: 'lost_answer' });
  return code === RETIRE.RETIRED;
}

/** A bill the run found payable, before it is given its request. */
interface Payable {
  billId: number;
  billName: string;
  database: string;
  attempt: number;
  closedAttempt: number;
  outcome: Extract<MappingOutcome, { kind: 'payable' }>;
  /** The payee check it was decided under (Verification of Payee), when one was made. */
  payee?: RunPayeeDecision;
}

/**
 * A group's reservation: its job (the request without its consent links, which
 * the sender puts back) and, per bill, what Odoo records: `queued`, the ids,
 * and its part of the request (its own transfer), with the request's transfers
 * in order on each bill of a request of several. Odoo records exactly what the job holds.
 */
function reserve(group: Payable[], config: RunDeps['config'], now: Date, forSignatory: boolean): { job: SubmitJobInput; updates: BillUpdate[] } {
  const first = group[0]!;
  const updateOf = (p: Payable, ids: PaymentIds, part: PaymentRequestResource, members?: string[]) =>
    withPayeeCheck(
      withNote(
        queuedUpdate({
          billId: p.billId, ids, attempt: p.attempt, executionDate: p.outcome.executionDate, amountCents: p.outcome.amountCents,
          creditorIban: part.creditTransferTransaction[0]!.beneficiary.creditorAccount.iban, request: part, closedAttempt: p.closedAttempt, now, members, forSignatory,
        }),
        p.payee?.note,
      ),
      p.payee,
    );
  if (group.length === 1) {
    const o = first.outcome;
    const job = withoutConsentLinks(config.callback, { billId: first.billId, billName: first.billName, database: first.database, attempt: first.attempt, ids: o.ids, request: o.request, executionDate: o.executionDate });
    return { job, updates: [updateOf(first, o.ids, job.request)] };
  }
  const pid = bulkPaymentId(first.database, first.billId, first.attempt);
  const request = combineRequests(group.map((p) => p.outcome.request), pid, consentLinks(config, now, first.billId)({ ...first.outcome.ids, paymentInformationId: pid }));
  const job = withoutConsentLinks(config.callback, {
    billId: first.billId, billName: first.billName, database: first.database, attempt: first.attempt, request, executionDate: first.outcome.executionDate,
    bills: group.map((p) => ({ billId: p.billId, billName: p.billName, attempt: p.attempt })),
  });
  const members = requestMembers(job.request);
  const parts = requestParts(job.request);
  return { job, updates: group.map((p, i) => updateOf(p, { ...p.outcome.ids, paymentInformationId: pid }, parts[i]!, members)) };
}
