/**
 * `execute_kw` on the dev server: the ORM methods an XML-RPC client calls,
 * with Odoo's access checks, validation and faults, and wire values as Odoo
 * returns them (`false` for empty, `[id, name]` for many2one, doubles for money).
 */
import { TZDate } from '@date-fns/tz';
import { AccessRules, type AccessMode } from './access.js';
import { missingError, OdooFault, pyRepr, serverFault, userError } from './faults.js';
import { andDomain } from './domain.js';
import { activityDefaults, checkActivityCreate, logTrackedChanges, MAIL_THREAD_MODELS, notifyAssignee, postAccess, postMessage, trackedFields } from './mail.js';
import { checkCreateRules } from './record-rules.js';
import { modelMethod } from './model-methods.js';
import type { FieldDef } from './schema.js';
import { checkViewArch, checkViewFields } from './view-arch.js';
import type { DevUser, OdooStore, RawRecord } from './store.js';
import { PyFloat } from './xmlrpc-codec.js';

type Kwargs = Record<string, unknown>;

/** odoo/models.py LOG_ACCESS_COLUMNS: set by the ORM, never taken from a caller. */
const LOG_ACCESS_COLUMNS = ['create_uid', 'create_date', 'write_uid', 'write_date'];

/**
 * Odoo's `_search`: on a model with an `active` field, archived records are
 * left out unless the context says `active_test: False` or a leaf of the
 * domain names `active` itself (`item[0] == 'active'`).
 */
function withActiveTest(store: OdooStore, model: string, domain: unknown[], context: Kwargs): unknown[] {
  if (!store.field(model, 'active') || context.active_test === false) return domain;
  if (domain.some((item) => Array.isArray(item) && item[0] === 'active')) return domain;
  return [['active', '=', true], ...domain];
}

function unwrap(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  return v;
}

export class OdooOrm {
  private readonly access: AccessRules;

  constructor(private readonly store: OdooStore) {
    this.access = new AccessRules(store.version, (m) => (store.isCustomModel(m) ? store.accessRows(m) : undefined));
  }

  /** The model's name in Odoo's messages (its ir.model name). */
  private readonly describe = (model: string): string => this.store.schema[model]?.description ?? model;

  /** `ir.model.access.check`: fault 4 with the groups that have the right. */
  private check(user: DevUser, model: string, mode: AccessMode): void {
    this.access.checkModel(user.groups, model, mode, this.describe);
  }

  execute(user: DevUser, model: string, method: string, rawArgs: unknown[], rawKwargs: Kwargs): unknown {
    const args = unwrap(rawArgs) as unknown[];
    const kwargs = (unwrap(rawKwargs) ?? {}) as Kwargs;
    const s = this.store;
    if (!s.hasModel(model)) throw userError(`Object ${model} doesn't exist`);
    if (method.startsWith('_')) throw new OdooFault(4, `Private methods (such as ${model}.${method}) cannot be called remotely.`);
    const arg = (i: number, name: string): unknown => (args.length > i ? args[i] : kwargs[name]);
    const context = (kwargs.context ?? {}) as Kwargs;
    s.actingUid = user.id;
    const special = modelMethod(model, method);
    if (special) {
      return special({
        store: s,
        access: this.access,
        user,
        args,
        kwargs,
        context,
        check: (m, mode) => this.check(user, m, mode),
        write: (m, ids, vals) => this.write(user, m, this.ids(ids), vals),
        create: (m, vals) => this.createChecked(user, m, [vals], context)[0]!,
      });
    }
    switch (method) {
      case 'search': {
        this.check(user, model, 'read');
        const ids = this.searchIds(model, arg(0, 'domain'), arg(1, 'offset'), arg(2, 'limit'), arg(3, 'order'), context);
        return arg(4, 'count') === true ? ids.length : ids;
      }
      case 'search_count':
        this.check(user, model, 'read');
        return this.searchIds(model, arg(0, 'domain'), 0, false, undefined, context).length;
      case 'search_read': {
        this.check(user, model, 'read');
        const ids = this.searchIds(model, arg(0, 'domain'), arg(2, 'offset'), arg(3, 'limit'), arg(4, 'order'), context);
        return this.readWire(user, model, ids, arg(1, 'fields'), kwargs.load);
      }
      case 'read': {
        this.check(user, model, 'read');
        const ids = this.ids(arg(0, 'ids'));
        const missing = ids.filter((id) => !s.exists(model, id));
        if (missing.length) throw missingError(model, missing, user.id);
        return this.readWire(user, model, ids, arg(1, 'fields'), arg(2, 'load'));
      }
      case 'read_group':
        this.check(user, model, 'read');
        return this.readGroup(model, arg(0, 'domain'), arg(1, 'fields'), arg(2, 'groupby'), kwargs.lazy ?? args[6] ?? true, context);
      case 'fields_get':
        return this.fieldsGet(model, arg(0, 'allfields'), arg(1, 'attributes'));
      case 'check_access_rights': {
        // Odoo 16-18 (@api.model; 18 deprecates it for has_access but keeps it): the model-level right, False or an AccessError.
        const op = arg(0, 'operation');
        if (op !== 'read' && op !== 'write' && op !== 'create' && op !== 'unlink') throw serverFault('ValueError', `Invalid access mode ${pyRepr(op)}`, 'odoo/addons/base/models/ir_model.py');
        try {
          this.check(user, model, op);
          return true;
        } catch (err) {
          if (arg(1, 'raise_exception') === false) return false;
          throw err;
        }
      }
      case 'write':
        this.write(user, model, this.ids(arg(0, 'ids')), arg(1, 'vals'));
        return true;
      case 'create': {
        const v = arg(0, 'vals_list') ?? arg(0, 'vals');
        const list = Array.isArray(v) ? v : [v];
        if (model === 'res.partner.bank') list.forEach((one) => this.bankAccountCreateRules(user, one));
        this.check(user, model, 'create');
        const ids = this.createChecked(user, model, list, context);
        if (model === 'mail.activity') for (const id of ids) notifyAssignee(s, user, id, context);
        return Array.isArray(v) ? ids : ids[0];
      }
      case 'unlink': {
        this.check(user, model, 'unlink');
        const ids = this.ids(arg(0, 'ids'));
        // one transaction: an id already gone faults and nothing is deleted
        const missing = ids.filter((id) => !s.exists(model, id));
        if (missing.length) throw missingError(model, missing, user.id);
        for (const id of ids) {
          if (model === 'ir.model.fields') {
            const f = s.read(model, [id])[0]!;
            s.removeCustomField(String(f.model), String(f.name));
          }
          s.remove(model, id);
        }
        return true;
      }
      case 'load':
        return this.load(user, model, arg(0, 'fields') as string[], arg(1, 'data') as unknown[][], context);
      case 'message_post':
        if (!MAIL_THREAD_MODELS.has(model)) break;
        this.check(user, model, postAccess(model));
        return postMessage(s, user, model, this.ids(arg(0, 'ids')), kwargs);
      case 'action_create_payments':
        if (model === 'account.payment.register') return this.createPayments(user, this.ids(arg(0, 'ids')), context);
        break;
      case 'button_draft':
        if (model === 'account.move') {
          for (const id of this.ids(arg(0, 'ids'))) s.update(model, id, { state: 'draft' });
          return null; // Odoo returns None: the marshaller faults after the commit
        }
        break;
      case 'action_post':
        if (model === 'account.payment' || model === 'account.move') {
          for (const id of this.ids(arg(0, 'ids'))) s.update(model, id, { state: model === 'account.move' ? 'posted' : s.version >= 18 ? 'in_process' : 'posted' });
          return null;
        }
        break;
      case 'action_toggle_block_payment':
        if (model === 'account.move' && s.version >= 18) {
          for (const id of this.ids(arg(0, 'ids'))) {
            const st = s.value(model, id, 'payment_state');
            s.update(model, id, { payment_state: st === 'blocked' ? 'not_paid' : 'blocked' });
          }
          return null;
        }
        break;
    }
    throw serverFault('AttributeError', `The method '${method}' does not exist on the model '${model}'`, 'odoo/api.py');
  }

  /**
   * `read_group(domain, fields, groupby, lazy)` as far as plain groupby fields
   * go (no date granularity): one dict per group with each groupby field's
   * wire value, `__count` (lazy=False) or `<field>_count` (lazy), and
   * `__domain`; `name:agg` fields aggregate (sum, min, max, count, array_agg).
   */
  private readGroup(model: string, domain: unknown, fields: unknown, groupby: unknown, lazy: unknown, context: Kwargs): Record<string, unknown>[] {
    const s = this.store;
    const by = (typeof groupby === 'string' ? [groupby] : Array.isArray(groupby) ? (groupby as string[]) : []).slice(0, lazy === false ? undefined : 1);
    for (const g of by) {
      if (g.includes(':')) throw serverFault('ValueError', `The dev server groups by plain fields only (got ${pyRepr(g)})`);
      if (!s.field(model, g)) throw serverFault('ValueError', `Invalid field ${pyRepr(g)} on model ${pyRepr(model)}`);
    }
    const aggs = (Array.isArray(fields) ? (fields as string[]) : []).map((spec) => /^(\w+):(\w+)$/.exec(spec)).filter((m): m is RegExpExecArray => m !== null);
    const ids = this.searchIds(model, domain, 0, false, 'id asc', context);
    const groups = new Map<string, { values: unknown[]; ids: number[] }>();
    for (const id of ids) {
      const values = by.map((g) => s.value(model, id, g) ?? false);
      const key = JSON.stringify(values);
      const group = groups.get(key) ?? { values, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ values, ids: groupIds }) => {
      const out: Record<string, unknown> = {};
      by.forEach((g, i) => (out[g] = this.toWire(s.field(model, g)!, values[i])));
      out[lazy === false ? '__count' : `${by[0]}_count`] = groupIds.length;
      for (const [, name, agg] of aggs) {
        const vals = groupIds.map((id) => s.value(model, id, name!));
        const nums = vals.map(Number);
        out[name!] =
          agg === 'array_agg' ? vals : agg === 'count' ? vals.length : agg === 'min' ? Math.min(...nums) : agg === 'max' ? Math.max(...nums) : nums.reduce((a, b) => a + b, 0);
      }
      // _read_group_format_result: expression.AND([domain, [(g, '=', value)]]) per groupby, normalized
      out.__domain = by.reduce((d, g, i) => andDomain(d, [[g, '=', values[i]]]), (domain as unknown[]) ?? []);
      return out;
    });
  }

  private ids(v: unknown): number[] {
    const list = Array.isArray(v) ? v : [v];
    for (const id of list) if (typeof id !== 'number' || !Number.isInteger(id)) throw serverFault('TypeError', `unhashable type: ${pyRepr(id)}`);
    return list as number[];
  }

  /**
   * `write`: the access list, the fields' groups, then the values; a change of a
   * tracked field is logged in the chatter as Odoo's mail.thread does.
   */
  private write(user: DevUser, model: string, ids: number[], rawVals: unknown): void {
    const s = this.store;
    if (model === 'res.partner.bank') this.bankAccountWriteRules(user, ids, rawVals);
    this.check(user, model, 'write');
    const forbidden = this.access.forbiddenFields(user.groups, model, Object.keys((rawVals ?? {}) as object));
    if (forbidden.length) throw this.access.fieldAccessError(user.id, model, 'write', forbidden, this.describe);
    const missing = ids.filter((id) => !s.exists(model, id));
    if (missing.length) throw missingError(model, missing, user.id);
    const vals = this.checkVals(model, rawVals);
    if (model === 'ir.ui.view' && typeof vals.arch_db === 'string') {
      checkViewArch(s.version, vals.arch_db);
      for (const id of ids) this.checkViewFields(String(s.value('ir.ui.view', id, 'model')), vals.arch_db);
    }
    const tracked = trackedFields(s, model, Object.keys(vals));
    for (const id of ids) {
      const before = Object.fromEntries(tracked.map((n) => [n, s.value(model, id, n)]));
      this.applyVals(model, id, vals);
      if (tracked.length) logTrackedChanges(s, user, model, id, before);
    }
  }

  /**
   * 17/18 `account/models/res_partner_bank.py` write, before the access check:
   * the account number or holder of a trusted account cannot change (unless it
   * is untrusted in the same write), and only a member of "Validate bank
   * account" may trust or untrust one. 16 has neither rule.
   */
  private bankAccountWriteRules(user: DevUser, ids: number[], vals: unknown): void {
    const s = this.store;
    if (s.version < 17 || !vals || typeof vals !== 'object') return;
    const v = vals as Record<string, unknown>;
    const trusted = ids.some((id) => s.exists('res.partner.bank', id) && s.value('res.partner.bank', id, 'allow_out_payment') === true);
    if (('acc_number' in v || 'partner_id' in v) && trusted && v.allow_out_payment !== false) {
      throw userError('You cannot modify the account number or partner of an account that has been trusted.');
    }
    if ('allow_out_payment' in v && !this.access.isMember(user.groups, 'account.group_validate_bank_account')) {
      throw userError('You do not have the rights to trust or un-trust accounts.');
    }
  }

  /** 17/18: a new account is untrusted unless its creator may validate bank accounts. */
  private bankAccountCreateRules(user: DevUser, vals: unknown): void {
    if (this.store.version < 17 || !vals || typeof vals !== 'object') return;
    if (!this.access.isMember(user.groups, 'account.group_validate_bank_account')) (vals as Record<string, unknown>).allow_out_payment = false;
  }

  private searchIds(model: string, domain: unknown, offset: unknown, limit: unknown, order: unknown, context: Kwargs): number[] {
    if (domain !== undefined && !Array.isArray(domain)) throw serverFault('ValueError', `Invalid domain ${pyRepr(domain)}`, 'odoo/osv/expression.py');
    let ids = this.store.search(model, withActiveTest(this.store, model, (domain as unknown[]) ?? [], context), typeof order === 'string' && order ? order : undefined);
    const off = typeof offset === 'number' ? offset : 0;
    ids = ids.slice(off);
    if (typeof limit === 'number' && limit > 0) ids = ids.slice(0, limit);
    return ids;
  }

  /** `load` other than '_classic_read' (the default) gives a many2one as its bare id, as Odoo's `_read_format` does. */
  readWire(user: DevUser, model: string, ids: number[], fields: unknown, load: unknown = '_classic_read'): Record<string, unknown>[] {
    const bareIds = load !== undefined && load !== '_classic_read';
    const s = this.store;
    const asked = Array.isArray(fields) && fields.length ? (fields as string[]) : null;
    // check_field_access_rights: a field of a group the user is not in faults when asked for, is left out otherwise
    const forbidden = this.access.forbiddenFields(user.groups, model, asked ?? s.fieldNames(model));
    if (asked && forbidden.length) throw this.access.fieldAccessError(user.id, model, 'read', forbidden, this.describe);
    const names = asked ?? s.fieldNames(model).filter((n) => n !== 'id' && !forbidden.includes(n));
    for (const n of names) if (n !== 'id' && !s.field(model, n)) throw serverFault('ValueError', `Invalid field '${n}' on model '${model}'`);
    return ids.map((id) => {
      const out: Record<string, unknown> = { id };
      for (const n of names) {
        if (n === 'id') continue;
        const def = s.field(model, n)!;
        const raw = s.value(model, id, n);
        out[n] = bareIds && def.type === 'many2one' ? (raw && s.exists(def.relation!, raw as number) ? raw : false) : this.toWire(def, raw);
      }
      return out;
    });
  }

  private toWire(def: FieldDef, raw: unknown): unknown {
    switch (def.type) {
      case 'many2one':
        return raw && this.store.exists(def.relation!, raw as number) ? [raw, this.store.displayName(def.relation!, raw as number)] : false;
      case 'one2many':
      case 'many2many':
        return Array.isArray(raw) ? raw : [];
      case 'integer':
        return typeof raw === 'number' ? raw : 0;
      case 'float':
      case 'monetary':
        return new PyFloat(typeof raw === 'number' ? raw : 0);
      case 'boolean':
        return raw === true;
      default:
        return raw === null || raw === undefined || raw === false ? false : raw;
    }
  }

  private fieldsGet(model: string, allfields: unknown, attributes: unknown): Record<string, unknown> {
    const s = this.store;
    const names = Array.isArray(allfields) && allfields.length ? (allfields as string[]) : s.fieldNames(model);
    const attrs = Array.isArray(attributes) && attributes.length ? (attributes as string[]) : ['string', 'type', 'selection', 'relation', 'readonly', 'required'];
    const out: Record<string, unknown> = {};
    for (const n of names) {
      const def = s.field(model, n);
      if (!def) continue;
      const full: Record<string, unknown> = { string: def.string, type: def.type, readonly: !!def.readonly || !!def.compute, required: !!def.required, manual: !!def.manual };
      if (def.selection) full.selection = def.selection;
      if (def.relation) full.relation = def.relation;
      out[n] = Object.fromEntries(attrs.filter((a) => a in full).map((a) => [a, full[a]]));
    }
    return out;
  }

  /** Validates a vals dict: unknown fields fault as Odoo does. */
  private checkVals(model: string, vals: unknown): Record<string, unknown> {
    if (!vals || typeof vals !== 'object' || Array.isArray(vals)) throw serverFault('TypeError', `'${typeof vals}' object is not a mapping`);
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(vals as Record<string, unknown>)) {
      const def = this.store.field(model, name);
      if (!def) throw serverFault('ValueError', `Invalid field '${name}' on model '${model}'`);
      if (def.compute || def.related || name === 'id') continue; // Odoo ignores writes to computed fields without inverse (stetpay's related fields are read-only)
      // odoo/models.py write/_add_missing_default_values: only the superuser may set who and when (bad_names)
      if (LOG_ACCESS_COLUMNS.includes(name)) continue;
      out[name] = this.convertValue(model, name, def, v);
    }
    return out;
  }

  private convertValue(model: string, name: string, def: FieldDef, v: unknown): unknown {
    const wrong = (): OdooFault => serverFault('ValueError', `Wrong value for ${model}.${name}: ${pyRepr(v)}`, 'odoo/fields.py');
    if (v === null || v === false) return def.type === 'boolean' ? false : def.type === 'one2many' || def.type === 'many2many' ? [] : false;
    switch (def.type) {
      case 'selection':
        // a selection without a fixed list is one of model names (ir.filters.model_id)
        if (typeof v !== 'string' || !(def.selection ? def.selection.some(([k]) => k === v) : this.store.hasModel(v))) throw wrong();
        return v;
      case 'boolean':
        return !!v;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw wrong();
        return v;
      case 'float':
      case 'monetary':
        if (typeof v !== 'number') throw wrong();
        return v;
      case 'date':
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw serverFault('ValueError', `time data ${pyRepr(v)} does not match format '%Y-%m-%d'`, 'odoo/fields.py');
        return v;
      case 'datetime':
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(v)) throw serverFault('ValueError', `time data ${pyRepr(v)} does not match format '%Y-%m-%d %H:%M:%S'`, 'odoo/fields.py');
        return v.length === 10 ? `${v} 00:00:00` : v;
      case 'many2one':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw wrong();
        if (!this.store.exists(def.relation!, v)) throw userError(`The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.relation}, Constraint: ${model.replace(/\./g, '_')}_${name}_fkey`);
        return v;
      case 'one2many':
      case 'many2many':
        return v; // commands, applied in applyVals
      default:
        if (typeof v !== 'string') throw wrong();
        return v;
    }
  }

  private applyVals(model: string, id: number, vals: Record<string, unknown>): void {
    const s = this.store;
    const plain: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(vals)) {
      const def = s.field(model, name)!;
      if (def.type === 'one2many' || def.type === 'many2many') {
        const cmds = Array.isArray(v) ? v : [];
        let current = (s.value(model, id, name) as number[]).slice();
        for (const c of cmds) {
          if (typeof c === 'number') current.push(c); // bare ids (old API) on many2many
          else if (Array.isArray(c)) {
            const [code, rid, data] = c as [number, number, unknown];
            if (code === 0 && def.type === 'one2many' && def.inverse) s.insert(def.relation!, { ...this.checkVals(def.relation!, data), [def.inverse]: id });
            else if (code === 6) current = [...((data as number[]) ?? [])];
            else if (code === 4) current.push(rid);
            else if (code === 3 || code === 2) current = current.filter((x) => x !== rid);
            else if (code === 5) current = [];
          }
        }
        if (def.type === 'many2many') plain[name] = current;
      } else plain[name] = vals[name];
    }
    s.update(model, id, plain);
  }

  /**
   * create() of records as the caller: access, then each record made and held
   * to the record rules on create; one refused removes them all (one transaction).
   */
  createChecked(user: DevUser, model: string, list: unknown[], context: Kwargs): number[] {
    this.check(user, model, 'create');
    const ids: number[] = [];
    try {
      for (const one of list) {
        ids.push(this.createOne(user, model, one, context));
        checkCreateRules(this.store, user, model, ids[ids.length - 1]!, this.describe);
      }
    } catch (e) {
      for (const id of ids) this.store.remove(model, id);
      throw e;
    }
    return ids;
  }

  private createOne(user: DevUser, model: string, raw: unknown, context: Kwargs): number {
    const s = this.store;
    let vals = this.checkVals(model, raw);
    const defaults: Record<string, unknown> = {};
    if (model === 'ir.model.fields') return this.createField(vals);
    if (model === 'ir.model') return this.createModel(vals, context);
    if (model === 'account.payment.register') return this.createWizard(vals, context);
    if (model === 'ir.ui.view' && typeof vals.arch_db === 'string') {
      checkViewArch(s.version, vals.arch_db);
      this.checkViewFields(String(vals.model ?? ''), vals.arch_db);
    }
    if (model === 'mail.message') {
      defaults.author_id = s.value('res.users', user.id, 'partner_id');
      defaults.date = s.now();
    }
    if (model === 'mail.activity') {
      vals = activityDefaults(s, user, vals, context);
      checkActivityCreate(s, vals, {
        documentOf: (v) => (v.res_model_id ? { model: String(s.value('ir.model', v.res_model_id as number, 'model')), id: Number(v.res_id) } : undefined),
        checkDocument: (docModel, id) => {
          this.check(user, docModel, MAIL_THREAD_MODELS.has(docModel) ? postAccess(docModel) : 'write');
          if (!s.exists(docModel, id)) throw missingError(docModel, [id], user.id);
        },
        userCanRead: (uid, docModel) => this.access.hasModelAccess(s.users.find((u) => u.id === uid)?.groups ?? [], docModel, 'read'),
      });
    }
    // base/models/ir_actions.py _check_model
    if (model === 'ir.actions.act_window' && typeof vals.res_model === 'string' && !s.hasModel(vals.res_model)) throw userError(`Invalid model name '${vals.res_model}' in action definition.`);
    if ('active' in (s.schema[model]?.fields ?? {})) defaults.active = true;
    for (const [n, def] of Object.entries(s.schema[model]!.fields)) if (def.default !== undefined) defaults[n] = def.default;
    const relational = Object.fromEntries(Object.entries(vals).filter(([n]) => ['one2many', 'many2many'].includes(s.field(model, n)!.type)));
    const plain = Object.fromEntries(Object.entries(vals).filter(([n]) => !(n in relational)));
    for (const [n, def] of Object.entries(s.schema[model]!.fields)) {
      if (def.required && !def.compute && plain[n] === undefined && defaults[n] === undefined) {
        throw userError(`The operation cannot be completed: Missing required value for the field '${def.string}' (${n}).\nModel: ${s.schema[model]!.description} (${model})\nField: ${def.string} (${n})`);
      }
    }
    const id = s.insert(model, { ...defaults, ...plain });
    if (Object.keys(relational).length) this.applyVals(model, id, relational);
    if (model === 'ir.model.fields.selection') this.reloadField(Number(plain.field_id));
    return id;
  }

  /** A new option of a manual selection field: Odoo reloads the model (IrModelSelection.create), so the value is accepted at once. */
  private reloadField(fieldId: number): void {
    const s = this.store;
    const f = s.read('ir.model.fields', [fieldId])[0];
    if (!f || f.state !== 'manual') throw userError('Properties of base fields cannot be altered in this manner! Please modify them through Python code, preferably through a custom addon!');
    s.addCustomField(String(f.model), String(f.name), s.fieldDefOf(fieldId));
  }

  /** The fields a view names exist (on a model the dev server knows; others are not checked). */
  private checkViewFields(model: string, arch: string): void {
    if (this.store.hasModel(model)) checkViewFields(this.store.version, arch, model, (m, n) => this.store.field(m, n));
  }

  /**
   * A custom model (base/models/ir_model.py IrModel): named `x_...`, unique; its
   * table made at once; without `field_id` Odoo gives it the `x_name` field
   * (`_default_field_id`, not in install_mode), the field its records are named by.
   */
  private createModel(vals: Record<string, unknown>, context: Kwargs): number {
    const s = this.store;
    const model = String(vals.model ?? '');
    const state = vals.state ?? 'manual';
    if (!vals.name) throw userError("The operation cannot be completed: Missing required value for the field 'Model Description' (name).\nModel: Models (ir.model)\nField: Model Description (name)");
    if (state === 'manual' && !model.startsWith('x_')) throw userError("The model name must start with 'x_'.");
    if (!/^[a-z0-9_.]+$/.test(model)) throw userError('The model name can only contain lowercase characters, digits, underscores and dots.');
    if (s.hasModel(model)) throw userError('The operation cannot be completed: Each model must have a unique name.');
    const { field_id, ...plain } = vals;
    const order = String(plain.order ?? 'id');
    const id = s.insert('ir.model', { ...plain, model, order, state, transient: plain.transient === true });
    s.addCustomModel(model, String(plain.name), order);
    const fields = field_id === undefined ? (context.install_mode ? [] : [[0, 0, { name: 'x_name', field_description: 'Name', ttype: 'char', copied: true }]]) : (field_id as unknown[]);
    for (const c of fields) {
      if (Array.isArray(c) && c[0] === 0) this.createField({ ...this.checkVals('ir.model.fields', c[2]), model_id: id });
    }
    return id;
  }

  private createField(vals: Record<string, unknown>): number {
    const s = this.store;
    const name = String(vals.name ?? '');
    const modelId = vals.model_id as number;
    const model = modelId ? String(s.value('ir.model', modelId, 'model')) : String(vals.model ?? '');
    if (!s.hasModel(model)) throw userError(`Model ${model} does not exist`);
    if ((vals.state ?? 'manual') === 'manual' && !name.startsWith('x_')) throw userError("The operation cannot be completed: Custom fields must have a name that starts with 'x_' !");
    if (s.field(model, name)) throw userError('The operation cannot be completed: Field names must be unique per model.');
    if (!vals.field_description || !vals.ttype) throw userError(`The operation cannot be completed: Missing required value for the field '${vals.ttype ? 'Field Label' : 'Field Type'}'.`);
    // IrModelFields.create: the model a relational field points at exists; a one2many's many2one back exists
    if (vals.relation && !s.hasModel(String(vals.relation))) throw userError(`Model ${String(vals.relation)} does not exist!`);
    if (vals.ttype === 'one2many') {
      const back = s.field(String(vals.relation), String(vals.relation_field ?? ''));
      if (back?.type !== 'many2one') throw userError(`Many2one ${String(vals.relation_field)} on model ${String(vals.relation)} does not exist!`);
    }
    if (typeof vals.related === 'string' && vals.related) {
      // ir.model.fields._check_related: the path must exist and end on a field of the same type
      const target = s.relatedTarget(model, vals.related);
      if (!target) throw userError(`The operation cannot be completed: Unknown field name '${vals.related.split('.').pop()}' in related field '${vals.related}'`);
      if (target.type !== vals.ttype) throw userError(`The operation cannot be completed: Related field '${vals.related}' does not have type '${String(vals.ttype)}'`);
      if ((target.relation ?? false) !== (vals.relation ?? false)) throw userError(`The operation cannot be completed: Related field '${vals.related}' does not have comodel '${String(vals.relation ?? '')}'`);
    }
    const { selection_ids, ...plain } = vals;
    const id = s.insert('ir.model.fields', { ...plain, model, model_id: s.search('ir.model', [['model', '=', model]])[0] ?? false, state: vals.state ?? 'manual', store: true });
    if (selection_ids) this.applyVals('ir.model.fields', id, { selection_ids });
    // registry reload: the field now exists on the model (values kept in the store appear)
    s.addCustomField(model, name, s.fieldDefOf(id));
    return id;
  }

  // ---- load(fields, data): import semantics (odoo/models.py `load`, ir.fields.converter) ----

  private load(user: DevUser, model: string, fields: string[], data: unknown[][], context: Kwargs): { ids: number[] | false; messages: Record<string, unknown>[]; nextrow: number } {
    const s = this.store;
    // A column Odoo does not know fails the whole call before any row is read: 16/17 index the
    // model's fields with it (KeyError), 18 checks it in _extract_records (ValueError).
    for (const fname of fields) {
      const head = String(fname).split('/')[0]!;
      if (head === '.id' || head === 'id' || s.field(model, head)) continue;
      throw s.version >= 18 ? serverFault('ValueError', `Invalid field name ${pyRepr(head)}`) : serverFault('KeyError', pyRepr(head));
    }
    const messages: Record<string, unknown>[] = [];
    const planned: { id: number | false; vals: Record<string, unknown> }[] = [];
    const log = (row: number, field: string, message: string): void => {
      messages.push({ type: 'error', message, record: row, rows: { from: row, to: row }, field });
    };
    data.forEach((row, index) => {
      let dbid: number | false = false;
      const vals: Record<string, unknown> = {};
      fields.forEach((fname, col) => {
        const cell = row[col];
        if (fname === '.id' || fname === 'id/.id') {
          const n = Number(cell);
          if (!Number.isInteger(n) || !s.exists(model, n)) log(index, '.id', `Unknown database identifier '${String(cell)}'`);
          else dbid = n;
          return;
        }
        const [head, sub] = fname.split('/') as [string, string | undefined];
        const def = s.field(model, head)!;
        const err = (m: string): void => log(index, head, m.replace('%(field)s', def.string));
        if (sub === '.id' && def.type === 'many2one') {
          // ir_fields.py db_id_for: a database id; empty (or a false-like word) clears the link
          if (cell === '' || cell === false || cell === null || cell === undefined) vals[head] = false;
          else if (!/^\d+$/.test(String(cell).trim())) err(`Invalid database id '${String(cell)}' for the field '%(field)s'`);
          else if (!s.exists(def.relation!, Number(cell))) err(`No matching record found for database id '${String(cell)}' in field '%(field)s'`);
          else vals[head] = Number(cell);
          return;
        }
        if (cell === '' || cell === false || cell === null || cell === undefined) {
          vals[fname] = def.type === 'boolean' ? false : false;
          return;
        }
        const text = String(cell);
        switch (def.type) {
          case 'boolean': {
            const t = text.toLowerCase();
            if (['1', 'true', 'yes'].includes(t)) vals[fname] = true;
            else if (['0', 'false', 'no'].includes(t)) vals[fname] = false;
            else {
              vals[fname] = true;
              messages.push({ type: 'warning', message: `Unknown value '${text}' for boolean field '${def.string}', assuming 'yes'`, record: index, rows: { from: index, to: index }, field: fname });
            }
            break;
          }
          case 'integer':
            if (!/^-?\d+$/.test(text.trim())) err(`'${text}' does not seem to be an integer for field '%(field)s'`);
            else vals[fname] = Number(text);
            break;
          case 'float':
          case 'monetary':
            if (Number.isNaN(Number(text))) err(`'${text}' does not seem to be a number for field '%(field)s'`);
            else vals[fname] = Number(text);
            break;
          case 'selection': {
            const hit = def.selection?.find(([k, label]) => k === text || label.toLowerCase() === text.toLowerCase());
            if (!hit) err(`Value '${text}' not found in selection field '%(field)s'`);
            else vals[fname] = hit[0];
            break;
          }
          case 'date':
            if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) err(`'${text}' does not seem to be a valid date for field '%(field)s'`);
            else vals[fname] = text;
            break;
          case 'datetime': {
            const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
            if (!m) {
              err(`'${text}' does not seem to be a valid datetime for field '%(field)s'`);
              break;
            }
            // naive datetimes are read in the context's (else the user's) time zone, stored in UTC
            const tz = String(context.tz || s.value('res.users', user.id, 'tz') || 'UTC');
            const local = new TZDate(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), tz);
            vals[fname] = new Date(local.getTime()).toISOString().slice(0, 19).replace('T', ' ');
            break;
          }
          case 'many2one':
          case 'one2many':
          case 'many2many':
            err(`Importing relational field '%(field)s' by name is not supported by the dev server`);
            break;
          default:
            vals[fname] = text;
        }
      });
      planned.push({ id: dbid, vals });
    });
    // rows are written with write()/create(); their AccessError (a UserError) becomes a message per
    // row, and Odoo stops after 10 errors (odoo/models.py load, flush)
    const mode = planned.some((p) => p.id === false) ? 'create' : 'write';
    if (!messages.some((m) => m.type === 'error') && !this.access.hasModelAccess(user.groups, model, mode)) {
      const text = this.accessErrorText(user, model, mode);
      for (let i = 0; i < planned.length; i++) {
        messages.push({ rows: { from: i, to: i }, type: 'error', record: i, message: text });
        if (i + 1 >= 10) {
          messages.push({ type: 'warning', message: 'Found more than 10 errors and more than one error per 10 records, interrupted to avoid showing too many errors.' });
          break;
        }
      }
    }
    if (messages.some((m) => m.type === 'error')) return { ids: false, messages, nextrow: 0 };
    const ids: number[] = [];
    for (const p of planned) {
      if (p.id !== false) {
        this.write(user, model, [p.id], p.vals);
        ids.push(p.id);
      } else ids.push(this.createOne(user, model, p.vals, context));
    }
    return { ids, messages, nextrow: 0 };
  }

  private accessErrorText(user: DevUser, model: string, mode: AccessMode): string {
    try {
      this.check(user, model, mode);
      return '';
    } catch (e) {
      return (e as OdooFault).faultString;
    }
  }

  // ---- account.payment.register: the "Register Payment" wizard ----

  private createWizard(vals: Record<string, unknown>, context: Kwargs): number {
    const s = this.store;
    const activeModel = context.active_model;
    const activeIds = (context.active_ids ?? []) as number[];
    if (activeModel !== 'account.move' || !Array.isArray(activeIds) || activeIds.length === 0) {
      throw userError('The register payment wizard should only be called on account.move or account.move.line records.');
    }
    const missing = activeIds.filter((id) => !s.exists('account.move', id));
    if (missing.length) throw missingError('account.move', missing, 2);
    const bills = s.read('account.move', activeIds);
    if (bills.some((b) => b.state !== 'posted')) throw userError('You can only register payment for posted journal entries.');
    const open = bills.filter((b) => Number(b.amount_residual) > 0 && !['paid', 'in_payment', 'reversed'].includes(String(b.payment_state)));
    if (open.length === 0) throw userError("You can't register a payment because there is nothing left to pay on the selected journal items.");
    if (s.version >= 18 && open.some((b) => b.payment_state === 'blocked')) throw userError('You cannot register payments for blocked bills.');
    const first = open[0]!;
    const journal = (vals.journal_id as number | undefined) ?? s.search('account.journal', [['type', '=', 'bank'], ['company_id', '=', first.company_id]])[0] ?? false;
    const amount = open.reduce((t, b) => t + Number(b.amount_residual), 0);
    return s.insert('account.payment.register', {
      journal_id: journal,
      payment_date: vals.payment_date ?? s.now().slice(0, 10),
      amount: vals.amount ?? Math.round(amount * 100) / 100,
      communication: vals.communication ?? (first.payment_reference || first.ref || first.name),
      partner_bank_id: vals.partner_bank_id ?? first.partner_bank_id,
      group_payment: vals.group_payment ?? false,
      currency_id: first.currency_id,
      line_ids: open.map((b) => b.id),
    });
  }

  private createPayments(user: DevUser, wizardIds: number[], context: Kwargs): unknown {
    const s = this.store;
    this.check(user, 'account.payment', 'create');
    const payments: number[] = [];
    for (const wid of wizardIds) {
      if (!s.exists('account.payment.register', wid)) throw missingError('account.payment.register', [wid], 2);
      const w = s.read('account.payment.register', [wid])[0]!;
      const billIds = w.line_ids as number[];
      for (const billId of billIds) {
        const bill = s.read('account.move', [billId])[0]!;
        const residual = Number(bill.amount_residual);
        // several bills, not grouped: one payment per bill, its amount due and its own memo
        // (16/17 _get_batch_communication: line name = payment reference, else ref, else number)
        const single = billIds.length === 1;
        const amount = single ? Number(w.amount) : residual;
        const memoField = s.version >= 18 ? 'memo' : 'ref';
        payments.push(s.insert('account.payment', {
          name: `P${String(s.allIds('account.payment').length + 1).padStart(5, '0')}`,
          payment_type: 'outbound',
          partner_type: 'supplier',
          partner_id: s.value('account.move', billId, 'commercial_partner_id'),
          partner_bank_id: single ? w.partner_bank_id : bill.partner_bank_id,
          amount,
          currency_id: bill.currency_id,
          journal_id: w.journal_id,
          company_id: bill.company_id,
          date: w.payment_date,
          [memoField]: single ? w.communication : bill.payment_reference || bill.ref || bill.name,
          // as a real 17 / 18 Community answered for a bank journal (transcripts p17/p18)
          state: s.version >= 18 ? 'paid' : 'posted',
          reconciled_bill_ids: [billId],
        }));
        const left = Math.max(0, Math.round((residual - amount) * 100) / 100);
        // Community: residual 0 -> paid (Enterprise would say in_payment until bank-matched)
        s.update('account.move', billId, { amount_residual: left, payment_state: left === 0 ? 'paid' : 'partial' });
      }
    }
    if (context.dont_redirect_to_payments) return true;
    // account/wizard/account_payment_register.py action_create_payments
    const action = { name: 'Payments', type: 'ir.actions.act_window', res_model: 'account.payment', context: { create: false } };
    if (payments.length === 1) return { ...action, view_mode: 'form', res_id: payments[0] };
    return { ...action, view_mode: s.version >= 18 ? 'list,form' : 'tree,form', domain: [['id', 'in', payments]] };
  }
}
