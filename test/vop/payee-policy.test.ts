/** What each Verification of Payee outcome does to one payment (connector/rules/payee-policy.ts): exact decisions. */
import { expect } from 'chai';
import type { PayeeCheck, VopResult } from '../../connector/model/index.js';
import { BULK_OPT_OUT_NOTE, decidePayee, type PayeePolicy } from '../../connector/rules/payee-policy.js';
import type { PayeeCheckRecord } from '../../connector/odoo/payee-evidence.js';
import { payeeCheckChange } from '../../plugin/run/payee-checks.js';

const IBAN = 'FR7630004000031234567890143';
const SHOWN = 'FR76 3000 4000 0312 3456 7890 143';
const subject = { iban: IBAN, name: 'Menuiserie Ebenisterie Thevenin' };
const check = (result: VopResult, matchedName: string | null = null, reasonCode: string | null = null): { kind: 'checked'; check: PayeeCheck } => ({
  kind: 'checked',
  check: { ...subject, result, matchedName, reasonCode, reference: 'VOP-1', checkedAt: '2026-11-25 08:00:00' },
});
const ENFORCE: PayeePolicy = { mode: 'enforce', notPossible: 'warn' };
const ENFORCE_HOLD: PayeePolicy = { mode: 'enforce', notPossible: 'hold' };
const WARN: PayeePolicy = { mode: 'warn', notPossible: 'hold' };

describe('Verification of Payee policy (pure)', () => {
  it('VOP-MTCH a match is sent, its note naming the result and the evidence', () => {
    expect(decidePayee('BILL/1', subject, check('MTCH'), null, ENFORCE)).to.deep.equal({
      hold: null,
      note: `Verification of Payee: the payee's bank confirms 'Menuiserie Ebenisterie Thevenin' holds ${SHOWN}: match (MTCH; reference VOP-1, checked 2026-11-25 08:00:00 UTC).`,
    });
  });

  it('VOP-CMTC a close match is held with the name the payee\'s bank holds and what to do', () => {
    const d = decidePayee('BILL/1', subject, check('CMTC', 'Thevenin Menuiserie Ebenisterie'), null, ENFORCE);
    expect(d.hold).to.deep.equal({
      code: 'VOP_CLOSE_MATCH',
      rule: 'EPC-VOP',
      field: 'supplierAccount.holderName',
      message:
        `Bill BILL/1: held, not sent: the payee's bank holds the name 'Thevenin Menuiserie Ebenisterie' for account ${SHOWN}, close to but not the name on the payment, 'Menuiserie Ebenisterie Thevenin' (Verification of Payee: close match). ` +
        `Check with the supplier, then either have the account holder name on the supplier's bank account set to 'Thevenin Menuiserie Ebenisterie', or, if 'Menuiserie Ebenisterie Thevenin' is right, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run pays the bill.`,
    });
  });

  it('VOP-NMTC a mismatch is held with its reason', () => {
    const d = decidePayee('BILL/1', subject, check('NMTC'), null, ENFORCE);
    expect(d.hold?.code).to.equal('VOP_NO_MATCH');
    expect(d.hold?.message).to.equal(
      `Bill BILL/1: held, not sent: the payee's bank says account ${SHOWN} is not held by 'Menuiserie Ebenisterie Thevenin' (Verification of Payee: no match); the IBAN may have been changed by a fraudster. ` +
        `Call the supplier on a number you already had (not one from the invoice), have the IBAN or the name on the supplier's bank account corrected, or, only if the supplier confirms this very account, tick 'Payee confirmed' on the bill's payee check (Bank payment page); the next run looks again.`,
    );
  });

  it('VOP-CONFIRMED a close match or mismatch a person confirmed is sent, the note naming that person', () => {
    expect(decidePayee('BILL/1', subject, check('CMTC', 'Thevenin Menuiserie'), 'Camille Bérot', ENFORCE)).to.deep.equal({
      hold: null,
      note: `Verification of Payee: close match (CMTC) for 'Menuiserie Ebenisterie Thevenin' and ${SHOWN}; the payee's bank holds 'Thevenin Menuiserie'; sent because Camille Bérot confirmed the payee in Odoo (reference VOP-1, checked 2026-11-25 08:00:00 UTC).`,
    });
    expect(decidePayee('BILL/1', subject, check('NMTC'), 'Camille Bérot', ENFORCE).hold).to.equal(null);
  });

  it('VOP-NOAP check not possible: sent with a note under notPossible warn, held under hold', () => {
    expect(decidePayee('BILL/1', subject, check('NOAP', null, 'AC01'), null, ENFORCE)).to.deep.equal({
      hold: null,
      note: `Verification of Payee: check not possible (NOAP) for 'Menuiserie Ebenisterie Thevenin' and ${SHOWN}; sent anyway (vop.notPossible is warn; reference VOP-1, checked 2026-11-25 08:00:00 UTC).`,
    });
    const held = decidePayee('BILL/1', subject, check('NOAP', null, 'AC01'), null, ENFORCE_HOLD).hold!;
    expect(held.code).to.equal('VOP_NOT_POSSIBLE');
    expect(held.message).to.contain("(Verification of Payee: check not possible, reason AC01) and stetpay holds such payments (vop.notPossible: hold)");
  });

  it('VOP-TIMEOUT no answer: sent with a note under notPossible warn, held under hold (never a confirmation: nothing was checked)', () => {
    const failed = { kind: 'failed' as const, detail: 'no answer within 1000 ms' };
    expect(decidePayee('BILL/1', subject, failed, null, ENFORCE)).to.deep.equal({ hold: null, note: 'Verification of Payee: no answer (no answer within 1000 ms); sent without the check (vop.notPossible is warn).' });
    expect(decidePayee('BILL/1', subject, failed, 'Camille Bérot', ENFORCE_HOLD).hold).to.deep.include({
      code: 'VOP_UNAVAILABLE',
      message: `Bill BILL/1: held, not sent: the Verification of Payee service gave no answer for account ${SHOWN} (no answer within 1000 ms) and stetpay holds such payments (vop.notPossible: hold). Nothing to do: the next run asks again.`,
    });
  });

  it('VOP-WARN mode warn never holds: each result is sent with its note', () => {
    for (const r of ['CMTC', 'NMTC', 'NOAP'] as const) {
      const d = decidePayee('BILL/1', subject, check(r), null, WARN);
      expect(d.hold, r).to.equal(null);
      expect(d.note, r).to.contain('sent anyway (vop.mode is warn;');
    }
    expect(decidePayee('BILL/1', subject, { kind: 'failed', detail: 'x' }, null, WARN)).to.deep.equal({ hold: null, note: 'Verification of Payee: no answer (x); sent without the check (vop.mode is warn).' });
  });

  it('VOP-OPT-OUT a payment under the bulk opt-out says so (Art. 5c(6))', () => {
    expect(decidePayee('BILL/1', subject, { kind: 'opted_out' }, null, ENFORCE)).to.deep.equal({ hold: null, note: BULK_OPT_OUT_NOTE });
    expect(BULK_OPT_OUT_NOTE).to.contain('Art. 5c(6)');
  });
});

describe('Verification of Payee evidence: what the run records and whose confirmation holds (payeeCheckChange, pure)', () => {
  const stored = (over: Partial<PayeeCheckRecord> = {}): PayeeCheckRecord => ({
    id: 9, accountId: 4, iban: IBAN, name: subject.name, result: 'CMTC', matchedName: 'Thevenin Menuiserie Ebenisterie', reasonCode: null, reference: 'VOP-0', checkedAt: '2026-11-24 08:00:00',
    confirmed: false, lastChangedBy: { id: 6, name: 'Camille Bérot' }, lastChangedAt: '2026-11-24 08:00:01', ...over,
  });
  const cmtc = check('CMTC', 'Thevenin Menuiserie Ebenisterie').check;

  it('VOP-EVIDENCE a first check of an account, IBAN and name creates its record, named "IBAN · name"', () => {
    expect(payeeCheckChange(undefined, cmtc, 4)).to.deep.equal({
      create: { x_name: `${SHOWN} · ${subject.name}`, x_bank_account_id: 4, x_iban: IBAN, x_payee_name: subject.name, x_result: 'CMTC', x_matched_name: 'Thevenin Menuiserie Ebenisterie', x_reason_code: false, x_reference: 'VOP-1', x_checked_at: '2026-11-25 08:00:00' },
      confirmedBy: null,
    });
  });

  it('VOP-EVIDENCE the same answer again writes nothing; a confirmed check names its last writer, as Odoo records it', () => {
    expect(payeeCheckChange(stored(), cmtc, 4)).to.deep.equal({ confirmedBy: null });
    expect(payeeCheckChange(stored({ confirmed: true, lastChangedBy: { id: 2, name: 'Mitchell Admin' } }), cmtc, 4)).to.deep.equal({ confirmedBy: 'Mitchell Admin' });
    // Odoo always says who: without it, nobody's confirmation holds
    expect(payeeCheckChange(stored({ confirmed: true, lastChangedBy: null }), cmtc, 4)).to.deep.equal({ confirmedBy: null });
  });

  it('VOP-EVIDENCE a new answer (another result, or another name at the payee\'s bank) rewrites the check and clears the confirmation', () => {
    const cleared = { x_result: 'NMTC', x_matched_name: false, x_reason_code: false, x_reference: 'VOP-1', x_checked_at: '2026-11-25 08:00:00', x_confirmed: false };
    expect(payeeCheckChange(stored({ confirmed: true }), check('NMTC').check, 4)).to.deep.equal({ write: cleared, confirmedBy: null });
    expect(payeeCheckChange(stored({ confirmed: true }), check('CMTC', 'Thevenin SARL').check, 4)).to.deep.equal({ write: { ...cleared, x_result: 'CMTC', x_matched_name: 'Thevenin SARL' }, confirmedBy: null });
  });
});
