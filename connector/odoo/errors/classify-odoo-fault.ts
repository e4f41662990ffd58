import { OdooAccessDeniedError } from './odoo-access-denied-error.js';
import { OdooAccessError } from './odoo-access-error.js';
import type { OdooError } from './odoo-error.js';
import { missingStetField, OdooFieldsMissingError } from './odoo-fields-missing-error.js';
import { OdooServerError } from './odoo-server-error.js';
import { OdooMissingError, OdooUserError } from './odoo-user-error.js';

/** The last non-empty line of a traceback: `ValueError: Invalid field ...`. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

/** Odoo's XML-RPC fault -> typed error, by fault code (odoo/addons/base/controllers/rpc.py). */
export function classifyOdooFault(call: string, faultCode: number, faultString: string): OdooError {
  const o = { call, faultCode, faultString };
  switch (faultCode) {
    case 3:
      return new OdooAccessDeniedError(`Odoo refused the credentials on ${call} (Access Denied): the password or API key was changed or revoked`, o);
    case 4:
      return new OdooAccessError(faultString, o);
    case 2:
      return /does not exist or has been deleted/i.test(faultString) ? new OdooMissingError(faultString, o) : new OdooUserError(faultString, o);
    default: {
      const field = missingStetField(lastLine(faultString));
      return field ? new OdooFieldsMissingError(field, o) : new OdooServerError(lastLine(faultString), o);
    }
  }
}
