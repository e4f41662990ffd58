import { expect } from 'chai';
import type { BillSnapshot } from '../../connector/model/bill-snapshot.js';
import type { PaymentRequestResource } from '../../connector/model/stet-payment-request.js';
import { MappingConfigError, mapBill, type MappingContext, type MappingOutcome } from '../../connector/mapping/index.js';
import { STET_1_6 } from '../../connector/profiles/index.js';
import { databaseHash, makeCreditorReference } from '../../connector/rules/index.js';
import { validatePaymentRequest } from '../../connector/schema/validate-payment-request.js';
import { officialStetSpecPath } from '../support/paths.js';
import { mappingContext } from '../../plugin/app/mapping-context.js';
import { context, goodSnapshot, snapshotWith } from './support/fixtures.js';
import { officialErrors, officialSpecAvailable } from './support/official-oas.js';

/** Every request the mapper produced in this file: each is checked against both schemas. */
const produced: PaymentRequestResource[] = [];

function map(snapshot: BillSnapshot, ctx: MappingContext = context()): MappingOutcome {
  const outcome = mapBill(snapshot, ctx);
  if (outcome.kind === 'payable') {
    produced.push(outcome.request);
    const check = validatePaymentRequest(outcome.request);
    expect(check.errors, 'stetpay STET 1.6.2 schema').to.deep.equal([]);
    expect(check.valid).to.equal(true);
  }
  return outcome;
}

function payable(snapshot: BillSnapshot = goodSnapshot(), ctx: MappingContext = context()) {
  const outcome = map(snapshot, ctx);
  if (outcome.kind !== 'payable') throw new Error(`expected payable, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function codes(outcome: MappingOutcome): string[] {
  if (outcome.kind === 'invalid') return outcome.reasons.map((r) => r.code);
  if (outcome.kind === 'not_yet_payable') return [outcome.reason.code];
  return [];
}

const tx = (r: PaymentRequestResource) => r.creditTransferTransaction[0]!;
const DB = databaseHash('acme-prod');

describe('mapping a bill to a STET 1.6.2 payment request', () => {
  it('maps a good bill to exactly this request', () => {
    const outcome = payable();
    expect(outcome.ids).to.deep.equal({ paymentInformationId: `SPP-${DB}-42-0`, instructionId: `SPI-${DB}-42-0`, endToEndId: `SPE-${DB}-42-0` });
    expect(outcome.amountCents).to.equal(123456);
    expect(outcome.executionDate).to.equal('2026-12-04');
    expect(outcome.request).to.deep.equal({
      paymentInformationId: `SPP-${DB}-42-0`,
      creationDateTime: '2026-11-25T10:00:00.000+01:00',
      numberOfTransactions: 1,
      initiatingParty: { name: 'Ateliers Dupre SAS' },
      paymentTypeInformation: { serviceLevel: 'SEPA', categoryPurpose: 'CASH' },
      debtor: { name: 'Ateliers Dupre SAS', postalAddress: { country: 'FR' } },
      debtorAccount: { iban: 'FR7630006000011234567890189' },
      debtorAgent: { bicFi: 'NATXFRPPXXX' },
      chargeBearer: 'SLEV',
      creditTransferTransaction: [
        {
          paymentId: { instructionId: `SPI-${DB}-42-0`, endToEndId: `SPE-${DB}-42-0` },
          requestedExecutionDate: '2026-12-04T00:00:00.000+01:00',
          instructedAmount: { amount: 1234.56, currency: 'EUR' },
          beneficiary: {
            creditor: { name: 'Muller + Sohne GmbH', postalAddress: { country: 'DE', streetName: 'Hohe Strasse 12', postCode: '50667', townName: 'Koln' } },
            creditorAccount: { iban: 'DE89370400440532013000' },
            creditorAgent: { bicFi: 'COBADEFFXXX' },
          },
          remittanceInformation: { unstructured: ['INV-7781 BILL/2026/11/0042'] },
        },
      ],
      supplementaryData: {
        acceptedAuthenticationApproach: ['REDIRECT'],
        successfulReportUrl: `https://stetpay.example/callback/ok?payment=SPP-${DB}-42-0`,
        unsuccessfulReportUrl: `https://stetpay.example/callback/ko?payment=SPP-${DB}-42-0`,
      },
    });
  });

  it('the same bill and attempt map to the same ids; a new attempt to new ids', () => {
    expect(payable().ids).to.deep.equal(payable().ids);
    const again = payable(snapshotWith({ bill: { attempt: 1 } }));
    expect(again.ids.endToEndId).to.equal(`SPE-${DB}-42-1`);
  });

  it('NWM-01 sends serviceLevel SEPA', () => {
    expect(payable().request.paymentTypeInformation.serviceLevel).to.equal('SEPA');
  });

  it('NWM-02 refuses a USD bill', () => {
    const outcome = map(snapshotWith({ bill: { currency: 'USD' } }));
    expect(codes(outcome)).to.deep.equal(['CURRENCY_NOT_EUR']);
    expect(outcome.kind === 'invalid' && outcome.reasons[0]!.message).to.equal(
      'Bill BILL/2026/11/0042: it is in USD; the bank only pays in EUR by SEPA transfer: pay it another way.',
    );
  });

  it('NWM-03 asks for today, never a past date, when the due date is past', () => {
    const r = payable(snapshotWith({ bill: { dueDate: '2026-10-01' } })).request;
    expect(tx(r).requestedExecutionDate).to.equal('2026-11-25T00:00:00.000+01:00');
  });

  it('NWM-04 leaves a bill due in 31 days for a later run', () => {
    const monday = context({ now: new Date('2026-11-23T09:00:00Z') });
    const outcome = map(snapshotWith({ bill: { dueDate: '2026-12-24' } }), monday); // Thursday, 31 days ahead
    expect(outcome).to.deep.include({ kind: 'not_yet_payable', billId: 42, payableFrom: '2026-11-24' });
    expect(outcome.kind === 'not_yet_payable' && outcome.reason).to.deep.equal({
      code: 'NOT_YET_PAYABLE', rule: 'NWM-04', field: 'bill.dueDate',
      message: 'Bill BILL/2026/11/0042: it is due on 2026-12-24, more than 30 days ahead; nothing to do: it will be sent from 2026-11-24.',
    });
    expect(map(snapshotWith({ bill: { dueDate: '2026-12-23' } }), monday).kind).to.equal('payable'); // 30 days: the last allowed
    // Today 25 Nov: Saturday 26 Dec moves (FWNG) to Monday 28 Dec, 33 days ahead.
    expect(map(snapshotWith({ bill: { dueDate: '2026-12-26' } })).kind).to.equal('not_yet_payable');
  });

  it('NWM-04: an invalid bill far ahead is invalid now (the clerk fixes it first)', () => {
    expect(codes(map(snapshotWith({ bill: { dueDate: '2027-06-01', currency: 'USD' } })))).to.deep.equal(['CURRENCY_NOT_EUR']);
  });

  it('NWM-05 sends a single payment: numberOfTransactions 1, one transaction', () => {
    const r = payable().request;
    expect(r.numberOfTransactions).to.equal(1);
    expect(r.creditTransferTransaction).to.have.length(1);
  });

  it('NWM-06 moves a Saturday to Monday', () => {
    const outcome = payable(snapshotWith({ bill: { dueDate: '2026-12-05' } }));
    expect(outcome.executionDate).to.equal('2026-12-07');
    expect(tx(outcome.request).requestedExecutionDate).to.equal('2026-12-07T00:00:00.000+01:00');
  });

  it('NWM-06 moves Christmas 2026 to Monday 28 December', () => {
    const december = context({ now: new Date('2026-12-01T09:00:00Z') });
    expect(payable(snapshotWith({ bill: { dueDate: '2026-12-25' } }), december).executionDate).to.equal('2026-12-28');
  });

  it('NWM-07 sends no frequency nor standing order', () => {
    const json = JSON.stringify(payable().request);
    expect(json).not.to.include('frequency');
    expect(json).not.to.include('standingOrderCharacteristics');
  });

  it('NWM-08 sends no localInstrument, and refuses an instant configuration', () => {
    expect(payable().request.paymentTypeInformation).not.to.have.property('localInstrument');
    expect(() => mapBill(goodSnapshot(), context({ instant: true }))).to.throw(MappingConfigError, 'NWM-08');
  });

  it('a generic STET 1.6 bank may send SCT Inst', () => {
    const r = payable(goodSnapshot(), context({ profile: STET_1_6, instant: true, registeredBeneficiaries: undefined })).request;
    expect(r.paymentTypeInformation).to.deep.equal({ serviceLevel: 'SEPA', localInstrument: 'INST', categoryPurpose: 'CASH' });
  });

  it('NWM-09 debits an IBAN only: a bad company account refuses the bill', () => {
    expect(payable().request.debtorAccount).to.deep.equal({ iban: 'FR7630006000011234567890189' });
    expect(codes(map(snapshotWith({ debtor: { iban: 'FR7630006000011234567890188' } })))).to.deep.equal(['DEBTOR_IBAN_INVALID']);
  });

  it('NWM-10 always sends successfulReportUrl; unsuccessfulReportUrl only when given', () => {
    const r = payable(goodSnapshot(), context({ reportUrls: () => ({ successfulReportUrl: 'https://stetpay.example/cb' }) })).request;
    expect(r.supplementaryData).to.deep.equal({ acceptedAuthenticationApproach: ['REDIRECT'], successfulReportUrl: 'https://stetpay.example/cb' });
    expect(() => mapBill(goodSnapshot(), context({ reportUrls: () => ({ successfulReportUrl: '' }) }))).to.throw(MappingConfigError, 'NWM-10');
  });

  it('NWM-11 accepts REDIRECT only', () => {
    expect(payable().request.supplementaryData.acceptedAuthenticationApproach).to.deep.equal(['REDIRECT']);
  });

  it('NWM-12 sends no scaHint', () => {
    expect(payable().request.supplementaryData).not.to.have.property('scaHint');
  });

  it('NWM-13 sends creationDateTime as YYYY-MM-DDTHH:MM:SS.SSS+HH:MM', () => {
    const r = payable(snapshotWith({ bill: { dueDate: '2026-07-10' } }), context({ now: new Date('2026-07-01T08:07:06.005Z') })).request;
    expect(r.creationDateTime).to.equal('2026-07-01T10:07:06.005+02:00');
    expect(r.creationDateTime).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+\d{2}:\d{2}$/);
  });

  it('NWM-14 sends chargeBearer SLEV', () => {
    expect(payable().request.chargeBearer).to.equal('SLEV');
  });

  it('NWM-15 sends categoryPurpose CASH by default, a configured DVPM, and refuses TREA', () => {
    expect(payable().request.paymentTypeInformation.categoryPurpose).to.equal('CASH');
    expect(payable(goodSnapshot(), context({ categoryPurpose: 'DVPM' })).request.paymentTypeInformation.categoryPurpose).to.equal('DVPM');
    expect(() => mapBill(goodSnapshot(), context({ categoryPurpose: 'TREA' }))).to.throw(MappingConfigError, "categoryPurpose 'TREA'");
  });

  it('NWM-16 needs a creditor IBAN: a bill without bank account is refused', () => {
    expect(codes(map(snapshotWith({ supplierAccount: null })))).to.deep.equal(['NO_BANK_ACCOUNT']);
  });

  it('NWM-17 refuses an account missing from the registered beneficiaries, and checks nothing without a list', () => {
    const outcome = map(goodSnapshot(), context({ registeredBeneficiaries: ['FR7630006000011234567890189'] }));
    expect(codes(outcome)).to.deep.equal(['BENEFICIARY_NOT_REGISTERED']);
    expect(outcome.kind === 'invalid' && outcome.reasons[0]!.message).to.include('DE89 3704 0044 0532 0130 00 is not a registered beneficiary');
    expect(map(goodSnapshot(), context({ registeredBeneficiaries: ['de89370400440532013000'] })).kind).to.equal('payable');
    expect(map(goodSnapshot(), context({ registeredBeneficiaries: undefined })).kind).to.equal('payable');
  });

  it('NWM-19 refuses a malformed BIC, and sends no creditorAgent when the BIC is unknown', () => {
    expect(codes(map(snapshotWith({ supplierAccount: { bic: 'COBADEFF1' } })))).to.deep.equal(['BIC_INVALID']);
    const r = payable(snapshotWith({ supplierAccount: { bic: null } })).request;
    expect(tx(r).beneficiary).not.to.have.property('creditorAgent');
    expect(tx(payable(snapshotWith({ supplierAccount: { bic: ' cobadeff ' } })).request).beneficiary.creditorAgent).to.deep.equal({ bicFi: 'COBADEFF' });
  });

  it('NWM-20 sends no purpose unless configured, then one the bank accepts', () => {
    expect(tx(payable().request)).not.to.have.property('purpose');
    expect(tx(payable(goodSnapshot(), context({ purpose: 'ACCT' })).request).purpose).to.equal('ACCT');
    expect(() => mapBill(goodSnapshot(), context({ purpose: 'SALA' }))).to.throw(MappingConfigError, 'NWM-20');
  });

  it('CONFIG-PURPOSE payments.purpose and payments.instant reach the mapping: the purpose on each transfer, INST where the profile allows it', () => {
    const payments = { executionPolicy: 'due-date', cutoffTime: '15:00', timeZone: 'Europe/Paris', categoryPurpose: 'CASH' } as const;
    const base = context({ profile: STET_1_6, registeredBeneficiaries: undefined });
    const fromConfig = (extra: { purpose?: string; instant?: boolean }) => mappingContext({ ...payments, ...extra }, STET_1_6, base.now, base.reportUrls);
    const r = payable(goodSnapshot(), fromConfig({ purpose: 'ACCT', instant: true })).request;
    expect(tx(r).purpose).to.equal('ACCT');
    expect(r.paymentTypeInformation.localInstrument).to.equal('INST');
    const plain = payable(goodSnapshot(), fromConfig({})).request;
    expect(tx(plain)).not.to.have.property('purpose');
    expect(plain.paymentTypeInformation).not.to.have.property('localInstrument');
  });

  it('NWM-21 sends no privateId (so no schemeName to get wrong)', () => {
    expect(JSON.stringify(payable().request)).not.to.include('privateId');
  });

  it('SEPA-RF sends an RF creditor reference as structured remittance only', () => {
    const rf = makeCreditorReference('BILL2026110042');
    const r = payable(snapshotWith({ bill: { paymentReference: rf.replace(/(.{4})/g, '$1 ') } })).request;
    expect(tx(r).remittanceInformation).to.deep.equal({
      structured: [{ creditorReferenceInformation: { type: { code: 'SCOR', issuer: 'ISO' }, reference: rf } }],
    });
  });

  it('SEPA-REMITTANCE cuts a 300-character reference to 140 and keeps the bill number', () => {
    const r = payable(snapshotWith({ bill: { paymentReference: 'Référence très longue '.repeat(14) } })).request;
    const line = tx(r).remittanceInformation!.unstructured![0]!;
    expect(line.length).to.be.at.most(140);
    expect(line.startsWith('Reference tres longue Reference')).to.equal(true);
    expect(line.endsWith(' BILL/2026/11/0042')).to.equal(true);
  });

  it('SEPA-REMITTANCE uses the vendor reference when there is no payment reference, the bill number alone when neither', () => {
    expect(tx(payable(snapshotWith({ bill: { paymentReference: null } })).request).remittanceInformation).to.deep.equal({ unstructured: ['INV-7781 BILL/2026/11/0042'] });
    expect(tx(payable(snapshotWith({ bill: { paymentReference: null, ref: null } })).request).remittanceInformation).to.deep.equal({ unstructured: ['BILL/2026/11/0042'] });
  });

  it('SEPA-REMITTANCE never sends a stray space or an empty line when a part transliterates to nothing', () => {
    const line = (bill: { name: string; ref: string | null }) => tx(payable(snapshotWith({ bill: { ...bill, paymentReference: null } })).request).remittanceInformation;
    expect(line({ name: '🧾🧾', ref: 'INV 42' })).to.deep.equal({ unstructured: ['INV 42'] });
    expect(line({ name: '🧾🧾', ref: null })).to.deep.equal({ unstructured: ['NOTPROVIDED'] });
  });

  it('SEPA-NAME sends the account holder name when set, transliterated and cut to 70', () => {
    const r = payable(snapshotWith({ supplierAccount: { holderName: 'Ωμέγα Ανώνυμη Εταιρεία '.repeat(5) } })).request;
    const name = tx(r).beneficiary.creditor.name;
    expect(name.length).to.be.at.most(70);
    expect(name.startsWith('Omega Anonymi Etaireia Omega')).to.equal(true);
  });

  it('pays the residual of a partly paid bill', () => {
    const outcome = payable(snapshotWith({ bill: { paymentState: 'partial', amountTotal: 1000, amountResidual: 400.1 } }));
    expect(outcome.amountCents).to.equal(40010);
    expect(tx(outcome.request).instructedAmount).to.deep.equal({ amount: 400.1, currency: 'EUR' });
  });

  it('collects every reason, not just the first, each naming the bill', () => {
    const outcome = map(snapshotWith({
      bill: { currency: 'USD', amountResidual: 0 },
      supplierAccount: { trusted: false, bic: 'XX' },
      debtor: null,
    }));
    expect(codes(outcome)).to.deep.equal(['CURRENCY_NOT_EUR', 'AMOUNT_ZERO', 'ACCOUNT_NOT_TRUSTED', 'BIC_INVALID', 'NO_DEBTOR_ACCOUNT']);
    for (const r of outcome.kind === 'invalid' ? outcome.reasons : []) expect(r.message).to.match(/^Bill BILL\/2026\/11\/0042: /);
  });

  it('the clerk message of a wrong check digit says what to fix', () => {
    const outcome = map(snapshotWith({ supplierAccount: { accountNumber: 'DE88 3704 0044 0532 0130 00' } }));
    expect(outcome.kind === 'invalid' && outcome.reasons).to.deep.equal([{
      code: 'IBAN_CHECKSUM', rule: 'SEPA-IBAN', field: 'supplierAccount.accountNumber',
      message: "Bill BILL/2026/11/0042: the supplier bank account DE88 3704 0044 0532 0130 00 has a wrong check digit (its check digits do not match the account number); correct it on the supplier's bank account.",
    }]);
  });

  describe('a table of bad (and borderline) bills', () => {
    interface Row { title: string; snapshot: BillSnapshot; ctx?: Partial<MappingContext>; expected: string[] }
    const noList = { registeredBeneficiaries: undefined };
    const rows: Row[] = [
      { title: 'IBAN with a wrong check digit', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'DE89370400440532013001' } }), expected: ['IBAN_CHECKSUM'] },
      { title: 'IBAN one character short', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'DE8937040044053201300' } }), expected: ['IBAN_LENGTH'] },
      { title: 'IBAN one character too long', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'FR76300060000112345678901890' } }), expected: ['IBAN_LENGTH'] },
      { title: 'Turkish IBAN (not SEPA)', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'TR330006100519786457841326' } }), expected: ['IBAN_COUNTRY_NOT_SEPA'] },
      { title: 'US account number', snapshot: snapshotWith({ supplierAccount: { accountNumber: '021000021 123456789' } }), expected: ['IBAN_FORMAT'] },
      { title: 'empty account number', snapshot: snapshotWith({ supplierAccount: { accountNumber: '' } }), expected: ['IBAN_FORMAT'] },
      { title: 'bad IBAN is not also reported unregistered', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'FR7630006000011234567890188' } }), expected: ['IBAN_CHECKSUM'] },
      { title: 'bad BIC', snapshot: snapshotWith({ supplierAccount: { bic: 'COBA DE' } }), expected: ['BIC_INVALID'] },
      { title: 'USD bill', snapshot: snapshotWith({ bill: { currency: 'USD' } }), expected: ['CURRENCY_NOT_EUR'] },
      { title: 'CHF bill', snapshot: snapshotWith({ bill: { currency: 'CHF' } }), expected: ['CURRENCY_NOT_EUR'] },
      { title: 'zero amount', snapshot: snapshotWith({ bill: { amountResidual: 0 } }), expected: ['AMOUNT_ZERO'] },
      { title: 'half a cent rounds to zero', snapshot: snapshotWith({ bill: { amountResidual: 0.004 } }), expected: ['AMOUNT_ZERO'] },
      { title: 'negative amount', snapshot: snapshotWith({ bill: { amountResidual: -50 } }), expected: ['AMOUNT_NEGATIVE'] },
      { title: 'one billion euros', snapshot: snapshotWith({ bill: { amountResidual: 1e9 } }), expected: ['AMOUNT_TOO_LARGE'] },
      { title: 'amount not a number', snapshot: snapshotWith({ bill: { amountResidual: Number.NaN } }), expected: ['AMOUNT_INVALID'] },
      { title: 'no bank account', snapshot: snapshotWith({ supplierAccount: null }), expected: ['NO_BANK_ACCOUNT'] },
      { title: 'bank account of another partner', snapshot: snapshotWith({ supplierAccount: { partnerId: 8 } }), expected: ['ACCOUNT_NOT_SUPPLIERS'] },
      { title: 'bank account without owner', snapshot: snapshotWith({ supplierAccount: { partnerId: null } }), expected: ['ACCOUNT_NOT_SUPPLIERS'] },
      { title: 'untrusted bank account', snapshot: snapshotWith({ supplierAccount: { trusted: false } }), expected: ['ACCOUNT_NOT_TRUSTED'] },
      { title: 'Odoo version without trust flag (valid)', snapshot: snapshotWith({ supplierAccount: { trusted: null } }), expected: [] },
      { title: 'archived bank account', snapshot: snapshotWith({ supplierAccount: { active: false } }), expected: ['BANK_ACCOUNT_ARCHIVED'] },
      { title: 'not a registered beneficiary', snapshot: goodSnapshot(), ctx: { registeredBeneficiaries: [] }, expected: ['BENEFICIARY_NOT_REGISTERED'] },
      { title: 'supplier name of only emoji', snapshot: snapshotWith({ supplier: { name: '🍕🍕🍕' } }), expected: ['SUPPLIER_NAME_MISSING'] },
      { title: 'supplier name in Chinese only', snapshot: snapshotWith({ supplier: { name: '北京有限公司' } }), expected: ['SUPPLIER_NAME_MISSING'] },
      { title: 'emoji holder name falls back to the supplier name (valid)', snapshot: snapshotWith({ supplierAccount: { holderName: '🍕' } }), expected: [] },
      { title: 'Cyrillic supplier name (transliterated, valid)', snapshot: snapshotWith({ supplier: { name: 'ООО «Ромашка»' } }), expected: [] },
      { title: '300-character reference (cut, valid)', snapshot: snapshotWith({ bill: { paymentReference: 'x'.repeat(300) } }), expected: [] },
      { title: 'no vendor on the bill', snapshot: snapshotWith({ supplier: null }), expected: ['NO_SUPPLIER'] },
      { title: 'vendor refund', snapshot: snapshotWith({ bill: { moveType: 'in_refund' } }), expected: ['NOT_A_VENDOR_BILL'] },
      { title: 'customer invoice', snapshot: snapshotWith({ bill: { moveType: 'out_invoice' } }), expected: ['NOT_A_VENDOR_BILL'] },
      { title: 'draft bill', snapshot: snapshotWith({ bill: { state: 'draft' } }), expected: ['BILL_NOT_POSTED'] },
      { title: 'draft refund', snapshot: snapshotWith({ bill: { state: 'draft', moveType: 'in_refund' } }), expected: ['NOT_A_VENDOR_BILL', 'BILL_NOT_POSTED'] },
      { title: 'cancelled bill', snapshot: snapshotWith({ bill: { state: 'cancel' } }), expected: ['BILL_CANCELLED'] },
      { title: 'paid bill (residual 0)', snapshot: snapshotWith({ bill: { paymentState: 'paid', amountResidual: 0 } }), expected: ['BILL_ALREADY_PAID'] },
      { title: 'bill in payment', snapshot: snapshotWith({ bill: { paymentState: 'in_payment', amountResidual: 0 } }), expected: ['BILL_ALREADY_PAID'] },
      { title: 'blocked bill', snapshot: snapshotWith({ bill: { paymentState: 'blocked' } }), expected: ['BILL_BLOCKED'] },
      { title: 'reversed bill', snapshot: snapshotWith({ bill: { paymentState: 'reversed', amountResidual: 0 } }), expected: ['BILL_REVERSED'] },
      { title: 'unknown payment state', snapshot: snapshotWith({ bill: { paymentState: 'invoicing_legacy' } }), expected: ['BILL_PAYMENT_STATE_UNKNOWN'] },
      { title: 'no debtor company account', snapshot: snapshotWith({ debtor: null }), expected: ['NO_DEBTOR_ACCOUNT'] },
      { title: 'debtor journal without IBAN', snapshot: snapshotWith({ debtor: { iban: ' ' } }), expected: ['NO_DEBTOR_ACCOUNT'] },
      { title: 'debtor IBAN wrong', snapshot: snapshotWith({ debtor: { iban: 'FR7630006000011234567890180' } }), expected: ['DEBTOR_IBAN_INVALID'] },
      { title: 'debtor IBAN outside SEPA', snapshot: snapshotWith({ debtor: { iban: 'TR330006100519786457841326' } }), expected: ['DEBTOR_IBAN_INVALID'] },
      { title: 'company name of only emoji', snapshot: snapshotWith({ debtor: { name: '🏭' } }), expected: ['DEBTOR_NAME_MISSING'] },
      { title: 'due in 60 days', snapshot: snapshotWith({ bill: { dueDate: '2027-01-25' } }), expected: ['NOT_YET_PAYABLE'] },
      { title: 'British IBAN (SEPA, outside the EU: valid)', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'GB29 NWBK 6016 1331 9268 19', bic: null } }), ctx: noList, expected: [] },
      { title: 'Albanian IBAN (SEPA since 2024: valid)', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'AL47212110090000000235698741', bic: null } }), ctx: noList, expected: [] },
      { title: 'IBAN typed in lower case with spaces (valid)', snapshot: snapshotWith({ supplierAccount: { accountNumber: 'de89 3704 0044 0532 0130 00' } }), expected: [] },
      { title: 'partly paid bill (valid)', snapshot: snapshotWith({ bill: { paymentState: 'partial', amountResidual: 0.01 } }), expected: [] },
      { title: 'the SEPA maximum (valid)', snapshot: snapshotWith({ bill: { amountResidual: 999999999.99 } }), expected: [] },
      {
        title: 'many faults at once',
        snapshot: snapshotWith({ bill: { moveType: 'in_refund', currency: 'GBP', amountResidual: -3 }, supplierAccount: { partnerId: 9, trusted: false, accountNumber: 'XX0012345' } }),
        expected: ['NOT_A_VENDOR_BILL', 'CURRENCY_NOT_EUR', 'AMOUNT_NEGATIVE', 'ACCOUNT_NOT_SUPPLIERS', 'ACCOUNT_NOT_TRUSTED', 'IBAN_COUNTRY_NOT_SEPA'],
      },
    ];

    it('has at least 30 bad bills', () => {
      expect(rows.filter((r) => r.expected.length > 0)).to.have.length.at.least(30);
      // each row is its own test below, named by its title: two alike would hide one
      expect(new Set(rows.map((r) => r.title)).size).to.equal(rows.length);
    });

    for (const row of rows) {
      it(`${row.title} -> ${row.expected.length ? row.expected.join(', ') : 'payable'}`, () => {
        const outcome = map(row.snapshot, context(row.ctx));
        expect(codes(outcome)).to.deep.equal(row.expected);
        if (outcome.kind === 'invalid') {
          for (const r of outcome.reasons) {
            expect(r.message.startsWith('Bill BILL/2026/11/0042: '), r.message).to.equal(true);
            expect(r.rule).to.be.a('string').and.not.equal('');
          }
        }
      });
    }
  });

  describe('every request produced above', () => {
    it('is valid against stetpay STET 1.6.2 schema (checked as produced) and there were many', () => {
      expect(produced.length).to.be.at.least(30);
      for (const r of produced) expect(validatePaymentRequest(r).errors).to.deep.equal([]);
    });

    it('is valid against the official STET OpenAPI PaymentRequestResource', function () {
      if (!officialSpecAvailable()) {
        // The official OAS lives beside the clone (`sharedDir`), not in the project: a user's clone may lack it.
        console.log(`      skipped: official STET spec not found at ${officialStetSpecPath}`);
        this.skip();
      }
      expect(produced.length).to.be.at.least(30);
      for (const r of produced) expect(officialErrors('PaymentRequestResource', r), r.paymentInformationId).to.deep.equal([]);
    });

    it('the official OAS check is not blind: it refuses a broken request', function () {
      if (!officialSpecAvailable()) {
        console.log(`      skipped: official STET spec not found at ${officialStetSpecPath}`);
        this.skip();
      }
      const broken = structuredClone(produced[0]!) as unknown as Record<string, unknown>;
      broken.chargeBearer = 'XXXX';
      delete broken.supplementaryData;
      expect(officialErrors('PaymentRequestResource', broken)).to.have.length.at.least(2);
    });
  });
});

describe('stetpay STET 1.6.2 schema', () => {
  it('refuses what STET 1.6.2 refuses', () => {
    const good = mapBill(goodSnapshot(), context());
    if (good.kind !== 'payable') throw new Error('fixture not payable');
    const bad = (change: (r: Record<string, any>) => void): string[] => {
      const r = structuredClone(good.request) as unknown as Record<string, any>;
      change(r);
      return validatePaymentRequest(r).errors;
    };
    expect(validatePaymentRequest(good.request)).to.deep.equal({ valid: true, errors: [] });
    expect(bad((r) => { r.chargeBearer = 'OUR'; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creditTransferTransaction[0].beneficiary.creditorAgent = { bicFi: 'BAD' }; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creditTransferTransaction[0].instructedAmount.amount = '12.00'; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creditTransferTransaction[0].instructedAmount.amount = 0; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.paymentInformationId = 'x'.repeat(37); })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creditTransferTransaction[0].remittanceInformation.unstructured = ['x'.repeat(141)]; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creationDateTime = '25/11/2026'; })).to.have.length.greaterThan(0);
    expect(bad((r) => { r.creditTransferTransaction[0].investigationStatus = false; })).to.deep.equal([
      "/creditTransferTransaction/0 must NOT have additional properties 'investigationStatus'",
    ]);
    expect(bad((r) => { r.creditTransferTransaction = []; })).to.have.length.greaterThan(0);
  });
});
