/**
 * Public methods of particular models an XML-RPC client calls, beside the
 * ORM's own (search, read, write, ...): who is in which group, external ids,
 * system parameters, server actions, the chatter's formatted messages.
 * Each checks what Odoo checks, in the same order.
 */
import type { AccessMode, AccessRules } from './access.js';
import { OdooFault, serverFault } from './faults.js';
import { formatMessages } from './mail.js';
import { runActionCode } from './server-actions.js';
import type { DevUser, OdooStore } from './store.js';

type Kwargs = Record<string, unknown>;

export interface MethodCall {
  store: OdooStore;
  access: AccessRules;
  user: DevUser;
  args: unknown[];
  kwargs: Kwargs;
  context: Kwargs;
  /** Throws Odoo's AccessError when the user lacks the right on the model. */
  check(model: string, mode: AccessMode): void;
  /** The ORM's write, as the caller (access checks, tracking). */
  write(model: string, ids: number[], vals: unknown): void;
  /** The ORM's create of one record, as the caller (access checks, record rules). */
  create(model: string, vals: Record<string, unknown>): number;
}

type Handler = (c: MethodCall) => unknown;

const arg = (c: MethodCall, i: number, name: string): unknown => (c.args.length > i ? c.args[i] : c.kwargs[name]);

function groupXmlid(v: unknown): string {
  // base/models/res_users.py: assert group_ext_id and '.' in group_ext_id
  if (typeof v !== 'string' || !v.includes('.')) throw serverFault('AssertionError', `External ID '${String(v)}' must be fully qualified`, 'odoo/addons/base/models/res_users.py');
  return v;
}

const HANDLERS: Record<string, Handler> = {
  /**
   * 16/17: `@api.model has_group(group_ext_id)`, about the caller. 18: a record
   * method, `has_group([[uid], xmlid])`, ensure_one (base/models/res_users.py).
   */
  'res.users.has_group': (c) => {
    if (c.store.version < 18) return c.access.isMember(c.user.groups, groupXmlid(arg(c, 0, 'group_ext_id')));
    const ids = arg(c, 0, 'ids');
    const list = Array.isArray(ids) ? ids : [ids];
    if (list.length !== 1 || typeof list[0] !== 'number') throw serverFault('ValueError', `Expected singleton: res.users(${list.map(String).join(', ')})`);
    const xmlid = groupXmlid(arg(c, 1, 'group_ext_id'));
    const target = c.store.users.find((u) => u.id === list[0]);
    return target ? c.access.isMember(target.groups, xmlid) : false;
  },

  /**
   * `ir.model.data.check_object_reference(module, xml_id)` -> [model, id]: no
   * right on ir.model.data is needed, only read access to the target's model
   * (its `search([('id', '=', res_id)])`), as in 16, 17 and 18.
   */
  'ir.model.data.check_object_reference': (c) => {
    const xmlid = `${String(arg(c, 0, 'module'))}.${String(arg(c, 1, 'xml_id'))}`;
    const target = c.store.xmlidTarget(xmlid);
    if (!target || !target.resId) throw serverFault('ValueError', `External ID not found in the system: ${xmlid}`, 'odoo/addons/base/models/ir_model.py');
    c.check(target.model, 'read');
    return [target.model, target.resId];
  },

  /** `ir.config_parameter.get_param(key, default=False)`: Settings only (the model's access list). */
  'ir.config_parameter.get_param': (c) => {
    c.check('ir.config_parameter', 'read');
    const key = arg(c, 0, 'key');
    const id = c.store.search('ir.config_parameter', [['key', '=', key]])[0];
    return id ? c.store.value('ir.config_parameter', id, 'value') : (arg(c, 1, 'default') ?? false);
  },

  'ir.config_parameter.set_param': (c) => {
    c.check('ir.config_parameter', 'write');
    const key = arg(c, 0, 'key');
    const value = arg(c, 1, 'value');
    const id = c.store.search('ir.config_parameter', [['key', '=', key]])[0];
    const old = id ? c.store.value('ir.config_parameter', id, 'value') : false;
    if (id && (value === false || value === null)) c.store.remove('ir.config_parameter', id);
    else if (id) c.store.update('ir.config_parameter', id, { value: String(value) });
    else if (value !== false && value !== null) c.store.insert('ir.config_parameter', { key, value: String(value) });
    return old;
  },

  /** 16/17 only (18 removed it): read access to the messages. */
  'mail.message.message_format': (c) => {
    if (c.store.version >= 18) throw serverFault('AttributeError', "The method 'message_format' does not exist on the model 'mail.message'", 'odoo/api.py');
    c.check('mail.message', 'read');
    return formatMessages(c.store, idsOf(c));
  },

  /**
   * `ir.actions.server.run()` (base/models/ir_actions.py): runs as the caller;
   * an action with groups needs the caller in one of them, one without needs
   * write access to its model. The code is run by server-actions.ts.
   */
  'ir.actions.server.run': (c) => {
    for (const id of idsOf(c)) {
      if (!c.store.exists('ir.actions.server', id)) throw new OdooFault(2, `Record does not exist or has been deleted.\n(Record: ir.actions.server(${id},), User: ${c.user.id})`);
      const action = c.store.read('ir.actions.server', [id])[0]!;
      const groups = action.groups_id as number[];
      const mine = c.store.value('res.users', c.user.id, 'groups_id') as number[];
      const model = String(c.store.value('ir.model', action.model_id as number, 'model'));
      if (groups.length) {
        if (!groups.some((g) => mine.includes(g))) throw new OdooFault(4, "You don't have enough access rights to run this action.");
      } else c.check(model, 'write');
      const activeIds = (c.context.active_model === model ? (c.context.active_ids ?? (c.context.active_id ? [c.context.active_id] : [])) : []) as number[];
      if (action.state === 'code') runActionCode(String(action.code ?? ''), { store: c.store, user: c.user, model, activeIds, write: c.write, create: c.create });
    }
    return false;
  },
};

function idsOf(c: MethodCall): number[] {
  const v = arg(c, 0, 'ids');
  return (Array.isArray(v) ? v : [v]).filter((x): x is number => typeof x === 'number');
}

/** The handler of `model.method`, if the dev server has one. */
export function modelMethod(model: string, method: string): Handler | undefined {
  return HANDLERS[`${model}.${method}`];
}
