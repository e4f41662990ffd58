/** Odoo domains: prefix `&`, `|`, `!`, implicit `&`, the usual operators and dotted paths. */
import { pyRepr, serverFault } from './faults.js';
import type { FieldDef } from './schema.js';

/** What the evaluator needs from the store. */
export interface DomainContext {
  field(model: string, name: string): FieldDef | undefined;
  /** Raw stored or computed value of one field of one record. */
  value(model: string, id: number, name: string): unknown;
  displayName(model: string, id: number): string;
}

type Node = { op: '&' | '|'; a: Node; b: Node } | { op: '!'; a: Node } | { leaf: unknown[] } | { constant: boolean };

const OPERATORS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=', '=?', 'in', 'not in', 'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike']);

export function parseDomain(domain: unknown[]): Node {
  const stack: Node[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const t = domain[i];
    if (t === '&' || t === '|') {
      const a = stack.pop();
      const b = stack.pop();
      if (!a || !b) throw serverFault('ValueError', `Domain ${pyRepr(domain)} is syntactically not correct.`, 'odoo/osv/expression.py');
      stack.push({ op: t, a, b });
    } else if (t === '!') {
      const a = stack.pop();
      if (!a) throw serverFault('ValueError', `Domain ${pyRepr(domain)} is syntactically not correct.`, 'odoo/osv/expression.py');
      stack.push({ op: '!', a });
    } else if (Array.isArray(t) && t.length === 3) {
      if ((t[0] === 1 || t[0] === 0) && t[1] === '=' && (t[2] === 1 || t[2] === 0)) stack.push({ constant: t[0] === t[2] });
      else stack.push({ leaf: t });
    } else {
      throw serverFault('ValueError', `Invalid leaf ${pyRepr(t)}`, 'odoo/osv/expression.py');
    }
  }
  let node: Node = stack.pop() ?? { constant: true };
  while (stack.length) node = { op: '&', a: node, b: stack.pop()! };
  return node;
}

/** Checks every leaf's field path up front, as Odoo does when building the query. */
export function checkDomain(ctx: DomainContext, model: string, node: Node): void {
  if ('leaf' in node) {
    const [path, op] = node.leaf as [unknown, unknown, unknown];
    if (typeof op !== 'string' || !OPERATORS.has(op.toLowerCase())) throw serverFault('ValueError', `Invalid leaf ${pyRepr(node.leaf)}`, 'odoo/osv/expression.py');
    if (typeof path !== 'string') throw serverFault('ValueError', `Invalid leaf ${pyRepr(node.leaf)}`, 'odoo/osv/expression.py');
    let m = model;
    for (const part of path.split('.')) {
      const def = ctx.field(m, part);
      if (!def) throw serverFault('ValueError', `Invalid field ${m}.${part} in leaf ${pyRepr(node.leaf).replace(/^\[/, '(').replace(/\]$/, ')')}`, 'odoo/osv/expression.py');
      m = def.relation ?? m;
    }
  } else if ('op' in node) {
    checkDomain(ctx, model, node.a);
    if ('b' in node) checkDomain(ctx, model, node.b);
  }
}

export function matches(ctx: DomainContext, model: string, id: number, node: Node): boolean {
  if ('constant' in node) return node.constant;
  if ('leaf' in node) return matchLeaf(ctx, model, id, node.leaf);
  if (node.op === '!') return !matches(ctx, model, id, node.a);
  if (node.op === '&') return matches(ctx, model, id, node.a) && matches(ctx, model, id, node.b);
  return matches(ctx, model, id, node.a) || matches(ctx, model, id, node.b);
}

function isEmpty(v: unknown): boolean {
  return v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function likeRegex(pattern: string, wrap: boolean, insensitive: boolean): RegExp {
  let re = '';
  for (const ch of pattern) re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(wrap ? `^.*${re}.*$` : `^${re}$`, insensitive ? 'is' : 's');
}

function compareOne(def: FieldDef, raw: unknown, op: string, value: unknown, ctx: DomainContext): boolean {
  const isM2o = def.type === 'many2one';
  if (isM2o && typeof value === 'string' && (op === '=' || op === 'ilike' || op === 'like')) {
    return !isEmpty(raw) && likeRegex(value, op !== '=', op !== 'like').test(ctx.displayName(def.relation!, raw as number));
  }
  if (def.type === 'boolean') raw = raw === true;
  switch (op) {
    case '=':
      if (value === false || value === null) return def.type === 'boolean' ? raw === false : isEmpty(raw);
      return raw === value;
    case '!=':
    case '<>':
      if (value === false || value === null) return def.type === 'boolean' ? raw === true : !isEmpty(raw);
      return raw !== value;
    case '=?':
      return value === false || value === null ? true : compareOne(def, raw, '=', value, ctx);
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      const hit = list.some((v) => (v === false || v === null ? (def.type === 'boolean' ? raw === false : isEmpty(raw)) : v === raw));
      return op === 'in' ? hit : !hit;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (isEmpty(raw) && raw !== 0) return false;
      const a = raw as number | string;
      const b = value as number | string;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    default: {
      const negative = op.startsWith('not ');
      const base = negative ? op.slice(4) : op;
      if (isEmpty(raw)) return negative;
      const text = isM2o ? ctx.displayName(def.relation!, raw as number) : String(raw);
      const hit = likeRegex(String(value), !base.startsWith('='), base.includes('ilike')).test(text);
      return negative ? !hit : hit;
    }
  }
}

function matchLeaf(ctx: DomainContext, model: string, id: number, leaf: unknown[]): boolean {
  const [path, rawOp, value] = leaf as [string, string, unknown];
  const op = rawOp.toLowerCase();
  const parts = path.split('.');
  const head = parts[0]!;
  const def = ctx.field(model, head)!;
  const raw = head === 'id' ? id : ctx.value(model, id, head);
  if (parts.length > 1) {
    // dotted path: follow the relation; x2many matches when any related record matches
    const ids = Array.isArray(raw) ? (raw as number[]) : isEmpty(raw) ? [] : [raw as number];
    const rest = [parts.slice(1).join('.'), rawOp, value];
    if (ids.length === 0) {
      // Odoo: no related record -> the sub-query finds nothing; negative operators still hold
      return op === '!=' || op.startsWith('not') ? true : (op === '=' && (value === false || value === null));
    }
    return ids.some((rid) => matchLeaf(ctx, def.relation!, rid, rest));
  }
  if (def.type === 'one2many' || def.type === 'many2many') {
    const ids = (raw as number[] | undefined) ?? [];
    if (op === '=' && (value === false || value === null)) return ids.length === 0;
    if (op === '!=' && (value === false || value === null)) return ids.length > 0;
    const list = Array.isArray(value) ? value : [value];
    const hit = ids.some((x) => list.includes(x));
    return op === 'not in' || op === '!=' ? !hit : hit;
  }
  return compareOne(def, raw, op, value, ctx);
}

/** odoo/osv/expression.py normalize_domain: the implicit '&' between terms made explicit. */
export function normalizeDomain(domain: readonly unknown[]): unknown[] {
  if (domain.length === 0) return [[1, '=', 1]];
  const result: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) expected -= 1;
    else expected += (token === '!' ? 1 : token === '&' || token === '|' ? 2 : 0) - 1;
    result.push(token);
  }
  return result;
}

/** odoo/osv/expression.py AND([a, b]): empty domains are left out, the others normalized and joined by '&'. */
export function andDomain(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const parts = [a, b].filter((d) => d.length > 0);
  if (parts.length === 0) return [];
  return [...Array<string>(parts.length - 1).fill('&'), ...parts.flatMap((d) => normalizeDomain(d))];
}
