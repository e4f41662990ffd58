/**
 * `YYYY-MM-DD HH:MM:SS` in UTC, as Odoo stores and expects datetimes over
 * XML-RPC (naive, read as UTC): the one formatter for `x_stet_updated_at`,
 * domain bounds and the times quoted in chatter notes.
 */
export function odooNow(d: Date = new Date()): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
