export { loadPaymentRequestSchema, paymentRequestSchemaPath, validatePaymentRequest } from './validate-payment-request.js';
