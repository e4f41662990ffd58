/**
 * One XML-RPC round trip with a time-out, a path prefix and a custom CA.
 *
 * Our own client on node:http(s), with the bodies of ./xmlrpc-codec.ts: odoo-xmlrpc
 * cannot do these (it builds its own client per call from host and port, drops the URL's
 * path, takes no TLS options and has no time-out), and the `xmlrpc` package it uses read
 * answers with a sax parser that was the largest cost on the pipeline's event loop
 * (issue 15, P2); the codec is proven equal to it on Odoo's answers.
 */
import http from 'node:http';
import https from 'node:https';
import { classifyOdooFault, OdooConnectionError, type OdooError } from './errors.js';
import { decodeMethodResponse, encodeMethodCall, XmlRpcAnswerError, XmlRpcFault } from './xmlrpc-codec.js';

export interface TransportOptions {
  url: URL;
  timeoutMs: number;
  ca?: string | Buffer | Array<string | Buffer>;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i;
/** The headers the `xmlrpc` package sent, which Odoo and its proxies have seen until now. */
const HEADERS = { 'User-Agent': 'NodeJS XML-RPC Client', 'Content-Type': 'text/xml', Accept: 'text/xml', 'Accept-Charset': 'UTF8', Connection: 'Keep-Alive' };

export class XmlRpcTransport {
  private readonly agent: http.Agent;
  private readonly base: string;
  private readonly secure: boolean;
  private readonly host: string;
  private readonly port: number;

  constructor(private readonly opts: TransportOptions) {
    const secure = opts.url.protocol === 'https:';
    this.secure = secure;
    this.host = opts.url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(opts.url.port || (secure ? 443 : 80));
    this.agent = secure
      ? new https.Agent({ keepAlive: true, timeout: 4000, ...(opts.ca ? { ca: opts.ca } : {}) })
      : new http.Agent({ keepAlive: true, timeout: 4000 });
    this.base = opts.url.pathname.replace(/\/+$/, '');
  }

  /** Calls `method` on `/xmlrpc/2/<service>`; faults become typed errors, network failures OdooConnectionError. */
  call(service: 'common' | 'object', method: string, params: unknown[], label: string): Promise<unknown> {
    const { url, timeoutMs } = this.opts;
    const controller = new AbortController();
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: OdooError | null, value?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value);
      };
      const fail = (e: unknown): void => finish(toOdooError(e as Error & Record<string, unknown>, label, url));
      const timer = setTimeout(() => {
        const e = new OdooConnectionError(`Odoo at ${url.origin} did not answer ${label} within ${timeoutMs} ms`, { call: label });
        e.maybeDone = true;
        finish(e);
        controller.abort();
      }, timeoutMs);
      try {
        const body = Buffer.from(encodeMethodCall(method, params), 'utf8');
        const request = (this.secure ? https : http).request(
          {
            host: this.host,
            port: this.port,
            path: `${this.base}/xmlrpc/2/${service}`,
            method: 'POST',
            agent: this.agent,
            signal: controller.signal,
            headers: { ...HEADERS, 'Content-Length': body.length },
          },
          (response) => {
            if (response.statusCode === 404) {
              response.resume();
              return fail(new NotFound());
            }
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('error', fail);
            response.on('end', () => {
              let value: unknown;
              try {
                value = decodeMethodResponse(Buffer.concat(chunks).toString('utf8'));
              } catch (e) {
                return fail(e);
              }
              finish(null, value);
            });
          },
        );
        request.on('error', fail);
        request.end(body);
      } catch (e) {
        fail(e);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The endpoint answered 404: no XML-RPC there (a wrong path prefix). */
class NotFound extends Error {
  constructor() {
    super('Not Found');
  }
}

function toOdooError(err: Error & Record<string, unknown>, label: string, url: URL): OdooError {
  if (err instanceof XmlRpcFault) return classifyOdooFault(label, err.faultCode, err.faultString);
  const code = typeof err.code === 'string' ? err.code : '';
  const where = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  let message: string;
  if (err instanceof NotFound) message = `No Odoo XML-RPC endpoint at ${where} (HTTP 404): check the URL and its path prefix`;
  else if (err instanceof XmlRpcAnswerError && err.notXmlRpc) message = `The answer from ${where} is not XML-RPC (a proxy or login page?): check the URL`;
  else if (TLS.test(code) || TLS.test(err.message)) message = `TLS failed with ${where}: ${err.message} (for a private CA, give its certificate as the ca option)`;
  else if (NOT_SENT.has(code)) message = `Cannot reach Odoo at ${where} (${code}): is it running, and is the URL right?`;
  else message = `Connection to Odoo at ${where} failed during ${label}: ${err.message}`;
  const e = new OdooConnectionError(message, { call: label, cause: err });
  e.maybeDone = !NOT_SENT.has(code) && !(err instanceof NotFound) && !TLS.test(code);
  return e;
}
