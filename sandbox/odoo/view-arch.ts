/**
 * What Odoo's view validation refuses in an arch, per version (a
 * ValidationError: fault 2). 17 dropped `attrs` and `states` for Python
 * expressions in `invisible`/`readonly`/`required`; 16 evaluates those three
 * as constants (safe_eval with only `context`), so a field name there fails.
 */
import { userError } from './faults.js';
import type { OdooVersion } from './schema.js';

/** Names a 16 modifier may use: the context and Python's constants and keywords. */
const ALLOWED_16 = new Set(['context', 'True', 'False', 'None', 'and', 'or', 'not', 'in', 'is']);

function invalid(element: string, why: string): Error {
  return userError(`Error while validating view near:\n\n${element}\n\n${why}`);
}

export function checkViewArch(version: OdooVersion, arch: string): void {
  if (version >= 17) {
    const m = /<[^<>]*\s(?:attrs|states)\s*=\s*"[^"]*"[^<>]*>/.exec(arch);
    if (m) throw invalid(m[0], 'Since 17.0, the "attrs" and "states" attributes are no longer used.');
    return;
  }
  for (const m of arch.matchAll(/<[^<>]*\s(?:invisible|readonly|required)\s*=\s*"([^"]*)"[^<>]*>/g)) {
    // identifiers outside quoted strings, not after a dot (context.get is fine)
    const code = m[1]!.replace(/'[^']*'|&quot;[^&]*&quot;/g, "''");
    for (const id of code.matchAll(/(?<![.\w])[A-Za-z_]\w*/g)) {
      if (!ALLOWED_16.has(id[0])) throw invalid(m[0], `name '${id[0]}' is not defined`);
    }
  }
}
