import { PayeeVerificationClient } from '../../connector/vop/index.js';
import type { VopConfig } from '../config/index.js';

/** The Verification of Payee client of the config, or undefined when it checks nothing (mode off, no url, bulk opt-out). Close it after the run. */
export function openPayeeVerifier(vop: Readonly<VopConfig>): PayeeVerificationClient | undefined {
  if (vop.mode === 'off' || vop.bulkOptOut || !vop.url || !vop.pem?.cert || !vop.pem.key) return undefined;
  return new PayeeVerificationClient({ url: vop.url, cert: vop.pem.cert, key: vop.pem.key, ca: vop.pem.ca, timeoutMs: vop.timeoutMs, batchSize: vop.batchSize });
}
