export * from './bank-credentials-error.js';
export * from './invalid-job-id-error.js';
