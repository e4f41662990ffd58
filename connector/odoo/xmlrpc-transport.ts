/**
 * One XML-RPC round trip with a time-out, a path prefix and a custom CA.
 *
 * odoo-xmlrpc cannot do these (it builds its own client per call from host and port,
 * drops the URL's path, takes no TLS options and has no time-out), so this uses its
 * underlying `xmlrpc` client directly (a dependency of ours too, same version range).
 */
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { classifyOdooFault, OdooConnectionError, type OdooError } from './errors.js';

interface XmlRpcClient {
  methodCall(method: string, params: unknown[], cb: (err: (Error & Record<string, unknown>) | null, value: unknown) => void): void;
}
interface XmlRpcModule {
  createClient(opts: Record<string, unknown>): XmlRpcClient;
  createSecureClient(opts: Record<string, unknown>): XmlRpcClient;
}

const xmlrpc = createRequire(import.meta.url)('xmlrpc') as XmlRpcModule;

export interface TransportOptions {
  url: URL;
  timeoutMs: number;
  ca?: string | Buffer | Array<string | Buffer>;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i;

export class XmlRpcTransport {
  private readonly agent: http.Agent;
  private readonly base: string;

  constructor(private readonly opts: TransportOptions) {
    const secure = opts.url.protocol === 'https:';
    this.agent = secure
      ? new https.Agent({ keepAlive: true, timeout: 4000, ...(opts.ca ? { ca: opts.ca } : {}) })
      : new http.Agent({ keepAlive: true, timeout: 4000 });
    this.base = opts.url.pathname.replace(/\/+$/, '');
  }

  /** Calls `method` on `/xmlrpc/2/<service>`; faults become typed errors, network failures OdooConnectionError. */
  call(service: 'common' | 'object', method: string, params: unknown[], label: string): Promise<unknown> {
    const { url, timeoutMs } = this.opts;
    const secure = url.protocol === 'https:';
    const controller = new AbortController();
    const clientOpts: Record<string, unknown> = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (secure ? 443 : 80)),
      path: `${this.base}/xmlrpc/2/${service}`,
      agent: this.agent,
      signal: controller.signal,
      headers: {},
    };
    const client = secure ? xmlrpc.createSecureClient(clientOpts) : xmlrpc.createClient(clientOpts);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: OdooError | null, value?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value);
      };
      const timer = setTimeout(() => {
        const e = new OdooConnectionError(`Odoo at ${url.origin} did not answer ${label} within ${timeoutMs} ms`, { call: label });
        e.maybeDone = true;
        finish(e);
        controller.abort();
      }, timeoutMs);
      try {
        client.methodCall(method, params, (err, value) => {
          if (!err) return finish(null, value);
          finish(toOdooError(err, label, url));
        });
      } catch (e) {
        finish(toOdooError(e as Error & Record<string, unknown>, label, url));
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function toOdooError(err: Error & Record<string, unknown>, label: string, url: URL): OdooError {
  if (typeof err.faultCode === 'number' && typeof err.faultString === 'string') return classifyOdooFault(label, err.faultCode, err.faultString);
  const code = typeof err.code === 'string' ? err.code : '';
  const where = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  let message: string;
  if (err.message === 'Not Found') message = `No Odoo XML-RPC endpoint at ${where} (HTTP 404): check the URL and its path prefix`;
  else if (/Unknown XML-RPC tag|Unexpected|Invalid character|Unclosed|non-whitespace/i.test(err.message)) message = `The answer from ${where} is not XML-RPC (a proxy or login page?): check the URL`;
  else if (TLS.test(code) || TLS.test(err.message)) message = `TLS failed with ${where}: ${err.message} (for a private CA, give its certificate as the ca option)`;
  else if (NOT_SENT.has(code)) message = `Cannot reach Odoo at ${where} (${code}): is it running, and is the URL right?`;
  else message = `Connection to Odoo at ${where} failed during ${label}: ${err.message}`;
  const e = new OdooConnectionError(message, { call: label, cause: err });
  e.maybeDone = !NOT_SENT.has(code) && err.message !== 'Not Found' && !TLS.test(code);
  return e;
}
