/** Odoo's XML-RPC faults (odoo/addons/base/controllers/rpc.py `xmlrpc_handle_exception_int`). */
export class OdooFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

/** Fault 1 carries the whole Python traceback; its last line is `Type: message`. */
export function serverFault(pyType: string, message: string, where = 'odoo/models.py'): OdooFault {
  const tb =
    'Traceback (most recent call last):\n' +
    '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 150, in xmlrpc_2\n' +
    '    response = self._xmlrpc(service)\n' +
    '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 63, in execute_kw\n' +
    '    return execute(db, uid, obj, method, *args, **kw or {})\n' +
    `  File "/usr/lib/python3/dist-packages/${where}", line 1, in <module>\n` +
    `${pyType}: ${message}\n`;
  return new OdooFault(1, tb);
}

export const accessDenied = (): OdooFault => new OdooFault(3, 'Access Denied');

export const userError = (message: string): OdooFault => new OdooFault(2, message);

export const missingError = (model: string, ids: number[], uid: number): OdooFault =>
  new OdooFault(
    2,
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')}${ids.length === 1 ? ',' : ''}), User: ${uid})`,
  );

/** Python's repr of a JSON-ish value, for messages that quote a domain leaf. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: number }).value);
  return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}
