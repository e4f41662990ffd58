/** What the fallback transfer file (ISO 20022 pain.001) is built from: plain data, amounts in cents. */
export type Pain001Version = '09' | '03';

export interface Pain001Payment {
  /** ≤35, SEPA id rules: the same end-to-end id the API path would have sent. */
  endToEndId: string;
  instructionId: string;
  /** Integer cents, 1 .. 99 999 999 999. */
  amountCents: number;
  currency: 'EUR';
  /** ≤70, already in the SEPA character set (the mapping sanitises it). */
  creditorName: string;
  creditorIban: string;
  /** Omitted from the file when absent (BIC is optional in SEPA). */
  creditorBic?: string;
  /** Ustrd (≤140) or a creditor reference (RF, ISO 11649): not both; the reference wins. */
  remittance: { unstructured?: string; creditorReference?: string };
  /** YYYY-MM-DD: payments are grouped by it, one PmtInf per date. */
  requestedExecutionDate: string;
}

export interface Pain001Input {
  /** ≤35, unique per file sent (banks refuse a repeated MsgId). */
  messageId: string;
  /** ISO date-time, e.g. `2026-11-25T10:00:00`. */
  creationDateTime: string;
  initiatingPartyName: string;
  debtor: { name: string; iban: string; bic?: string };
  payments: Pain001Payment[];
  version: Pain001Version;
  /** ISO 20022 category purpose code (e.g. CASH, SUPP); omitted when absent. */
  categoryPurpose?: string;
  /** `BtchBookg`: false books each transfer separately, so each statement line carries its end-to-end id. @defaultValue false */
  batchBooking?: boolean;
}
