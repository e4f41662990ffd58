export { resolveNotAtBank, ResolveRefusedError, type ResolveDeps, type ResolveRefusal, type ResolveResult } from './resolve-payment.js';
