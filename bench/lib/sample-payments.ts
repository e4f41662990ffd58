/**
 * Realistic submit jobs built by hand (not through the mapping, so a benchmark
 * of Redis or the bank does not depend on it): a STET 1.6.2 single SEPA credit
 * transfer as stetpay sends it to Natixis WM, with French/European creditor
 * names and addresses of realistic length, deterministic per bill id.
 */
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { paymentIds } from '../../connector/rules/payment-ids.js';
import type { SubmitJobData } from '../../worker/submit-job.js';

const CREDITORS = [
  { name: 'SOCIETE NOUVELLE DES ETABLISSEMENTS GERARD DEPANNAGE ELECTRIQUE', iban: 'FR7630004000031234567890143', bic: 'BNPAFRPPXXX', street: '4 quai du Port', zip: '13001', town: 'Marseille', country: 'FR' },
  { name: 'Muller und Sohne Maschinenbau GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', street: 'Maximilianstrasse 12', zip: '80331', town: 'Munchen', country: 'DE' },
  { name: 'Distribuciones Penalver Nunez S.L.', iban: 'ES9121000418450200051332', bic: 'CAIXESBBXXX', street: 'Calle Sierpes 18', zip: '41001', town: 'Sevilla', country: 'ES' },
  { name: 'Boulangerie Patisserie Lefevre et Fils', iban: 'FR7630003012340001234567820', bic: 'SOGEFRPPXXX', street: '12 rue de la Republique', zip: '69002', town: 'Lyon', country: 'FR' },
] as const;

export const SAMPLE_DATABASE = 'stetpay-bench';

export function samplePaymentRequest(billId: number, database = SAMPLE_DATABASE): PaymentRequestResource {
  const ids = paymentIds(database, billId, 0);
  const c = CREDITORS[billId % CREDITORS.length]!;
  const cents = 5000 + ((billId * 7919) % 2_495_000);
  return {
    paymentInformationId: ids.paymentInformationId,
    creationDateTime: '2026-02-27T22:00:04.512+01:00',
    numberOfTransactions: 1,
    initiatingParty: { name: 'Atelier Lumiere SAS' },
    paymentTypeInformation: { serviceLevel: 'SEPA', categoryPurpose: 'SUPP' },
    debtor: { name: 'Atelier Lumiere SAS', postalAddress: { country: 'FR' } },
    debtorAccount: { iban: 'FR7618919000010012345678943' },
    debtorAgent: { bicFi: 'NATXFRPPXXX' },
    chargeBearer: 'SLEV',
    creditTransferTransaction: [
      {
        paymentId: { instructionId: ids.instructionId, endToEndId: ids.endToEndId },
        requestedExecutionDate: '2026-03-02T00:00:00.000+01:00',
        instructedAmount: { amount: cents / 100, currency: 'EUR' },
        beneficiary: {
          creditor: { name: c.name, postalAddress: { country: c.country, streetName: c.street, postCode: c.zip, townName: c.town } },
          creditorAccount: { iban: c.iban },
          creditorAgent: { bicFi: c.bic },
        },
        remittanceInformation: { unstructured: [`BILL/2026/02/${String(billId).padStart(5, '0')} F2026-${10000 + (billId % 90000)}`] },
      },
    ],
    supplementaryData: {
      acceptedAuthenticationApproach: ['REDIRECT'],
      successfulReportUrl: `https://stetpay.atelier-lumiere.fr/stet/consent/ok?pid=${ids.paymentInformationId}`,
      unsuccessfulReportUrl: `https://stetpay.atelier-lumiere.fr/stet/consent/ko?pid=${ids.paymentInformationId}`,
    },
  };
}

export function sampleSubmitJob(billId: number, database = SAMPLE_DATABASE): SubmitJobData {
  const request = samplePaymentRequest(billId, database);
  return {
    billId,
    billName: `BILL/2026/02/${String(billId).padStart(5, '0')}`,
    database,
    attempt: 0,
    request,
    executionDate: '2026-03-02',
  };
}
