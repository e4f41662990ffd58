import type { RedisClient } from '../connection.js';
import type { BillStatus } from '../../connector/model/index.js';
import { loadScript } from '../commands/load-script.js';
import { ledgerKey, type ClaimCode, type LedgerEntry, type LedgerState, type ReviewEvidence } from './ledger-entry.js';

/** Options of {@link PaymentLedger}. */
export interface LedgerOptions {
  /** Same BullMQ prefix as the queues (keeps ledger and queues on one Cluster slot). @defaultValue 'bull' */
  prefix?: string;
  /**
   * Ms a claim stays live. Must exceed the worst bank call plus the job's lock
   * duration, so a claim is only taken over once its worker is surely gone.
   * @defaultValue 120000
   */
  claimTtlMs?: number;
  /**
   * Ms an entry is kept. The bank keeps a request 35 days; the ledger must
   * remember longer. @defaultValue 3456000000 (40 days)
   */
  ledgerTtlMs?: number;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

export const DEFAULT_CLAIM_TTL_MS = 120_000;
export const DEFAULT_LEDGER_TTL_MS = 40 * 24 * 3600 * 1000;

/** Who claims: the payment and its bill, for the entry. */
export interface ClaimRequest {
  paymentInformationId: string;
  token: string;
  billId: number;
  endToEndId: string;
}

/** The bank's 201, as the ledger keeps it. */
export interface SentRecord {
  resourceId: string;
  consentUrl?: string;
  requestId?: string;
}

/** A decided outcome (rejected, needs_review...). */
export interface FinalRecord {
  status: BillStatus;
  reason?: string;
  resourceId?: string;
  /** For `needs_review`: what says the bank may have it. */
  evidence?: ReviewEvidence;
}

/** Retiring a payment's ids before they are sent: what to record either way. */
export interface RetireRequest {
  billId: number;
  endToEndId: string;
  /** Recorded when nothing can be at the bank. */
  status: 'withdrawn' | 'cancelled';
  reason: string;
  /** Recorded (final needs_review) when an earlier try may have reached the bank. */
  reviewReason: string;
  evidence: ReviewEvidence;
}

/** {@link PaymentLedger.retire} result codes (see retirePayment-1.lua). */
export const RETIRE = { RETIRED: 1, STOPPED: 2, HELD: 0, DECIDED: -1 } as const;
export type RetireCode = (typeof RETIRE)[keyof typeof RETIRE];

/** {@link PaymentLedger.markReleased} result codes (see releasePayment-1.lua). */
export const RELEASE = { RELEASED: 1, HELD: 0, AT_BANK: -1 } as const;
export type ReleaseCode = (typeof RELEASE)[keyof typeof RELEASE];

/**
 * The Redis ledger: the second of the three guards against paying twice. One
 * small hash per payment, claimed atomically (Lua) before any bank call.
 */
export class PaymentLedger {
  readonly prefix: string;
  readonly claimTtlMs: number;
  readonly ledgerTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly redis: RedisClient, opts: LedgerOptions = {}) {
    this.prefix = opts.prefix ?? 'bull';
    this.claimTtlMs = opts.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.ledgerTtlMs = opts.ledgerTtlMs ?? DEFAULT_LEDGER_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  key(paymentInformationId: string): string {
    return ledgerKey(this.prefix, paymentInformationId);
  }

  /** 1 fresh, 2 resumed ('sending' before: the bank may have it), 0 held, -1 done. See claimPayment-1.lua. */
  async claim(req: ClaimRequest): Promise<ClaimCode> {
    const r = await this.redis.eval(
      loadScript('claimPayment-1'),
      1,
      this.key(req.paymentInformationId),
      req.token,
      this.now(),
      this.claimTtlMs,
      this.ledgerTtlMs,
      req.billId,
      req.endToEndId,
    );
    return Number(r) as ClaimCode;
  }

  /** The bank answered 201: from now on the API never sends this payment again. */
  async markSent(paymentInformationId: string, rec: SentRecord): Promise<boolean> {
    const now = this.now();
    return this.settle(paymentInformationId, 'sent', {
      resourceId: rec.resourceId,
      consentUrl: rec.consentUrl ?? '',
      requestId: rec.requestId ?? '',
      status: 'submitted',
      sentAt: now,
      updatedAt: now,
    });
  }

  /** Decided for good: never sent again by the API. */
  async markFinal(paymentInformationId: string, rec: FinalRecord): Promise<boolean> {
    const fields: Record<string, string | number> = { status: rec.status, reason: rec.reason ?? '', evidence: rec.evidence ?? '', updatedAt: this.now() };
    if (rec.resourceId) fields.resourceId = rec.resourceId;
    return this.settle(paymentInformationId, 'final', fields);
  }

  /** The pain.001 fallback takes it. Refused (false) when the API has, or may have, it. */
  async markExported(paymentInformationId: string, billId: number, endToEndId: string): Promise<boolean> {
    const r = await this.redis.eval(
      loadScript('exportPayment-1'),
      1,
      this.key(paymentInformationId),
      this.now(),
      this.ledgerTtlMs,
      billId,
      endToEndId,
    );
    return Number(r) === 1;
  }

  /**
   * The file an export claimed this payment for was never written: the claim
   * becomes final `withdrawn` (never sent by any channel, its ids retired).
   * False when the entry is not an export claim (left as it is).
   */
  async abandonExport(paymentInformationId: string, reason: string): Promise<boolean> {
    const r = await this.redis.eval(loadScript('abandonExport-1'), 1, this.key(paymentInformationId), this.now(), this.ledgerTtlMs, reason);
    return Number(r) === 1;
  }

  /**
   * A person confirmed the bank does not have this payment: its ids are
   * retired and a new attempt is allowed. Refused while a worker holds a live
   * claim on it (HELD), and for good when the bank accepted it, said it has it
   * or executed it, or it went in a file (AT_BANK).
   */
  async markReleased(paymentInformationId: string, billId: number, endToEndId: string, reason: string): Promise<ReleaseCode> {
    const r = await this.redis.eval(
      loadScript('releasePayment-1'),
      1,
      this.key(paymentInformationId),
      this.now(),
      this.claimTtlMs,
      this.ledgerTtlMs,
      billId,
      endToEndId,
      reason,
    );
    return Number(r) as ReleaseCode;
  }

  /**
   * Retires ids nothing was sent under yet (a bill changed after reservation,
   * a queued payment cancelled), atomically against a concurrent claim. When
   * an earlier try may have reached the bank, the entry is stopped instead:
   * final `needs_review` with `reviewReason` (STOPPED).
   */
  async retire(paymentInformationId: string, req: RetireRequest): Promise<RetireCode> {
    const r = await this.redis.eval(
      loadScript('retirePayment-1'),
      1,
      this.key(paymentInformationId),
      this.now(),
      this.claimTtlMs,
      this.ledgerTtlMs,
      req.billId,
      req.endToEndId,
      req.status,
      req.reason,
      req.reviewReason,
      req.evidence,
    );
    return Number(r) as RetireCode;
  }

  /**
   * Records that the bank may have a payment Redis has no trace of, before it
   * is queued again: its first claim is then a resume, so a refusal reads as
   * "may be at the bank". False when an entry exists (left as it is).
   */
  async markUncertain(paymentInformationId: string, billId: number, endToEndId: string, evidence: ReviewEvidence): Promise<boolean> {
    const r = await this.redis.eval(loadScript('markUncertain-1'), 1, this.key(paymentInformationId), this.now(), this.ledgerTtlMs, billId, endToEndId, evidence);
    return Number(r) === 1;
  }

  /**
   * Ends a claim with no bank answer. `bankMayHaveIt`: the request may have
   * reached the bank (time-out, 5xx, abort): the entry stays 'sending' so the
   * next attempt re-sends the same body. Returns false when the token no
   * longer holds the claim.
   */
  async release(paymentInformationId: string, token: string, bankMayHaveIt: boolean): Promise<boolean> {
    const r = await this.redis.eval(
      loadScript('releaseClaim-1'),
      1,
      this.key(paymentInformationId),
      token,
      bankMayHaveIt ? '1' : '0',
      this.now(),
    );
    return Number(r) > 0;
  }

  async get(paymentInformationId: string): Promise<LedgerEntry | null> {
    const h = await this.redis.hgetall(this.key(paymentInformationId));
    if (!h.state) return null;
    const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
    const str = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
    return {
      paymentInformationId,
      state: h.state as LedgerState,
      token: h.token ?? '',
      claimedAt: num(h.claimedAt) ?? 0,
      uncertain: h.uncertain === '1',
      claims: num(h.claims) ?? 0,
      billId: num(h.billId),
      endToEndId: str(h.endToEndId),
      resourceId: str(h.resourceId),
      consentUrl: str(h.consentUrl),
      requestId: str(h.requestId),
      status: str(h.status) as BillStatus | undefined,
      reason: str(h.reason),
      evidence: str(h.evidence) as ReviewEvidence | undefined,
      sentAt: num(h.sentAt),
      updatedAt: num(h.updatedAt) ?? 0,
    };
  }

  /**
   * Holds the Odoo registration of these payments (by memo, the end-to-end id)
   * for this caller: two syncs at once (a manual one and the schedule, or a
   * consent check) must not both register one payment. Returns the memos held.
   */
  async holdRegistrations(memos: string[], ttlMs = 5 * 60_000): Promise<Set<string>> {
    const got = await Promise.all(memos.map((m) => this.redis.set(this.registrationKey(m), '1', 'PX', ttlMs, 'NX')));
    return new Set(memos.filter((_, i) => got[i] === 'OK'));
  }

  async releaseRegistrations(memos: Iterable<string>): Promise<void> {
    const keys = [...memos].map((m) => this.registrationKey(m));
    if (keys.length) await this.redis.del(...keys);
  }

  private registrationKey(memo: string): string {
    return `${this.prefix}:stetpay:registering:${memo}`;
  }

  /** Many entries in one round trip (sweeper). */
  async getMany(ids: string[]): Promise<Map<string, LedgerEntry | null>> {
    const out = new Map<string, LedgerEntry | null>();
    // Small pages of parallel HGETALLs: ioredis pipelines them automatically.
    const page = 200;
    for (let i = 0; i < ids.length; i += page) {
      const slice = ids.slice(i, i + page);
      const got = await Promise.all(slice.map((id) => this.get(id)));
      slice.forEach((id, j) => out.set(id, got[j] ?? null));
    }
    return out;
  }

  private async settle(paymentInformationId: string, state: 'sent' | 'final', fields: Record<string, string | number>): Promise<boolean> {
    const args: (string | number)[] = [];
    for (const [k, v] of Object.entries(fields)) args.push(k, v);
    const r = await this.redis.eval(loadScript('settlePayment-1'), 1, this.key(paymentInformationId), state, this.ledgerTtlMs, ...args);
    return Number(r) === 1;
  }
}
