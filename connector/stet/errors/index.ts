export * from './bank-error.js';
