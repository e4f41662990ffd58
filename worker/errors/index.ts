export * from './bank-credentials-error.js';
export * from './invalid-job-id-error.js';
export * from './writeback-dead-letter-error.js';
export * from './drain-lock-lost-error.js';
