export { signCompactState, verifyState, type StatePayload } from './state-token.js';
export { StateTokenError, UnknownPaymentError, isUnknownPaymentError, type StateTokenProblem } from '../errors.js';
export { reportUrlsFor, nonceFor, CALLBACK_PATHS, type ReportUrls, type ReportUrlOptions } from './report-urls.js';
export {
  CONSENT_CHECK_RETRY,
  startCallbackServer,
  type CallbackServer,
  type CallbackServerOptions,
  type CallbackLogger,
  type CheckStatusRequest,
  type CheckStatusResult,
} from './callback-server.js';
export { redisNonceStore, type NonceStore } from './redis-nonce-store.js';
export { pickLanguage, renderCallbackPage, type PageKind, type PageLanguage, type PageDetails } from './callback-pages.js';
export { odooLinks, type OdooLinks } from './odoo-links.js';
