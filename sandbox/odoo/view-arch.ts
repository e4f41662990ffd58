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

/** What a field node's children must be to be a view of the field's comodel (ir_ui_view.py: 'tree' on 16/17, 'list' on 18). */
function subviewTags(version: OdooVersion): Set<string> {
  return new Set(['form', version >= 18 ? 'list' : 'tree', 'graph', 'kanban', 'calendar']);
}

interface OpenNode {
  tag: string;
  /** The model its children's fields belong to. */
  model: string;
  /** A field node: its comodel (relational fields). */
  comodel?: string;
}

/**
 * `_validate_tag_field`: every `<field name="...">` names a field of the
 * view's model or, inside a subview of a relational field (`<field
 * name="x_ids"><tree>...`), of that field's comodel; else 'Field "x" does not
 * exist in model "m"'.
 */
export function checkViewFields(version: OdooVersion, arch: string, model: string, fieldOf: (model: string, name: string) => { relation?: string } | undefined): void {
  const subviews = subviewTags(version);
  const open: OpenNode[] = [];
  for (const m of arch.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>/g)) {
    const [element, closing, tag, attrs, selfClosing] = [m[0], m[1], m[2]!, m[3] ?? '', m[4]];
    if (closing) {
      open.pop();
      continue;
    }
    const parent = open[open.length - 1];
    const here = parent?.tag === 'field' && parent.comodel && subviews.has(tag) ? parent.comodel : (parent?.model ?? model);
    let comodel: string | undefined;
    if (tag === 'field') {
      const name = /\sname\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
      if (!name) throw invalid(element, 'Field tag must have a "name" attribute defined');
      const field = fieldOf(here, name);
      if (!field) throw invalid(element, `Field "${name}" does not exist in model "${here}"`);
      comodel = field.relation;
    }
    if (!selfClosing) open.push({ tag, model: here, comodel });
  }
}
