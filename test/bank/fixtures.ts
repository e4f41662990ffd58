/**
 * Hand-built STET 1.6.2 bodies valid for the NWM 18919 profile (the mapping is
 * written elsewhere; these tests must not depend on it).
 */
import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import { expect } from 'chai';
import type { PaymentRequestResource } from '../../connector/model/stet-payment-request.js';
import { validatePaymentRequest } from '../../connector/schema/validate-payment-request.js';

export const DEBTOR_IBAN = 'FR7630006000011234567890189';
export const CREDITOR_IBAN = 'FR7630004000031234567890143';
export const OTHER_CREDITOR_IBAN = 'DE89370400440532013000';
export const REPORT_OK = 'https://stetpay.example.test/callback/ok';
export const REPORT_KO = 'https://stetpay.example.test/callback/ko';

let counter = 0;
/** A fresh id (SEPA set, at most 35 characters). */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`.toUpperCase().slice(0, 35);
}

/** `YYYY-MM-DDTHH:MM:SS.SSS+HH:MM` in Europe/Paris (NWM-13). */
export function parisDateTime(at: Date): string {
  return format(new TZDate(at.getTime(), 'Europe/Paris'), "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
}

export interface PaymentOverrides {
  now?: Date;
  /** Days after `now` for requestedExecutionDate. @defaultValue 3 */
  inDays?: number;
  amount?: number;
  creditorIban?: string;
  unsuccessfulReportUrl?: string | null;
  mutate?: (body: Record<string, any>) => void;
}

export function paymentRequest(o: PaymentOverrides = {}): PaymentRequestResource {
  const now = o.now ?? new Date();
  const id = uniqueId('PI');
  const body: PaymentRequestResource = {
    paymentInformationId: id,
    creationDateTime: parisDateTime(now),
    numberOfTransactions: 1,
    initiatingParty: { name: 'Small Heath SAS', organisationId: { identification: '00987654321', schemeName: 'BANK', issuer: 'FR' } },
    paymentTypeInformation: { serviceLevel: 'SEPA', categoryPurpose: 'CASH' },
    debtor: { name: 'Small Heath SAS', postalAddress: { country: 'FR', addressLine: ['92 rue de la Banque', '75002 Paris'] } },
    debtorAccount: { iban: DEBTOR_IBAN },
    chargeBearer: 'SLEV',
    creditTransferTransaction: [
      {
        paymentId: { instructionId: id.replace('PI', 'IN'), endToEndId: id.replace('PI', 'E2E') },
        requestedExecutionDate: parisDateTime(addDays(now, o.inDays ?? 3)),
        instructedAmount: { amount: o.amount ?? 1234.56, currency: 'EUR' },
        beneficiary: {
          creditor: { name: 'Fournitures Dupont SARL', postalAddress: { country: 'FR', addressLine: ['10 rue de la Paix', '75001 Paris'] } },
          creditorAccount: { iban: o.creditorIban ?? CREDITOR_IBAN },
          creditorAgent: { bicFi: 'BNPAFRPPXXX' },
        },
        remittanceInformation: { unstructured: ['Invoice FA-2024-0042'] },
      },
    ],
    supplementaryData: { acceptedAuthenticationApproach: ['REDIRECT'], successfulReportUrl: REPORT_OK, unsuccessfulReportUrl: REPORT_KO },
  };
  if (o.unsuccessfulReportUrl === null) delete body.supplementaryData.unsuccessfulReportUrl;
  else if (o.unsuccessfulReportUrl !== undefined) body.supplementaryData.unsuccessfulReportUrl = o.unsuccessfulReportUrl;
  if (o.mutate) o.mutate(body as unknown as Record<string, any>);
  else assertProjectSchemaValid(body); // every unmutated body the tests send is checked against the project's schema
  return body;
}

/** Asserts that a body the tests send as valid is valid against the project's STET 1.6.2 schema (connector/schema). */
export async function expectProjectSchemaValid(body: unknown): Promise<void> {
  assertProjectSchemaValid(body);
}

function assertProjectSchemaValid(body: unknown): void {
  const r = validatePaymentRequest(body);
  expect(r.errors, 'the project STET schema refuses a body the tests send as valid').to.deep.equal([]);
  expect(r.valid).to.equal(true);
}
