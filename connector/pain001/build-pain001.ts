/**
 * Builds an ISO 20022 pain.001 customer credit transfer file (.001.09 by
 * default, .001.03 selectable) for upload to online banking when the bank's
 * API is down. Pure: same input, same bytes. Sums in integer cents; element
 * order follows ISO 20022's pain.001.001.09 and .03 XSDs (the tests check each file against them).
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Pain001Input, Pain001Payment } from './pain001-input.js';
import { formatCents, MAX_CENTS } from '../rules/money.js';

const ID_CHARS = /^[A-Za-z0-9/\-?:().,'+ ]+$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;
const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RF = /^RF\d{2}[A-Z0-9]{1,21}$/;

/** The input cannot make a valid pain.001 file; `field` names the input that must be fixed. */
export class Pain001Error extends Error {
  constructor(readonly field: string, message: string) {
    super(`pain.001: ${field}: ${message}`);
    this.name = 'Pain001Error';
  }
}

function checkId(field: string, id: string): void {
  if (typeof id !== 'string' || id.length < 1 || id.length > 35) throw new Pain001Error(field, `must be 1 to 35 characters (got ${JSON.stringify(id)})`);
  if (!ID_CHARS.test(id) || id.startsWith('/') || id.endsWith('/') || id.includes('//')) {
    throw new Pain001Error(field, `'${id}' must use the SEPA character set, without a leading or trailing '/' or '//'`);
  }
}

function checkText(field: string, s: string | undefined, max: number): void {
  if (typeof s !== 'string' || s.trim() === '') throw new Pain001Error(field, 'is required');
  if (s.length > max) throw new Pain001Error(field, `must be at most ${max} characters (got ${s.length})`);
}

const iban = (s: string) => s.replace(/\s+/g, '').toUpperCase();

function checkPayment(p: Pain001Payment, i: number): void {
  const f = (k: string) => `payments[${i}].${k}`;
  checkId(f('endToEndId'), p.endToEndId);
  checkId(f('instructionId'), p.instructionId);
  if (!Number.isSafeInteger(p.amountCents) || p.amountCents < 1 || p.amountCents > MAX_CENTS) {
    throw new Pain001Error(f('amountCents'), `must be a whole number of cents from 1 to ${MAX_CENTS} (got ${p.amountCents})`);
  }
  if (p.currency !== 'EUR') throw new Pain001Error(f('currency'), `SEPA credit transfers are in EUR only (got ${p.currency})`);
  checkText(f('creditorName'), p.creditorName, 70);
  if (!IBAN.test(iban(p.creditorIban ?? ''))) throw new Pain001Error(f('creditorIban'), `'${p.creditorIban}' is not an IBAN`);
  if (p.creditorBic !== undefined && !BIC.test(p.creditorBic)) throw new Pain001Error(f('creditorBic'), `'${p.creditorBic}' is not a BIC`);
  if (!DATE.test(p.requestedExecutionDate)) throw new Pain001Error(f('requestedExecutionDate'), `must be YYYY-MM-DD (got ${p.requestedExecutionDate})`);
  const { unstructured, creditorReference } = p.remittance ?? {};
  if (creditorReference !== undefined && !RF.test(creditorReference)) throw new Pain001Error(f('remittance.creditorReference'), `'${creditorReference}' is not an RF creditor reference`);
  if (unstructured !== undefined && unstructured.length > 140) throw new Pain001Error(f('remittance.unstructured'), `must be at most 140 characters (got ${unstructured.length})`);
}

/** PmtInfId for one execution date: the MsgId (cut to 26) + '-' + YYYYMMDD, ≤35 and unique in the file. */
export function paymentInformationIdFor(messageId: string, date: string): string {
  return `${messageId.slice(0, 26).replace(/\/+$/, '')}-${date.replace(/-/g, '')}`;
}

function agent(version: '09' | '03', bic: string | undefined): object {
  if (!bic) return { FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } };
  return { FinInstnId: version === '09' ? { BICFI: bic } : { BIC: bic } };
}

function remittance(r: Pain001Payment['remittance']): object | undefined {
  if (r?.creditorReference) {
    return { Strd: { CdtrRefInf: { Tp: { CdOrPrtry: { Cd: 'SCOR' }, Issr: 'ISO' }, Ref: r.creditorReference } } };
  }
  if (r?.unstructured) return { Ustrd: r.unstructured };
  return undefined;
}

function transaction(version: '09' | '03', p: Pain001Payment): object {
  const tx: Record<string, unknown> = {
    PmtId: { InstrId: p.instructionId, EndToEndId: p.endToEndId },
    Amt: { InstdAmt: { '@_Ccy': p.currency, '#text': formatCents(p.amountCents) } },
  };
  if (p.creditorBic) tx.CdtrAgt = { FinInstnId: version === '09' ? { BICFI: p.creditorBic } : { BIC: p.creditorBic } };
  tx.Cdtr = { Nm: p.creditorName };
  tx.CdtrAcct = { Id: { IBAN: iban(p.creditorIban) } };
  const rmt = remittance(p.remittance);
  if (rmt) tx.RmtInf = rmt;
  return tx;
}

export function buildPain001(input: Pain001Input): string {
  const version = input.version;
  if (version !== '09' && version !== '03') throw new Pain001Error('version', `must be '09' or '03' (got ${String(version)})`);
  checkId('messageId', input.messageId);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(input.creationDateTime)) {
    throw new Pain001Error('creationDateTime', `must be an ISO date-time such as 2026-11-25T10:00:00 (got ${input.creationDateTime})`);
  }
  checkText('initiatingPartyName', input.initiatingPartyName, 70);
  checkText('debtor.name', input.debtor?.name, 70);
  if (!IBAN.test(iban(input.debtor.iban ?? ''))) throw new Pain001Error('debtor.iban', `'${input.debtor.iban}' is not an IBAN`);
  if (input.debtor.bic !== undefined && !BIC.test(input.debtor.bic)) throw new Pain001Error('debtor.bic', `'${input.debtor.bic}' is not a BIC`);
  if (input.categoryPurpose !== undefined && !/^[A-Z]{4}$/.test(input.categoryPurpose)) throw new Pain001Error('categoryPurpose', `must be a 4-letter code (got ${input.categoryPurpose})`);
  if (!input.payments?.length) throw new Pain001Error('payments', 'the file needs at least one payment');
  input.payments.forEach(checkPayment);
  const e2e = new Set<string>();
  input.payments.forEach((p, i) => {
    if (e2e.has(p.endToEndId)) throw new Pain001Error(`payments[${i}].endToEndId`, `'${p.endToEndId}' appears twice: one transfer per payment`);
    e2e.add(p.endToEndId);
  });

  // One PmtInf per execution date (single debtor account), dates ascending, payments in input order.
  const byDate = new Map<string, Pain001Payment[]>();
  for (const p of input.payments) byDate.set(p.requestedExecutionDate, [...(byDate.get(p.requestedExecutionDate) ?? []), p]);
  const dates = [...byDate.keys()].sort();
  const sum = (ps: readonly Pain001Payment[]) => ps.reduce((s, p) => s + p.amountCents, 0); // integers: exact

  const pmtTpInf: Record<string, unknown> = { SvcLvl: { Cd: 'SEPA' } };
  if (input.categoryPurpose) pmtTpInf.CtgyPurp = { Cd: input.categoryPurpose };

  const pmtInf = dates.map((date) => {
    const ps = byDate.get(date)!;
    return {
      PmtInfId: paymentInformationIdFor(input.messageId, date),
      PmtMtd: 'TRF',
      BtchBookg: String(input.batchBooking ?? false),
      NbOfTxs: String(ps.length),
      CtrlSum: formatCents(sum(ps)),
      PmtTpInf: pmtTpInf,
      ReqdExctnDt: version === '09' ? { Dt: date } : date,
      Dbtr: { Nm: input.debtor.name },
      DbtrAcct: { Id: { IBAN: iban(input.debtor.iban) } },
      DbtrAgt: agent(version, input.debtor.bic),
      ChrgBr: 'SLEV',
      CdtTrfTxInf: ps.map((p) => transaction(version, p)),
    };
  });

  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': `urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}`,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      CstmrCdtTrfInitn: {
        GrpHdr: {
          MsgId: input.messageId,
          CreDtTm: input.creationDateTime,
          NbOfTxs: String(input.payments.length),
          CtrlSum: formatCents(sum(input.payments)),
          InitgPty: { Nm: input.initiatingPartyName },
        },
        PmtInf: pmtInf,
      },
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });
  return builder.build(doc) as string;
}
