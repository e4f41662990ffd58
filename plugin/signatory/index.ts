export { signatoryRoutes, signatoryLink, SESSION_COOKIE, type SignatoryDeps, type OpenResult } from './signatory-routes.js';
export { signatoryPort, readWaitingPayments, type SignatoryPortOptions } from './signatory-port.js';
export { renderSignatoryPage, renderReturnPage, renderSignatoryMessage, money, longDate, SIGNATORY_PATHS, type PageFormat, type ReturnResult, type SignatoryRefusal } from './signatory-page.js';
export { waitingPayments, totalsByDate, actionable, type WaitingPayment, type WaitingTransfer, type WindowState, type QueuedFacts } from './waiting-payments.js';
export { signSignatoryLink, verifySignatoryLink, type SignatoryLink } from './signatory-tokens.js';
export { openReserved, type OpenReservedDeps } from './open-reserved.js';
export { newSignatoryLinks, SignatoryLinkRefusedError, type NewLink, type NewLinksDeps, type LinkRefusal } from './new-links.js';
