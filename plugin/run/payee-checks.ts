/**
 * Verification of Payee in the run, before anything is reserved: for each
 * distinct (IBAN, name) of the night's payable bills, the answer cached in
 * Redis or asked of the provider (batched), the evidence written on the Odoo
 * bank account, and for each bill a decision: send (with its note) or hold
 * (with a reason). The decisions themselves are the pure rules of
 * connector/rules/payee-policy.ts.
 */
import type { BillSnapshot, PayeeCheck, VopResult } from '../../connector/model/index.js';
import { payeeKey } from '../../connector/model/index.js';
import { readPayeeEvidence, writePayeeEvidence, type OdooClient, type PayeeEvidence, type PayeeEvidenceValues } from '../../connector/odoo/index.js';
import type { MappingOutcome } from '../../connector/mapping/index.js';
import { BULK_OPT_OUT_NOTE, decidePayee, type PayeeDecision, type PayeeOutcome } from '../../connector/rules/index.js';
import type { PayeeVerification } from '../../connector/vop/index.js';
import type { PayeeCheckCache } from '../../worker/index.js';
import type { VopConfig } from '../config/index.js';

/** The provider, as the run uses it (the connector's PayeeVerificationClient). */
export interface PayeeVerifier {
  verify(requests: readonly { iban: string; name: string; organisationId?: string | null }[]): Promise<PayeeVerification[]>;
  /** Requests sent so far (batches). */
  readonly requestsSent: number;
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

/** The payable bills of a page, with the IBAN and name their payment would carry. `map` is the run's own mapping. */
export function payeeSubjects(page: readonly BillSnapshot[], map: (s: BillSnapshot) => MappingOutcome): PayeeSubject[] {
  const out: PayeeSubject[] = [];
  for (const s of page) {
    if (!s.supplierAccount) continue;
    const outcome = map(s);
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
  /** Each account's evidence as read (then as written) this run. */
  private readonly evidence = new Map<number, PayeeEvidence>();

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
  async decidePage(page: readonly BillSnapshot[], map: (s: BillSnapshot) => MappingOutcome): Promise<Map<number, PayeeDecision>> {
    if (!this.deps.verifier && !this.deps.vop.bulkOptOut) return new Map();
    return this.decide(payeeSubjects(page, map));
  }

  /** A decision for each subject's bill (bills not among the subjects are not checked: they are not payable). */
  async decide(subjects: readonly PayeeSubject[]): Promise<Map<number, PayeeDecision>> {
    const decisions = new Map<number, PayeeDecision>();
    const { vop, verifier } = this.deps;
    if (vop.bulkOptOut) {
      for (const s of subjects) decisions.set(s.billId, { hold: null, note: BULK_OPT_OUT_NOTE });
      this.stats.optedOut += subjects.length;
      return decisions;
    }
    if (!verifier || subjects.length === 0) return decisions;
    await this.resolvePairs(subjects, verifier);
    await this.loadEvidence(subjects.map((s) => s.accountId));

    const writes: { accountId: number; values: PayeeEvidenceValues }[] = [];
    const confirmedByOf = new Map<number, string | null>();
    for (const s of subjects) {
      if (confirmedByOf.has(s.accountId)) continue;
      const outcome = this.outcomes.get(payeeKey(s))!;
      const stored = this.evidence.get(s.accountId);
      const { values, confirmedBy } = outcome.kind === 'checked' && stored ? evidenceChange(stored, outcome.check) : { values: {}, confirmedBy: null };
      confirmedByOf.set(s.accountId, confirmedBy);
      if (Object.keys(values).length && stored) {
        writes.push({ accountId: s.accountId, values });
        this.evidence.set(s.accountId, applyValues(stored, values));
      }
    }
    if (writes.length) await writePayeeEvidence(this.deps.odoo, writes);
    const policy = { mode: vop.mode === 'enforce' ? ('enforce' as const) : ('warn' as const), notPossible: vop.notPossible };
    for (const s of subjects) decisions.set(s.billId, decidePayee(s.billName, s, this.outcomes.get(payeeKey(s))!, confirmedByOf.get(s.accountId) ?? null, policy));
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

  private async loadEvidence(accountIds: readonly number[]): Promise<void> {
    const missing = [...new Set(accountIds)].filter((id) => !this.evidence.has(id));
    if (missing.length === 0) return;
    for (const [id, e] of await readPayeeEvidence(this.deps.odoo, missing)) this.evidence.set(id, e);
  }
}

/**
 * What to write on an account for this check, and who confirmed its payee if
 * that confirmation holds. A confirmation holds for the IBAN, name and result
 * a person saw: a different one clears it (the person must look again).
 */
export function evidenceChange(stored: PayeeEvidence, check: PayeeCheck): { values: PayeeEvidenceValues; confirmedBy: string | null } {
  const sameAnswer = stored.checkedIban === check.iban && stored.checkedName === check.name && stored.result === check.result;
  const values: PayeeEvidenceValues = {};
  if (!sameAnswer || stored.reference !== check.reference || stored.matchedName !== check.matchedName) {
    Object.assign(values, {
      x_stet_vop_result: check.result,
      x_stet_vop_name: check.matchedName ?? false,
      x_stet_vop_checked_name: check.name,
      x_stet_vop_checked_iban: check.iban,
      x_stet_vop_checked_at: check.checkedAt,
      x_stet_vop_reference: check.reference,
    });
  }
  if (!sameAnswer) {
    // Written only to clear: never overwrite a tick a person may be making with a stale value.
    if (stored.confirmed) values.x_stet_vop_confirmed = false;
    if (stored.confirmedBy) values.x_stet_vop_confirmed_by = false;
    return { values, confirmedBy: null };
  }
  if (!stored.confirmed) return { values, confirmedBy: null };
  // Recorded the first time stetpay sees the tick: the account's last change is then the person's.
  const confirmedBy = stored.confirmedBy ?? stored.lastChangedBy ?? 'a person';
  if (!stored.confirmedBy) values.x_stet_vop_confirmed_by = confirmedBy;
  return { values, confirmedBy };
}

function applyValues(e: PayeeEvidence, v: PayeeEvidenceValues): PayeeEvidence {
  const text = (x: string | false | undefined, old: string | null) => (x === undefined ? old : x === false ? null : x);
  return {
    ...e,
    result: v.x_stet_vop_result === undefined ? e.result : v.x_stet_vop_result || null,
    matchedName: text(v.x_stet_vop_name, e.matchedName),
    checkedName: text(v.x_stet_vop_checked_name, e.checkedName),
    checkedIban: text(v.x_stet_vop_checked_iban, e.checkedIban),
    checkedAt: text(v.x_stet_vop_checked_at, e.checkedAt),
    reference: text(v.x_stet_vop_reference, e.reference),
    confirmed: v.x_stet_vop_confirmed ?? e.confirmed,
    confirmedBy: text(v.x_stet_vop_confirmed_by, e.confirmedBy),
  };
}
