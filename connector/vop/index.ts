export * from './errors.js';
export { PayeeVerificationClient, type PayeeVerification, type PayeeVerificationOptions } from './payee-verification-client.js';
