export * from './errors/index.js';
export { classifyBankResponse, isDuplicateRefusal, isSignatureRefusal, isTokenRefusal, retryAfterMs, type RawBankResponse } from './errors/classify-bank-response.js';
export { StetClient, type BankRequestEnded, type StetClientOptions } from './stet-client.js';
export { PaymentRequests, type BankResult, type CallOptions } from './payment-requests.js';
export { resourceIdFromLocation } from './location.js';
export { TokenProvider, type IssuedToken } from './token-provider.js';
export { digestHeader, signatureHeader, signingString, type SignInput } from './http-signature.js';
export { checkCredentials, pemLabels, QSEAL_KEY_ID, type CredentialInput, type CredentialProblem } from './credentials.js';
export { fallbackLinkFrom, type FallbackLink } from './fallback-link.js';
