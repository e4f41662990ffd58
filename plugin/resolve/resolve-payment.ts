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
import { writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { BankNotFoundError } from '../../connector/stet/index.js';
import type { PaymentLedger } from '../../worker/index.js';
import { CommandRefusal } from '../cli-args.js';
import { findBill } from '../cancel/find-bill.js';

/** Why resolve refused (nothing changed); stable for scripts and tests. */
export type ResolveRefusal = 'not_blocked' | 'no_ids' | 'in_hand' | 'known_at_bank';

/** A refused resolve: the message says why and what to do; nothing was changed. */
export class ResolveRefusedError extends CommandRefusal<ResolveRefusal> {}

export interface ResolveDeps {
  odoo: OdooClient;
  ledger: Pick<PaymentLedger, 'markReleased'>;
  /** The submit queue's view of a payment's job (`queue.getJobState`). */
  jobState: (paymentInformationId: string) => Promise<string>;
  /** When the bank gave a resource id, it is asked once more: a payment it still knows is not "not at the bank". */
  bankStatus?: (resourceId: string) => Promise<string | null>;
  /** Who confirmed, for the audit trail. */
  by: string;
  now?: () => Date;
}

export interface ResolveResult {
  bill: TrackedBill;
  message: string;
}

const RESOLVABLE = new Set(['needs_review', 'expired']);
const IN_HAND = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export async function resolveNotAtBank(deps: ResolveDeps, billRef: string): Promise<ResolveResult> {
  const now = deps.now ?? (() => new Date());
  const bill = await findBill(deps.odoo, billRef);
  const label = `Bill ${bill.name}`;
  if (!RESOLVABLE.has(bill.status ?? '')) {
    throw new ResolveRefusedError(
      'not_blocked',
      `${label} is ${bill.status ?? 'not taken by stetpay'}: resolve is only for a payment whose fate stetpay could not tell (needs_review or expired). ` +
        (bill.status === 'rejected' || bill.status === 'invalid' || bill.status === 'cancelled' ? 'To send it again, clear its bank payment status in Odoo. ' : '') +
        'Nothing was changed.',
    );
  }
  const pid = bill.paymentInformationId;
  const e2e = bill.endToEndId ?? pid;
  if (!pid || !e2e) throw new ResolveRefusedError('no_ids', `${label} has no payment ids in Odoo: clear its bank payment status in Odoo instead. Nothing was changed.`);

  const state = await deps.jobState(pid);
  if (IN_HAND.has(state)) {
    throw new ResolveRefusedError('in_hand', `${label}: a worker still has payment ${e2e} in hand (job ${state}); wait until it is settled, then look again. Nothing was changed.`);
  }
  if (bill.resourceId && deps.bankStatus) {
    let code: string | null = null;
    try {
      code = await deps.bankStatus(bill.resourceId);
    } catch (err) {
      if (!(err instanceof BankNotFoundError)) throw err;
    }
    if (code !== null) {
      throw new ResolveRefusedError('known_at_bank', `${label}: the bank still knows payment ${e2e} (resource ${bill.resourceId}, status ${code || 'none'}), so it is at the bank: follow it there. Nothing was changed.`);
    }
  }

  const at = now();
  const reason = `${deps.by} confirmed on ${odooNow(at)} UTC that the bank does not have payment ${e2e} (attempt ${bill.attempt}; stetpay resolve --not-at-bank)`;
  if (!(await deps.ledger.markReleased(pid, bill.billId, e2e, reason))) {
    throw new ResolveRefusedError('in_hand', `${label}: a worker is sending payment ${e2e} right now; wait a minute, then look again. Nothing was changed.`);
  }
  // Back among the approved bills: the ids and the attempt number stay, so the next run makes attempt n+1 with new ids.
  await writeBillUpdates(
    deps.odoo,
    [
      {
        billId: bill.billId,
        values: { x_stet_status: false, x_stet_bank_status: false, x_stet_status_reason: false, x_stet_resource_id: false, x_stet_consent_url: false },
        note: `stetpay: ${reason}. Its ids are retired (never sent by any channel); the next run sends a new payment with new ids.`,
      },
    ],
    at,
  );
  return { bill, message: `${label}: payment ${e2e} recorded as not at the bank; the next run sends a new payment (attempt ${bill.attempt + 1}, new ids).` };
}
