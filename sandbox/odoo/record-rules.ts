/**
 * Record rules (ir.rule) on create, as Odoo applies them: after the record is
 * made, `_check_access` asks whether it matches the domains of the rules for
 * `create` (global ones all, group ones any of the user's); if not, an
 * AccessError (fault 4) and nothing is created (odoo/models.py `create` ->
 * `check_access_rule('create')` on 16/17, `check_access('create')` on 18;
 * odoo/addons/base/models/ir_rule.py `_make_access_error`). The superuser
 * (id 1) is not subject to rules. The dev server reads `domain_force` as a
 * Python literal in which `user.id` is the only name.
 */
import { effectiveGroups } from './access.js';
import { matches, parseDomain } from './domain.js';
import { OdooFault, serverFault } from './faults.js';
import type { DevUser, OdooStore } from './store.js';

interface RuleRow {
  id: number;
  name: string;
  domain: unknown[];
  global: boolean;
  groups: number[];
}

/** `domain_force` with `user.id` replaced: a list of tuples and strings, numbers, True/False/None. */
export function ruleDomain(text: string, uid: number): unknown[] {
  const json = text
    .replace(/\buser\.id\b/g, String(uid))
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\b(False|None)\b/g, 'false')
    .replace(/,\s*\]/g, ']');
  try {
    const v = JSON.parse(json) as unknown;
    if (Array.isArray(v)) return v;
  } catch {
    // below
  }
  throw serverFault('ValueError', `The dev server reads only plain domains with user.id in a record rule, not: ${text}`, 'odoo/tools/safe_eval.py');
}

function rulesFor(s: OdooStore, model: string, mode: 'create', user: DevUser): RuleRow[] {
  const modelIds = s.search('ir.model', [['model', '=', model]]);
  if (!modelIds.length) return [];
  const mine = new Set([...effectiveGroups(s.version, user.groups)].map((x) => s.xmlidTarget(x)?.resId).filter((x): x is number => x !== undefined));
  return s
    .read('ir.rule', s.search('ir.rule', [['model_id', 'in', modelIds], [`perm_${mode}`, '=', true], ['active', '=', true]]))
    .map((r) => ({ id: r.id, name: String(r.name || ''), domain: ruleDomain(String(r.domain_force || '[]'), user.id), global: ((r.groups as number[]) ?? []).length === 0, groups: (r.groups as number[]) ?? [] }))
    .filter((r) => r.global || r.groups.some((g) => mine.has(g)));
}

/** Throws Odoo's AccessError when the new record `id` does not match the create rules of its model. */
export function checkCreateRules(s: OdooStore, user: DevUser, model: string, id: number, describe: (model: string) => string): void {
  if (user.id === 1) return;
  const rules = rulesFor(s, model, 'create', user);
  if (!rules.length) return;
  const ok = (r: RuleRow) => matches(s, model, id, parseDomain(r.domain));
  const failedGlobal = rules.filter((r) => r.global && !ok(r));
  const groupRules = rules.filter((r) => !r.global);
  const failedGroups = groupRules.length && !groupRules.some(ok) ? groupRules : [];
  const failed = [...failedGlobal, ...failedGroups];
  if (!failed.length) return;
  const userName = String(s.value('res.users', user.id, 'name'));
  const blame = failed.map((r) => `- ${r.name}`).join('\n');
  const text =
    s.version >= 17
      ? `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${userName} (id=${user.id}) doesn't have 'create' access to:\n- ${describe(model)} (${model})\n\nBlame the following rules:\n${blame}\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.`
      : `The requested operation ("create" on "${describe(model)}" (${model})) was rejected because of the following rules:\n${blame}\n\n(Records: ${describe(model)}, User: ${user.id})`;
  throw new OdooFault(4, text);
}
