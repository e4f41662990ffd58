import { expect } from 'chai';
import { OdooAccessError, OdooUserError } from '../../connector/odoo/errors/index.js';
import { installFields, STETPAY_VIEW_NAME, viewArch } from '../../connector/odoo/install-fields.js';
import { OdooClient } from '../../connector/odoo/odoo-client.js';
import { STET_FIELD_NAMES } from '../../connector/odoo/stet-field-definitions.js';
import { PAYEE_ACCOUNT_FIELD_NAMES, PAYEE_BILL_FIELD_NAMES } from '../../connector/odoo/payee-field-definitions.js';
import { BILL_STATUSES } from '../../connector/model/bill-status.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { adminClient, devOdoo } from './helpers.js';

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
      expect((err as Error).message).to.contain('needs Settings administrator (base.group_system) to create fields');
      expect(server.store.field('account.move', 'x_stet_status')).to.equal(undefined);
    } finally {
      clerk.close();
    }
  });

  it('creates every field once, in one create call per model (bank accounts first); the second run is a no-op', async () => {
    const client = await adminClient(server);
    try {
      const billId = server.seedInfo!.billIds[0]!;
      let err: unknown;
      try {
        await client.call('account.move', 'read', [[billId]], { fields: ['x_stet_approved'] });
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).to.equal("ValueError: Invalid field 'x_stet_approved' on model 'account.move'");
      server.resetCalls();
      const first = await installFields(client);
      expect(first.created).to.deep.equal([...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES]);
      expect(first.existing).to.deep.equal([]);
      expect(first.view).to.equal('created');
      expect(first.payeeFields).to.deep.equal({ created: PAYEE_ACCOUNT_FIELD_NAMES, existing: [] });
      expect(first.accountView).to.equal('created');
      expect(first.optionsAdded).to.deep.equal([]);
      expect(server.calls()['ir.model.fields.create']).to.equal(2);
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
        created: [], existing: [...STET_FIELD_NAMES, ...PAYEE_BILL_FIELD_NAMES], view: 'existing',
        payeeFields: { created: [], existing: PAYEE_ACCOUNT_FIELD_NAMES }, optionsAdded: [], accountView: 'existing',
      });
      expect(server.calls()['ir.model.fields.create'] ?? 0).to.equal(0);
      expect(server.calls()['ir.ui.view.create'] ?? 0).to.equal(0);
    } finally {
      client.close();
    }
  });
});

describe('stetpay install: a newer stetpay on an older install', () => {
  it('adds the held status to the x_stet_status an older stetpay created, once, and held can then be written', async () => {
    const server = await devOdoo({ version: 17, seed: { invoices: 1, today: '2026-03-02' } });
    const client = await adminClient(server);
    try {
      await installFields(client);
      // As an older stetpay left it: x_stet_status without 'held'.
      const [field] = server.store.search('ir.model.fields', [['model', '=', 'account.move'], ['name', '=', 'x_stet_status']]);
      const [held] = server.store.search('ir.model.fields.selection', [['field_id', '=', field!], ['value', '=', 'held']]);
      server.store.remove('ir.model.fields.selection', held!);
      server.store.addCustomField('account.move', 'x_stet_status', server.store.fieldDefOf(field!));
      const billId = server.seedInfo!.billIds[0]!;
      let err: unknown;
      try {
        await client.call('account.move', 'write', [[billId], { x_stet_status: 'held' }]);
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).to.contain("Wrong value for account.move.x_stet_status: 'held'");
      expect((await installFields(client)).optionsAdded).to.deep.equal(['x_stet_status:held']);
      await client.call('account.move', 'write', [[billId], { x_stet_status: 'held' }]);
      expect(server.store.value('account.move', billId, 'x_stet_status')).to.equal('held');
      expect((await installFields(client)).optionsAdded).to.deep.equal([]);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('stetpay install: the Bank payment page, per Odoo version', () => {
  const STYLE = {
    16: `<page string="Bank payment" name="stetpay_bank_payment" attrs="{'invisible': [('move_type', 'not in', ('in_invoice', 'in_refund'))]}">`,
    17: `<page string="Bank payment" name="stetpay_bank_payment" invisible="move_type not in ('in_invoice', 'in_refund')">`,
    18: `<page string="Bank payment" name="stetpay_bank_payment" invisible="move_type not in ('in_invoice', 'in_refund')">`,
  } as const;
  const viewOf = (server: RunningOdooDevServer) => server.store.read('ir.ui.view', server.store.search('ir.ui.view', [['name', '=', STETPAY_VIEW_NAME]]))[0]!;

  for (const version of [16, 17, 18] as const) {
    it(`Odoo ${version}: shown on vendor bills and refunds only, written the way ${version} accepts (the other way is refused)`, async () => {
      const server = await devOdoo({ version, seed: { invoices: 1, today: '2026-03-02' } });
      const client = await adminClient(server);
      try {
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
      } finally {
        client.close();
        await server.close();
      }
    });
  }

  it('a page installed by an older stetpay (shown on every entry) is brought up to date, once', async () => {
    const server = await devOdoo({ version: 17, seed: { invoices: 1, today: '2026-03-02' } });
    const client = await adminClient(server);
    try {
      await installFields(client);
      const old = String(viewOf(server).arch_db).replace(` invisible="move_type not in ('in_invoice', 'in_refund')"`, '');
      server.store.update('ir.ui.view', viewOf(server).id, { arch_db: old });
      expect((await installFields(client)).view).to.equal('updated');
      expect(viewOf(server).arch_db).to.equal(viewArch(17));
      expect((await installFields(client)).view).to.equal('existing');
      expect(server.store.search('ir.ui.view', [['name', '=', STETPAY_VIEW_NAME]])).to.have.length(1);
    } finally {
      client.close();
      await server.close();
    }
  });
});
