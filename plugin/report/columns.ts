/** The report's columns, in order: CSV header, HTML table and docs share this list. */
import type { ReportRow } from './report-row.js';

export const REPORT_COLUMNS: readonly { key: keyof ReportRow; title: string }[] = [
  { key: 'billNumber', title: 'Bill' },
  { key: 'supplier', title: 'Supplier' },
  { key: 'supplierIban', title: 'Supplier IBAN' },
  { key: 'amount', title: 'Amount' },
  { key: 'currency', title: 'Currency' },
  { key: 'requestedExecutionDate', title: 'Requested execution date' },
  { key: 'executedDate', title: 'Executed date' },
  { key: 'endToEndId', title: 'End-to-end id' },
  { key: 'paymentInformationId', title: 'Payment information id' },
  { key: 'resourceId', title: 'Bank resource id' },
  { key: 'status', title: 'Status' },
  { key: 'payeeCheck', title: 'Payee check (VoP)' },
  { key: 'bankStatus', title: 'STET status' },
  { key: 'reason', title: 'Reason' },
  { key: 'updatedAt', title: 'Last update (UTC)' },
];
