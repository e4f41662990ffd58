/**
 * The NWM 18919 request rules (its API guide; docs/rules.md lists them), as the bank checks
 * them. Pure: a parsed body and the sandbox's view of today in, problems out.
 */
import { addDaysToDate, parisDate } from './calendar.js';
import type { GuideField } from './error-bodies.js';

export interface Problem {
  rule: string;
  /** JSONPath, e.g. `$.creditTransferTransaction[0].purpose`. */
  path: string;
  message: string;
  erroneousValue?: unknown;
  /** Set when the guide's error table has a row for this field. */
  guideField?: GuideField;
}

export interface NwmContext {
  /** yyyy-MM-dd, Europe/Paris, on the sandbox clock. */
  today: string;
  registeredBeneficiaries: string[] | 'any';
  cashAccounts: string[] | 'any';
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);

export const NWM_CREATION_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:[+-]\d{2}:?\d{2}|Z)?$/;
export const BIC_PATTERN = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;
const PURPOSES = ['TRPT', 'CASH', 'CPKC', 'ACCT', 'COMC'];
const CATEGORY_PURPOSES = ['CASH', 'DVPM', 'SALA'];
const SCHEME_NAMES = ['BANK', 'COID', 'SREN', 'DSRET', 'NIDN', 'OAUT', 'CPAN'];

/** ISO 13616 mod-97 check. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const n = ch >= 'A' ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = Number(String(rest) + String(n)) % 97;
  }
  return rest === 1;
}

const normIban = (s: string) => s.replace(/\s+/g, '').toUpperCase();

function schemeNameProblems(party: unknown, path: string): Problem[] {
  const scheme = obj(obj(party)?.privateId)?.schemeName;
  if (scheme === undefined || SCHEME_NAMES.includes(String(scheme))) return [];
  return [{ rule: 'NWM-21', path: `${path}.privateId.schemeName`, message: `privateId.schemeName must be one of ${SCHEME_NAMES.join(', ')}`, erroneousValue: scheme, guideField: 'schemeName' }];
}

function bicProblems(agent: unknown, path: string): Problem[] {
  const a = obj(agent);
  if (!a || a.bicFi === undefined) return [];
  return typeof a.bicFi === 'string' && BIC_PATTERN.test(a.bicFi)
    ? []
    : [{ rule: 'NWM-19', path: `${path}.bicFi`, message: 'bicFi is not a valid ISO 9362 BIC', erroneousValue: a.bicFi, guideField: 'bic' }];
}

export function checkNwmRules(body: Obj, ctx: NwmContext): Problem[] {
  const p: Problem[] = [];
  const pti = obj(body.paymentTypeInformation) ?? {};
  if (pti.serviceLevel !== 'SEPA') p.push({ rule: 'NWM-01', path: '$.paymentTypeInformation.serviceLevel', message: 'serviceLevel must be SEPA', erroneousValue: pti.serviceLevel, guideField: 'serviceLevel' });
  if (pti.localInstrument !== undefined) p.push({ rule: 'NWM-08', path: '$.paymentTypeInformation.localInstrument', message: 'localInstrument is not accepted: SCT only, not instant', erroneousValue: pti.localInstrument });
  if (!CATEGORY_PURPOSES.includes(String(pti.categoryPurpose))) p.push({ rule: 'NWM-15', path: '$.paymentTypeInformation.categoryPurpose', message: 'categoryPurpose is mandatory, one of CASH, DVPM, SALA', erroneousValue: pti.categoryPurpose, guideField: 'categoryPurpose' });
  if (body.chargeBearer !== 'SLEV') p.push({ rule: 'NWM-14', path: '$.chargeBearer', message: 'chargeBearer is mandatory and must be SLEV', erroneousValue: body.chargeBearer, guideField: 'chargeBearer' });
  if (typeof body.creationDateTime !== 'string' || !NWM_CREATION_DATE_TIME.test(body.creationDateTime)) {
    p.push({ rule: 'NWM-13', path: '$.creationDateTime', message: 'creationDateTime must be YYYY-MM-DDTHH:MM:SS.SSS with an optional offset', erroneousValue: body.creationDateTime });
  }
  const txs = Array.isArray(body.creditTransferTransaction) ? body.creditTransferTransaction : [];
  if (body.numberOfTransactions !== 1 || txs.length !== 1) p.push({ rule: 'NWM-05', path: '$.numberOfTransactions', message: 'a single payment only: numberOfTransactions 1 and one creditTransferTransaction', erroneousValue: body.numberOfTransactions });
  for (const party of ['initiatingParty', 'debtor', 'ultimateDebtor'] as const) p.push(...schemeNameProblems(body[party], `$.${party}`));
  p.push(...bicProblems(body.debtorAgent, '$.debtorAgent'));
  const debtorAccount = obj(body.debtorAccount);
  if (debtorAccount) {
    const iban = debtorAccount.iban;
    if (typeof iban !== 'string' || !isValidIban(normIban(iban))) {
      p.push({ rule: 'NWM-09', path: '$.debtorAccount.iban', message: 'the debtor account must be a valid IBAN', erroneousValue: iban });
    } else if (ctx.cashAccounts !== 'any' && !ctx.cashAccounts.map(normIban).includes(normIban(iban))) {
      p.push({ rule: 'NWM-18', path: '$.debtorAccount.iban', message: 'only the client\'s cash accounts can be debited', erroneousValue: iban });
    }
  }
  txs.forEach((raw, i) => {
    const tx = obj(raw) ?? {};
    const at = `$.creditTransferTransaction[${i}]`;
    const amount = obj(tx.instructedAmount);
    if (amount?.currency !== 'EUR') p.push({ rule: 'NWM-02', path: `${at}.instructedAmount.currency`, message: 'only EUR payments are accepted', erroneousValue: amount?.currency });
    if (tx.standingOrderCharacteristics !== undefined || tx.frequency !== undefined) p.push({ rule: 'NWM-07', path: `${at}.standingOrderCharacteristics`, message: 'standing orders and recurring payments are not accepted' });
    if (tx.purpose !== undefined && !PURPOSES.includes(String(tx.purpose))) p.push({ rule: 'NWM-20', path: `${at}.purpose`, message: `purpose must be one of ${PURPOSES.join(', ')}`, erroneousValue: tx.purpose, guideField: 'purpose' });
    if (tx.requestedExecutionDate !== undefined) {
      const when = Date.parse(String(tx.requestedExecutionDate));
      if (Number.isNaN(when)) {
        p.push({ rule: 'NWM-03', path: `${at}.requestedExecutionDate`, message: 'requestedExecutionDate is not a date-time', erroneousValue: tx.requestedExecutionDate });
      } else {
        const day = parisDate(when);
        if (day < ctx.today) p.push({ rule: 'NWM-03', path: `${at}.requestedExecutionDate`, message: 'requestedExecutionDate is in the past', erroneousValue: tx.requestedExecutionDate });
        if (day > addDaysToDate(ctx.today, 30)) p.push({ rule: 'NWM-04', path: `${at}.requestedExecutionDate`, message: 'payment requests beyond 30 days are not accepted', erroneousValue: tx.requestedExecutionDate });
      }
    }
    const beneficiary = obj(tx.beneficiary) ?? {};
    p.push(...bicProblems(beneficiary.creditorAgent, `${at}.beneficiary.creditorAgent`));
    p.push(...schemeNameProblems(beneficiary.creditor, `${at}.beneficiary.creditor`));
    p.push(...schemeNameProblems(tx.ultimateCreditor, `${at}.ultimateCreditor`));
    const creditorIban = obj(beneficiary.creditorAccount)?.iban;
    if (typeof creditorIban !== 'string' || !isValidIban(normIban(creditorIban))) {
      p.push({ rule: 'NWM-16', path: `${at}.beneficiary.creditorAccount.iban`, message: 'creditorAccount is mandatory and must be a valid IBAN', erroneousValue: creditorIban });
    } else if (ctx.registeredBeneficiaries !== 'any' && !ctx.registeredBeneficiaries.map(normIban).includes(normIban(creditorIban))) {
      p.push({ rule: 'NWM-17', path: `${at}.beneficiary.creditorAccount.iban`, message: 'the beneficiary is not one of the client\'s registered beneficiaries', erroneousValue: creditorIban });
    }
  });
  const sup = obj(body.supplementaryData) ?? {};
  const approaches = Array.isArray(sup.acceptedAuthenticationApproach) ? sup.acceptedAuthenticationApproach : [];
  if (!approaches.includes('REDIRECT')) p.push({ rule: 'NWM-11', path: '$.supplementaryData.acceptedAuthenticationApproach', message: 'only the REDIRECT approach is offered', erroneousValue: sup.acceptedAuthenticationApproach });
  if (sup.appliedAuthenticationApproach !== undefined && sup.appliedAuthenticationApproach !== 'REDIRECT') p.push({ rule: 'NWM-11', path: '$.supplementaryData.appliedAuthenticationApproach', message: 'only the REDIRECT approach is offered', erroneousValue: sup.appliedAuthenticationApproach });
  p.push(...reportUrlProblems(sup, 'NWM-10'));
  return p;
}

/** successfulReportUrl mandatory (REDIRECT), both URLs absolute http(s) when given. */
export function reportUrlProblems(sup: Obj, rule: string): Problem[] {
  const p: Problem[] = [];
  for (const key of ['successfulReportUrl', 'unsuccessfulReportUrl'] as const) {
    const v = sup[key];
    if (v === undefined && key === 'unsuccessfulReportUrl') continue;
    let ok = false;
    try { ok = typeof v === 'string' && /^https?:$/.test(new URL(v).protocol); } catch { ok = false; }
    if (!ok) p.push({ rule, path: `$.supplementaryData.${key}`, message: `${key} must be an absolute http(s) URL${key === 'successfulReportUrl' ? ' (mandatory)' : ''}`, erroneousValue: v });
  }
  return p;
}
