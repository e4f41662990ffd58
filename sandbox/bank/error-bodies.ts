/**
 * Error bodies exactly as the NWM guide's error table gives them ("error code: FF01
 * message: RJCT error: <field message>"), in the STET ErrorModel layout.
 */

/** The guide's field messages, word for word. */
export const GUIDE_FIELD_MESSAGES = {
  bic: 'the field creditorAgent.bicFi bicFi-Code allocated to a financial institution by the ISO 9362 Registration Authority as described in ISO 9362',
  serviceLevel: 'value not one of declared Enum instance names: [SEPA, NURG]',
  chargeBearer: 'value not one of declared Enum instance names: [SLEV]',
  schemeName: 'the field creditor.privateId.schemeName schemeName-Possible values BANK,COID,SREN,DSRET,NIDN,OAUT,CPAN',
  purpose: 'value not one of declared Enum instance names: [TRPT, CASH, CPKC, ACCT, COMC]',
  categoryPurpose: 'value not one of declared Enum instance names: [CASH, DVPM]',
} as const;

export type GuideField = keyof typeof GUIDE_FIELD_MESSAGES;
/** The order in which field errors win when a body has several. */
export const GUIDE_FIELD_ORDER: GuideField[] = ['bic', 'serviceLevel', 'chargeBearer', 'schemeName', 'purpose', 'categoryPurpose'];

export const DUPLICATE_MESSAGE = 'Database insertion issue, duplicate unique key';

export interface ErrorDetail {
  /** JSONPath of the field, e.g. `$.chargeBearer`. */
  path?: string;
  erroneousValue?: unknown;
  message: string;
}

export interface StetErrorBody {
  status: number;
  /** The guide's "error code" (FF01, TMRQ). */
  code?: string;
  message: string;
  error?: string;
  path?: string;
  timestamp?: string;
  details?: ErrorDetail[];
}

/** 400 FF01 RJCT, with the guide's field message (word for word, even the BIC one that is 141 characters, one over ErrorModel's 140) or a description of the generic problem. */
export function rejectionBody(error: string, details: ErrorDetail[], path: string, at: Date): StetErrorBody {
  return { status: 400, code: 'FF01', message: 'RJCT', error, path, timestamp: at.toISOString(), details };
}

export function plainError(status: number, message: string, path: string, at: Date, extra: Partial<StetErrorBody> = {}): StetErrorBody {
  return { status, message: message.slice(0, 140), path, timestamp: at.toISOString(), ...extra };
}
