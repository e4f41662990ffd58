export { buildPain001, Pain001Error, paymentInformationIdFor } from './build-pain001.js';
export type { Pain001Input, Pain001Payment, Pain001Version } from './pain001-input.js';
