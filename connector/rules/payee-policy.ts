/**
 * What a Verification of Payee outcome means for one payment: send it (with
 * the sentence its chatter note carries), or hold it with a reason saying what
 * a person must do. Pure: the outcome, the person's confirmation and the
 * settings are arguments.
 *
 * - `MTCH`: sent.
 * - `CMTC`, `NMTC`: held under `enforce` until a person corrects the name or
 *   IBAN (a new check) or confirms the payee on the bank account.
 * - `NOAP`, no answer: `notPossible` decides: `warn` sends with a note, `hold` holds.
 * - `warn` mode: never holds; every result is noted on the payment.
 */
import type { PayeeCheck, Reason } from '../model/index.js';
import { VOP_RESULT_LABELS } from '../model/index.js';
import { formatIban } from './iban.js';
import { makeReason } from './reasons.js';

export type VopMode = 'off' | 'warn' | 'enforce';
export type NotPossiblePolicy = 'warn' | 'hold';

export interface PayeePolicy {
  mode: 'warn' | 'enforce';
  /** NOAP or no answer: `warn` sends with a note, `hold` holds. */
  notPossible: NotPossiblePolicy;
}

/** What happened to the check of one payment's (IBAN, name). */
export type PayeeOutcome =
  | { kind: 'checked'; check: PayeeCheck }
  /** No answer: time-out, provider down, or an answer stetpay could not read. */
  | { kind: 'failed'; detail: string }
  /** Not asked: the company opted out for bulk submissions (Art. 5c(6)). */
  | { kind: 'opted_out' };

/** A hold (never sent tonight; the reason says what to do) or a go with the note's sentence. */
export type PayeeDecision = { hold: Reason; note?: undefined } | { hold: null; note: string };

export const BULK_OPT_OUT_NOTE =
  'Verification of Payee not performed: sent under the business opt-out for payment orders submitted in bulk (Regulation (EU) 2024/886, Art. 5c(6); setting vop.bulkOptOut).';

function evidence(c: PayeeCheck): string {
  return `reference ${c.reference}, checked ${c.checkedAt} UTC`;
}

/**
 * @param confirmedBy who confirmed the payee on the bank account for this very
 *   (IBAN, name, result), or null when nobody did.
 */
export function decidePayee(billName: string, subject: { iban: string; name: string }, outcome: PayeeOutcome, confirmedBy: string | null, policy: PayeePolicy): PayeeDecision {
  if (outcome.kind === 'opted_out') return { hold: null, note: BULK_OPT_OUT_NOTE };
  const enforce = policy.mode === 'enforce';
  const holdNotPossible = enforce && policy.notPossible === 'hold';
  if (outcome.kind === 'failed') {
    if (holdNotPossible) return { hold: makeReason('VOP_UNAVAILABLE', billName, { iban: formatIban(subject.iban) || subject.iban, detail: outcome.detail }) };
    return { hold: null, note: `Verification of Payee: no answer (${outcome.detail}); sent without the check (vop.${enforce ? 'notPossible' : 'mode'} is warn).` };
  }
  const c = outcome.check;
  const iban = formatIban(c.iban) || c.iban;
  const label = `${VOP_RESULT_LABELS[c.result].toLowerCase()} (${c.result})`;
  if (c.result === 'MTCH') return { hold: null, note: `Verification of Payee: the payee's bank confirms '${c.name}' holds ${iban}: match (MTCH; ${evidence(c)}).` };
  const heldName = c.matchedName ? `; the payee's bank holds '${c.matchedName}'` : '';
  if (confirmedBy) return { hold: null, note: `Verification of Payee: ${label} for '${c.name}' and ${iban}${heldName}; sent because ${confirmedBy} confirmed the payee in Odoo (${evidence(c)}).` };
  const mustHold = c.result === 'NOAP' ? holdNotPossible : enforce;
  if (!mustHold) return { hold: null, note: `Verification of Payee: ${label} for '${c.name}' and ${iban}${heldName}; sent anyway (vop.${c.result === 'NOAP' && enforce ? 'notPossible' : 'mode'} is warn; ${evidence(c)}).` };
  switch (c.result) {
    case 'CMTC':
      return { hold: makeReason('VOP_CLOSE_MATCH', billName, { iban, name: c.name, matchedName: c.matchedName ?? '?' }) };
    case 'NMTC':
      return { hold: makeReason('VOP_NO_MATCH', billName, { iban, name: c.name }) };
    default:
      return { hold: makeReason('VOP_NOT_POSSIBLE', billName, { iban, name: c.name, detail: c.reasonCode ? `reason ${c.reasonCode}` : 'no reason given' }) };
  }
}
