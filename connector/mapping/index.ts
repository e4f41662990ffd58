export { checkMappingContext, executionDateIn, mapBill, MappingConfigError, mappingContextWarnings } from './map-bill.js';
export type { MappingOutcome } from './map-bill.js';
export type { MappingContext } from './mapping-context.js';
export { buildRemittance } from './remittance.js';
export * from './stet-status.js';
