/** The approval rules APPROVAL-01..07 (connector/rules/approval-policy.ts), pure: exact reasons. */
import { expect } from 'chai';
import type { AccountConfirmation, ApprovalRecord, ApprovalSnapshot } from '../../connector/model/index.js';
import { decideApproval, formatAmount, type ApprovalPolicy, type BillToApprove } from '../../connector/rules/index.js';

const NOW = new Date('2026-12-03T01:30:00Z');
const ALICE = { id: 5, name: 'Alice Martin' };
const BRUNO = { id: 6, name: 'Bruno Lefèvre' };
const CAMILLE = { id: 3, name: 'Camille Bérot' };
const MITCHELL = { id: 2, name: 'Mitchell Admin' };

const snapshot: ApprovalSnapshot = { supplierId: 40, accountId: 7, iban: 'FR7630004000031234567890143', holder: null, amountCents: 120_000, currency: 'EUR', state: 'posted' };
const policy: ApprovalPolicy = { fourEyes: true, approversGroup: 'account.group_account_manager', approvers: new Set([ALICE.id, BRUNO.id, MITCHELL.id]), secondApproverAboveCents: 1_000_000, accountHoldDays: 7, timeZone: 'Europe/Paris' };
const oldAccount = { id: 7, createdBy: MITCHELL, createdAt: '2026-09-01 08:00:00', changedBy: MITCHELL, changedAt: '2026-09-01 08:00:00' };
const bill = (over: Partial<BillToApprove> = {}, now: Partial<ApprovalSnapshot> = {}): BillToApprove => ({ name: 'BILL/2026/12/0001', now: { ...snapshot, ...now }, author: CAMILLE, account: oldAccount, ...over });
let nextId = 1;
const approval = (by = ALICE, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({ ...snapshot, id: nextId++, billId: 1, approver: by, approvedAt: '2026-12-02 14:05:00', ...over });
const decide = (b: BillToApprove, approvals: ApprovalRecord[], p: Partial<ApprovalPolicy> = {}, confirmations: AccountConfirmation[] = []) => decideApproval(b, approvals, confirmations, { ...policy, ...p }, NOW);

describe('approval rules (APPROVAL-01..07)', () => {
  it('APPROVAL-00 an approver of the group, not the author, for what the bill is now: paid', () => {
    expect(decide(bill(), [approval()])).to.equal(null);
  });

  it('APPROVAL-01 ticked without an approval record: held, saying to use Approve for payment', () => {
    const r = decide(bill(), [])!;
    expect(r.code).to.equal('APPROVAL_MISSING');
    expect(r.message).to.equal("Bill BILL/2026/12/0001: held, not sent: it is ticked 'Approved for bank payment' but nobody approved it with 'Approve for payment', which records who approved what; an approver opens the bill and uses Action > Approve for payment, and the next run pays it.");
  });

  it('APPROVAL-02 amount changed after approval: the clerk reads what was approved, by whom, when, and what it is now', () => {
    const r = decide(bill({}, { amountCents: 150_000 }), [approval()])!;
    expect(r.code).to.equal('APPROVAL_CHANGED');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved for 1,200.00 EUR to FR76 …0143 by Alice Martin on 2 Dec 2026; now 1,500.00 EUR: approve it again (Action > Approve for payment) if the new values are right.');
  });

  it('APPROVAL-02 account switched after approval (another account, another IBAN)', () => {
    const r = decide(bill({ account: { ...oldAccount, id: 8 } }, { accountId: 8, iban: 'DE89370400440532013000' }), [approval()])!;
    expect(r.message).to.contain('; now to DE89 …3000 (another bank account): approve it again');
  });

  it('APPROVAL-02 the holder, the supplier or the state changed: each named', () => {
    expect(decide(bill({}, { holder: 'ACME LTD' }), [approval()])!.message).to.contain("now account holder 'ACME LTD'");
    expect(decide(bill({}, { supplierId: 41 }), [approval()])!.message).to.contain('now another supplier');
    expect(decide(bill({}, { state: 'cancel' }), [approval()])!.message).to.contain('now the bill cancelled');
    expect(decide(bill({}, { state: 'draft' }), [approval()])!.message).to.contain('now the bill back in draft');
    expect(decide(bill({}, { holder: null }), [approval(ALICE, { holder: 'ACME LTD' })])!.message).to.contain('now no account holder');
  });

  it('APPROVAL-02 a new approval for the new values counts again', () => {
    expect(decide(bill({}, { amountCents: 150_000 }), [approval(), approval(BRUNO, { amountCents: 150_000 })])).to.equal(null);
  });

  it('APPROVAL-03 approved by someone outside the approvers\' group: held, naming the group', () => {
    const r = decide(bill({ author: MITCHELL }), [approval(CAMILLE)])!;
    expect(r.code).to.equal('APPROVER_NOT_ALLOWED');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved by Camille Bérot, who is not among the people who may approve payments (Odoo group account.group_account_manager); someone of that group approves it with Action > Approve for payment.');
  });

  it("APPROVAL-02 a non-approver's record for other values hides nothing: Alice's valid approval still counts, and alone it is quoted as not allowed, never as 'approved for'", () => {
    const fake = approval(CAMILLE, { amountCents: 1 });
    expect(decide(bill(), [approval(ALICE), fake])).to.equal(null);
    expect(decide(bill(), [approval(CAMILLE, { amountCents: 1 })])!.message).to.equal("Bill BILL/2026/12/0001: held, not sent: approved by Camille Bérot, who is not among the people who may approve payments (Odoo group account.group_account_manager); someone of that group approves it with Action > Approve for payment.");
  });

  it("APPROVAL-02 the newest approval quoted is the newest an approver made, not a later non-approver's record", () => {
    const r = decide(bill({}, { amountCents: 150_000 }), [approval(ALICE), approval(CAMILLE, { amountCents: 1 })])!;
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved for 1,200.00 EUR to FR76 …0143 by Alice Martin on 2 Dec 2026; now 1,500.00 EUR: approve it again (Action > Approve for payment) if the new values are right.');
  });

  it('APPROVAL-02 an approver\'s newer record for other values does not hide a valid approval of the values the bill has now', () => {
    expect(decide(bill(), [approval(ALICE), approval(BRUNO, { amountCents: 99 })])).to.equal(null);
  });

  it('APPROVAL-04 approved by the author: held with four eyes on, paid with four eyes off', () => {
    const r = decide(bill({ author: ALICE }), [approval(ALICE)])!;
    expect(r.code).to.equal('APPROVED_BY_AUTHOR');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved by Alice Martin, who created the bill; four eyes: another approver approves it with Action > Approve for payment.');
    expect(decide(bill({ author: ALICE }), [approval(ALICE)], { fourEyes: false })).to.equal(null);
  });

  it('APPROVAL-05 approved by whoever last changed (or created) the recipient account: held with four eyes on', () => {
    const r = decide(bill(), [approval(MITCHELL)])!;
    expect(r.code).to.equal('APPROVED_BY_ACCOUNT_CHANGER');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved by Mitchell Admin, who created, changed or set on the bill its recipient bank account FR76 …0143; four eyes: another approver approves it with Action > Approve for payment.');
    expect(decide(bill(), [approval(MITCHELL)], { fourEyes: false })).to.equal(null);
  });

  it('APPROVAL-05 approved by whoever set the account on the bill (Odoo 17\'s chatter): held with four eyes on', () => {
    expect(decide(bill({ accountSetBy: ALICE }), [approval(ALICE)])!.code).to.equal('APPROVED_BY_ACCOUNT_CHANGER');
    expect(decide(bill({ accountSetBy: ALICE }), [approval(ALICE), approval(BRUNO)])).to.equal(null);
  });

  it('APPROVAL-06 above the threshold one approver is not enough, a second different one is; the same one twice is not', () => {
    const big = bill({}, { amountCents: 1_250_000 });
    const first = approval(ALICE, { amountCents: 1_250_000 });
    const r = decide(big, [first])!;
    expect(r.code).to.equal('SECOND_APPROVAL_MISSING');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: 12,500.00 EUR is above 10,000.00 EUR, so two different people must approve it; approved so far by Alice Martin only: a second approver approves it with Action > Approve for payment.');
    expect(decide(big, [first, approval(ALICE, { amountCents: 1_250_000 })])!.code).to.equal('SECOND_APPROVAL_MISSING');
    expect(decide(big, [first, approval(BRUNO, { amountCents: 1_250_000 })])).to.equal(null);
    expect(decide(big, [first], { secondApproverAboveCents: null })).to.equal(null);
  });

  it('APPROVAL-06 an approver who may not approve is not the second one', () => {
    const big = bill({}, { amountCents: 1_250_000 });
    expect(decide(big, [approval(ALICE, { amountCents: 1_250_000 }), approval(CAMILLE, { amountCents: 1_250_000 })])!.code).to.equal('SECOND_APPROVAL_MISSING');
  });

  it('APPROVAL-07 an account IBAN edited two days before the run: held naming who and when, until an approver other than its changer confirms it', () => {
    const changed = { ...oldAccount, changedBy: MITCHELL, changedAt: '2026-12-01 09:00:00' };
    const r = decide(bill({ account: changed }), [approval(ALICE, { approvedAt: '2026-12-02 14:05:00' })])!;
    expect(r.code).to.equal('ACCOUNT_RECENTLY_CHANGED');
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: its recipient bank account FR76 …0143 was changed by Mitchell Admin (its last editor: Odoo does not tell this user who changed the IBAN) on 1 Dec 2026 (less than 7 days before this run); call the supplier on a number you already had, then an approver other than Mitchell Admin opens the bank account and uses Action > Confirm bank account; the next run pays it.');
    const byChanger: AccountConfirmation = { accountId: 7, iban: snapshot.iban, holder: null, by: MITCHELL, at: '2026-12-02 10:00:00' };
    expect(decide(bill({ account: changed }), [approval()], {}, [byChanger])!.code).to.equal('ACCOUNT_RECENTLY_CHANGED');
    const bySomeoneElse: AccountConfirmation = { ...byChanger, by: BRUNO };
    expect(decide(bill({ account: changed }), [approval()], {}, [bySomeoneElse])).to.equal(null);
    expect(decide(bill({ account: changed }), [approval()], {}, [{ ...bySomeoneElse, iban: 'FR7600000000000000000000000' }])!.code, 'a confirmation of another IBAN').to.equal('ACCOUNT_RECENTLY_CHANGED');
    expect(decide(bill({ account: changed }), [approval()], {}, [{ ...bySomeoneElse, at: '2026-11-30 10:00:00' }])!.code, 'a confirmation before the change').to.equal('ACCOUNT_RECENTLY_CHANGED');
  });

  it("APPROVAL-07 a confirmation counts only from the approvers' group: a clerk's does not lift the hold, and the reason says why", () => {
    const changed = { ...oldAccount, changedBy: MITCHELL, changedAt: '2026-12-01 09:00:00' };
    const byClerk: AccountConfirmation = { accountId: 7, iban: snapshot.iban, holder: null, by: CAMILLE, at: '2026-12-02 10:00:00' };
    expect(decide(bill({ account: changed }), [approval()], {}, [byClerk])!.message).to.equal("Bill BILL/2026/12/0001: held, not sent: its recipient bank account FR76 …0143 was changed by Mitchell Admin (its last editor: Odoo does not tell this user who changed the IBAN) on 1 Dec 2026 (less than 7 days before this run); call the supplier on a number you already had, then an approver other than Mitchell Admin (the confirmation by Camille Bérot does not count: only the approvers' group account.group_account_manager may confirm) opens the bank account and uses Action > Confirm bank account; the next run pays it.");
  });

  it('APPROVAL-05 four eyes looks at every tracked change of the account, not only its last editor: Alice changed the IBAN, Bruno then ticked it trusted; Alice may not approve', () => {
    const account = { ...oldAccount, changedBy: BRUNO, changedAt: '2026-12-01 09:30:00', changes: [{ by: ALICE, at: '2026-12-01 09:00:00', fields: ['acc_number'] }, { by: BRUNO, at: '2026-12-01 09:30:00', fields: ['allow_out_payment'] }] };
    expect(decide(bill({ account }), [approval(ALICE)])!.message).to.equal('Bill BILL/2026/12/0001: held, not sent: approved by Alice Martin, who created, changed or set on the bill its recipient bank account FR76 …0143; four eyes: another approver approves it with Action > Approve for payment.');
  });

  it('APPROVAL-07 the hold names who changed the IBAN (17 tracking), and nobody who changed the account may confirm it: not Alice (IBAN), not Bruno (trusted flag), not the creator', () => {
    const account = { ...oldAccount, changedBy: BRUNO, changedAt: '2026-12-01 09:30:00', changes: [{ by: ALICE, at: '2026-12-01 09:00:00', fields: ['acc_number'] }, { by: BRUNO, at: '2026-12-01 09:30:00', fields: ['allow_out_payment'] }] };
    const approvedByOther = [approval({ id: 9, name: 'Denise Roy' })];
    const p = { approvers: new Set([ALICE.id, BRUNO.id, MITCHELL.id, 9]) };
    const at = (by: typeof ALICE): AccountConfirmation => ({ accountId: 7, iban: snapshot.iban, holder: null, by, at: '2026-12-02 10:00:00' });
    const r = decide(bill({ account }), approvedByOther, p, [at(ALICE)])!;
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: its recipient bank account FR76 …0143 was changed by Alice Martin on 1 Dec 2026 (less than 7 days before this run); call the supplier on a number you already had, then an approver other than Mitchell Admin, Bruno Lefèvre and Alice Martin (the confirmation by Alice Martin does not count: they changed the account) opens the bank account and uses Action > Confirm bank account; the next run pays it.');
    expect(decide(bill({ account }), approvedByOther, p, [at(BRUNO)])!.code).to.equal('ACCOUNT_RECENTLY_CHANGED');
    expect(decide(bill({ account }), approvedByOther, p, [at(MITCHELL)])!.code).to.equal('ACCOUNT_RECENTLY_CHANGED');
    expect(decide(bill({ account }), approvedByOther, p, [at({ id: 9, name: 'Denise Roy' })])).to.equal(null);
  });

  it('APPROVAL-07 where Odoo does not tell who changed the IBAN (16/18): the creator and the last editor both count as changers, and the reason says the name is the last editor', () => {
    const account = { ...oldAccount, createdBy: ALICE, changedBy: BRUNO, changedAt: '2026-12-01 09:30:00' };
    const at = (by: typeof ALICE): AccountConfirmation => ({ accountId: 7, iban: snapshot.iban, holder: null, by, at: '2026-12-02 10:00:00' });
    const r = decide(bill({ account }), [approval(MITCHELL)], {}, [at(ALICE)])!;
    expect(r.message).to.equal('Bill BILL/2026/12/0001: held, not sent: its recipient bank account FR76 …0143 was changed by Bruno Lefèvre (its last editor: Odoo does not tell this user who changed the IBAN) on 1 Dec 2026 (less than 7 days before this run); call the supplier on a number you already had, then an approver other than Alice Martin and Bruno Lefèvre (the confirmation by Alice Martin does not count: they changed the account) opens the bank account and uses Action > Confirm bank account; the next run pays it.');
    expect(decide(bill({ account }), [approval(MITCHELL)], {}, [at(MITCHELL)])).to.equal(null);
  });

  it('APPROVAL-07 an account changed after the approval holds it whatever its age; 0 days holds only that', () => {
    const changed = { ...oldAccount, changedAt: '2026-11-20 09:00:00' };
    expect(decide(bill({ account: changed }), [approval(ALICE, { approvedAt: '2026-11-19 09:00:00' })])!.message).to.contain('(after the bill was approved on 19 Nov 2026)');
    expect(decide(bill({ account: changed }), [approval(ALICE, { approvedAt: '2026-11-21 09:00:00' })], { accountHoldDays: 0 })).to.equal(null);
    const created = { ...oldAccount, createdAt: '2026-12-02 09:00:00', changedAt: '2026-12-02 09:00:00' };
    expect(decide(bill({ account: created }), [approval()])!.message).to.contain('was created by Mitchell Admin on 2 Dec 2026');
  });

  it('formats amounts the way the clerk reads them', () => {
    expect(formatAmount(120_000, 'EUR')).to.equal('1,200.00 EUR');
    expect(formatAmount(123_456_789, 'EUR')).to.equal('1,234,567.89 EUR');
    expect(formatAmount(5, 'EUR')).to.equal('0.05 EUR');
  });
});
