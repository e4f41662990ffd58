/**
 * Replays a transcript of real Odoo XML-RPC exchanges (in `sharedDir`, ./paths.ts)
 * against the Odoo dev server and compares the SHAPE of each answer with what
 * real Odoo answered: fault or not, fault code and message (numbers aside; the
 * last line of a traceback), wire types, keys of each row. Not the data: the
 * dev server's records are its own.
 *
 * Requests are rewritten for the dev server: its database, the dev user (and
 * password) for each real uid, and record ids translated through what earlier
 * answers paired (a search's ids in order, a read's rows, a create's id, the
 * many2one values of rows, `check_object_reference`, an action's domain). An
 * id in a list that no answer paired is left out of the list.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { dumpCall, parseAnswer, parseCall, wireType, type XmlRpcAnswer, type XmlRpcValue } from './xmlrpc-values.js';

export interface Exchange {
  path: string;
  call: string;
  request: string;
  response: string;
}

export function readTranscript(file: string): Exchange[] {
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Exchange);
}

export interface ReplayedExchange {
  index: number;
  call: string;
  /** The real user's uid (execute_kw), or the login (authenticate). */
  as: string;
  real: XmlRpcAnswer;
  dev: XmlRpcAnswer;
  /** What differs in shape; [] when the dev server answered as Odoo did. */
  problems: string[];
}

type Struct = { [key: string]: XmlRpcValue };
const isStruct = (v: XmlRpcValue): v is Struct => typeof v === 'object' && v !== null && !Array.isArray(v) && wireType(v) === 'struct';
const isIdList = (v: XmlRpcValue): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** A fault's text without what depends on the data: a traceback's last line, digits. */
export function faultText(a: { faultCode: number; faultString: string }): string {
  const text = a.faultCode === 1 ? (a.faultString.trim().split('\n').pop() ?? '') : a.faultString;
  return text.replace(/\d+/g, 'N');
}

/** Differences in shape between Odoo's answer and the dev server's, each with where it is. */
export function compareShape(real: XmlRpcValue, dev: XmlRpcValue, at = 'answer'): string[] {
  const rt = wireType(real);
  const dt = wireType(dev);
  if (rt !== dt) {
    // an empty value is False whatever the field's type; the data may differ in being empty
    if ((real === false && dt !== 'boolean') || (dev === false && rt !== 'boolean')) return [];
    return [`${at}: Odoo sent ${rt}, the dev server ${dt}`];
  }
  if (Array.isArray(real) && Array.isArray(dev)) {
    if (real.length > 0 && dev.length === 0) return [`${at}: Odoo sent ${real.length} item(s), the dev server none`];
    const same = real.length === dev.length;
    return dev.flatMap((d, i) => (real.length ? compareShape(real[same ? i : Math.min(i, real.length - 1)]!, d, `${at}[${i}]`) : []));
  }
  if (isStruct(real) && isStruct(dev)) {
    const rk = Object.keys(real).sort();
    const dk = Object.keys(dev).sort();
    const missing = rk.filter((k) => !dk.includes(k));
    const extra = dk.filter((k) => !rk.includes(k));
    const out: string[] = [];
    if (missing.length) out.push(`${at}: keys Odoo sent and the dev server did not: ${missing.join(', ')}`);
    if (extra.length) out.push(`${at}: keys the dev server sent and Odoo did not: ${extra.join(', ')}`);
    for (const k of rk.filter((x) => dk.includes(x))) out.push(...compareShape(real[k]!, dev[k]!, `${at}.${k}`));
    return out;
  }
  return [];
}

export function compareAnswers(real: XmlRpcAnswer, dev: XmlRpcAnswer): string[] {
  if (real.ok !== dev.ok) {
    return [real.ok ? `Odoo answered, the dev server faulted ${dev.ok ? '' : `${dev.faultCode}: ${faultText(dev)}`}` : `Odoo faulted ${real.faultCode} (${faultText(real)}), the dev server answered`];
  }
  if (!real.ok && !dev.ok) {
    const out: string[] = [];
    if (real.faultCode !== dev.faultCode) out.push(`fault code: Odoo ${real.faultCode}, the dev server ${dev.faultCode}`);
    if (faultText(real) !== faultText(dev)) out.push(`fault message:\n  Odoo:       ${JSON.stringify(faultText(real))}\n  dev server: ${JSON.stringify(faultText(dev))}`);
    return out;
  }
  return compareShape((real as { value: XmlRpcValue }).value, (dev as { value: XmlRpcValue }).value);
}

/** Methods whose first argument is record ids. */
const ON_RECORDS = new Set(['read', 'write', 'unlink', 'message_post', 'message_format', 'action_create_payments', 'action_post', 'button_draft', 'run']);

export class TranscriptReplay {
  private readonly ids = new Map<string, Map<number, number>>();
  private readonly loginOfUid = new Map<number, string>();
  /** Ids a request named that no earlier answer paired (left out, or sent as recorded). */
  readonly unpaired: string[] = [];

  constructor(private readonly server: RunningOdooDevServer) {}

  private pair(model: string, real: number, dev: number): void {
    if (!this.ids.has(model)) this.ids.set(model, new Map());
    this.ids.get(model)!.set(real, dev);
  }

  private devId(model: string, real: number): number | undefined {
    return this.ids.get(model)?.get(real);
  }

  private one(model: string, real: unknown): unknown {
    if (typeof real !== 'number' || real === 0) return real;
    const dev = this.devId(model, real);
    if (dev === undefined) this.unpaired.push(`${model}(${real})`);
    return dev ?? real;
  }

  private list(model: string, real: XmlRpcValue): XmlRpcValue {
    if (!isIdList(real)) return real;
    return real.flatMap((id) => {
      const dev = this.devId(model, id);
      if (dev === undefined) this.unpaired.push(`${model}(${id}) left out`);
      return dev === undefined ? [] : [dev];
    });
  }

  private relationOf(model: string, field: string): string | undefined {
    if (field === 'id') return model;
    const def = this.server.store.field(model, field);
    return def && ['many2one', 'many2many', 'one2many'].includes(def.type) ? def.relation : undefined;
  }

  private domain(model: string, domain: XmlRpcValue): XmlRpcValue {
    if (!Array.isArray(domain)) return domain;
    const docModel = domain.find((t): t is [string, string, string] => Array.isArray(t) && t[0] === 'model' && t[1] === '=')?.[2];
    return domain.map((t) => {
      if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') return t;
      const rel = t[0] === 'res_id' ? docModel : this.relationOf(model, t[0]);
      if (!rel) return t;
      return [t[0], t[1]!, Array.isArray(t[2]) ? this.list(rel, t[2]) : (this.one(rel, t[2]) as XmlRpcValue)];
    });
  }

  private vals(model: string, vals: XmlRpcValue, context: Struct): XmlRpcValue {
    if (!isStruct(vals)) return vals;
    const out: Struct = {};
    for (const [k, v] of Object.entries(vals)) {
      const def = this.server.store.field(model, k);
      const docModel = typeof vals.model === 'string' ? vals.model : typeof context.default_res_model === 'string' ? context.default_res_model : undefined;
      if (k === 'res_id' && docModel) out[k] = this.one(docModel, v) as XmlRpcValue;
      else if (def?.type === 'many2one') out[k] = this.one(def.relation!, v) as XmlRpcValue;
      else if (def?.type === 'reference' && typeof v === 'string' && /^[\w.]+,\d+$/.test(v)) {
        const [m, id] = v.split(',');
        out[k] = `${m},${String(this.one(m!, Number(id)))}`;
      } else if ((def?.type === 'many2many' || def?.type === 'one2many') && Array.isArray(v)) {
        out[k] = v.map((c) => (Array.isArray(c) && c[0] === 6 ? [6, 0, this.list(def.relation!, c[2] ?? [])] : Array.isArray(c) && (c[0] === 4 || c[0] === 3) ? [c[0], this.one(def.relation!, c[1]) as number] : c));
      } else out[k] = v;
    }
    return out;
  }

  private context(kwargs: Struct | undefined): Struct | undefined {
    const ctx = kwargs?.context;
    if (!kwargs || ctx === undefined || !isStruct(ctx)) return kwargs;
    const model = typeof ctx.active_model === 'string' ? ctx.active_model : undefined;
    if (!model) return kwargs;
    const out: Struct = { ...ctx };
    if (ctx.active_ids !== undefined) out.active_ids = this.list(model, ctx.active_ids);
    if (typeof ctx.active_id === 'number') out.active_id = this.one(model, ctx.active_id) as number;
    return { ...kwargs, context: out };
  }

  /** execute_kw's args and kwargs for the dev server. */
  private translate(model: string, method: string, args: XmlRpcValue[], kwargs: Struct | undefined): [XmlRpcValue[], Struct | undefined] {
    const ctx = (isStruct(kwargs?.context ?? null) ? kwargs!.context : {}) as Struct;
    const a = [...args];
    if (['search', 'search_count', 'search_read', 'read_group'].includes(method) && a[0] !== undefined) a[0] = this.domain(model, a[0]);
    if ((ON_RECORDS.has(method) || (method === 'has_group' && a.length === 2)) && a[0] !== undefined) a[0] = this.list(model, a[0]);
    if (method === 'write' && a[1] !== undefined) a[1] = this.vals(model, a[1], ctx);
    if (method === 'create' && a[0] !== undefined) a[0] = Array.isArray(a[0]) ? a[0].map((v) => this.vals(model, v, ctx)) : this.vals(model, a[0], ctx);
    if (method === 'load' && Array.isArray(a[0]) && Array.isArray(a[1])) {
      const col = a[0].indexOf('.id');
      if (col >= 0) {
        a[1] = (a[1] as XmlRpcValue[][]).flatMap((row) => {
          const dev = this.devId(model, Number(row[col]));
          if (dev === undefined) this.unpaired.push(`${model}(${String(row[col])}) row left out of load`);
          return dev === undefined ? [] : [row.map((c, i) => (i === col ? String(dev) : c))];
        });
      }
    }
    return [a, this.context(kwargs)];
  }

  /** Pairs the ids of Odoo's answer with the dev server's. */
  private learn(model: string, method: string, real: XmlRpcValue, dev: XmlRpcValue): void {
    if (['search', 'create'].includes(method) && typeof real === 'number' && typeof dev === 'number') this.pair(model, real, dev);
    if (['search', 'create'].includes(method) && isIdList(real) && isIdList(dev)) real.forEach((id, i) => i < dev.length && this.pair(model, id, dev[i]!));
    if (['read', 'search_read', 'read_group'].includes(method) && Array.isArray(real) && Array.isArray(dev)) {
      real.forEach((row, i) => {
        const d = dev[i];
        if (!isStruct(row) || d === undefined || !isStruct(d)) return;
        if (typeof row.id === 'number' && typeof d.id === 'number') this.pair(model, row.id, d.id);
        for (const [k, v] of Object.entries(row)) {
          const rel = this.relationOf(model, k);
          const dv = d[k];
          if (!rel || dv === undefined) continue;
          if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string' && Array.isArray(dv) && typeof dv[0] === 'number') this.pair(rel, v[0], dv[0]);
          else if (isIdList(v) && isIdList(dv)) v.forEach((id, j) => j < dv.length && this.pair(rel, id, dv[j]!));
        }
      });
    }
    // check_object_reference: [model, id]
    if (Array.isArray(real) && real.length === 2 && typeof real[0] === 'string' && typeof real[1] === 'number' && Array.isArray(dev) && typeof dev[1] === 'number' && dev[0] === real[0]) this.pair(real[0], real[1], dev[1]);
    // an action on the records made: res_id or a domain [('id', 'in', ids)]
    if (isStruct(real) && isStruct(dev) && typeof real.res_model === 'string') {
      if (typeof real.res_id === 'number' && typeof dev.res_id === 'number') this.pair(real.res_model, real.res_id, dev.res_id);
      const ids = (d: XmlRpcValue | undefined): XmlRpcValue | undefined => (Array.isArray(d) && Array.isArray(d[0]) && d[0][0] === 'id' ? d[0][2] : undefined);
      const r = ids(real.domain);
      const v = ids(dev.domain);
      if (r && v && isIdList(r) && isIdList(v)) r.forEach((id, j) => j < v.length && this.pair(real.res_model as string, id, v[j]!));
    }
  }

  private async post(path: string, body: string): Promise<XmlRpcAnswer> {
    const res = await fetch(`${this.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
    return parseAnswer(await res.text());
  }

  private login(name: string): { uid: number; password: string } {
    const u = name === 'admin' ? this.server.admin : name === 'clerk' ? this.server.clerk : undefined;
    if (!u) throw new Error(`the dev server has no user '${name}'`);
    return { uid: u.uid, password: u.password };
  }

  /** Sends each exchange's request (rewritten) and compares the answers. */
  async replay(exchanges: Exchange[]): Promise<ReplayedExchange[]> {
    const out: ReplayedExchange[] = [];
    for (const [index, ex] of exchanges.entries()) {
      const call = parseCall(ex.request);
      const real = parseAnswer(ex.response);
      let params = call.params;
      let as = '';
      let model = '';
      let method = call.method;
      if (call.method === 'authenticate') {
        as = String(params[1]);
        params = [this.server.database, params[1]!, this.login(as).password, ...params.slice(3)];
      } else if (call.method === 'execute_kw') {
        const [, uid, , m, meth, args, kwargs] = params as [string, number, string, string, string, XmlRpcValue[], Struct | undefined];
        as = this.loginOfUid.get(uid) ?? String(uid);
        model = m;
        method = meth;
        const user = this.login(as);
        const [a, k] = this.translate(model, method, args ?? [], kwargs);
        params = [this.server.database, user.uid, user.password, model, method, a, ...(k ? [k] : [])];
      }
      const dev = await this.post(ex.path, dumpCall(call.method, params));
      if (call.method === 'authenticate' && real.ok && dev.ok && typeof real.value === 'number' && typeof dev.value === 'number') {
        this.loginOfUid.set(real.value, as);
        this.pair('res.users', real.value, dev.value);
      }
      if (real.ok && dev.ok && model) this.learn(model, method, real.value, dev.value);
      out.push({ index, call: ex.call, as, real, dev, problems: compareAnswers(real, dev) });
    }
    return out;
  }
}
