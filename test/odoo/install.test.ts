import { expect } from 'chai';
import { OdooAccessError, OdooFieldsMissingError, OdooUserError } from '../../connector/odoo/errors.js';
import { installFields, STETPAY_VIEW_NAME, viewArch } from '../../connector/odoo/install-fields.js';
import { BANK_PAYMENT_FILTERS, bankPaymentsListArch } from '../../connector/odoo/install-menu.js';
import { OdooClient } from '../../connector/odoo/odoo-client.js';
import { STET_FIELD_NAMES } from '../../connector/odoo/stet-field-definitions.js';
import { PAYEE_ACCOUNT_FIELD_NAMES, PAYEE_BILL_FIELD_NAMES, PAYEE_CHECK_FIELD_NAMES } from '../../connector/odoo/payee-field-definitions.js';
import { BILL_STATUSES } from '../../connector/model/bill-status.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { adminClient, devOdoo, withAdminOdoo } from './helpers.js';

describe('stetpay install (x_stet_* fields on account.move)', () => {
  let server: RunningOdooDevServer;
  before(async () => {
    server = await devOdoo();
  });
  after(async () => {
    await server.close();
  });

  it('a clerk without Settings rights gets a message naming base.group_system, and nothing is created', async () => {
    const clerk = await OdooClient.connect({ url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.password });
    try {
      let err: unknown;
      try {
        await installFields(clerk);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(OdooAccessError);
      // refused at its first call (ir.model is for administrators), not with Odoo's raw text
      expect((err as Error).message).to.equal(
        'Odoo user clerk needs Settings administrator (base.group_system) to create fields on vendor bills: `stetpay install` alone needs these rights. ' +
          "Ask an administrator to run it once with their own login and API key; the daily commands then run as clerk. Odoo said: You are not allowed to access 'Models' (ir.model) records.",
      );
      expect(server.calls()['ir.model.fields.create']).to.equal(undefined);
      expect(server.store.field('account.move', 'x_stet_status')).to.equal(undefined);
    } finally {
      clerk.close();
    }
  });

  it('creates every field once (the payee checks\' with the bank account\'s list in one call, the bill\'s in another); the second run is a no-op', async () => {
    const client = await adminClient(server);
    try {
      const billId = server.seedInfo!.billIds[0]!;
      let err: unknown;
      try {
        await client.call('account.move', 'read', [[billId]], { fields: ['x_stet_approved'] });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(OdooFieldsMissingError);
      expect((err as OdooFieldsMissingError).faultString).to.match(/ValueError: Invalid field 'x_stet_approved' on model 'account.move'\n$/);
      expect((err as Error).message).to.contain('run `stetpay install` first');
      server.resetCalls();
      const first = await installFields(client);
      expect(first.created).to.deep.equal([...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES, 'x_stet_approval_ids']);
      expect(first.existing).to.deep.equal([]);
      expect(first.view).to.equal('created');
      expect(first.options).to.deep.equal([]);
      // x_name is the field Odoo gives a custom model: already there when the others are made
      expect(first.payeeChecks).to.deep.equal({
        model: 'created',
        created: [...PAYEE_CHECK_FIELD_NAMES.filter((n) => n !== 'x_name'), ...PAYEE_ACCOUNT_FIELD_NAMES],
        existing: ['x_name'],
        access: { created: ['account.group_account_invoice', 'account.group_account_readonly'], existing: [] },
        form: 'created',
        accountView: 'created',
      });
      expect(server.calls()['ir.model.create']).to.equal(1);
      expect(server.calls()['ir.model.fields.create']).to.equal(2);
      expect(server.calls()['ir.model.access.create']).to.equal(1);
      const fields = await client.call<Record<string, { type: string; selection?: [string, string][] }>>('account.move', 'fields_get', [STET_FIELD_NAMES], { attributes: ['type', 'selection'] });
      expect(fields.x_stet_status!.selection!.map(([v]) => v)).to.deep.equal([...BILL_STATUSES]);
      expect(fields.x_stet_updated_at!.type).to.equal('datetime');
      // the seed's approvals appear once the field exists
      const [bill] = await client.call<{ x_stet_approved: boolean }[]>('account.move', 'read', [[billId]], { fields: ['x_stet_approved'] });
      expect(bill!.x_stet_approved).to.equal(server.seedInfo!.problems[billId] !== 'not_approved');
      const view = server.store.read('ir.ui.view', server.store.search('ir.ui.view', [['name', '=', STETPAY_VIEW_NAME]]))[0]!;
      expect(String(view.arch_db)).to.contain('<field name="x_stet_consent_url" widget="url" readonly="1"/>');

      server.resetCalls();
      const second = await installFields(client);
      expect(second).to.deep.equal({
        created: [], existing: [...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES, 'x_stet_approval_ids'], options: [], view: 'existing',
        payeeChecks: { model: 'existing', created: [], existing: [...PAYEE_CHECK_FIELD_NAMES, ...PAYEE_ACCOUNT_FIELD_NAMES], access: { created: [], existing: ['account.group_account_invoice', 'account.group_account_readonly'] }, form: 'existing', accountView: 'existing' },
        approvals: second.approvals,
        menu: second.menu,
      });
      expect(second.menu).to.deep.include({ listView: 'existing', action: 'existing', menu: 'existing' });
      expect(second.approvals).to.deep.include({ models: { x_stet_approval: 'existing', x_stet_account_check: 'existing' }, created: [], rules: { created: [], existing: ['x_stet_approval', 'x_stet_account_check'] }, actions: { 'Approve for payment': 'existing', 'Confirm bank account': 'existing' } });
      for (const call of ['ir.model.create', 'ir.model.fields.create', 'ir.model.access.create', 'ir.model.fields.selection.create', 'ir.ui.view.create', 'ir.ui.view.write', 'ir.rule.create', 'ir.actions.server.create', 'ir.actions.server.write', 'ir.ui.menu.create', 'ir.actions.act_window.create', 'ir.filters.create']) expect(server.calls()[call] ?? 0, call).to.equal(0);

      // APPROVAL-INSTALL-GROUP both actions are the approvers' group's; a changed approvals.approversGroup moves them there
      const groupOf = (xmlid: string) => server.store.search('ir.model.data', [['module', '=', xmlid.split('.')[0]], ['name', '=', xmlid.split('.')[1]]]).map((d) => server.store.value('ir.model.data', d, 'res_id'))[0];
      const actionGroups = () => Object.fromEntries(server.store.read('ir.actions.server', server.store.search('ir.actions.server', [['name', 'in', ['Approve for payment', 'Confirm bank account']]])).map((a) => [a.name, a.groups_id]));
      expect(actionGroups()).to.deep.equal({ 'Approve for payment': [groupOf('account.group_account_manager')], 'Confirm bank account': [groupOf('account.group_account_manager')] });
      const moved = await installFields(client, { approversGroup: 'account.group_account_invoice' });
      expect(moved.approvals.actions).to.deep.equal({ 'Approve for payment': 'updated', 'Confirm bank account': 'updated' });
      expect(actionGroups()).to.deep.equal({ 'Approve for payment': [groupOf('account.group_account_invoice')], 'Confirm bank account': [groupOf('account.group_account_invoice')] });
    } finally {
      client.close();
    }
  });
});

describe('stetpay install: upgrading the fields of an older stetpay', () => {
  it('INSTALL-UPGRADE a status field without the newer statuses gets them once (withdrawn, held), in one create, and the values are accepted at once', () =>
    withAdminOdoo({ version: 17, seed: { invoices: 2, today: '2026-03-02' } }, async (server, client) => {
      await installFields(client);
      // As an older stetpay left it: x_stet_status without 'withdrawn' and 'held'.
      const [field] = server.store.search('ir.model.fields', [['model', '=', 'account.move'], ['name', '=', 'x_stet_status']]);
      for (const row of server.store.search('ir.model.fields.selection', [['field_id', '=', field!], ['value', 'in', ['withdrawn', 'held']]])) server.store.remove('ir.model.fields.selection', row);
      server.store.addCustomField('account.move', 'x_stet_status', server.store.fieldDefOf(field!));
      const billId = server.seedInfo!.billIds[0]!;
      const refused = await client.call('account.move', 'write', [[billId], { x_stet_status: 'withdrawn' }]).catch((e: unknown) => e as Error);
      expect((refused as Error).message).to.contain('Wrong value for account.move.x_stet_status');

      server.resetCalls();
      const r = await installFields(client);
      expect(r).to.deep.include({ created: [], options: ['x_stet_status.withdrawn', 'x_stet_status.held'], view: 'existing' });
      expect(server.calls()['ir.model.fields.selection.create']).to.equal(1);
      await client.call('account.move', 'write', [[billId], { x_stet_status: 'withdrawn' }]);
      await client.call('account.move', 'write', [[billId], { x_stet_status: 'held' }]);
      const fields = await client.call<Record<string, { selection: [string, string][] }>>('account.move', 'fields_get', [['x_stet_status']], { attributes: ['selection'] });
      expect(fields.x_stet_status!.selection.map(([v]) => v)).to.deep.equal([...BILL_STATUSES]);
      expect((await installFields(client)).options).to.deep.equal([]);
    }));
});

describe('stetpay install: the Bank payment page, per Odoo version', () => {
  const STYLE = {
    16: `<page string="Bank payment" name="stetpay_bank_payment" attrs="{'invisible': [('move_type', 'not in', ('in_invoice', 'in_refund'))]}">`,
    17: `<page string="Bank payment" name="stetpay_bank_payment" invisible="move_type not in ('in_invoice', 'in_refund')">`,
    18: `<page string="Bank payment" name="stetpay_bank_payment" invisible="move_type not in ('in_invoice', 'in_refund')">`,
  } as const;
  const viewOf = (server: RunningOdooDevServer) => server.store.read('ir.ui.view', server.store.search('ir.ui.view', [['name', '=', STETPAY_VIEW_NAME]]))[0]!;

  for (const version of [16, 17, 18] as const) {
    it(`Odoo ${version}: shown on vendor bills and refunds only, written the way ${version} accepts (the other way is refused)`, () =>
      withAdminOdoo({ version, seed: { invoices: 1, today: '2026-03-02' } }, async (server, client) => {
        expect((await installFields(client)).view).to.equal('created');
        expect(String(viewOf(server).arch_db)).to.contain(STYLE[version]);
        const otherStyle = viewArch(version >= 17 ? 16 : 17);
        let err: unknown;
        try {
          await client.call('ir.ui.view', 'create', [{ name: 'other style', model: 'account.move', type: 'form', mode: 'extension', arch_db: otherStyle }]);
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(OdooUserError);
        expect((err as Error).message).to.contain(version >= 17 ? 'Since 17.0, the "attrs" and "states" attributes are no longer used.' : "name 'move_type' is not defined");
      }));
  }

  it('a page installed by an older stetpay (shown on every entry) is brought up to date, once', () =>
    withAdminOdoo({ version: 17, seed: { invoices: 1, today: '2026-03-02' } }, async (server, client) => {
      await installFields(client);
      const old = String(viewOf(server).arch_db).replace(` invisible="move_type not in ('in_invoice', 'in_refund')"`, '');
      server.store.update('ir.ui.view', viewOf(server).id, { arch_db: old });
      expect((await installFields(client)).view).to.equal('updated');
      expect(viewOf(server).arch_db).to.equal(viewArch(17));
      expect((await installFields(client)).view).to.equal('existing');
      expect(server.store.search('ir.ui.view', [['name', '=', STETPAY_VIEW_NAME]])).to.have.length(1);
    }));
});

describe('stetpay install: the payee checks (Verification of Payee evidence), per Odoo version', () => {
  for (const version of [16, 17, 18] as const) {
    it(`INSTALL-VOP-${version} a custom model x_stet_payee_check (state manual, with the x_name Odoo adds), its fields, access rows for Billing (read, create, write, no delete) and read-only accounting, its form and its list on the bank account form; install twice changes nothing`, () =>
      withAdminOdoo({ version, seed: { invoices: 2, today: '2026-03-02' } }, async (server, admin) => {
        await installFields(admin);
        const [model] = await admin.call<{ id: number; name: string; state: string; order: string }[]>('ir.model', 'search_read', [[['model', '=', 'x_stet_payee_check']]], { fields: ['name', 'state', 'order'] });
        expect(model).to.deep.include({ name: 'Payee check (stetpay)', state: 'manual', order: 'id desc' });
        const fields = await admin.call<{ name: string; ttype: string; relation: string | false }[]>('ir.model.fields', 'search_read', [[['model_id', '=', model!.id], ['state', '=', 'manual']]], { fields: ['name', 'ttype', 'relation'], order: 'id asc' });
        expect(fields.map((f) => f.name)).to.deep.equal(PAYEE_CHECK_FIELD_NAMES);
        expect(fields.filter((f) => f.ttype === 'many2one').map((f) => [f.name, f.relation])).to.deep.equal([['x_bank_account_id', 'res.partner.bank']]);
        const access = await admin.call<{ group_id: [number, string]; perm_read: boolean; perm_write: boolean; perm_create: boolean; perm_unlink: boolean }[]>('ir.model.access', 'search_read', [[['model_id', '=', model!.id]]], {
          fields: ['group_id', 'perm_read', 'perm_write', 'perm_create', 'perm_unlink'],
          order: 'id asc',
        });
        expect(access.map((a) => [a.group_id[1], a.perm_read, a.perm_write, a.perm_create, a.perm_unlink])).to.deep.equal([
          [`Invoicing / ${version >= 18 ? 'Invoicing' : 'Billing'}`, true, true, true, false],
          ['Technical / Show Accounting Features - Readonly', true, false, false, false],
        ]);
        const account = await admin.call<Record<string, { type: string; relation: string }>>('res.partner.bank', 'fields_get', [['x_stet_payee_check_ids']], { attributes: ['type', 'relation'] });
        expect(account.x_stet_payee_check_ids).to.deep.equal({ type: 'one2many', relation: 'x_stet_payee_check' });
        const bill = await admin.call<Record<string, { type: string; relation?: string; readonly: boolean }>>('account.move', 'fields_get', [['x_stet_payee_check_id', 'x_stet_vop_result', 'x_stet_vop_confirmed_by']], { attributes: ['type', 'relation', 'readonly'] });
        expect(bill).to.deep.equal({
          x_stet_payee_check_id: { type: 'many2one', relation: 'x_stet_payee_check', readonly: false },
          x_stet_vop_result: { type: 'selection', readonly: true },
          x_stet_vop_confirmed_by: { type: 'many2one', relation: 'res.users', readonly: true },
        });
        const arch = (name: string) => String(server.store.read('ir.ui.view', server.store.search('ir.ui.view', [['name', '=', name]]))[0]!.arch_db);
        expect(arch('res.partner.bank.form.stetpay')).to.contain(`<field name="x_stet_payee_check_ids" nolabel="1" colspan="2" readonly="1">\n        <${version >= 18 ? 'list' : 'tree'}>`);
        expect(arch('x_stet_payee_check.form.stetpay')).to.contain('<field name="x_confirmed"/>').and.contain('<field name="x_result" readonly="1"/>');

        server.resetCalls();
        const again = await installFields(admin);
        expect(again.payeeChecks).to.deep.equal({ model: 'existing', created: [], existing: [...PAYEE_CHECK_FIELD_NAMES, ...PAYEE_ACCOUNT_FIELD_NAMES], access: { created: [], existing: ['account.group_account_invoice', 'account.group_account_readonly'] }, form: 'existing', accountView: 'existing' });
        for (const call of ['ir.model.create', 'ir.model.fields.create', 'ir.model.access.create', 'ir.ui.view.create', 'ir.ui.view.write']) expect(server.calls()[call] ?? 0, call).to.equal(0);
        expect(server.store.search('ir.model.access', [['model_id', '=', model!.id]])).to.have.length(2);
      }));
  }

  it('INSTALL-VOP-ACCESS an access row an administrator changed (or archived) is left as it is', () =>
    withAdminOdoo({ version: 17, seed: { invoices: 1, today: '2026-03-02' } }, async (server, admin) => {
      await installFields(admin);
      const [row] = server.store.search('ir.model.access', [['name', '=', 'stetpay payee check: read-only accounting']]);
      await admin.call('ir.model.access', 'write', [[row!], { active: false }]);
      expect((await installFields(admin)).payeeChecks.access).to.deep.equal({ created: [], existing: ['account.group_account_invoice', 'account.group_account_readonly'] });
      expect(server.store.value('ir.model.access', row!, 'active')).to.equal(false);
    }));
});

describe('stetpay install: Bank payments inside Odoo (menu, list, filters), per Odoo version', () => {
  for (const version of [16, 17, 18] as const) {
    it(`INSTALL-MENU-${version} the menu and filters exist on ${version}: a Bank payments menu under Accounting opening the bills' list with stetpay's columns, and the shared filters; install twice changes nothing`, () =>
      withAdminOdoo({ version, seed: { invoices: 2, today: '2026-03-02' } }, async (server, admin) => {
        const first = await installFields(admin);
        expect(first.menu).to.deep.equal({ listView: 'created', action: 'created', menu: 'created', filters: { created: BANK_PAYMENT_FILTERS.map((f) => f.name), existing: [], updated: [] } });
        const st = server.store;
        const root = st.xmlidTarget('account.menu_finance')!.resId;
        const [menu] = st.read('ir.ui.menu', st.search('ir.ui.menu', [['name', '=', 'Bank payments']]));
        expect(menu).to.deep.include({ parent_id: root });
        const actionId = Number(String(menu!.action).split(',')[1]);
        const [action] = st.read('ir.actions.act_window', [actionId]);
        expect(action).to.deep.include({ res_model: 'account.move', view_mode: version >= 18 ? 'list,form' : 'tree,form' });
        const [view] = st.read('ir.ui.view', [action!.view_id as number]);
        expect(view).to.deep.include({ type: version >= 18 ? 'list' : 'tree', mode: 'primary', arch_db: bankPaymentsListArch(version) });
        expect(String(view!.arch_db)).to.match(version >= 18 ? /^<list / : /^<tree /);
        const filters = st.read('ir.filters', st.search('ir.filters', [['action_id', '=', actionId]], 'id asc'));
        expect(filters.map((f) => [f.name, f.model_id, f.user_id])).to.deep.equal(BANK_PAYMENT_FILTERS.map((f) => [f.name, 'account.move', false]));
        server.resetCalls();
        const second = await installFields(admin);
        expect(second.menu).to.deep.equal({ listView: 'existing', action: 'existing', menu: 'existing', filters: { created: [], existing: BANK_PAYMENT_FILTERS.map((f) => f.name), updated: [] } });
        for (const call of ['ir.ui.menu.create', 'ir.actions.act_window.create', 'ir.filters.create', 'ir.filters.write', 'ir.ui.view.create', 'ir.ui.view.write', 'ir.rule.create', 'ir.actions.server.create', 'ir.actions.server.write']) expect(server.calls()[call] ?? 0, call).to.equal(0);
        // an older stetpay's 'To approve' (ticked only) is brought up to date
        const toApprove = filters.find((f) => f.name === 'To approve')!;
        st.update('ir.filters', toApprove.id, { domain: "[('x_stet_approved', '=', False)]" });
        const third = await installFields(admin);
        expect(third.menu.filters.updated).to.deep.equal(['To approve']);
        expect(st.value('ir.filters', toApprove.id, 'domain')).to.equal(BANK_PAYMENT_FILTERS.find((f) => f.name === 'To approve')!.domain);
      }));
  }
});
