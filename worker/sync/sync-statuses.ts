import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { BillUpdate, TrackedBill } from '../../connector/model/index.js';
import { bankStatusCode, billStatusFromStet } from '../../connector/mapping/stet-status.js';
import { BankNotFoundError, BankRateLimitedError } from '../../connector/stet/errors/bank-error.js';
import { odooNow } from '../../connector/model/index.js';
import { finalStatusReason } from './final-status-reason.js';
import { forEachTrackedPage } from '../tracked-bill-pages.js';
import { consentEndsSoonReason, consentWindowState } from '../consent-window.js';
import type { BankPaymentStatus, BankPort } from '../interfaces/bank-port.js';
import type { OdooPort, RegisterPaymentOptions } from '../interfaces/odoo-port.js';
import type { PaymentLedger } from '../ledger/payment-ledger.js';
import type { WritebackQueue } from '../writeback/writeback-queue.js';

/** Options of `syncStatuses`. */
export interface SyncOptions {
  /** GETs in flight at once. @defaultValue 4 */
  concurrency?: number;
  /** Days the bank keeps a payment request; a 404 after that means `expired`. @defaultValue 35 */
  bankRetentionDays?: number;
  /** Only these bills (the consent callback checks one at once). */
  billIds?: number[];
  /** Journal to register executed payments in (else Odoo's default for the bill). */
  journalId?: number;
  /** Tries of one GET on 429 (waiting Retry-After each time). @defaultValue 5 */
  rateLimitTries?: number;
  /** GETs per second this sync may send (a share of the bank's limit, so payments keep theirs); unset = unpaced. */
  requestsPerSecond?: number;
  /**
   * The bank waits for the STET confirmation call after consent (profile
   * `requiresConfirmation`): a payment it shows consented (ACCP) with a
   * confirmation link is confirmed by the sync, so a missed one is retried by
   * the next. @defaultValue false
   */
  confirm?: boolean;
  /**
   * The bank's consent window: a payment still waiting for consent whose
   * window ends soon (`consentSoonMs`) is flagged in its reason, once.
   * Absent: not flagged.
   */
  consent?: { windowMs: number; timeZone: string };
  /**
   * The paying company's zone (`payments.timeZone`): the day a payment executed without the bank's
   * `appliedExecutionDate` is registered on is today there. @defaultValue 'Europe/Paris'
   */
  timeZone?: string;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** What `syncStatuses` needs. */
export interface SyncDeps {
  odoo: OdooPort;
  bank: BankPort;
  /** Status changes go through the batched write-back. */
  writeback: WritebackQueue;
  /** When given, its `sentAt` dates a payment for the 35-day rule. */
  ledger?: PaymentLedger;
}

/** What one sync did. */
export interface SyncSummary {
  checked: number;
  /** Consented payments confirmed (banks that need the STET confirmation call). */
  confirmed: number;
  changed: number;
  registered: number;
  expired: number;
  unknownCodes: number;
  errors: { billId: number; error: string }[];
}

/** The chatter note of a status change the bank reported (the sync's and the consent check's). */
export function bankStatusNote(paymentId: string | null, code: string | null, reason: string | undefined, status: string): string {
  return `stetpay: bank status of payment ${paymentId} is now ${code}${reason ? ` (reason ${reason})` : ''}: ${status}.`;
}

function sameName(err: unknown, cls: { name: string }): boolean {
  return err instanceof Error && err.name === cls.name;
}

/** Bills a sync reads and holds at once: it goes through every unfinished payment one page at a time (P4: 100k bills). */
export const SYNC_PAGE_SIZE = 1000;

/**
 * GETs every non-final payment that has a bank resource id (one page of
 * bills at a time: read, GETs, registrations, updates queued), maps the STET
 * codes to bill statuses, writes changes back (batched), registers executed
 * payments in Odoo once, in one batch after the GETs (skipped when Odoo already
 * shows the bill paid; a bill whose registration failed keeps its status), and
 * marks `expired` a payment the bank no longer knows after its 35 days.
 */
export async function syncStatuses(deps: SyncDeps, opts: SyncOptions = {}): Promise<SyncSummary> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const summary: SyncSummary = { checked: 0, confirmed: 0, changed: 0, registered: 0, expired: 0, unknownCodes: 0, errors: [] };
  /** The current page's status changes and executed payments to register. */
  let updates: BillUpdate[] = [];

  // GETs share the bank's rate limit with the submissions: pace them so a sync never crowds out payments.
  const gapMs = opts.requestsPerSecond ? 1000 / opts.requestsPerSecond : 0;
  let nextStart = 0;
  let lastStart = -Infinity;
  async function pace(): Promise<void> {
    if (!gapMs) return;
    const at = Math.max(Date.now(), nextStart);
    nextStart = at + gapMs;
    if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
    // A timer that fired late must not let the next GET start early: the gap holds between actual starts.
    for (let wait = lastStart + gapMs - Date.now(); wait > 0; wait = lastStart + gapMs - Date.now()) await new Promise((r) => setTimeout(r, wait));
    lastStart = Date.now();
    nextStart = Math.max(nextStart, lastStart + gapMs);
  }

  // Executed payments are registered in Odoo in one batch a page, after its GETs; a bill's update waits for its registration.
  let toRegister: { registration: RegisterPaymentOptions; update: BillUpdate | null }[] = [];
  const REGISTER_LATER = Symbol('register later');

  if (opts.billIds) await syncPage(await deps.odoo.readTrackedBills({ billIds: opts.billIds }));
  else await forEachTrackedPage(deps.odoo, ['submitted', 'accepted', 'needs_review'], SYNC_PAGE_SIZE, syncPage);
  return summary;

  /** One page of bills: a request of several transfers split across two pages is asked twice (each bill judged by its own transfer). */
  async function syncPage(read: TrackedBill[]): Promise<void> {
    const bills = read.filter((b) => b.resourceId && (b.status === 'submitted' || b.status === 'accepted' || b.status === 'needs_review'));
    updates = [];
    toRegister = [];
    // One GET per bank request: the bills of a request of several transfers share it.
    const requests = [...bills.reduce((m, b) => m.set(b.resourceId!, [...(m.get(b.resourceId!) ?? []), b]), new Map<string, TrackedBill[]>()).values()];
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, requests.length)) }, async () => {
      for (;;) {
        const group = requests[next++];
        if (!group) return;
        let results: (BillUpdate | null | typeof REGISTER_LATER)[];
        try {
          results = await syncRequest(group);
        } catch (err) {
          for (const bill of group) {
            summary.errors.push({ billId: bill.billId, error: err instanceof Error ? err.message : String(err) });
            log('sync.error', { billId: bill.billId, error: err instanceof Error ? err.message : String(err) });
          }
          continue;
        }
        for (const u of results) {
          if (u === REGISTER_LATER) continue;
          summary.checked++;
          if (u) {
            updates.push(u);
            summary.changed++;
          }
        }
      }
    });
    await Promise.all(lanes);
    await registerExecuted();
    await deps.writeback.push(updates);
  }

  /** One registration call for the sync; a bill whose registration failed keeps its status, so the next sync tries again. */
  async function registerExecuted(): Promise<void> {
    if (toRegister.length === 0) return;
    // Another sync registering the same payment right now does it (and writes its update): leave those to it.
    const held = deps.ledger ? await deps.ledger.holdRegistrations(toRegister.map((r) => r.registration.memo)) : null;
    const mine = held ? toRegister.filter((r) => held.has(r.registration.memo)) : toRegister;
    let outcomes: Awaited<ReturnType<OdooPort['registerPayments']>>;
    try {
      outcomes = mine.length ? await deps.odoo.registerPayments(mine.map((r) => r.registration)) : [];
    } catch (err) {
      outcomes = mine.map(({ registration: r }) => ({ billId: r.billId, memo: r.memo, ok: false, error: err }));
    } finally {
      if (held) await deps.ledger!.releaseRegistrations(held);
    }
    outcomes.forEach((o, i) => {
      const { update } = mine[i]!;
      if (!o.ok) {
        const error = o.error instanceof Error ? o.error.message : String(o.error);
        summary.errors.push({ billId: o.billId, error });
        log('sync.error', { billId: o.billId, error });
        return;
      }
      summary.registered++;
      summary.checked++;
      if (update) {
        updates.push(update);
        summary.changed++;
      }
    });
  }

  /** One bank request (one bill, or the bills of a request of several transfers): one GET, each bill from its own transfer. */
  async function syncRequest(group: TrackedBill[]): Promise<(BillUpdate | null | typeof REGISTER_LATER)[]> {
    const [lead] = group;
    let st: BankPaymentStatus;
    try {
      st = await getRespectingRateLimit(lead!.resourceId!);
    } catch (err) {
      if (!(err instanceof BankNotFoundError || sameName(err, BankNotFoundError))) throw err;
      return Promise.all(group.map(notFound));
    }
    if (opts.confirm && st.paymentInformationStatus === 'ACCP' && st.confirmationLink && deps.bank.confirmPaymentRequest) {
      // Consent given; a STET 1.6 bank executes nothing until it is confirmed. A failure here is retried by the next sync.
      await pace();
      st = await deps.bank.confirmPaymentRequest(lead!.resourceId!, {});
      summary.confirmed++;
      log('sync.confirmed', { billId: lead!.billId, resourceId: lead!.resourceId, status: st.paymentInformationStatus });
    }
    const out: (BillUpdate | null | typeof REGISTER_LATER)[] = [];
    for (const bill of group) out.push(syncBill(bill, transferStatus(st, bill.endToEndId)));
    // The bank's final word goes in the ledger too: the run's resubmission guard reads it (a rejected payment may be sent anew, an executed one never).
    const final = requestFinalStatus(st);
    const pid = lead!.paymentInformationId;
    if (final && deps.ledger && pid) {
      const reason = final === 'executed' ? undefined : finalStatusReason(final, bankStatusCode(st.paymentInformationStatus, st.transactionStatus), st.statusReasonInformation, lead!.endToEndId, lead!.name);
      await deps.ledger.markFinal(pid, { status: final, reason, resourceId: lead!.resourceId ?? undefined });
    }
    return out;
  }

  function syncBill(bill: TrackedBill, st: BankPaymentStatus): BillUpdate | null | typeof REGISTER_LATER {
    const code = bankStatusCode(st.paymentInformationStatus, st.transactionStatus);
    const status = billStatusFromStet(st.paymentInformationStatus, st.transactionStatus, { consentGiven: bill.status === 'accepted' });
    const values: BillUpdate['values'] = {};
    let note: string | undefined;
    if (code && code !== bill.bankStatus) values.x_stet_bank_status = code;
    if (!status) {
      // Unknown code: keep the status, flag it once.
      summary.unknownCodes++;
      const reason = `The bank reports status "${code ?? 'none'}", which stetpay does not know: the status was kept; ask the bank what it means.`;
      if (reason !== bill.reason) values.x_stet_status_reason = reason;
    } else if (status === 'submitted' && bill.status === 'submitted') {
      const flag = endsSoonFlag(bill);
      if (flag && flag !== bill.reason) values.x_stet_status_reason = flag;
    } else if (status !== bill.status && !(bill.status === 'accepted' && status === 'submitted')) {
      values.x_stet_status = status;
      if (status === 'rejected' || status === 'cancelled') {
        values.x_stet_status_reason = finalStatusReason(status, code, st.statusReasonInformation, bill.endToEndId, bill.name);
        // The bank's final no: this attempt is closed, a new one may follow (Odoo's proof, whatever Redis keeps).
        if (bill.attempt > 0) values.x_stet_closed_attempt = bill.attempt;
      } else values.x_stet_status_reason = false;
      note = bankStatusNote(bill.endToEndId ?? bill.paymentInformationId, code, st.statusReasonInformation, status);
    }
    const update = Object.keys(values).length === 0 ? null : { billId: bill.billId, values: { ...values, x_stet_updated_at: odooNow(new Date(now())) }, ...(note ? { note } : {}) };
    if (status === 'executed' && bill.paymentState !== 'paid' && bill.paymentState !== 'in_payment') {
      const registration = {
        billId: bill.billId,
        journalId: opts.journalId,
        paymentDate: st.appliedExecutionDate ?? format(new TZDate(now(), opts.timeZone ?? 'Europe/Paris'), 'yyyy-MM-dd'),
        memo: bill.endToEndId ?? bill.paymentInformationId ?? bill.name,
      };
      toRegister.push({ registration, update });
      return REGISTER_LATER;
    }
    return update;
  }

  /** The reason that flags a payment whose consent window ends soon; null while there is time (or no deadline is known). */
  function endsSoonFlag(bill: TrackedBill): string | null {
    if (!opts.consent || !bill.consentDeadline) return null;
    const deadline = new Date(Date.parse(bill.consentDeadline.replace(' ', 'T') + 'Z'));
    if (Number.isNaN(deadline.getTime()) || consentWindowState(deadline, new Date(now()), opts.consent.windowMs) !== 'soon') return null;
    return consentEndsSoonReason(bill.endToEndId ?? bill.paymentInformationId ?? bill.name, deadline, opts.consent.timeZone);
  }

  async function notFound(bill: TrackedBill): Promise<BillUpdate | null> {
    const entry = bill.paymentInformationId && deps.ledger ? await deps.ledger.get(bill.paymentInformationId) : null;
    const since = entry?.sentAt ?? (bill.updatedAt ? Date.parse(bill.updatedAt.replace(' ', 'T') + 'Z') : NaN);
    const days = (now() - since) / 86_400_000;
    const retention = opts.bankRetentionDays ?? 35;
    if (Number.isFinite(days) && days >= retention) {
      summary.expired++;
      return {
        billId: bill.billId,
        values: {
          x_stet_status: 'expired',
          x_stet_status_reason: `The bank no longer keeps payment ${bill.endToEndId} (after its ${retention} days) and gave no final status: check it in online banking.`,
          x_stet_updated_at: odooNow(new Date(now())),
        },
        note: `stetpay: payment ${bill.endToEndId} expired at the bank without a final status.`,
      };
    }
    if (bill.status === 'needs_review') return null;
    return {
      billId: bill.billId,
      values: {
        x_stet_status: 'needs_review',
        x_stet_status_reason: `The bank says it does not know payment ${bill.endToEndId} (resource ${bill.resourceId}) although it accepted it: check it in online banking.`,
        x_stet_updated_at: odooNow(new Date(now())),
      },
    };
  }

  async function getRespectingRateLimit(resourceId: string): Promise<BankPaymentStatus> {
    const tries = opts.rateLimitTries ?? 5;
    for (let i = 1; ; i++) {
      await pace();
      try {
        return await deps.bank.getPaymentRequest(resourceId, {});
      } catch (err) {
        const limited = err instanceof BankRateLimitedError || sameName(err, BankRateLimitedError);
        if (!limited || i >= tries) throw err;
        const ms = (err as BankRateLimitedError).retryAfterMs ?? 1000 * i;
        await new Promise((r) => setTimeout(r, ms));
      }
    }
  }
}


/** What the bank says of one bill's transfer: its own status in a request of several (the request's for a single one). */
function transferStatus(st: BankPaymentStatus, endToEndId: string | null): BankPaymentStatus {
  const tx = st.transactions?.find((t) => t.endToEndId === endToEndId);
  if (!tx) return st;
  // A request-level RJCT or CANC (refused, not approved in time) is every transfer's; otherwise each transfer's own.
  const whole = st.paymentInformationStatus === 'RJCT' || st.paymentInformationStatus === 'CANC';
  return {
    paymentInformationStatus: st.paymentInformationStatus,
    transactionStatus: tx.transactionStatus,
    statusReasonInformation: tx.statusReasonInformation ?? (whole ? st.statusReasonInformation : undefined),
    appliedExecutionDate: tx.appliedExecutionDate ?? st.appliedExecutionDate,
    confirmationLink: st.confirmationLink,
  };
}

/**
 * The request's final word, for the ledger: rejected or cancelled when every
 * transfer is; executed once every transfer is final and one was paid (the
 * bank has the request: it is never sent again); null while one is not final.
 */
function requestFinalStatus(st: BankPaymentStatus): 'executed' | 'rejected' | 'cancelled' | null {
  const each = (st.transactions?.length ? st.transactions : [st]).map((t) => billStatusFromStet(st.paymentInformationStatus, t.transactionStatus ?? (st.transactions ? undefined : st.transactionStatus)));
  if (each.every((s) => s === 'rejected')) return 'rejected';
  if (each.every((s) => s === 'cancelled')) return 'cancelled';
  if (each.every((s) => s === 'executed' || s === 'rejected' || s === 'cancelled') && each.includes('executed')) return 'executed';
  return null;
}
