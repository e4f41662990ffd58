export { buildPain001, paymentInformationIdFor } from './build-pain001.js';
export { Pain001Error } from './pain001-error.js';
export type { Pain001Input, Pain001Payment, Pain001Version } from './pain001-input.js';
