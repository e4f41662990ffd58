/**
 * The dev server's database: records per model, computed fields, custom
 * `x_` fields created through ir.model.fields, and a small typed API for tests.
 */
import { buildSchema, customModelDef, type FieldDef, type ModelDef, type OdooVersion } from './schema.js';
import type { DomainContext } from './domain.js';
import { checkDomain, matches, parseDomain } from './domain.js';
import { effectiveGroups } from './access.js';
import { serverFault, userError } from './faults.js';

export type RawRecord = Record<string, unknown> & { id: number };

export interface DevUser {
  id: number;
  login: string;
  password: string;
  apiKey: string;
  /** Group xmlids: `base.group_system` = Settings administrator. */
  groups: string[];
}

export interface StoreSnapshot {
  version: OdooVersion;
  tables: Record<string, RawRecord[]>;
  seq: Record<string, number>;
  users: DevUser[];
}

export class OdooStore implements DomainContext {
  readonly schema: Record<string, ModelDef>;
  private tables = new Map<string, Map<number, RawRecord>>();
  private seq = new Map<string, number>();
  users: DevUser[] = [];
  /** Who the ORM acts for (create_uid/write_uid); 1 (OdooBot) for the seed. */
  actingUid = 1;

  constructor(readonly version: OdooVersion) {
    this.schema = buildSchema(version);
    for (const m of Object.keys(this.schema)) this.tables.set(m, new Map());
  }

  // ---- typed API (no access checks, raw values: many2one as id | false) ----

  hasModel(model: string): boolean {
    return this.schema[model] !== undefined;
  }
  field(model: string, name: string): FieldDef | undefined {
    return this.schema[model]?.fields[name];
  }
  fieldNames(model: string): string[] {
    return Object.keys(this.schema[model]?.fields ?? {});
  }
  exists(model: string, id: number): boolean {
    return this.table(model).has(id);
  }
  allIds(model: string): number[] {
    return [...this.table(model).keys()];
  }
  private table(model: string): Map<number, RawRecord> {
    const t = this.tables.get(model);
    if (!t) throw new Error(`no model ${model}`);
    return t;
  }

  /** Inserts a record as is (seed and wizard use); returns its id. */
  insert(model: string, values: Record<string, unknown>): number {
    const id = (this.seq.get(model) ?? 0) + 1;
    this.seq.set(model, id);
    const now = this.now();
    this.table(model).set(id, { create_uid: this.actingUid, write_uid: this.actingUid, ...values, id, create_date: now, write_date: now });
    return id;
  }

  /**
   * Who made or changed a record and when, as Odoo's magic columns say (seeds:
   * an account changed days ago, an approval made yesterday). `at`: `YYYY-MM-DD HH:MM:SS` UTC.
   */
  setLogAccess(model: string, id: number, v: { createdBy?: number; createdAt?: string; changedBy?: number; changedAt?: string }): void {
    const rec = this.table(model).get(id);
    if (!rec) throw new Error(`no ${model} ${id}`);
    if (v.createdBy !== undefined) rec.create_uid = v.createdBy;
    if (v.createdAt !== undefined) rec.create_date = v.createdAt;
    if (v.changedBy !== undefined) rec.write_uid = v.changedBy;
    if (v.changedAt !== undefined) rec.write_date = v.changedAt;
  }

  /**
   * A table for the records of a custom model `stetpay install` will create:
   * they are kept, and appear once the model and its fields exist (as the
   * seed's `x_stet_approved` values do on bills).
   */
  prepareTable(model: string): void {
    if (!this.tables.has(model)) this.tables.set(model, new Map());
  }

  /** Raw values of the records, computed fields included, defined fields only. */
  read(model: string, ids: number[]): RawRecord[] {
    return ids.map((id) => {
      const out: RawRecord = { id };
      for (const name of this.fieldNames(model)) out[name] = this.value(model, id, name);
      return out;
    });
  }

  /** Raw update, no checks. */
  update(model: string, id: number, values: Record<string, unknown>): void {
    const rec = this.table(model).get(id);
    if (!rec) throw new Error(`no ${model} ${id}`);
    Object.assign(rec, values, { write_date: this.now(), write_uid: this.actingUid });
  }

  remove(model: string, id: number): void {
    this.table(model).delete(id);
  }

  search(model: string, domain: unknown[] = [], order?: string): number[] {
    const node = parseDomain(domain);
    checkDomain(this, model, node);
    const ids = this.allIds(model).filter((id) => matches(this, model, id, node));
    return this.sort(model, ids, order ?? this.schema[model]!.order);
  }

  value(model: string, id: number, name: string): unknown {
    const rec = this.table(model).get(id);
    if (!rec) return false;
    if (name === 'id') return id;
    const def = this.field(model, name);
    if (def?.compute) return this.compute(model, rec, def.compute);
    if (def?.related) return this.related(model, id, def.related);
    if (def?.type === 'one2many' && def.inverse) {
      const inv = def.inverse;
      return this.allIds(def.relation!).filter((rid) => this.table(def.relation!).get(rid)?.[inv] === id);
    }
    const v = rec[name];
    return v === undefined ? (def?.type === 'one2many' || def?.type === 'many2many' ? [] : false) : v;
  }

  /** A related field's value: the path followed through many2one fields (false when a link is empty). */
  related(model: string, id: number, path: string): unknown {
    let [m, rid]: [string, number] = [model, id];
    const parts = path.split('.');
    for (const name of parts.slice(0, -1)) {
      const def = this.field(m, name);
      const next = this.value(m, rid, name);
      if (!def?.relation || !next) return false;
      [m, rid] = [def.relation, next as number];
    }
    return this.value(m, rid, parts[parts.length - 1]!);
  }

  /** The field a related path ends on, or undefined when a step does not exist (Odoo's `_related_field`). */
  relatedTarget(model: string, path: string): FieldDef | undefined {
    let m = model;
    const parts = path.split('.');
    for (const name of parts.slice(0, -1)) {
      const def = this.field(m, name);
      if (!def?.relation) return undefined;
      m = def.relation;
    }
    return this.field(m, parts[parts.length - 1]!);
  }

  displayName(model: string, id: number): string {
    const def = this.schema[model];
    const rec = this.table(model).get(id);
    if (!def || !rec) return '';
    if (model === 'account.move') return (rec.name as string) || (rec.state === 'draft' ? 'Draft Bill' : `/`);
    if (model === 'res.partner' && rec.parent_id) return `${this.displayName('res.partner', rec.parent_id as number)}, ${String(rec.name ?? '')}`;
    if (model === 'account.payment.register' || model === 'mail.message') return `${model},${id}`;
    if (model === 'res.partner.bank') return String(rec.acc_number ?? '');
    const v = rec[def.recName];
    return typeof v === 'string' ? v : `${model},${id}`;
  }

  private compute(model: string, rec: RawRecord, key: string): unknown {
    switch (key) {
      case 'display_name':
        return this.displayName(model, rec.id);
      case 'commercial_partner_id': {
        let pid = (model === 'account.move' ? rec.partner_id : rec.id) as number | false;
        for (let guard = 0; pid && guard < 10; guard++) {
          const p = this.table('res.partner').get(pid);
          if (!p || p.is_company || !p.parent_id) return pid;
          pid = p.parent_id as number;
        }
        return pid || false;
      }
      case 'country_code': {
        const c = rec.country_id ? this.table('res.country').get(rec.country_id as number) : undefined;
        return c?.code ?? false;
      }
      case 'company_bank_ids':
        return this.allIds('res.partner.bank').filter((bid) => this.table('res.partner.bank').get(bid)?.partner_id === rec.partner_id);
      case 'sanitized_acc_number':
        return typeof rec.acc_number === 'string' ? rec.acc_number.replace(/\W+/g, '').toUpperCase() : false;
      case 'bank_name':
      case 'bank_bic': {
        const b = rec.bank_id ? this.table('res.bank').get(rec.bank_id as number) : undefined;
        return (key === 'bank_bic' ? b?.bic : b?.name) ?? false;
      }
      case 'bank_acc_number': {
        const a = rec.bank_account_id ? this.table('res.partner.bank').get(rec.bank_account_id as number) : undefined;
        return a?.acc_number ?? false;
      }
      case 'journal_bank_id': {
        const a = rec.bank_account_id ? this.table('res.partner.bank').get(rec.bank_account_id as number) : undefined;
        return a?.bank_id ?? false;
      }
      case 'amount_total_signed':
      case 'amount_residual_signed': {
        const v = Number(rec[key === 'amount_total_signed' ? 'amount_total' : 'amount_residual'] ?? 0);
        const sign = String(rec.move_type).startsWith('in_invoice') || rec.move_type === 'out_refund' ? -1 : 1;
        return v * sign;
      }
      case 'selection_text': {
        const opts = this.allIds('ir.model.fields.selection')
          .map((sid) => this.table('ir.model.fields.selection').get(sid)!)
          .filter((s) => s.field_id === rec.id);
        return opts.length ? `[${opts.map((s) => `('${String(s.value)}', '${String(s.name)}')`).join(', ')}]` : false;
      }
      case 'arch':
        return rec.arch_db ?? false;
      case 'user_groups': {
        const groups = this.users.find((u) => u.id === rec.id)?.groups ?? [];
        return [...effectiveGroups(this.version, groups)].map((x) => this.xmlidTarget(x)?.resId).filter((x): x is number => x !== undefined);
      }
      case 'activity_res_model':
        return rec.res_model_id ? this.value('ir.model', rec.res_model_id as number, 'model') : false;
      default:
        return false;
    }
  }

  sort(model: string, ids: number[], order: string): number[] {
    const specs = order
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const [name = '', dir = 'asc'] = s.split(/\s+/);
        const d = dir.toLowerCase();
        if (name !== 'id' && !this.field(model, name)) throw serverFault('ValueError', `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
        if (d !== 'asc' && d !== 'desc') throw serverFault('ValueError', `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
        return { name, desc: d === 'desc' };
      });
    const key = (id: number, name: string): unknown => {
      const v = this.value(model, id, name);
      const def = this.field(model, name);
      if (def?.type === 'many2one' && v) return this.displayName(def.relation!, v as number);
      return v;
    };
    return [...ids].sort((a, b) => {
      for (const s of specs) {
        const va = key(a, s.name);
        const vb = key(b, s.name);
        const ea = va === false || va === null || va === undefined;
        const eb = vb === false || vb === null || vb === undefined;
        if (ea && eb) continue;
        // PostgreSQL: NULLS LAST ascending, NULLS FIRST descending
        if (ea) return s.desc ? -1 : 1;
        if (eb) return s.desc ? 1 : -1;
        if (va === vb) continue;
        const lt = (va as number | string) < (vb as number | string);
        return (lt ? -1 : 1) * (s.desc ? -1 : 1);
      }
      return a - b;
    });
  }

  /** `ir.model.data` without access checks: module.name -> model and res_id. */
  xmlidTarget(xmlid: string): { model: string; resId: number } | undefined {
    const [module, name] = [xmlid.slice(0, xmlid.indexOf('.')), xmlid.slice(xmlid.indexOf('.') + 1)];
    for (const rec of this.table('ir.model.data').values()) {
      if (rec.module === module && rec.name === name) return { model: String(rec.model), resId: Number(rec.res_id) };
    }
    return undefined;
  }

  /** Records `module.name` as the external id of a record. */
  addXmlid(xmlid: string, model: string, resId: number): void {
    const dot = xmlid.indexOf('.');
    this.insert('ir.model.data', { module: xmlid.slice(0, dot), name: xmlid.slice(dot + 1), model, res_id: resId });
  }

  /** Adds a custom model (ir.model, state manual): its table, and its magic fields until ir.model.fields gives more. */
  addCustomModel(model: string, description: string, order: string): void {
    if (!this.schema[model]) this.schema[model] = customModelDef(description, order);
    if (!this.tables.has(model)) this.tables.set(model, new Map());
  }

  /** A model made through ir.model (state manual). */
  isCustomModel(model: string): boolean {
    return this.search('ir.model', [['model', '=', model], ['state', '=', 'manual']]).length > 0;
  }

  /**
   * The model's ir.model.access rows that are active, as [group xmlid (null:
   * every user), read write create unlink], from the database (custom models).
   */
  accessRows(model: string): [string | null, string][] {
    const modelIds = this.search('ir.model', [['model', '=', model]]);
    const groupXmlid = (gid: number): string | null => {
      for (const rec of this.table('ir.model.data').values()) if (rec.model === 'res.groups' && rec.res_id === gid) return `${String(rec.module)}.${String(rec.name)}`;
      return `res.groups,${gid}`;
    };
    return this.read('ir.model.access', this.allIds('ir.model.access'))
      .filter((a) => modelIds.includes(a.model_id as number) && a.active !== false)
      .map((a) => [a.group_id ? groupXmlid(a.group_id as number) : null, ['perm_read', 'perm_write', 'perm_create', 'perm_unlink'].map((p) => (a[p] === true ? '1' : '0')).join('')]);
  }

  /** Adds an `x_` field to a model (ir.model.fields, state manual). */
  addCustomField(model: string, name: string, def: FieldDef): void {
    const m = this.schema[model];
    if (!m) throw userError(`Model ${model} does not exist`);
    m.fields[name] = { ...def, manual: true };
  }
  removeCustomField(model: string, name: string): void {
    const m = this.schema[model];
    if (m?.fields[name]?.manual) delete m.fields[name];
  }

  now(): string {
    return new Date().toISOString().slice(0, 19).replace('T', ' ');
  }

  snapshot(): StoreSnapshot {
    const tables: Record<string, RawRecord[]> = {};
    for (const [m, t] of this.tables) tables[m] = [...t.values()];
    return { version: this.version, tables, seq: Object.fromEntries(this.seq), users: this.users };
  }

  static fromSnapshot(s: StoreSnapshot): OdooStore {
    const store = new OdooStore(s.version);
    for (const [m, recs] of Object.entries(s.tables)) {
      const t = store.tables.get(m) ?? new Map<number, RawRecord>();
      store.tables.set(m, t);
      for (const r of recs) t.set(r.id, r);
    }
    for (const [m, n] of Object.entries(s.seq)) store.seq.set(m, n);
    store.users = s.users;
    store.rebuildCustomFields();
    return store;
  }

  /** A field of Odoo's own that Odoo tracks (`tracking=True`): its changes are logged in the chatter like a custom tracked field's. */
  trackBaseField(model: string, name: string, fieldId: number): void {
    const def = this.schema[model]?.fields[name];
    if (def) Object.assign(def, { tracking: 1, fieldId });
  }

  /** Custom models and fields live in ir.model and ir.model.fields: re-register them after a load from JSON. */
  rebuildCustomFields(): void {
    for (const f of this.read('ir.model.fields', this.search('ir.model.fields', [['state', '=', 'base'], ['tracking', '>', 0]]))) this.trackBaseField(String(f.model), String(f.name), f.id);
    for (const m of this.read('ir.model', this.search('ir.model', [['state', '=', 'manual']]))) this.addCustomModel(String(m.model), String(m.name), String(m.order || 'id'));
    for (const f of this.read('ir.model.fields', this.allIds('ir.model.fields'))) {
      if (f.state !== 'manual') continue;
      this.addCustomField(String(f.model), String(f.name), this.fieldDefOf(f.id));
    }
  }

  fieldDefOf(fieldId: number): FieldDef {
    const rec = this.table('ir.model.fields').get(fieldId)!;
    const selection = this.allIds('ir.model.fields.selection')
      .map((sid) => this.table('ir.model.fields.selection').get(sid)!)
      .filter((s) => s.field_id === fieldId)
      .sort((a, b) => Number(a.sequence ?? 0) - Number(b.sequence ?? 0) || a.id - b.id)
      .map((s) => [String(s.value), String(s.name)] as [string, string]);
    return {
      type: rec.ttype as FieldDef['type'],
      string: String(rec.field_description),
      ...(rec.relation ? { relation: String(rec.relation) } : {}),
      ...(rec.ttype === 'one2many' && rec.relation_field ? { inverse: String(rec.relation_field) } : {}),
      ...(rec.ttype === 'selection' ? { selection } : {}),
      ...(rec.related ? { related: String(rec.related), readonly: true } : {}),
      ...(Number(rec.tracking) > 0 ? { tracking: Number(rec.tracking) } : {}),
      fieldId,
      manual: true,
    };
  }
}
