/**
 * `stetpay resolve BILL --not-at-bank` without the terminal. A payment whose
 * fate stetpay could not tell (`needs_review`, or `expired` at the bank) is
 * blocked: no new attempt while its ids may be paid. A person who checked
 * online banking and found no such payment says so here: the ledger retires
 * its ids for good (no channel ever sends them), the bill goes back to the
 * approved bills, and the next run sends a new attempt with new ids.
 */
import type { TrackedBill } from '../../connector/model/index.js';
import { odooNow } from '../../connector/model/index.js';
import { readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { parsePaymentId } from '../../connector/rules/index.js';
import { BankNotFoundError } from '../../connector/stet/index.js';
import { backToApprovedValues, bankFact, entryEvidence, isLiveJob, notAtBankBlockers, RELEASE, type PaymentLedger } from '../../worker/index.js';
import { CommandRefusal } from '../cli-args.js';
import { findBill } from '../cancel/find-bill.js';

/** Why resolve refused (nothing changed); stable for scripts and tests. */
export type ResolveRefusal = 'not_blocked' | 'no_ids' | 'in_hand' | 'known_at_bank' | 'at_bank' | 'request_not_whole';

/** A refused resolve: the message says why and what to do; nothing was changed. */
export class ResolveRefusedError extends CommandRefusal<ResolveRefusal> {}

export interface ResolveDeps {
  odoo: OdooClient;
  ledger: Pick<PaymentLedger, 'markReleased' | 'get' | 'claimTtlMs'>;
  /** The submit queue's view of a payment's job (`queue.getJobState`). */
  jobState: (paymentInformationId: string) => Promise<string>;
  /** Asked with every resource id stetpay knows (Odoo's and the ledger's): a payment the bank still knows is not "not at the bank". */
  bankStatus?: (resourceId: string) => Promise<string | null>;
  /** Who confirmed, for the audit trail. */
  by: string;
  now?: () => Date;
}

export interface ResolveResult {
  bill: TrackedBill;
  /** Every bill recorded as not at the bank: the bill, or each bill of its request of several transfers. */
  bills: TrackedBill[];
  message: string;
}

const RESOLVABLE = new Set(['needs_review', 'expired']);

/**
 * Blocked: its fate unknown (needs_review, expired), or an invalid bill whose
 * attempt Odoo does not record closed (retry refuses it while that attempt may
 * be at the bank, and sends the person here).
 */
function isBlocked(bill: TrackedBill): boolean {
  return RESOLVABLE.has(bill.status ?? '') || (bill.status === 'invalid' && bill.attempt > (bill.closedAttempt ?? 0));
}

/**
 * Refuses while stetpay's own records say the bank has or may have the
 * payment (a worker has it in hand, the bank accepted it, said it has these
 * ids, or a resource id it still knows), naming that evidence. What is left (a
 * lost answer, a refused re-send, no trace in Redis) is what the person's check
 * of online banking settles: the note names the evidence they overrode. An
 * entry recorded as sent is never released; only for an `expired` payment the
 * bank no longer knows under any of its references, the attempt is recorded
 * closed in Odoo (the ledger keeps it as sent, so its ids are never re-sent).
 */
export async function resolveNotAtBank(deps: ResolveDeps, billRef: string): Promise<ResolveResult> {
  const now = deps.now ?? (() => new Date());
  const bill = await findBill(deps.odoo, billRef);
  const label = `Bill ${bill.name}`;
  if (!isBlocked(bill)) {
    throw new ResolveRefusedError(
      'not_blocked',
      `${label} is ${bill.status ?? 'not taken by stetpay'}: resolve is only for a payment whose fate stetpay could not tell (needs_review or expired). ` +
        (['rejected', 'invalid', 'cancelled', 'withdrawn'].includes(bill.status ?? '') ? `To send it again: stetpay retry ${bill.name}. ` : '') +
        'Nothing was changed.',
    );
  }
  const pid = bill.paymentInformationId;
  const e2e = bill.endToEndId ?? pid;
  if (!pid || !e2e) throw new ResolveRefusedError('no_ids', `${label} has no payment ids in Odoo: nothing of it can be at the bank; send it again with stetpay retry ${bill.name}. Nothing was changed.`);

  // A request of several transfers is at the bank, or not, as a whole: it is resolved whole, or not at all.
  const members = parsePaymentId(pid)?.kind === 'B' ? await wholeRequest(deps.odoo, bill, pid) : [bill];
  const what = members.length > 1 ? `request ${pid} (its ${members.length} transfers: ${members.map((m) => m.endToEndId ?? m.name).join(', ')})` : e2e;

  const [entry, state] = await Promise.all([deps.ledger.get(pid), deps.jobState(pid)]);
  const inHand = isLiveJob(state) || bankFact(entry, deps.ledger.claimTtlMs) === 'in_flight';
  if (inHand) {
    throw new ResolveRefusedError('in_hand', `${label}: a worker still has payment ${e2e} in hand (${isLiveJob(state) ? `job ${state}` : 'a live claim'}); wait until it is settled, then look again. Nothing was changed.`);
  }
  // An expired payment the bank accepted: its 35 days ended without a final word; the bank is asked below whether it still knows it.
  const expiredSent = bill.status === 'expired' && entry?.state === 'sent';
  const blockers = expiredSent ? [] : notAtBankBlockers(entry, state, deps.ledger.claimTtlMs, Date.now(), bill.bankStatus);
  if (blockers.length) {
    throw new ResolveRefusedError(
      'at_bank',
      `${label}: stetpay's records say the bank has payment ${e2e}: ${blockers.join('; ')}. It is never recorded as not at the bank: follow it in online banking (record its outcome there, or pay the bill another way if the bank refuses it). Nothing was changed.`,
    );
  }
  const resourceIds = [...new Set([bill.resourceId, entry?.resourceId].filter((x): x is string => !!x))];
  if (expiredSent && (!deps.bankStatus || resourceIds.length === 0)) {
    throw new ResolveRefusedError('at_bank', `${label}: the bank accepted payment ${e2e} and stetpay cannot ask it whether it still knows it. Nothing was changed.`);
  }
  if (deps.bankStatus) {
    for (const resourceId of resourceIds) {
      let code: string | null = null;
      try {
        code = await deps.bankStatus(resourceId);
      } catch (err) {
        if (!(err instanceof BankNotFoundError)) throw err;
      }
      if (code !== null) {
        throw new ResolveRefusedError('known_at_bank', `${label}: the bank still knows payment ${e2e} (resource ${resourceId}, status ${code || 'none'}), so it is at the bank: follow it there. Nothing was changed.`);
      }
    }
  }

  const at = now();
  const reason = `${deps.by} confirmed on ${odooNow(at)} UTC that the bank does not have payment ${what} (attempt ${bill.attempt}; stetpay resolve --not-at-bank)`;
  const overridden = entry ? entryEvidence(entry, deps.ledger.claimTtlMs) : 'Redis had no record of it';
  if (!expiredSent) {
    const code = await deps.ledger.markReleased(pid, bill.billId, e2e, reason);
    if (code === RELEASE.HELD) throw new ResolveRefusedError('in_hand', `${label}: a worker is sending payment ${e2e} right now; wait a minute, then look again. Nothing was changed.`);
    if (code === RELEASE.AT_BANK) {
      const now2 = await deps.ledger.get(pid);
      throw new ResolveRefusedError('at_bank', `${label}: the bank's answer arrived meanwhile: ${now2 ? entryEvidence(now2, deps.ledger.claimTtlMs) : 'ledger changed'}. Nothing was changed.`);
    }
  }
  const via = members.length > 1 ? ` (asked on bill ${bill.name})` : '';
  await writeBillUpdates(
    deps.odoo,
    members.map((m) => ({
      billId: m.billId,
      values: backToApprovedValues(Math.max(m.closedAttempt ?? 0, m.attempt)),
      note:
        `stetpay: ${reason}${via}, overriding what stetpay knew: ${overridden}` +
        (resourceIds.length ? ` (the bank no longer knows ${resourceIds.join(', ')})` : '') +
        `. Its ids are retired (never sent by any channel); the next run sends a new payment with new ids.`,
    })),
    at,
  );
  const others = members.filter((m) => m.billId !== bill.billId).map((m) => m.name);
  return {
    bill,
    bills: members,
    message: `${label}: payment ${what} recorded as not at the bank${others.length ? `, with its other bills ${others.join(', ')}` : ''}; the next run sends ${others.length ? 'each in ' : ''}a new payment (attempt ${bill.attempt + 1}, new ids).`,
  };
}

/**
 * Every bill of the request of several transfers `bill` belongs to, each
 * blocked as `bill` is (`isBlocked`): the bank has
 * the request or not as a whole, so one of its bills is never released alone.
 * @throws ResolveRefusedError `request_not_whole`, naming the request and its other bills
 */
async function wholeRequest(odoo: OdooClient, bill: TrackedBill, pid: string): Promise<TrackedBill[]> {
  // A bill whose attempt under this request is already closed (back among the approved bills) is out of it.
  const closed = (m: TrackedBill) => !m.status && (m.closedAttempt ?? 0) >= m.attempt;
  const others = (await readTrackedBills(odoo, { paymentInformationIds: [pid] })).filter((m) => m.billId !== bill.billId && !closed(m));
  const apart = others.filter((m) => !isBlocked(m));
  if (apart.length) {
    throw new ResolveRefusedError(
      'request_not_whole',
      `Bill ${bill.name}: payment ${bill.endToEndId ?? pid} is one of the transfers of request ${pid}, which the bank has or lacks as a whole, so stetpay records it as not at the bank whole or not at all. ` +
        `Its other bills are not all waiting for that check: ${others.map((m) => `${m.name} (${m.status ?? 'no status'})`).join(', ')}. ` +
        `Look for request ${pid} in online banking and follow each bill there. Nothing was changed.`,
    );
  }
  return [bill, ...others];
}
