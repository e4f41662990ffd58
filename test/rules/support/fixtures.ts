/** A good bill and a context, to build the test cases from by small changes. */
import type { BillSnapshot } from '../../../connector/model/bill-snapshot.js';
import type { MappingContext } from '../../../connector/mapping/mapping-context.js';
import { NWM_18919 } from '../../../connector/profiles/nwm-18919.js';

/** Wednesday 25 November 2026, 10:00 in Paris (before the 15:00 cut-off). */
export const NOW = new Date('2026-11-25T09:00:00.000Z');
export const TODAY = '2026-11-25';

export const SUPPLIER_IBAN = 'DE89 3704 0044 0532 0130 00';
export const COMPANY_IBAN = 'FR76 1891 9672 6057 4927 7604 318';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | null : T[K] };

export function goodSnapshot(): BillSnapshot {
  return {
    database: 'acme-prod',
    bill: {
      id: 42,
      name: 'BILL/2026/11/0042',
      ref: 'INV-7781',
      paymentReference: 'INV-7781',
      moveType: 'in_invoice',
      state: 'posted',
      paymentState: 'not_paid',
      currency: 'EUR',
      amountResidual: 1234.56,
      amountTotal: 1234.56,
      dueDate: '2026-12-04',
      invoiceDate: '2026-11-04',
      companyId: 1,
      commercialPartnerId: 7,
      attempt: 0,
    },
    supplier: { id: 7, name: 'Müller & Söhne GmbH', countryCode: 'DE', city: 'Köln', street: 'Hohe Straße 12', zip: '50667', vat: 'DE123456789' },
    supplierAccount: { id: 70, accountNumber: SUPPLIER_IBAN, holderName: null, bic: 'COBADEFFXXX', partnerId: 7, trusted: true, active: true },
    debtor: { companyId: 1, name: 'Ateliers Dupré SAS', countryCode: 'FR', iban: COMPANY_IBAN, bic: 'NATXFRPPXXX', journalId: 9 },
  };
}

/** The good snapshot with some fields replaced (one level deep per part; `null` replaces a whole part). */
export function snapshotWith(change: DeepPartial<BillSnapshot>): BillSnapshot {
  const base = goodSnapshot();
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(change)) {
    const current = (base as unknown as Record<string, unknown>)[key];
    out[key] = value === null || typeof value !== 'object' || current === null ? value : { ...(current as object), ...(value as object) };
  }
  return out as unknown as BillSnapshot;
}

export function context(overrides: Partial<MappingContext> = {}): MappingContext {
  return {
    profile: NWM_18919,
    now: NOW,
    timeZone: 'Europe/Paris',
    executionPolicy: 'due-date',
    cutoffTime: '15:00',
    registeredBeneficiaries: [SUPPLIER_IBAN],
    reportUrls: (ids) => ({
      successfulReportUrl: `https://stetpay.example/callback/ok?payment=${ids.paymentInformationId}`,
      unsuccessfulReportUrl: `https://stetpay.example/callback/ko?payment=${ids.paymentInformationId}`,
    }),
    ...overrides,
  };
}
