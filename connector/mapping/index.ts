export { checkMappingContext, executionDateIn, mapBill, mappingContextWarnings } from './map-bill.js';
export type { MappingOutcome } from './map-bill.js';
export type { MappingContext } from './mapping-context.js';
export { MappingConfigError } from './mapping-config-error.js';
export { buildRemittance } from './remittance.js';
export * from './stet-status.js';
