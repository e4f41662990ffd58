export { retryPayment, RetryRefusedError, type RetryDeps, type RetryRefusal, type RetryResult } from './retry-payment.js';
