/**
 * Test collaborators for the worker tests: a bank and an Odoo that record
 * calls (they stand for the outside systems; Redis and BullMQ are real).
 */
import type { BillStatus, BillUpdate, PaymentRequestResource, ReservedBill, TrackedBill } from '../../connector/model/index.js';
import { paymentIds, requestDigest, requestText } from '../../connector/rules/index.js';
import type { BankCallOptions, BankCreateResult, BankPaymentStatus, BankPort } from '../../worker/interfaces/bank-port.js';
import type { OdooPort, ReadTrackedBillsOptions, RegisterPaymentOptions, RegisterPaymentOutcome } from '../../worker/interfaces/odoo-port.js';
import type { PaymentIds } from '../../connector/model/index.js';
import type { SubmitJobData } from '../../worker/submit-job.js';

/** A job as a producer hands it over: with the ids (checked against the request by enqueuePayments, not stored). */
export function paymentJob(n: number, attempt = 1): SubmitJobData & { ids: PaymentIds } {
  const suffix = String(n).padStart(6, '0');
  const ids = paymentIds('test', n, attempt); // as the run makes them: the gate and the sweeper read the bill from the job id
  const request: PaymentRequestResource = {
    paymentInformationId: ids.paymentInformationId,
    creationDateTime: '2026-11-25T02:30:00.000+01:00',
    numberOfTransactions: 1,
    initiatingParty: { name: 'ACME SAS' },
    paymentTypeInformation: { serviceLevel: 'SEPA' },
    debtor: { name: 'ACME SAS' },
    debtorAccount: { iban: 'FR7630006000011234567890189' },
    creditTransferTransaction: [
      {
        paymentId: { instructionId: ids.instructionId, endToEndId: ids.endToEndId },
        requestedExecutionDate: '2026-11-27T00:00:00.000+01:00',
        instructedAmount: { amount: 100 + n / 100, currency: 'EUR' },
        beneficiary: { creditor: { name: `Supplier ${n}` }, creditorAccount: { iban: 'DE89370400440532013000' } },
        remittanceInformation: { unstructured: [`BILL/2026/11/${suffix}`] },
      },
    ],
    supplementaryData: { acceptedAuthenticationApproach: ['REDIRECT'] },
  };
  return { billId: n, billName: `BILL/2026/11/${suffix}`, database: 'test', attempt, ids, request, executionDate: '2026-11-27' };
}

type Answer = BankCreateResult | Error | ((body: PaymentRequestResource, opts: BankCallOptions) => Promise<BankCreateResult>);

/** A bank that records each POST body (as sent, JSON) and answers from a script, then 201. */
export class RecordingBank implements BankPort {
  posts: { body: string; pid: string }[] = [];
  gets: string[] = [];
  script: Answer[] = [];
  statuses = new Map<string, BankPaymentStatus | Error>();
  private n = 0;

  async createPaymentRequest(resource: PaymentRequestResource, opts: BankCallOptions): Promise<BankCreateResult> {
    this.posts.push({ body: JSON.stringify(resource), pid: resource.paymentInformationId });
    const next = this.script.shift();
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(resource, opts);
    if (next) return next;
    const id = `RES-${++this.n}`;
    return { resourceId: id, consentUrl: `https://bank.test/consent/${id}`, requestId: `req-${this.n}`, status: 201 };
  }

  async getPaymentRequest(resourceId: string): Promise<BankPaymentStatus> {
    this.gets.push(resourceId);
    const s = this.statuses.get(resourceId);
    if (s instanceof Error) throw s;
    return s ?? { paymentInformationStatus: 'ACTC' };
  }
}

export function trackedBill(billId: number, over: Partial<TrackedBill> = {}): TrackedBill {
  return {
    billId,
    name: `BILL/${billId}`,
    supplierName: 'Supplier',
    supplierIban: 'DE89370400440532013000',
    currency: 'EUR',
    amountTotal: 100,
    amountResidual: 100,
    paymentState: 'not_paid',
    status: 'queued',
    bankStatus: null,
    reason: null,
    endToEndId: null,
    paymentInformationId: null,
    resourceId: null,
    consentUrl: null,
    requestedExecutionDate: null,
    attempt: 0,
    closedAttempt: 0,
    updatedAt: null,
    ...over,
  };
}

/**
 * A bill as the run reserves it for a test job: queued under the job's ids, the
 * job's request recorded with its digest, the bill itself (account, amount) as
 * the request says. `over` changes what the bill is now.
 */
export function reservedBill(job: SubmitJobData, over: Partial<ReservedBill> = {}): ReservedBill {
  const tx = job.request.creditTransferTransaction[0]!;
  const text = requestText(job.request);
  return {
    billId: job.billId,
    name: job.billName,
    moveType: 'in_invoice',
    state: 'posted',
    paymentState: 'not_paid',
    approved: true,
    reviewed: true,
    status: 'queued',
    paymentInformationId: job.request.paymentInformationId,
    endToEndId: tx.paymentId.endToEndId,
    resourceId: null,
    attempt: job.attempt,
    closedAttempt: 0,
    requestedExecutionDate: job.executionDate,
    request: text,
    requestDigest: requestDigest(text),
    reservedIban: tx.beneficiary.creditorAccount.iban,
    reservedAmount: tx.instructedAmount.amount,
    reservedCurrency: tx.instructedAmount.currency,
    currency: tx.instructedAmount.currency,
    amountResidual: tx.instructedAmount.amount,
    commercialPartnerId: 7,
    account: { id: 70, iban: tx.beneficiary.creditorAccount.iban, partnerId: 7, trusted: true, active: true },
    ...over,
  };
}

/** An Odoo holding bills in memory; `down` makes every call fail like a dead server. */
export class RecordingOdoo implements OdooPort {
  bills = new Map<number, TrackedBill>();
  writeCalls: BillUpdate[][] = [];
  registrations: RegisterPaymentOptions[] = [];
  /** Calls of registerPayments (one per sync with executed payments). */
  registerCalls = 0;
  /** Bills whose registration fails (Odoo refused it). */
  failRegistration = new Set<number>();
  notes = new Map<number, string[]>();
  down = false;
  /** What each reserved bill is now (the gate's and the sweeper's view); status, ids and closed attempt follow `bills`. */
  reserved = new Map<number, ReservedBill>();
  /** Calls of readReservedBills, with the bill ids asked. */
  reservedReads: number[][] = [];

  /** Records a job's bill as the run reserves it (queued, request and digest), with `over` for what changed since. */
  reserve(job: SubmitJobData, over: Partial<ReservedBill> = {}): void {
    const r = reservedBill(job, over);
    this.reserved.set(job.billId, r);
    this.bills.set(job.billId, trackedBill(job.billId, { status: r.status, paymentInformationId: r.paymentInformationId, endToEndId: r.endToEndId, attempt: r.attempt, name: r.name }));
  }

  async readReservedBills(billIds: number[], opts: { withRequest?: boolean } = {}): Promise<ReservedBill[]> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8069');
    this.reservedReads.push([...billIds]);
    return billIds.flatMap((id) => {
      const r = this.reserved.get(id);
      if (!r) return [];
      const b = this.bills.get(id);
      const now = b ? { status: b.status, paymentInformationId: b.paymentInformationId, endToEndId: b.endToEndId, attempt: b.attempt, closedAttempt: b.closedAttempt ?? 0 } : {};
      return [{ ...r, ...now, request: opts.withRequest ? r.request : null }];
    });
  }

  async writeBillUpdates(updates: BillUpdate[]): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8069');
    this.writeCalls.push(updates);
    for (const u of updates) {
      const b = this.bills.get(u.billId) ?? trackedBill(u.billId, { status: null });
      const v = u.values;
      if (v.x_stet_status !== undefined) b.status = (v.x_stet_status || null) as BillStatus | null;
      if (v.x_stet_bank_status !== undefined) b.bankStatus = v.x_stet_bank_status || null;
      if (v.x_stet_status_reason !== undefined) b.reason = v.x_stet_status_reason || null;
      if (v.x_stet_resource_id !== undefined) b.resourceId = v.x_stet_resource_id || null;
      if (v.x_stet_consent_url !== undefined) b.consentUrl = v.x_stet_consent_url || null;
      if (v.x_stet_end_to_end_id !== undefined) b.endToEndId = v.x_stet_end_to_end_id || null;
      if (v.x_stet_payment_information_id !== undefined) b.paymentInformationId = v.x_stet_payment_information_id || null;
      if (v.x_stet_updated_at !== undefined) b.updatedAt = v.x_stet_updated_at || null;
      if (v.x_stet_attempt !== undefined) b.attempt = v.x_stet_attempt;
      if (v.x_stet_closed_attempt !== undefined) b.closedAttempt = v.x_stet_closed_attempt;
      this.bills.set(u.billId, b);
      if (u.note) this.notes.set(u.billId, [...(this.notes.get(u.billId) ?? []), u.note]);
    }
  }

  async readTrackedBills(opts: ReadTrackedBillsOptions): Promise<TrackedBill[]> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8069');
    const found = [...this.bills.values()]
      .filter((b) => (!opts.statuses || (b.status !== null && opts.statuses.includes(b.status))) && (!opts.billIds || opts.billIds.includes(b.billId)) && b.billId > (opts.afterId ?? -Infinity))
      .sort((a, b) => a.billId - b.billId)
      .map((b) => ({ ...b }));
    return opts.limit ? found.slice(0, opts.limit) : found;
  }

  async registerPayments(items: RegisterPaymentOptions[]): Promise<RegisterPaymentOutcome[]> {
    this.registerCalls++;
    return items.map((opts) => {
      if (this.failRegistration.has(opts.billId)) return { billId: opts.billId, memo: opts.memo, ok: false, error: new Error(`Odoo refused to register bill ${opts.billId}`) };
      this.registrations.push(opts);
      const b = this.bills.get(opts.billId);
      if (b) b.paymentState = 'in_payment';
      return { billId: opts.billId, memo: opts.memo, ok: true, paymentId: this.registrations.length, alreadyPaid: false };
    });
  }
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
