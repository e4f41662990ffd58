/**
 * The sandbox's payments and their lifecycle. Statuses move lazily: each read
 * evaluates the payment against the sandbox clock (consent time-out, execution date,
 * the 35-day retention).
 */
import { randomBytes } from 'node:crypto';
import { followingBusinessDay, parisDate } from './calendar.js';
import type { SandboxBankRules } from './bank-rules.js';
import type { SandboxPayment, SandboxTransaction } from './types.js';

export const RETENTION_MS = 35 * 24 * 3600 * 1000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export class ConflictError extends Error {}

export class PaymentStore {
  private readonly byResourceId = new Map<string, SandboxPayment & { nonce: string }>();
  private readonly byPaymentInformationId = new Map<string, string>();

  constructor(
    private readonly bank: Pick<SandboxBankRules, 'confirmation'>,
    private readonly consentTimeoutMs: number,
    /** Creditor IBANs (electronic form) whose transfers are rejected once accepted for execution. */
    private rejectedCreditors: ReadonlySet<string> = new Set(),
  ) {}

  /** Replaces the creditor IBANs whose transfers the bank rejects (AC04) from now on. */
  setRejectedCreditors(ibans: readonly string[]): void {
    this.rejectedCreditors = new Set(ibans.map((i) => i.replace(/\s+/g, '').toUpperCase()));
  }

  clear(): void {
    this.byResourceId.clear();
    this.byPaymentInformationId.clear();
  }

  hasPaymentInformationId(id: string): boolean {
    return this.byPaymentInformationId.has(id);
  }

  create(body: Obj, now: Date): SandboxPayment & { nonce: string } {
    const resourceId = `PR-${now.getTime()}-${randomBytes(6).toString('hex')}`;
    const sup = obj(body.supplementaryData);
    const txs = (Array.isArray(body.creditTransferTransaction) ? body.creditTransferTransaction : []).map((raw, i): SandboxTransaction => {
      const tx = obj(raw);
      const amount = obj(tx.instructedAmount);
      const beneficiary = obj(tx.beneficiary);
      const requested = typeof tx.requestedExecutionDate === 'string' ? tx.requestedExecutionDate : undefined;
      return {
        resourceId: `${resourceId}-T${i + 1}`,
        instructionId: String(obj(tx.paymentId).instructionId ?? ''),
        endToEndId: obj(tx.paymentId).endToEndId as string | undefined,
        transactionStatus: 'ACTC',
        amount: String(amount.amount),
        currency: String(amount.currency),
        creditorName: String(obj(beneficiary.creditor).name ?? ''),
        creditorIban: obj(beneficiary.creditorAccount).iban as string | undefined,
        requestedExecutionDate: requested,
        appliedExecutionDate: followingBusinessDay(parisDate(requested ? Date.parse(requested) : now)),
      };
    });
    const payment = {
      resourceId,
      nonce: randomBytes(12).toString('hex'),
      paymentInformationId: String(body.paymentInformationId),
      paymentInformationStatus: 'ACTC',
      createdAt: now.toISOString(),
      debtorName: obj(body.debtor).name as string | undefined,
      debtorIban: obj(body.debtorAccount).iban as string | undefined,
      successfulReportUrl: String(sup.successfulReportUrl),
      unsuccessfulReportUrl: sup.unsuccessfulReportUrl as string | undefined,
      transactions: txs,
      resource: structuredClone(body),
    };
    this.byResourceId.set(resourceId, payment);
    this.byPaymentInformationId.set(payment.paymentInformationId, resourceId);
    return payment;
  }

  /** The payment as of `now`, or undefined when unknown or past the 35 days. */
  get(resourceId: string, now: Date): (SandboxPayment & { nonce: string }) | undefined {
    const p = this.byResourceId.get(resourceId);
    if (!p || now.getTime() - Date.parse(p.createdAt) > RETENTION_MS) return undefined;
    this.evaluate(p, now);
    return p;
  }

  all(now: Date): SandboxPayment[] {
    return [...this.byResourceId.values()].map((p) => {
      this.evaluate(p, now);
      const { nonce: _nonce, ...rest } = p;
      return structuredClone(rest);
    });
  }

  /** The request's status, and each transfer's (a transfer rejected on its own keeps its RJCT). */
  private setStatus(p: SandboxPayment, status: string, reason?: string): void {
    p.paymentInformationStatus = status;
    p.statusReasonInformation = reason;
    for (const t of p.transactions) if (t.transactionStatus !== 'RJCT' || status === 'RJCT' || status === 'CANC') t.transactionStatus = status === 'ACCP' ? 'ACTC' : status;
  }

  /**
   * Accepted for execution (ACSP): each transfer to a creditor the bank refuses
   * is rejected on its own (AC04); the request shows PART when some remain,
   * RJCT when none does.
   */
  private acceptForExecution(p: SandboxPayment): void {
    const refused = p.transactions.filter((t) => t.creditorIban && this.rejectedCreditors.has(t.creditorIban.replace(/\s+/g, '').toUpperCase()));
    if (refused.length === p.transactions.length) return this.setStatus(p, 'RJCT', 'AC04');
    for (const t of refused) {
      t.transactionStatus = 'RJCT';
      t.statusReasonInformation = 'AC04';
    }
    this.setStatus(p, refused.length ? 'PART' : 'ACSP');
  }

  private evaluate(p: SandboxPayment, now: Date): void {
    if (p.paymentInformationStatus === 'ACTC' && !p.consentAt && now.getTime() - Date.parse(p.createdAt) > this.consentTimeoutMs) {
      this.setStatus(p, 'RJCT', 'NOAS');
    }
    if (p.paymentInformationStatus === 'ACSP' || p.paymentInformationStatus === 'PART') {
      const today = parisDate(now);
      const going = p.transactions.filter((t) => t.transactionStatus !== 'RJCT');
      if (going.every((t) => t.appliedExecutionDate <= today)) {
        for (const t of going) t.transactionStatus = 'ACSC';
        if (p.paymentInformationStatus === 'ACSP') p.paymentInformationStatus = 'ACSC';
      }
    }
  }

  /** The PSU's decision at the consent page. Returns the URL the browser is sent to. */
  consent(resourceId: string, approve: boolean, now: Date): string {
    const p = this.get(resourceId, now);
    if (!p) throw new ConflictError(`no payment request ${resourceId}`);
    if (p.paymentInformationStatus !== 'ACTC' || p.consentAt) throw new ConflictError(`payment request ${resourceId} is ${p.paymentInformationStatus}: no consent is awaited`);
    p.consentAt = now.toISOString();
    if (!approve) this.setStatus(p, 'RJCT', 'CUST');
    else if (this.bank.confirmation) this.setStatus(p, 'ACCP');
    else this.acceptForExecution(p);
    this.evaluate(p, now);
    return approve ? p.successfulReportUrl : (p.unsuccessfulReportUrl ?? p.successfulReportUrl);
  }

  /** Banks with confirmation: the confirmation after consent; a repeat is ignored. */
  confirm(p: SandboxPayment, now: Date): void {
    if (p.confirmedAt) return;
    if (p.paymentInformationStatus !== 'ACCP') throw new ConflictError(`payment request is ${p.paymentInformationStatus}: confirmation needs the PSU's consent first (ACCP)`);
    p.confirmedAt = now.toISOString();
    this.acceptForExecution(p);
    this.evaluate(p, now);
  }

  /** Banks with cancellation: cancellation before ACSP. */
  cancel(p: SandboxPayment, reason: string): void {
    if (!['ACTC', 'ACCP', 'RCVD', 'PDNG'].includes(p.paymentInformationStatus)) {
      throw new ConflictError(`payment request is ${p.paymentInformationStatus}: it can no longer be cancelled`);
    }
    this.setStatus(p, 'CANC', reason);
  }

  /** GET's HalPaymentRequest. */
  toHal(p: SandboxPayment & { nonce?: string }, apiBaseUrl: string): Obj {
    const resource = structuredClone(p.resource);
    const txs = Array.isArray(resource.creditTransferTransaction) ? resource.creditTransferTransaction : [];
    resource.creditTransferTransaction = txs.map((raw, i) => {
      const t = p.transactions[i];
      const tx = { ...obj(raw) };
      if (t) {
        tx.resourceId = t.resourceId;
        tx.transactionStatus = t.transactionStatus;
        tx.appliedExecutionDate = `${t.appliedExecutionDate}T00:00:00.000+00:00`;
        const reason = t.statusReasonInformation ?? p.statusReasonInformation;
        if (['RJCT', 'CANC'].includes(t.transactionStatus) && reason) tx.statusReasonInformation = reason;
      }
      return tx;
    });
    resource.resourceId = p.resourceId;
    resource.paymentInformationStatus = p.paymentInformationStatus;
    if (p.statusReasonInformation) resource.statusReasonInformation = p.statusReasonInformation;
    const self = `${apiBaseUrl}/payment-requests/${encodeURIComponent(p.resourceId)}`;
    const links: Obj = { request: { href: self } };
    if (this.bank.confirmation && !p.confirmedAt && ['ACTC', 'ACCP'].includes(p.paymentInformationStatus)) links.confirmation = { href: `${self}/confirmation` };
    return { paymentRequest: resource, _links: links };
  }
}
