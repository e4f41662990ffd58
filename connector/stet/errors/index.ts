export * from './bank-error.js';
export * from './classify-bank-response.js';
export * from './classify-transport-failure.js';
