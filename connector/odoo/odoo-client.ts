/**
 * A promise API over Odoo's external XML-RPC: login, version detection, typed
 * faults, a time-out on every call, retries for reads only, and nothing null or
 * undefined ever sent (Odoo would read it as an empty value).
 */
import { OdooAuthError, OdooConfigError, OdooConnectionError, OdooServerError } from './errors.js';
import { XmlRpcTransport } from './xmlrpc-transport.js';
import { isSupportedOdooVersion, SUPPORTED_ODOO_VERSIONS } from './odoo-dialect.js';

import type { OdooMajorVersion } from './odoo-dialect.js';
export type { OdooMajorVersion };

/** How to reach one Odoo database over XML-RPC. */
export interface OdooClientOptions {
  /** Base URL with scheme, e.g. `https://erp.example.fr` or `https://example.fr/odoo` (path prefix kept). */
  url: string;
  /** Database name. */
  database: string;
  /** Login of the Odoo user stetpay acts as. */
  username: string;
  /** That user's API key (recommended) or password. Never logged. */
  password: string;
  /** Ms before a call is abandoned. @defaultValue 30000 */
  timeoutMs?: number;
  /** PEM CA certificate(s) to trust for https (a private CA). @defaultValue Node's bundled CAs */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Attempts for a read that fails to connect (writes are never retried blindly). @defaultValue 3 */
  readAttempts?: number;
  /** Ms before the first read retry; doubled each time. @defaultValue 250 */
  retryDelayMs?: number;
}

/** Per call: may it be retried when the connection fails? */
export interface OdooCallOptions {
  /**
   * `read`: retried on connection failures; `idempotent`: a write that gives the same
   * result when repeated (e.g. load of the same values), retried too; `never`: not retried.
   * @defaultValue `read` for search/read methods, `never` for anything else
   */
  retry?: 'read' | 'idempotent' | 'never';
}

const READ_METHODS = new Set(['search', 'search_read', 'search_count', 'read', 'fields_get', 'name_search', 'read_group', 'check_access_rights', 'default_get', 'version']);

/** Parses and checks an Odoo base URL: the scheme is required (no silent localhost). */
export function parseOdooUrl(raw: string): URL {
  if (!/^https?:\/\/[^/]/i.test(raw.trim())) {
    throw new OdooConfigError(`The Odoo URL '${raw}' has no http:// or https:// scheme: write it in full, e.g. https://erp.example.fr`);
  }
  const url = new URL(raw.trim());
  if (url.search || url.hash) throw new OdooConfigError(`The Odoo URL '${raw}' must not carry a query or fragment`);
  return url;
}

/** Deep copy without undefined keys; throws on null/undefined values Odoo must never receive. */
export function sanitizeForOdoo(value: unknown, path = 'params'): unknown {
  if (value === null) throw new OdooConfigError(`Refusing to send null to Odoo at ${path}: use false to clear a field`);
  if (value === undefined) throw new OdooConfigError(`Refusing to send undefined to Odoo at ${path}`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new OdooConfigError(`Refusing to send ${value} to Odoo at ${path}`);
  if (value instanceof Date) throw new OdooConfigError(`Refusing to send a Date to Odoo at ${path}: send 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC)`);
  if (Array.isArray(value)) return value.map((v, i) => sanitizeForOdoo(v, `${path}[${i}]`));
  if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = sanitizeForOdoo(v, `${path}.${k}`);
    return out;
  }
  return value;
}

export function majorVersion(info: unknown): number {
  const v = info as { server_version_info?: unknown[]; server_serie?: string; server_version?: string };
  const first = v?.server_version_info?.[0];
  if (typeof first === 'number') return first;
  const m = /(\d+)/.exec(String(first ?? v?.server_serie ?? v?.server_version ?? '')); // saas~17.2
  return m ? Number(m[1]) : NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class OdooClient {
  /** Round trips made by this client (each retry counts). */
  calls = 0;

  private constructor(
    private readonly transport: XmlRpcTransport,
    private readonly opts: OdooClientOptions,
    readonly uid: number,
    readonly version: OdooMajorVersion,
    readonly serverVersion: string,
  ) {}

  get database(): string {
    return this.opts.database;
  }
  get username(): string {
    return this.opts.username;
  }

  /** Checks the URL, reads Odoo's version and logs in. */
  static async connect(opts: OdooClientOptions): Promise<OdooClient> {
    const url = parseOdooUrl(opts.url);
    if (!opts.database || !opts.username || !opts.password) throw new OdooConfigError('Odoo connection needs a database, a username and a password or API key');
    const transport = new XmlRpcTransport({ url, timeoutMs: opts.timeoutMs ?? 30000, ...(opts.ca ? { ca: opts.ca } : {}) });
    const probe = { calls: 0 };
    try {
      const info = await withRetries(opts, probe, () => transport.call('common', 'version', [], 'common.version'));
      const major = majorVersion(info);
      if (!isSupportedOdooVersion(major)) {
        throw new OdooConfigError(`Odoo ${String((info as { server_version?: string })?.server_version ?? major)} is not supported: stetpay works with Odoo ${SUPPORTED_ODOO_VERSIONS.join(', ')}`);
      }
      let uid: unknown;
      try {
        uid = await withRetries(opts, probe, () => transport.call('common', 'authenticate', [opts.database, opts.username, opts.password, {}], 'common.authenticate'));
      } catch (e) {
        if (e instanceof OdooServerError && /database .* does not exist/i.test(e.message)) {
          throw new OdooAuthError(`Odoo has no database '${opts.database}': check the database name`, { call: 'common.authenticate', cause: e });
        }
        throw e;
      }
      if (typeof uid !== 'number' || uid <= 0) {
        throw new OdooAuthError(`Odoo refused the login for user ${opts.username} on database ${opts.database}: check the user and API key`, { call: 'common.authenticate' });
      }
      const client = new OdooClient(transport, opts, uid, major, String((info as { server_version?: string }).server_version ?? major));
      client.calls = probe.calls;
      return client;
    } catch (e) {
      transport.close();
      throw e;
    }
  }

  /**
   * `execute_kw(model, method, args, kwargs)`. Reads are retried on connection
   * failures; writes are not, unless `retry: 'idempotent'`.
   */
  async call<T = unknown>(model: string, method: string, args: unknown[] = [], kwargs?: Record<string, unknown>, options: OdooCallOptions = {}): Promise<T> {
    const params: unknown[] = [this.opts.database, this.uid, this.opts.password, model, method, sanitizeForOdoo(args, 'args')];
    if (kwargs && Object.keys(kwargs).length) params.push(sanitizeForOdoo(kwargs, 'kwargs'));
    const label = `${model}.${method}`;
    const retry = options.retry ?? (READ_METHODS.has(method) ? 'read' : 'never');
    const once = (): Promise<unknown> => this.transport.call('object', 'execute_kw', params, label);
    if (retry === 'never') {
      this.calls++;
      return (await once()) as T;
    }
    return (await withRetries(this.opts, this, once)) as T;
  }

  /**
   * For methods that return None (Odoo then faults *after* committing): resolves
   * `undefined` on that fault, so the caller re-reads instead of assuming failure.
   */
  async callMaybeNone<T = unknown>(model: string, method: string, args: unknown[] = [], kwargs?: Record<string, unknown>): Promise<T | undefined> {
    try {
      return await this.call<T>(model, method, args, kwargs);
    } catch (e) {
      if (e instanceof OdooServerError && e.returnedNone) return undefined;
      throw e;
    }
  }

  close(): void {
    this.transport.close();
  }
}

async function withRetries(opts: OdooClientOptions, counter: { calls: number }, fn: () => Promise<unknown>): Promise<unknown> {
  const attempts = Math.max(1, opts.readAttempts ?? 3);
  let delay = opts.retryDelayMs ?? 250;
  for (let i = 1; ; i++) {
    counter.calls++;
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof OdooConnectionError) || i >= attempts) throw e;
      await sleep(delay);
      delay *= 2;
    }
  }
}
