/**
 * What the schema cannot say about `odoo.url`: plain http:// carries the API
 * key in clear on every call, so it is taken only to this machine (a dev
 * server, a local tunnel) unless `odoo.allowInsecureHttp` says so explicitly,
 * and then warned about on every start.
 */
import { fromVariable } from './format-problems.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** The host an http:// URL sends the API key to in clear, or null (https, or this machine, or not a URL). */
export function insecureOdooHost(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null; // the schema reports it
  }
  if (u.protocol !== 'http:' || LOOPBACK.test(u.hostname)) return null;
  return u.hostname;
}

export function odooUrlProblems(odoo: unknown, sources: ReadonlyMap<string, string>): string[] {
  if (typeof odoo !== 'object' || odoo === null) return [];
  const { url, allowInsecureHttp } = odoo as { url?: unknown; allowInsecureHttp?: unknown };
  const host = insecureOdooHost(url);
  if (!host || allowInsecureHttp === true) return [];
  return [
    `config: odoo.url ${String(url)} would send the Odoo API key in clear (http://) to ${host}: use https://, or set odoo.allowInsecureHttp: true if the network to Odoo is yours end to end` +
      fromVariable('odoo.url', sources),
  ];
}

/** The line said on every start when insecure http was allowed; null when there is nothing to say. */
export function insecureOdooWarning(odoo: { url: string; allowInsecureHttp?: boolean }): string | null {
  const host = insecureOdooHost(odoo.url);
  return host && odoo.allowInsecureHttp ? `stetpay: warning: odoo.url is http:// to ${host} (odoo.allowInsecureHttp): the Odoo API key crosses the network in clear on every call; use https://` : null;
}
