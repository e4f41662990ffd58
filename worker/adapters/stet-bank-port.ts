import type { HalAuthenticationRequest, HalPaymentRequest, PaymentRequestResource } from '../../connector/model/index.js';
import { resourceIdFromLocation } from '../../connector/stet/location.js';
import type { BankCallOptions, BankCreateResult, BankPaymentStatus, BankPort } from '../interfaces/bank-port.js';

interface Meta {
  status: number;
  requestId: string;
  location?: string;
  resourceId?: string;
}

/** The part of `StetClient` the adapter uses (structural: the real client fits). */
export interface StetPaymentRequestsLike {
  paymentRequests: {
    create(resource: PaymentRequestResource, o?: { signal?: AbortSignal }): Promise<{ body: HalAuthenticationRequest; meta: Meta }>;
    retrieve(resourceId: string, o?: { signal?: AbortSignal }): Promise<{ body: HalPaymentRequest; meta: Meta }>;
    confirm?(resourceId: string, body?: Record<string, string>, o?: { signal?: AbortSignal }): Promise<{ body: HalPaymentRequest; meta: Meta }>;
  };
}

type ReadTransaction = Record<string, unknown> & { transactionStatus?: string; statusReasonInformation?: string; paymentId?: { endToEndId?: string } };

const dayOf = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 10) : undefined);

function statusOf(body: HalPaymentRequest): BankPaymentStatus {
  const pr = body.paymentRequest;
  const txs = (pr?.creditTransferTransaction ?? []) as unknown as ReadTransaction[];
  const tx = txs[0];
  return {
    paymentInformationStatus: pr?.paymentInformationStatus,
    transactionStatus: tx?.transactionStatus,
    statusReasonInformation: pr?.statusReasonInformation ?? tx?.statusReasonInformation,
    appliedExecutionDate: dayOf(tx?.appliedExecutionDate),
    confirmationLink: Boolean(body._links?.confirmation),
    ...(txs.length > 1
      ? { transactions: txs.map((t) => ({ endToEndId: t.paymentId?.endToEndId, transactionStatus: t.transactionStatus, statusReasonInformation: t.statusReasonInformation, appliedExecutionDate: dayOf(t.appliedExecutionDate) })) }
      : {}),
  };
}

/** Fits the STET client to {@link BankPort}. Bank errors pass through unchanged. */
export function stetBankPort(client: StetPaymentRequestsLike): BankPort {
  const pr = client.paymentRequests;
  const port: BankPort = {
    async createPaymentRequest(resource, opts: BankCallOptions): Promise<BankCreateResult> {
      const { body, meta } = await pr.create(resource, { signal: opts.signal });
      return {
        resourceId: meta.resourceId ?? resourceIdFromLocation(meta.location),
        consentUrl: body._links?.consentApproval?.href,
        requestId: meta.requestId,
        status: meta.status,
      };
    },
    async getPaymentRequest(resourceId, opts) {
      const { body } = await pr.retrieve(resourceId, { signal: opts.signal });
      return statusOf(body);
    },
  };
  if (pr.confirm) {
    const confirm = pr.confirm.bind(pr);
    port.confirmPaymentRequest = async (resourceId, opts) => statusOf((await confirm(resourceId, {}, { signal: opts.signal })).body);
  }
  return port;
}
