/**
 * What the supplier sees on its statement. An ISO 11649 RF reference goes
 * structured (SCOR, issuer ISO) so its bank can match it automatically; SEPA
 * allows structured or unstructured, not both. Anything else goes as one
 * unstructured line: the supplier's reference first (what it needs to match),
 * then our bill number, at most 140 characters, the reference cut to fit.
 */
import type { BillData } from '../model/bill-snapshot.js';
import type { RemittanceInformation } from '../model/stet-payment-request.js';
import { findCreditorReference } from '../rules/creditor-reference.js';
import { SEPA_LENGTHS, sepaText, toSepaCharset } from '../rules/sepa-text.js';

export function buildRemittance(bill: Pick<BillData, 'name' | 'ref' | 'paymentReference'>): RemittanceInformation {
  const rf = findCreditorReference(bill.paymentReference);
  if (rf !== null) {
    return { structured: [{ creditorReferenceInformation: { type: { code: 'SCOR', issuer: 'ISO' }, reference: rf } }] };
  }
  const billNumber = sepaText(bill.name, SEPA_LENGTHS.remittance);
  const reference = toSepaCharset(bill.paymentReference?.trim() || bill.ref?.trim() || '');
  const room = SEPA_LENGTHS.remittance - (billNumber === '' ? 0 : billNumber.length + 1);
  const cut = reference !== '' && reference !== billNumber && room > 0 ? sepaText(reference, room) : '';
  // Either part may be empty (a name of emoji only): never a stray space, never an empty line.
  const line = [cut, billNumber].filter((part) => part !== '').join(' ');
  return { unstructured: [line || 'NOTPROVIDED'] };
}
