/**
 * STET PSD2 v1.6.2 payment request types, as much of the official OpenAPI
 * (`PaymentRequestResource`, `HalAuthenticationRequest`, `HalPaymentRequest`)
 * as stetpay sends or reads. Field names are the spec's.
 */
export interface PartyIdentification {
  name: string;
  postalAddress?: PostalAddress;
  organisationId?: GenericIdentification;
  privateId?: GenericIdentification;
}

export interface PostalAddress {
  country: string;
  addressLine?: string[];
  streetName?: string;
  buildingNumber?: string;
  postCode?: string;
  townName?: string;
}

export interface GenericIdentification {
  identification: string;
  schemeName: string;
  issuer?: string;
}

export interface AccountIdentification {
  iban: string;
  currency?: string;
}

export interface FinancialInstitutionIdentification {
  bicFi: string;
}

export interface PaymentIdentification {
  instructionId: string;
  endToEndId: string;
}

export interface AmountType {
  /** STET 1.6: a number; we always send exactly two decimals' worth of cents. */
  amount: number;
  currency: string;
}

export interface Beneficiary {
  creditor: PartyIdentification;
  creditorAccount: AccountIdentification;
  creditorAgent?: FinancialInstitutionIdentification;
}

export interface RemittanceInformation {
  unstructured?: string[];
  structured?: StructuredRemittance[];
}

/** STET `StructuredRemittanceInformation` (only the creditor reference stetpay sends). */
export interface StructuredRemittance {
  creditorReferenceInformation: {
    /** STET `CodeAndIssuer`: `{code: 'SCOR', issuer: 'ISO'}` for an ISO 11649 RF reference. */
    type: { code: 'SCOR'; issuer?: string };
    /** At most 35 characters. */
    reference: string;
  };
}

export interface CreditTransferTransaction {
  paymentId: PaymentIdentification;
  requestedExecutionDate?: string;
  instructedAmount: AmountType;
  beneficiary: Beneficiary;
  purpose?: string;
  remittanceInformation?: RemittanceInformation;
  /** Set by the bank. */
  resourceId?: string;
  transactionStatus?: string;
  statusReasonInformation?: string;
}

export interface PaymentTypeInformation {
  instructionPriority?: 'HIGH' | 'NORM';
  serviceLevel: 'SEPA';
  localInstrument?: string;
  categoryPurpose?: string;
}

export interface SupplementaryData {
  acceptedAuthenticationApproach: string[];
  scaHint?: string;
  successfulReportUrl?: string;
  unsuccessfulReportUrl?: string;
  appliedAuthenticationApproach?: string;
}

export interface PaymentRequestResource {
  paymentInformationId: string;
  creationDateTime: string;
  numberOfTransactions: number;
  initiatingParty: PartyIdentification;
  paymentTypeInformation: PaymentTypeInformation;
  debtor?: PartyIdentification;
  debtorAccount?: AccountIdentification;
  debtorAgent?: FinancialInstitutionIdentification;
  chargeBearer?: string;
  creditTransferTransaction: CreditTransferTransaction[];
  supplementaryData: SupplementaryData;
  /** Set by the bank (read back by GET, sent back in a cancellation PUT). */
  resourceId?: string;
  paymentInformationStatus?: string;
  statusReasonInformation?: string;
}

/** 201 to POST, 200 to a cancellation PUT. */
export interface HalAuthenticationRequest {
  appliedAuthenticationApproach: string;
  nonce?: string;
  _links?: { consentApproval?: { href: string } };
}

/** 200 to GET and to the confirmation POST. */
export interface HalPaymentRequest {
  paymentRequest: PaymentRequestResource;
  _links?: Record<string, { href: string }>;
}
