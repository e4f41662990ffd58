/** The payment-request resource: one line per call (stripe-node's resources). */
import type { HalAuthenticationRequest, HalPaymentRequest, PaymentRequestResource } from '../model/stet-payment-request.js';
import type { BankProfile } from '../profiles/bank-profile.js';
import { BankNotSupportedError } from './errors/bank-error.js';

/** What one call to the bank gives back: the parsed body and what the client read from the answer. */
export interface BankResult<T> {
  body: T;
  meta: {
    status: number;
    /** The X-Request-ID of the try that succeeded. */
    requestId: string;
    location?: string;
    /** Parsed from Location (its last path segment). */
    resourceId?: string;
  };
}

export interface CallOptions {
  /** Stops the call; it then rejects with BankCallAbortedError (name 'AbortError'). */
  signal?: AbortSignal;
}

interface Sender {
  send<T>(method: string, path: string, body: unknown, opts?: CallOptions): Promise<BankResult<T>>;
}

const at = (resourceId: string) => `/payment-requests/${encodeURIComponent(resourceId)}`;

export class PaymentRequests {
  constructor(private readonly http: Sender, private readonly profile: Pick<BankProfile, 'cancellation' | 'cancellationStatus'>) {}

  /** POST /payment-requests: 201, `meta.location` and `meta.resourceId`, `_links.consentApproval.href`. */
  create(resource: PaymentRequestResource, o?: CallOptions): Promise<BankResult<HalAuthenticationRequest>> {
    return this.http.send('POST', '/payment-requests', resource, o);
  }

  /** GET /payment-requests/{id}. */
  retrieve(resourceId: string, o?: CallOptions): Promise<BankResult<HalPaymentRequest>> {
    return this.http.send('GET', at(resourceId), undefined, o);
  }

  /**
   * PUT /payment-requests/{id}: the resource as read (a GET's `paymentRequest`, or the
   * whole HalPaymentRequest), with paymentInformationStatus CANC (or RJCT) and reason DS02.
   * @throws BankNotSupportedError, sending nothing, when the bank offers no cancellation (profile `cancellation: 'none'`)
   */
  cancel(resourceAsRead: PaymentRequestResource | HalPaymentRequest, o: CallOptions & { reasonStatus?: 'CANC' | 'RJCT' } = {}): Promise<BankResult<HalAuthenticationRequest>> {
    const resource = 'paymentRequest' in resourceAsRead ? resourceAsRead.paymentRequest : resourceAsRead;
    if (!resource.resourceId) throw new Error('cancel needs the resource as read from the bank (with its resourceId)');
    // Its answer is known (NWM: 405): asking would only add a refused call to the bank's logs.
    if (this.profile.cancellation === 'none') {
      return Promise.reject(new BankNotSupportedError(`The bank does not offer PUT ${at(resource.resourceId)} (its profile has no cancellation through the API): cancel it in online banking.`, {}));
    }
    const body: PaymentRequestResource = { ...resource, paymentInformationStatus: o.reasonStatus ?? this.profile.cancellationStatus, statusReasonInformation: 'DS02' };
    return this.http.send('PUT', at(resource.resourceId), body, { signal: o.signal });
  }

  /** POST /payment-requests/{id}/confirmation (profiles that need it; NWM answers 405). */
  confirm(resourceId: string, body: { nonce?: string; psuAuthenticationFactor?: string } = {}, o?: CallOptions): Promise<BankResult<HalPaymentRequest>> {
    return this.http.send('POST', `${at(resourceId)}/confirmation`, body, o);
  }
}
