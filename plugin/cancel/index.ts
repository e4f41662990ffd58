export { cancelPayment, CancelRefusedError, type CancelDeps, type CancelRefusal, type CancelResult } from './cancel-payment.js';
