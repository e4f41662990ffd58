/**
 * One approved bill -> the STET 1.6.2 payment request to send, or every reason
 * it cannot be paid, or "not yet" (NWM-04). Pure: no I/O, the clock is in the
 * context. The request uses the 1.6 layout: beneficiary, purpose,
 * requestedExecutionDate and remittance inside the single transaction.
 */
import type { BillData, BillSnapshot, SupplierData } from '../model/bill-snapshot.js';
import { paymentIds, type PaymentIds } from '../rules/payment-ids.js';
import { makeReason, type Reason } from '../rules/reasons.js';
import type {
  PartyIdentification,
  PaymentRequestResource,
  PaymentTypeInformation,
  PostalAddress,
} from '../model/stet-payment-request.js';
import { checkBeneficiary } from '../rules/beneficiary.js';
import { isValidBic, normalizeBic } from '../rules/bic.js';
import { isCalendarDay, isoDateTimeWithOffset, startOfDayWithOffset } from '../rules/calendar-day.js';
import { decideExecutionDate, isCutoffTime, type ExecutionDateDecision } from '../rules/execution-date.js';
import { checkIban, formatIban } from '../rules/iban.js';
import { centsToStetAmount, checkAmountCents, EUR, formatCents, toCents } from '../rules/money.js';
import { sepaName, sepaText } from '../rules/sepa-text.js';
import type { MappingContext } from './mapping-context.js';
import { buildRemittance } from './remittance.js';

export type MappingOutcome =
  | { kind: 'payable'; billId: number; ids: PaymentIds; request: PaymentRequestResource; amountCents: number; executionDate: string }
  | { kind: 'invalid'; billId: number; reasons: Reason[] }
  | { kind: 'not_yet_payable'; billId: number; reason: Reason; payableFrom: string };

/**
 * The mapping's configuration does not fit the bank profile (e.g. a
 * categoryPurpose the bank refuses). Thrown, not turned into bill reasons:
 * one wrong setting would otherwise mark every bill invalid. Fix the config.
 */
export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`stetpay configuration does not fit the bank profile: ${problems.join('; ')}`);
  }
}

const MOVE_TYPE_NAMES: Record<string, string> = {
  in_refund: 'vendor credit note (refund)',
  in_receipt: 'purchase receipt',
  out_invoice: 'customer invoice',
  out_refund: 'customer credit note',
  out_receipt: 'sales receipt',
  entry: 'journal entry',
};

/** Problems of the context against its bank profile; empty when usable. */
const knownZones = new Set<string>();
/** An IANA zone name Intl knows; the check builds a formatter, so a known one is remembered (every bill asks). */
function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

export function checkMappingContext(ctx: MappingContext): string[] {
  const problems: string[] = [];
  const { profile } = ctx;
  const categoryPurpose = ctx.categoryPurpose ?? profile.defaultCategoryPurpose;
  if (categoryPurpose !== null && !profile.categoryPurposes.includes(categoryPurpose)) {
    problems.push(`categoryPurpose '${categoryPurpose}' is not accepted by ${profile.id} (NWM-15: one of ${profile.categoryPurposes.join(', ')})`);
  }
  if (ctx.purpose !== undefined && !profile.purposes.includes(ctx.purpose)) {
    problems.push(`purpose '${ctx.purpose}' is not accepted by ${profile.id} (NWM-20: one of ${profile.purposes.join(', ')})`);
  }
  if (ctx.instant === true && !profile.instantAllowed) problems.push(`${profile.id} does not take instant transfers (NWM-08)`);
  if (!isCutoffTime(ctx.cutoffTime)) problems.push(`cut-off time must be HH:MM (24 h), got '${ctx.cutoffTime}'`);
  if (!isTimeZone(ctx.timeZone)) problems.push(`unknown time zone '${ctx.timeZone}'`);
  if (!(ctx.now instanceof Date) || Number.isNaN(ctx.now.getTime())) problems.push('now is not a valid date');
  return problems;
}

/** Settings that do not stop a run but leave a check to the bank: said to the person running it. */
export function mappingContextWarnings(ctx: MappingContext): string[] {
  const warnings: string[] = [];
  if (ctx.profile.registeredBeneficiariesOnly && ctx.registeredBeneficiaries === undefined) {
    warnings.push(
      `${ctx.profile.name} only pays beneficiaries registered in its online banking (NWM-17), and no list is configured (bank.registeredBeneficiaries): ` +
        `stetpay cannot check them before sending, so the bank refuses an unregistered one after the run (the bill then shows rejected).`,
    );
  }
  return warnings;
}

function checkBillState(bill: BillData): Reason[] {
  const reasons: Reason[] = [];
  if (bill.moveType !== 'in_invoice') {
    reasons.push(makeReason('NOT_A_VENDOR_BILL', bill.name, { moveType: MOVE_TYPE_NAMES[bill.moveType] ?? bill.moveType }));
  }
  if (bill.state === 'cancel') reasons.push(makeReason('BILL_CANCELLED', bill.name));
  else if (bill.state !== 'posted') reasons.push(makeReason('BILL_NOT_POSTED', bill.name, { state: bill.state }));
  switch (bill.paymentState) {
    case 'not_paid':
    case 'partial':
      break;
    case 'paid':
    case 'in_payment':
      reasons.push(makeReason('BILL_ALREADY_PAID', bill.name, { paymentState: bill.paymentState === 'paid' ? 'paid' : 'in payment' }));
      break;
    case 'blocked':
      reasons.push(makeReason('BILL_BLOCKED', bill.name));
      break;
    case 'reversed':
      reasons.push(makeReason('BILL_REVERSED', bill.name));
      break;
    default:
      reasons.push(makeReason('BILL_PAYMENT_STATE_UNKNOWN', bill.name, { paymentState: bill.paymentState }));
  }
  return reasons;
}

/** Cents of the residual, or the reason it cannot be paid. */
function checkAmount(bill: BillData): { cents: number | null; reasons: Reason[] } {
  let cents: number;
  try {
    cents = toCents(bill.amountResidual);
  } catch {
    return { cents: null, reasons: [makeReason('AMOUNT_INVALID', bill.name, { amount: String(bill.amountResidual) })] };
  }
  const problem = checkAmountCents(cents);
  if (problem) {
    const amount = Number.isSafeInteger(cents) ? formatCents(cents) : String(bill.amountResidual);
    return { cents: null, reasons: [makeReason(problem, bill.name, { amount })] };
  }
  return { cents, reasons: [] };
}

function postalAddress(source: Pick<SupplierData, 'countryCode' | 'city' | 'street' | 'zip'> | { countryCode: string | null }): PostalAddress | undefined {
  const country = (source.countryCode ?? '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) return undefined;
  const address: PostalAddress = { country };
  if ('street' in source) {
    const streetName = sepaText(source.street, 70);
    const postCode = sepaText(source.zip, 16);
    const townName = sepaText(source.city, 35);
    if (streetName) address.streetName = streetName;
    if (postCode) address.postCode = postCode;
    if (townName) address.townName = townName;
  }
  return address;
}

/** The execution date a bill due on `dueDate` gets in this context (the run's rules: policy, cut-off, window, T2). */
export function executionDateIn(ctx: MappingContext, dueDate: string | null): ExecutionDateDecision {
  return decideExecutionDate(dueDate, ctx.now, {
    policy: ctx.executionPolicy,
    cutoffTime: ctx.cutoffTime,
    timeZone: ctx.timeZone,
    maxDaysAhead: ctx.profile.maxDaysAhead,
    executionRule: ctx.profile.executionRule,
  });
}

/**
 * Maps one bill. Every reason is collected, not just the first; a bill whose
 * payment state already explains a zero amount gets no amount reason.
 * @throws MappingConfigError when the context does not fit the profile (config, not the bill).
 */
export function mapBill(snapshot: BillSnapshot, ctx: MappingContext): MappingOutcome {
  const problems = checkMappingContext(ctx);
  if (problems.length > 0) throw new MappingConfigError(problems);

  const { bill, supplier, debtor } = snapshot;
  const { profile } = ctx;
  const reasons: Reason[] = [];

  // The bill itself.
  const stateReasons = checkBillState(bill);
  reasons.push(...stateReasons);
  if (bill.currency !== EUR || !profile.currencies.includes(bill.currency)) {
    reasons.push(makeReason('CURRENCY_NOT_EUR', bill.name, { currency: bill.currency || '?' }));
  }
  const paymentStateExplainsAmount = stateReasons.some((r) => r.field === 'bill.paymentState');
  const amount = checkAmount(bill);
  if (!paymentStateExplainsAmount) reasons.push(...amount.reasons);

  // Who is paid.
  let creditorName = '';
  if (supplier === null) {
    reasons.push(makeReason('NO_SUPPLIER', bill.name));
  } else {
    creditorName = sepaName(snapshot.supplierAccount?.holderName) || sepaName(supplier.name);
    if (creditorName === '') {
      reasons.push(makeReason('SUPPLIER_NAME_MISSING', bill.name, { name: (snapshot.supplierAccount?.holderName || supplier.name).slice(0, 70) }));
    }
  }
  const beneficiary = checkBeneficiary(snapshot, ctx.registeredBeneficiaries);
  reasons.push(...beneficiary.reasons);

  // Who pays.
  let debtorIban: string | null = null;
  let debtorName = '';
  if (debtor === null && snapshot.debtorChoiceNotFound) {
    reasons.push(makeReason('DEBTOR_ACCOUNT_NOT_FOUND', bill.name, { choice: snapshot.debtorChoiceNotFound }));
  } else if (debtor === null || !debtor.iban || debtor.iban.trim() === '') {
    reasons.push(makeReason('NO_DEBTOR_ACCOUNT', bill.name));
  } else {
    const iban = checkIban(debtor.iban);
    const codes = ctx.profile.debtorIbanBankCodes;
    if (iban.ok && codes && !codes.some((c) => iban.iban.slice(0, 2) + iban.iban.slice(4, 4 + c.length - 2) === c)) {
      reasons.push(makeReason('DEBTOR_OUTSIDE_BANK', bill.name, { iban: formatIban(iban.iban), codes: codes.join(', ') }));
    } else if (iban.ok) debtorIban = iban.iban;
    else reasons.push(makeReason('DEBTOR_IBAN_INVALID', bill.name, { iban: formatIban(debtor.iban) || debtor.iban.slice(0, 50), detail: iban.detail }));
  }
  if (debtor !== null) {
    debtorName = sepaName(debtor.name);
    if (debtorName === '') reasons.push(makeReason('DEBTOR_NAME_MISSING', bill.name));
  }

  if (reasons.length > 0) return { kind: 'invalid', billId: bill.id, reasons };
  // From here on every value is known valid; the checks below only narrow types.
  if (amount.cents === null || beneficiary.iban === null || debtorIban === null || debtor === null || supplier === null) {
    throw new Error(`internal: bill ${bill.name} passed validation with missing data`);
  }

  // When.
  const dueDate = bill.dueDate !== null && isCalendarDay(bill.dueDate) ? bill.dueDate : null;
  const decision = executionDateIn(ctx, dueDate);
  if (decision.kind === 'not_yet_payable') {
    const reason = makeReason('NOT_YET_PAYABLE', bill.name, {
      dueDate: dueDate ?? decision.executionDate,
      maxDaysAhead: profile.maxDaysAhead,
      payableFrom: decision.payableFrom,
    });
    return { kind: 'not_yet_payable', billId: bill.id, reason, payableFrom: decision.payableFrom };
  }

  // The request.
  const ids = paymentIds(snapshot.database, bill.id, bill.attempt);
  const urls = ctx.reportUrls(ids);
  if (!urls.successfulReportUrl) throw new MappingConfigError(['reportUrls gave no successfulReportUrl (NWM-10)']);
  if (!urls.unsuccessfulReportUrl && !profile.unsuccessfulReportUrlOptional) {
    throw new MappingConfigError([`${profile.id} needs an unsuccessfulReportUrl`]);
  }

  const categoryPurpose = ctx.categoryPurpose ?? profile.defaultCategoryPurpose;
  const paymentTypeInformation: PaymentTypeInformation = { serviceLevel: profile.serviceLevel };
  if (ctx.instant === true) paymentTypeInformation.localInstrument = 'INST';
  if (categoryPurpose !== null) paymentTypeInformation.categoryPurpose = categoryPurpose;

  const debtorParty: PartyIdentification = { name: debtorName };
  const debtorAddress = postalAddress({ countryCode: debtor.countryCode });
  if (debtorAddress) debtorParty.postalAddress = debtorAddress;
  const creditor: PartyIdentification = { name: creditorName };
  const creditorAddress = postalAddress(supplier);
  if (creditorAddress) creditor.postalAddress = creditorAddress;
  const debtorBic = normalizeBic(debtor.bic);

  const request: PaymentRequestResource = {
    paymentInformationId: ids.paymentInformationId,
    creationDateTime: isoDateTimeWithOffset(ctx.now, ctx.timeZone),
    numberOfTransactions: 1,
    initiatingParty: { name: debtorName },
    paymentTypeInformation,
    debtor: debtorParty,
    debtorAccount: { iban: debtorIban },
    ...(debtorBic !== null && isValidBic(debtorBic) ? { debtorAgent: { bicFi: debtorBic } } : {}),
    chargeBearer: profile.chargeBearer,
    creditTransferTransaction: [
      {
        paymentId: { instructionId: ids.instructionId, endToEndId: ids.endToEndId },
        requestedExecutionDate: startOfDayWithOffset(decision.executionDate, ctx.timeZone),
        instructedAmount: { amount: centsToStetAmount(amount.cents), currency: EUR },
        beneficiary: {
          creditor,
          creditorAccount: { iban: beneficiary.iban },
          ...(beneficiary.bic !== null ? { creditorAgent: { bicFi: beneficiary.bic } } : {}),
        },
        ...(ctx.purpose !== undefined ? { purpose: ctx.purpose } : {}),
        remittanceInformation: buildRemittance(bill),
      },
    ],
    supplementaryData: {
      acceptedAuthenticationApproach: [...profile.authenticationApproaches],
      successfulReportUrl: urls.successfulReportUrl,
      ...(urls.unsuccessfulReportUrl ? { unsuccessfulReportUrl: urls.unsuccessfulReportUrl } : {}),
    },
  };
  return { kind: 'payable', billId: bill.id, ids, request, amountCents: amount.cents, executionDate: decision.executionDate };
}
