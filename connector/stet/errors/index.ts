export * from './bank-error.js';
export * from './classify-bank-response.js';
