/**
 * A payment request of several transfers (STET 1.6 `numberOfTransactions` > 1:
 * one request, one consent for all). Each bill of it keeps its own transfer
 * and end-to-end id; what Odoo records on each bill is its **part**: the
 * request's header (same ids, same `numberOfTransactions`) with its own
 * transfer only, so each bill's record (and digest) proves its transfer, and
 * the request sent is the parts joined in the order recorded on every bill
 * (`x_stet_request_members`). A single transfer is its own only part. Pure.
 */
import type { PaymentRequestResource } from '../model/stet-payment-request.js';

/** The request as one part per transfer, in order (a single transfer: the request itself). */
export function requestParts(request: PaymentRequestResource): PaymentRequestResource[] {
  const txs = request.creditTransferTransaction;
  if (txs.length <= 1) return [request];
  return txs.map((tx) => ({ ...request, creditTransferTransaction: [tx] }));
}

/** The end-to-end ids of the request's transfers, in the order sent. */
export function requestMembers(request: PaymentRequestResource): string[] {
  return request.creditTransferTransaction.map((tx) => tx.paymentId.endToEndId);
}

const header = (part: PaymentRequestResource): string => JSON.stringify({ ...part, creditTransferTransaction: [] });

/**
 * The request the parts make, in the order given. @throws Error when they are
 * not parts of one request (another header, or not as many as it holds).
 */
export function joinParts(parts: readonly PaymentRequestResource[]): PaymentRequestResource {
  const [first] = parts;
  if (!first) throw new Error('a payment request needs at least one transfer');
  if (parts.length === 1 && first.numberOfTransactions === 1) return first;
  if (first.numberOfTransactions !== parts.length) throw new Error(`payment ${first.paymentInformationId} holds ${first.numberOfTransactions} transfers, ${parts.length} were recorded`);
  const h = header(first);
  for (const p of parts) {
    if (p.creditTransferTransaction.length !== 1) throw new Error(`a part of payment ${first.paymentInformationId} holds ${p.creditTransferTransaction.length} transfers`);
    if (header(p) !== h) throw new Error(`the recorded parts of payment ${first.paymentInformationId} do not belong to one request`);
  }
  return { ...first, creditTransferTransaction: parts.map((p) => p.creditTransferTransaction[0]!) };
}

/**
 * Bills grouped into requests: payable bills with the same execution date and
 * paying account (the header every transfer shares), at most `max` per
 * request, in the order given. A group of one stays a single request.
 */
export function groupTransfers<T>(items: readonly T[], keyOf: (item: T) => string, max: number): T[][] {
  if (max <= 1) return items.map((i) => [i]);
  const open = new Map<string, T[]>();
  const out: T[][] = [];
  for (const item of items) {
    const k = keyOf(item);
    let g = open.get(k);
    if (!g || g.length >= max) {
      g = [];
      open.set(k, g);
      out.push(g);
    }
    g.push(item);
  }
  return out;
}

/** The reference the consent links of a request carry: its id and its first bill. */
export type BulkReportUrls = { successfulReportUrl: string; unsuccessfulReportUrl?: string };

/**
 * One request of several transfers from the single requests the mapping made
 * for its bills (same header but the ids and consent links, which are the
 * request's): id `paymentInformationId`, `numberOfTransactions` N, the bills'
 * transfers in the order given, the request's consent links.
 * @throws Error when the requests do not share one header (another paying account, date policy...).
 */
export function combineRequests(requests: readonly PaymentRequestResource[], paymentInformationId: string, urls: BulkReportUrls): PaymentRequestResource {
  const [first] = requests;
  if (!first) throw new Error('a payment request needs at least one transfer');
  const shared = (r: PaymentRequestResource) => JSON.stringify({ ...r, paymentInformationId: '', creditTransferTransaction: [], supplementaryData: { ...r.supplementaryData, successfulReportUrl: '', unsuccessfulReportUrl: '' } });
  const h = shared(first);
  for (const r of requests) if (shared(r) !== h) throw new Error(`payment ${r.paymentInformationId} cannot join payment ${paymentInformationId}: its header differs`);
  const supplementaryData = { ...first.supplementaryData, successfulReportUrl: urls.successfulReportUrl };
  if (urls.unsuccessfulReportUrl) supplementaryData.unsuccessfulReportUrl = urls.unsuccessfulReportUrl;
  else delete supplementaryData.unsuccessfulReportUrl;
  return { ...first, paymentInformationId, numberOfTransactions: requests.length, creditTransferTransaction: requests.flatMap((r) => r.creditTransferTransaction), supplementaryData };
}

/** What must be equal for transfers to share a request: everything but the ids, the transfers and the consent links. */
export function requestHeaderKey(request: PaymentRequestResource): string {
  const tx = request.creditTransferTransaction[0];
  const { successfulReportUrl: _s, unsuccessfulReportUrl: _u, ...sd } = request.supplementaryData;
  return JSON.stringify({ ...request, paymentInformationId: '', creditTransferTransaction: [], supplementaryData: sd, date: (tx?.requestedExecutionDate ?? '').slice(0, 10) });
}
