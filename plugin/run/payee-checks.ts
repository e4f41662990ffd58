/**
 * Verification of Payee in the run, before anything is reserved: for each
 * distinct (IBAN, name) of the night's payable bills, the answer cached in
 * Redis or asked of the provider (batched), the evidence recorded in Odoo (one
 * `x_stet_payee_check` record per bank account, IBAN and name), and for each
 * bill a decision: send (with its note) or hold (with a reason), and the check
 * it was decided under. The decisions themselves are the pure rules of
 * connector/rules/payee-policy.ts; who confirmed a payee comes from Odoo's
 * record of who changed the check (`payeeCheckChange`).
 */
import type { BillSnapshot, PayeeCheck, VopResult } from '../../connector/model/index.js';
import { payeeKey } from '../../connector/model/index.js';
import { createPayeeChecks, readPayeeChecks, writePayeeCheck, type OdooClient, type PayeeCheckRecord, type PayeeCheckValues } from '../../connector/odoo/index.js';
import type { MappingOutcome } from '../../connector/mapping/index.js';
import { BULK_OPT_OUT_NOTE, decidePayee, formatIban, type PayeeDecision, type PayeeOutcome } from '../../connector/rules/index.js';
import { PayeeVerificationClient, type PayeeVerification } from '../../connector/vop/index.js';
import type { PayeeCheckCache } from '../../worker/index.js';
import type { VopConfig } from '../config/index.js';

/** The provider, as the run uses it (the connector's PayeeVerificationClient). */
export interface PayeeVerifier {
  verify(requests: readonly { iban: string; name: string; organisationId?: string | null }[]): Promise<PayeeVerification[]>;
  /** Requests sent so far (batches). */
  readonly requestsSent: number;
}

/** The Verification of Payee client of the config, or undefined when it checks nothing (mode off, no url, bulk opt-out). Close it after the run. */
export function openPayeeVerifier(vop: Readonly<VopConfig>): PayeeVerificationClient | undefined {
  if (vop.mode === 'off' || vop.bulkOptOut || !vop.url || !vop.pem?.cert || !vop.pem.key) return undefined;
  return new PayeeVerificationClient({ url: vop.url, cert: vop.pem.cert, key: vop.pem.key, ca: vop.pem.ca, timeoutMs: vop.timeoutMs, batchSize: vop.batchSize });
}

/** One payable bill: the account it pays and exactly the IBAN and name its payment carries. */
export interface PayeeSubject {
  billId: number;
  billName: string;
  accountId: number;
  iban: string;
  name: string;
  organisationId: string | null;
}

/** What the run's checks did, for its summary. */
export interface PayeeCheckStats {
  mode: VopConfig['mode'];
  /** Distinct (IBAN, name) pairs the run needed. */
  pairs: number;
  /** Pairs asked of the provider this run. */
  asked: number;
  /** Pairs answered from the Redis cache. */
  fromCache: number;
  /** Requests sent to the provider. */
  requests: number;
  /** Per result, over the pairs. */
  byResult: Partial<Record<VopResult, number>>;
  /** Pairs without an answer (time-out, provider unavailable). */
  noAnswer: number;
  /** Bills sent under the bulk opt-out (Art. 5c(6)). */
  optedOut: number;
}

export interface PayeeCheckDeps {
  odoo: OdooClient;
  vop: Readonly<VopConfig>;
  /** Absent when vop.url is not configured. */
  verifier?: PayeeVerifier;
  cache?: PayeeCheckCache;
}

/** A bill's decision, and the check record it was decided under (false: none, the check was not made). */
export type RunPayeeDecision = PayeeDecision & { checkId: number | false };

/** The payable bills of a page, with the IBAN and name their payment would carry. `map` is the run's own mapping. */
export function payeeSubjects(page: readonly BillSnapshot[], map: (s: BillSnapshot) => MappingOutcome): PayeeSubject[] {
  const out: PayeeSubject[] = [];
  for (const s of page) {
    if (!s.supplierAccount) continue;
    let outcome: MappingOutcome;
    try {
      outcome = map(s);
    } catch {
      continue; // the run's own mapping of this bill fails the same way, and records it on the bill
    }
    if (outcome.kind !== 'payable') continue;
    const beneficiary = outcome.request.creditTransferTransaction[0]!.beneficiary;
    out.push({ billId: s.bill.id, billName: s.bill.name, accountId: s.supplierAccount.id, iban: beneficiary.creditorAccount.iban, name: beneficiary.creditor.name, organisationId: s.supplier?.vat ?? null });
  }
  return out;
}

export class PayeeChecks {
  readonly stats: PayeeCheckStats;
  /** Each pair's outcome, once per run. */
  private readonly outcomes = new Map<string, PayeeOutcome>();
  /** Each (account, IBAN, name)'s check record as read (then as written) this run. */
  private readonly records = new Map<string, PayeeCheckRecord>();
  /** Accounts whose records were read this run. */
  private readonly accountsRead = new Set<number>();

  private constructor(private readonly deps: PayeeCheckDeps) {
    this.stats = { mode: deps.vop.mode, pairs: 0, asked: 0, fromCache: 0, requests: 0, byResult: {}, noAnswer: 0, optedOut: 0 };
  }

  /** The run's checks, or null when vop.mode is off. */
  static for(deps: PayeeCheckDeps): PayeeChecks | null {
    return deps.vop.mode === 'off' ? null : new PayeeChecks(deps);
  }

  /** What the person running it must know about the settings. */
  warnings(): string[] {
    const { vop, verifier } = this.deps;
    if (vop.bulkOptOut) return ['Verification of Payee is not performed (vop.bulkOptOut, Art. 5c(6)): each payment sent says so in its note in Odoo.'];
    if (!verifier) return ['Verification of Payee is not configured (vop.url): payments are sent without a check of the payee\'s name; set vop.url, vop.cert and vop.key (docs/vop.md), or vop.mode off to silence this.'];
    return [];
  }

  /**
   * A decision for each payable bill of a page (mapped with `map`, the run's
   * own mapping). Maps nothing when nothing is checked (no provider configured).
   */
  async decidePage(page: readonly BillSnapshot[], map: (s: BillSnapshot) => MappingOutcome): Promise<Map<number, RunPayeeDecision>> {
    if (!this.deps.verifier && !this.deps.vop.bulkOptOut) return new Map();
    return this.decide(payeeSubjects(page, map));
  }

  /** A decision for each subject's bill (bills not among the subjects are not checked: they are not payable). */
  async decide(subjects: readonly PayeeSubject[]): Promise<Map<number, RunPayeeDecision>> {
    const decisions = new Map<number, RunPayeeDecision>();
    const { vop, verifier } = this.deps;
    if (vop.bulkOptOut) {
      for (const s of subjects) decisions.set(s.billId, { hold: null, note: BULK_OPT_OUT_NOTE, checkId: false });
      this.stats.optedOut += subjects.length;
      return decisions;
    }
    if (!verifier || subjects.length === 0) return decisions;
    await this.resolvePairs(subjects, verifier);
    const checked = subjects.filter((s) => this.outcomes.get(payeeKey(s))!.kind === 'checked');
    await this.loadRecords(checked);

    // One change per (account, IBAN, name): new records in one call, changed ones one by one (rare).
    const confirmedByOf = new Map<string, string | null>();
    const creates: { key: string; values: PayeeCheckValues }[] = [];
    for (const s of checked) {
      const key = recordKey(s);
      if (confirmedByOf.has(key)) continue;
      const { check } = this.outcomes.get(payeeKey(s)) as { kind: 'checked'; check: PayeeCheck };
      const stored = this.records.get(key);
      const change = payeeCheckChange(stored, check, s.accountId);
      confirmedByOf.set(key, change.confirmedBy);
      if (change.create) creates.push({ key, values: change.create });
      if (change.write && stored) {
        await writePayeeCheck(this.deps.odoo, stored.id, change.write);
        this.records.set(key, afterWrite(stored, change.write, this.deps.odoo.uid));
      }
    }
    if (creates.length) {
      const ids = await createPayeeChecks(this.deps.odoo, creates.map((c) => c.values));
      creates.forEach((c, i) => this.records.set(c.key, afterWrite(emptyRecord(ids[i]!), c.values, this.deps.odoo.uid)));
    }
    const policy = { mode: vop.mode === 'enforce' ? ('enforce' as const) : ('warn' as const), notPossible: vop.notPossible };
    for (const s of subjects) {
      const key = recordKey(s);
      const decision = decidePayee(s.billName, s, this.outcomes.get(payeeKey(s))!, confirmedByOf.get(key) ?? null, policy);
      decisions.set(s.billId, { ...decision, checkId: this.records.get(key)?.id ?? false });
    }
    return decisions;
  }

  /** Every pair of `subjects` not yet known this run: from the cache, else from the provider. */
  private async resolvePairs(subjects: readonly PayeeSubject[], verifier: PayeeVerifier): Promise<void> {
    const pairs = new Map<string, PayeeSubject>();
    for (const s of subjects) if (!this.outcomes.has(payeeKey(s)) && !pairs.has(payeeKey(s))) pairs.set(payeeKey(s), s);
    if (pairs.size === 0) return;
    this.stats.pairs += pairs.size;
    const cached = this.deps.cache ? await this.deps.cache.getMany([...pairs.values()]) : new Map<string, PayeeCheck>();
    for (const [key, check] of cached) this.known(key, { kind: 'checked', check });
    this.stats.fromCache += cached.size;
    const ask = [...pairs.entries()].filter(([key]) => !cached.has(key));
    if (ask.length === 0) return;
    const requestsBefore = verifier.requestsSent;
    const answers = await verifier.verify(ask.map(([, s]) => ({ iban: s.iban, name: s.name, organisationId: s.organisationId })));
    this.stats.requests += verifier.requestsSent - requestsBefore;
    this.stats.asked += ask.length;
    const fresh: PayeeCheck[] = [];
    ask.forEach(([key], i) => {
      const a = answers[i];
      if (a?.ok) {
        fresh.push(a.check);
        this.known(key, { kind: 'checked', check: a.check });
      } else {
        this.known(key, { kind: 'failed', detail: a ? a.error.message : 'no answer' });
      }
    });
    // Only answers are kept: a pair without one is asked again by the next run.
    if (this.deps.cache && fresh.length) await this.deps.cache.setMany(fresh);
  }

  private known(key: string, outcome: PayeeOutcome): void {
    this.outcomes.set(key, outcome);
    if (outcome.kind === 'checked') this.stats.byResult[outcome.check.result] = (this.stats.byResult[outcome.check.result] ?? 0) + 1;
    else if (outcome.kind === 'failed') this.stats.noAnswer++;
  }

  /** The records of the subjects' accounts not read yet this run (one search per 1,000 accounts). */
  private async loadRecords(subjects: readonly PayeeSubject[]): Promise<void> {
    const todo = subjects.filter((s) => !this.accountsRead.has(s.accountId));
    if (todo.length === 0) return;
    const accountIds = [...new Set(todo.map((s) => s.accountId))];
    const ibans = [...new Set(todo.map((s) => s.iban))];
    for (const r of await readPayeeChecks(this.deps.odoo, accountIds, ibans)) {
      if (r.accountId === null || r.iban === null || r.name === null) continue;
      const key = recordKey({ accountId: r.accountId, iban: r.iban, name: r.name });
      // Oldest first: a later record of the same account, IBAN and name (made by hand) never replaces stetpay's.
      if (!this.records.has(key)) this.records.set(key, r);
    }
    for (const id of accountIds) this.accountsRead.add(id);
  }
}

function recordKey(s: { accountId: number; iban: string; name: string }): string {
  return `${s.accountId}\n${payeeKey(s)}`;
}

/** What to record for this check, and who confirmed the payee if that confirmation holds. */
export interface PayeeCheckChange {
  /** A new record (none for this account, IBAN and name yet). */
  create?: PayeeCheckValues;
  /** Changes to the existing one. */
  write?: PayeeCheckValues;
  /** The person whose confirmation lets the payment go despite the result; null when nobody's holds. */
  confirmedBy: string | null;
}

/**
 * What the run records of `check` on the record of its account, IBAN and
 * name, and whose confirmation holds. Pure.
 *
 * - A confirmation holds for the answer a person saw: a new result (or a new
 *   name at the payee's bank) rewrites the record and clears it.
 * - Who confirmed is Odoo's, never a value typed in: the user who made the
 *   record's last change (`write_uid`, which no client can set). The same answer
 *   again writes nothing (the record keeps the first check that gave it; the
 *   payment's note names this one), so stetpay's own writes never hide that person.
 */
export function payeeCheckChange(stored: PayeeCheckRecord | undefined, check: PayeeCheck, accountId: number): PayeeCheckChange {
  const answer: PayeeCheckValues = {
    x_result: check.result,
    x_matched_name: check.matchedName ?? false,
    x_reason_code: check.reasonCode ?? false,
    x_reference: check.reference,
    x_checked_at: check.checkedAt,
  };
  if (!stored) {
    return { create: { x_name: `${formatIban(check.iban) || check.iban} · ${check.name}`, x_bank_account_id: accountId, x_iban: check.iban, x_payee_name: check.name, ...answer }, confirmedBy: null };
  }
  if (stored.result !== check.result || stored.matchedName !== (check.matchedName ?? null)) {
    // Written even if the record shows no tick: it clears a tick made since it was read.
    return { write: { ...answer, x_confirmed: false }, confirmedBy: null };
  }
  // Odoo always says who: a record without it is not taken as confirmed.
  return { confirmedBy: stored.confirmed ? (stored.lastChangedBy?.name ?? null) : null };
}

function emptyRecord(id: number): PayeeCheckRecord {
  return { id, accountId: null, iban: null, name: null, result: null, matchedName: null, reasonCode: null, reference: null, checkedAt: null, confirmed: false, lastChangedBy: null, lastChangedAt: null };
}

/** The record as it is after stetpay (user `ownUid`, now its last writer) wrote `v`. */
function afterWrite(r: PayeeCheckRecord, v: PayeeCheckValues, ownUid: number): PayeeCheckRecord {
  const text = (x: string | false | undefined, old: string | null) => (x === undefined ? old : x === false ? null : x);
  return {
    ...r,
    accountId: v.x_bank_account_id ?? r.accountId,
    iban: v.x_iban ?? r.iban,
    name: v.x_payee_name ?? r.name,
    result: v.x_result === undefined ? r.result : v.x_result || null,
    matchedName: text(v.x_matched_name, r.matchedName),
    reasonCode: text(v.x_reason_code, r.reasonCode),
    reference: text(v.x_reference, r.reference),
    checkedAt: text(v.x_checked_at, r.checkedAt),
    confirmed: v.x_confirmed ?? r.confirmed,
    lastChangedBy: { id: ownUid, name: '' },
  };
}
