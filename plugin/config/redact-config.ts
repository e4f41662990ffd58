/**
 * A printable copy of the configuration: secrets replaced, passwords in URLs
 * masked, PEM text summarised. Safe for logs and `--json` output.
 */
import type { StetpayConfig } from './config-types.js';

export const REDACTED = '[redacted]';

/** Key names whose values are secrets wherever they appear. */
const SECRET_KEYS = new Set(['password', 'secret', 'qwacKey', 'qsealKey', 'key']);

/** A URL's password (`redis://user:secret@host`) masked; the rest as written, even when it does not parse (a config error shows those). */
export function maskUrlPassword(u: string): string {
  return u.replace(/(\/\/[^/:@\s]*:)[^/@\s]+@/, '$1***@');
}

function walk(v: unknown, key: string, inPem: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => walk(x, '', false));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, inPem || k === 'pem')]));
  }
  if (typeof v !== 'string') return v;
  if (inPem) return SECRET_KEYS.has(key) ? REDACTED : `[PEM, ${v.length} characters]`;
  if (key === 'password' || key === 'secret') return REDACTED; // bank.qwacKey / qsealKey / vop.key outside `pem` are paths, not secrets
  if (key === 'caPem') return `[PEM, ${v.length} characters]`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return maskUrlPassword(v);
  return v;
}

/** Deep copy for printing; never contains a secret. */
export function redactConfig(c: Readonly<StetpayConfig>): Record<string, unknown> {
  return walk(c, '', false) as Record<string, unknown>;
}
