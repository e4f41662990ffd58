/**
 * Whether a bill's approvals let it be paid tonight (rules APPROVAL-01..07,
 * docs/rules.md). Pure: the bill as it is now, its approval records, the
 * confirmations of its bank account and the settings are arguments.
 *
 * - An approval counts for what it recorded: only approvals of the bill as it is
 *   now (supplier, account, IBAN, holder, amount due, currency, state) count; the
 *   newest approval quoted when none does is the newest an approver made.
 * - Who may approve: the approvers' group; with four eyes, not the bill's author
 *   nor whoever created or last changed its recipient account, or set it on the bill.
 * - Above the threshold, two different people.
 * - A recipient account created or changed in the last N days, or after the
 *   approval, holds the payment until someone other than its changer confirms it.
 */
import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import type { AccountConfirmation, ApprovalRecord, ApprovalSnapshot, BillSnapshot, OdooPersonRef, Reason } from '../model/index.js';
import { normalizeIban } from './iban.js';
import { formatCents, toCents } from './money.js';
import { makeReason } from './reasons.js';
import { maskIban } from './reservation.js';

export interface ApprovalPolicy {
  /** Four eyes: the approver is neither the bill's author nor the last person who changed its recipient account. */
  fourEyes: boolean;
  /** The Odoo group whose members may approve (its xml id, for the reason's text). */
  approversGroup: string;
  /** Its active members' user ids. */
  approvers: ReadonlySet<number>;
  /** Above this amount due (cents), two different approvers; null: one is enough. */
  secondApproverAboveCents: number | null;
  /** An account created or changed less than this many days before the run is held until confirmed; 0: never. */
  accountHoldDays: number;
  /** For the dates in the reasons. */
  timeZone: string;
}

/** The recipient account's history as Odoo keeps it (create/write uid and date). */
export interface AccountHistory {
  id: number;
  createdBy: OdooPersonRef | null;
  createdAt: string | null;
  changedBy: OdooPersonRef | null;
  changedAt: string | null;
  /** Every tracked change of its IBAN, holder, trusted flag or owner, oldest first, where Odoo tells an invoicing user (17); absent on 16/18. */
  changes?: readonly { by: OdooPersonRef; at: string; fields: readonly string[] }[];
}

/**
 * Everyone who counts as having changed the account: its creator, its last
 * editor and every author of a tracked change (IBAN, holder, trusted flag,
 * owner). Where the tracking is not readable (16/18) that is the creator and
 * the last editor: the conservative reading, since a later write by someone
 * else moves `write_uid` and would otherwise hide who changed the IBAN.
 */
export function accountChangers(acc: AccountHistory): OdooPersonRef[] {
  const all = [acc.createdBy, acc.changedBy, ...(acc.changes ?? []).map((c) => c.by)].filter((p): p is OdooPersonRef => p !== null);
  return [...new Map(all.map((p) => [p.id, p])).values()];
}

/** Who to name as having changed the account: the last who changed its IBAN when Odoo tells, else the last editor (or creator). */
function ibanChanger(acc: AccountHistory): { who: OdooPersonRef | null; known: boolean } {
  const ibanChange = [...(acc.changes ?? [])].reverse().find((c) => c.fields.includes('acc_number'));
  return ibanChange ? { who: ibanChange.by, known: true } : { who: acc.changedBy ?? acc.createdBy, known: false };
}

/** Odoo's superuser (OdooBot, `__system__`): records a module's data or a sudo() made; no person to name, and it cannot approve. */
const ODOO_SUPERUSER_ID = 1;

function names(people: readonly OdooPersonRef[]): string {
  const n = people.filter((p) => p.id !== ODOO_SUPERUSER_ID).map((p) => p.name);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

export interface BillToApprove {
  name: string;
  now: ApprovalSnapshot;
  /** Who created the bill (`create_uid`). */
  author: OdooPersonRef | null;
  /** Who last set the bill's recipient account, when Odoo tells (17's chatter); four eyes applies to them too. */
  accountSetBy?: OdooPersonRef | null;
  account: AccountHistory | null;
}

/** What an approval of the bill records now (the run compares it with the approval's). */
export function approvalSnapshotOf(s: BillSnapshot): ApprovalSnapshot {
  const iban = s.supplierAccount ? normalizeIban(s.supplierAccount.accountNumber) : '';
  return {
    supplierId: s.bill.commercialPartnerId,
    accountId: s.supplierAccount?.id ?? null,
    iban: iban || null,
    holder: s.supplierAccount?.holderName?.trim() || null,
    amountCents: toCents(s.bill.amountResidual),
    currency: s.bill.currency,
    state: s.bill.state,
  };
}

/** `1,200.00 EUR`. */
export function formatAmount(cents: number, currency: string): string {
  const [whole = '0', frac = '00'] = formatCents(cents).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac} ${currency}`.trim();
}

/** `FR76 …1234` (reservation.ts), or `no account`. */
function masked(iban: string | null): string {
  return iban ? maskIban(iban) : 'no account';
}

/** An Odoo UTC datetime (`YYYY-MM-DD HH:MM:SS`) as a Date. */
export function odooInstant(v: string): Date {
  return new Date(`${v.replace(' ', 'T')}Z`);
}

function day(v: string, timeZone: string): string {
  return format(odooInstant(v), 'd MMM yyyy', { in: tz(timeZone) });
}

function sameSnapshot(a: ApprovalSnapshot, b: ApprovalSnapshot): boolean {
  return a.supplierId === b.supplierId && a.accountId === b.accountId && a.iban === b.iban && a.holder === b.holder && a.amountCents === b.amountCents && a.currency === b.currency && a.state === b.state;
}

/** Odoo's account.move states as the clerk reads them. */
const BILL_STATE_WORDS: Record<string, string> = { draft: 'back in draft', posted: 'posted', cancel: 'cancelled' };

/** What changed since the approval, in the clerk's words (`1,500.00 EUR`, `to FR76 …5678`). */
export function changesSince(approved: ApprovalSnapshot, now: ApprovalSnapshot): string[] {
  const out: string[] = [];
  if (approved.amountCents !== now.amountCents || approved.currency !== now.currency) out.push(formatAmount(now.amountCents, now.currency));
  if (approved.accountId !== now.accountId || approved.iban !== now.iban) out.push(`to ${masked(now.iban)}${approved.accountId !== now.accountId ? ' (another bank account)' : ''}`);
  if (approved.holder !== now.holder) out.push(now.holder ? `account holder '${now.holder}'` : 'no account holder');
  if (approved.supplierId !== now.supplierId) out.push('another supplier');
  if (approved.state !== now.state) out.push(`the bill ${BILL_STATE_WORDS[now.state] ?? `in state '${now.state}'`}`);
  return out;
}

/** Why `person` may not approve this bill, or null. */
function refusal(bill: BillToApprove, a: ApprovalRecord, policy: ApprovalPolicy): Reason | null {
  const approver = a.approver.name;
  if (!policy.approvers.has(a.approver.id)) return makeReason('APPROVER_NOT_ALLOWED', bill.name, { approver, group: policy.approversGroup });
  if (!policy.fourEyes) return null;
  if (bill.author && bill.author.id === a.approver.id) return makeReason('APPROVED_BY_AUTHOR', bill.name, { approver });
  const acc = bill.account;
  if (bill.accountSetBy?.id === a.approver.id || (acc && accountChangers(acc).some((p) => p.id === a.approver.id))) return makeReason('APPROVED_BY_ACCOUNT_CHANGER', bill.name, { approver, iban: masked(bill.now.iban) });
  return null;
}

/**
 * The hold on a recently changed recipient account (APPROVAL-07), or null: created
 * or changed less than `accountHoldDays` before `now`, or after `approvedAt`,
 * and not confirmed since, for its current IBAN and holder, by an approver
 * (the approvers' group, as for an approval: the hold is the control against a
 * fake "new IBAN" e-mail, so a Billing user's confirmation does not lift it)
 * who did not change the account.
 */
export function accountHold(bill: BillToApprove, approvedAt: string, confirmations: readonly AccountConfirmation[], policy: ApprovalPolicy, now: Date): Reason | null {
  const acc = bill.account;
  const changedAt = acc?.changedAt ?? acc?.createdAt ?? null;
  if (!acc || !changedAt) return null;
  const changers = accountChangers(acc);
  const ageMs = now.getTime() - odooInstant(changedAt).getTime();
  const recent = policy.accountHoldDays > 0 && ageMs < policy.accountHoldDays * 86_400_000;
  const afterApproval = changedAt > approvedAt;
  if (!recent && !afterApproval) return null;
  const ofThisAccount = confirmations.filter((c) => c.accountId === acc.id && c.at >= changedAt && c.iban === bill.now.iban && c.holder === bill.now.holder);
  if (ofThisAccount.some((c) => policy.approvers.has(c.by.id) && !changers.some((p) => p.id === c.by.id))) return null;
  const why = afterApproval ? `after the bill was approved on ${day(approvedAt, policy.timeZone)}` : `less than ${policy.accountHoldDays} days before this run`;
  const unqualified = [...new Set(ofThisAccount.filter((c) => !policy.approvers.has(c.by.id)).map((c) => c.by.name))];
  const byChangers = [...new Set(ofThisAccount.filter((c) => policy.approvers.has(c.by.id)).map((c) => c.by.name))];
  const ignored = [
    ...(unqualified.length ? [`the confirmation by ${unqualified.join(', ')} does not count: only the approvers' group ${policy.approversGroup} may confirm`] : []),
    ...(byChangers.length ? [`the confirmation by ${byChangers.join(', ')} does not count: they changed the account`] : []),
  ];
  const { who, known } = ibanChanger(acc);
  return makeReason('ACCOUNT_RECENTLY_CHANGED', bill.name, {
    iban: masked(bill.now.iban),
    change: acc.changedAt && acc.createdAt && acc.changedAt !== acc.createdAt ? 'changed' : 'created',
    changedBy: who ? `by ${who.name}${known || !acc.changedAt || acc.changedAt === acc.createdAt ? '' : ' (its last editor: Odoo does not tell this user who changed the IBAN)'}` : 'by a user Odoo does not name',
    changedOn: day(changedAt, policy.timeZone),
    why,
    confirmer: `${names(changers) ? `an approver other than ${names(changers)}` : 'an approver'}${ignored.length ? ` (${ignored.join('; ')})` : ''}`,
  });
}

/**
 * Null when the bill's approvals let it be paid, else the one reason it is held
 * (the first rule it fails, in the order of docs/rules.md).
 */
export function decideApproval(bill: BillToApprove, approvals: readonly ApprovalRecord[], confirmations: readonly AccountConfirmation[], policy: ApprovalPolicy, now: Date): Reason | null {
  if (approvals.length === 0) return makeReason('APPROVAL_MISSING', bill.name);
  // Only approvals of the values the bill has now count; a record that does not
  // match, or that someone outside the approvers' group made (any Billing user may
  // create one over RPC), never hides a valid approval.
  const current = approvals.filter((a) => sameSnapshot(a, bill.now)).sort((a, b) => b.id - a.id);
  const valid = new Map<number, ApprovalRecord>();
  let firstRefusal: Reason | null = null;
  for (const a of current) {
    const r = refusal(bill, a, policy);
    if (r) firstRefusal ??= r;
    else if (!valid.has(a.approver.id)) valid.set(a.approver.id, a);
  }
  if (valid.size === 0) {
    // "The newest approval" quoted to the clerk is the newest made by an approver; a non-approver's is never called one
    const byApprovers = approvals.filter((a) => policy.approvers.has(a.approver.id));
    const byApproverNow = current.find((a) => policy.approvers.has(a.approver.id));
    if (byApproverNow || byApprovers.length === 0) return firstRefusal ?? refusal(bill, approvals.reduce((a, b) => (b.id > a.id ? b : a)), policy)!;
    const latest = byApprovers.reduce((a, b) => (b.id > a.id ? b : a));
    return makeReason('APPROVAL_CHANGED', bill.name, {
      approved: `${formatAmount(latest.amountCents, latest.currency)} to ${masked(latest.iban)}`,
      approver: latest.approver.name,
      approvedOn: day(latest.approvedAt, policy.timeZone),
      now: changesSince(latest, bill.now).join(', '),
    });
  }
  const needed = policy.secondApproverAboveCents !== null && bill.now.amountCents > policy.secondApproverAboveCents ? 2 : 1;
  if (valid.size < needed) {
    return makeReason('SECOND_APPROVAL_MISSING', bill.name, {
      amount: formatAmount(bill.now.amountCents, bill.now.currency),
      threshold: formatAmount(policy.secondApproverAboveCents!, bill.now.currency),
      approvers: [...valid.values()].map((a) => a.approver.name).join(', '),
    });
  }
  // From the first approval that counts: an account changed after it holds the payment.
  const approvedAt = [...valid.values()].map((a) => a.approvedAt).sort()[0]!;
  return accountHold(bill, approvedAt, confirmations, policy, now);
}
