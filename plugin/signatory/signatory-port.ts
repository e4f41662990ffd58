/**
 * The signatory's page wired to Odoo and Redis: what waits (Odoo's record,
 * and for payments not at the bank yet the signatory queue and the ledger),
 * the links spent, the payments each session handled, and the result of a
 * payment after the bank. No secret goes to Redis: nonces and session ids are
 * random values, payment ids are business references.
 */
import type { Queue } from 'bullmq';
import { readWaitingBills, type OdooClient } from '../../connector/odoo/index.js';
import type { PaymentLedger, RedisClient } from '../../worker/index.js';
import type { ReturnResult } from './signatory-page.js';
import type { OpenResult, SignatoryDeps } from './signatory-routes.js';
import { waitingPayments, type QueuedFacts, type WaitingPayment } from './waiting-payments.js';

export interface SignatoryPortOptions {
  odoo: OdooClient;
  redis: RedisClient;
  prefix: string;
  ledger: Pick<PaymentLedger, 'getMany' | 'claimTtlMs'>;
  /** The queue of payments reserved for the signatory (POSTed when opened); absent: none. */
  signatoryQueue?: Pick<Queue, 'getJobState'>;
  consentWindowMs: number;
  /** config approvals.approversGroup: "Approved by" lists only its members' approvals. */
  approversGroup?: string;
  /** Opens a payment not at the bank yet (the on-signatory POST); absent: such payments are not offered. */
  openReserved?: (payment: WaitingPayment) => Promise<OpenResult>;
  now?: () => Date;
}

const AFTER: Record<string, ReturnResult> = { accepted: 'approved', executed: 'approved', rejected: 'refused', cancelled: 'refused', expired: 'refused', withdrawn: 'refused' };

/** The Redis facts of the payments Odoo shows queued: their job in the signatory queue and their ledger entry. */
async function queuedFacts(o: SignatoryPortOptions, pids: string[]): Promise<QueuedFacts> {
  const ledger = await o.ledger.getMany(pids);
  const states = await Promise.all(pids.map((pid) => (o.signatoryQueue ? o.signatoryQueue.getJobState(pid) : Promise.resolve('unknown'))));
  return { ledger, signatoryJob: new Map(pids.map((pid, i) => [pid, states[i]!])), claimTtlMs: o.ledger.claimTtlMs };
}

/** The payments waiting for the signatory (all, or those of `paymentIds`). */
export async function readWaitingPayments(o: SignatoryPortOptions, paymentIds?: string[]): Promise<WaitingPayment[]> {
  const bills = await readWaitingBills(o.odoo, { ...(paymentIds ? { paymentInformationIds: paymentIds } : {}), approversGroup: o.approversGroup });
  const queued = [...new Set(bills.filter((b) => b.status === 'queued').map((b) => b.paymentInformationId))];
  const facts = queued.length ? await queuedFacts(o, queued) : undefined;
  return waitingPayments(bills, facts, { now: (o.now ?? (() => new Date()))(), consentWindowMs: o.consentWindowMs });
}

/** How long the page remembers a consent the check found accepted while its Odoo write is still batched. */
const CHECKED_TTL_SECONDS = 3600;

export interface SignatoryPort extends Omit<SignatoryDeps, 'secret' | 'secureCookie' | 'timeZone' | 'consentWindowMs' | 'log' | 'now'> {
  /**
   * The consent check found the payment accepted and queued its Odoo update in the batched
   * write-back: the page shows "approved" at once, before Odoo has it.
   */
  noteAccepted(paymentId: string): Promise<void>;
}

export function signatoryPort(o: SignatoryPortOptions): SignatoryPort {
  const key = (kind: string, id: string) => `${o.prefix}:stetpay:signatory-${kind}:${id}`;
  return {
    markLinkUsed: async (nonce, ttl) => (await o.redis.set(key('link', nonce), '1', 'EX', ttl, 'NX')) === 'OK',
    signatoryName: async (userId) => {
      const [u] = await o.odoo.call<{ name?: string }[]>('res.users', 'read', [[userId]], { fields: ['name'] });
      return u?.name || undefined;
    },
    waiting: () => readWaitingPayments(o),
    handled: (sessionId) => o.redis.smembers(key('session', sessionId)),
    markHandled: async (sessionId, paymentId, ttl) => {
      await o.redis.multi().sadd(key('session', sessionId), paymentId).expire(key('session', sessionId), ttl).exec();
    },
    async open(paymentId) {
      const [p] = await readWaitingPayments(o, [paymentId]);
      if (!p || p.window === 'ended') return { kind: 'refused', refusal: 'not-waiting' };
      if (p.stage === 'at-bank') return { kind: 'redirect', url: p.consentUrl! };
      if (!o.openReserved) return { kind: 'refused', refusal: 'not-waiting' };
      return o.openReserved(p);
    },
    async result(paymentId) {
      const bills = await readWaitingBills(o.odoo, { approversGroup: o.approversGroup, paymentInformationIds: [paymentId], statuses: ['submitted', 'accepted', 'executed', 'rejected', 'cancelled', 'expired', 'withdrawn', 'needs_review'] });
      const statuses = new Set(bills.map((b) => b.status as string));
      if ([...statuses].some((s) => AFTER[s] === 'approved')) return 'approved';
      if (statuses.size && [...statuses].every((s) => AFTER[s] === 'refused')) return 'refused';
      return (await o.redis.get(key('checked', paymentId))) === 'accepted' ? 'approved' : 'pending';
    },
    noteAccepted: async (paymentId) => {
      await o.redis.set(key('checked', paymentId), 'accepted', 'EX', CHECKED_TTL_SECONDS);
    },
  };
}
