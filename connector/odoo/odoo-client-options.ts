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
