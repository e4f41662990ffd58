/**
 * The dev server applies Odoo's access rules to the invoicing user (Internal
 * User + Billing, no Settings rights), with the faults real Odoo 17/18 gave
 * (the recorded transcripts, see test/support/paths.ts; the rules from the access lists of base, mail
 * and account). These run without the transcripts, on 16, 17 and 18.
 */
import { expect } from 'chai';
import { refusedRows, type OdooError } from '../../connector/odoo/errors.js';
import type { OdooClient } from '../../connector/odoo/odoo-client.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { adminClient, clerkClient, devOdoo, TODAY } from './helpers.js';

async function fault(p: Promise<unknown>): Promise<{ code: number; text: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as OdooError;
    return { code: err.faultCode ?? -1, text: err.faultCode === 1 ? (err.faultString ?? '').trim().split('\n').pop()! : (err.faultString ?? err.message) };
  }
  throw new Error('expected a fault, Odoo answered');
}

const refused = (verb: string, kind: string, model: string, group: string): string =>
  `You are not allowed to ${verb} '${kind}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- ${group}\n\nContact your administrator to request access if necessary.`;

for (const version of [16, 17, 18] as const) {
  describe(`Odoo ${version} dev server: what an invoicing user may do`, () => {
    let server: RunningOdooDevServer;
    let clerk: OdooClient;
    let admin: OdooClient;
    let billId: number;
    before(async () => {
      server = await devOdoo({ version, seed: { invoices: 8, seed: 2, today: TODAY } });
      clerk = await clerkClient(server, { install: true });
      admin = await adminClient(server);
      billId = server.seedInfo!.billIds.find((id) => !server.seedInfo!.problems[id])!;
    });
    after(async () => {
      clerk.close();
      admin.close();
      await server.close();
    });

    it('ACL-01 technical models are refused with fault 4 naming the groups that may (ir.model.data, ir.model, ir.model.fields, ir.config_parameter, mail.tracking.value)', async () => {
      expect(await fault(clerk.call('ir.model.data', 'search_read', [[['module', '=', 'mail']]], { fields: ['res_id'] }))).to.deep.equal({ code: 4, text: refused('access', 'Model Data', 'ir.model.data', 'Administration/Access Rights') });
      expect(await fault(clerk.call('ir.model', 'search', [[['model', '=', 'account.move']]]))).to.deep.equal({ code: 4, text: refused('access', 'Models', 'ir.model', 'Administration/Access Rights') });
      expect(await fault(clerk.call('ir.model.fields', 'search_read', [[['model', '=', 'account.move']]], { fields: ['name'] }))).to.deep.equal({ code: 4, text: refused('access', 'Fields', 'ir.model.fields', 'Administration/Access Rights') });
      expect(await fault(clerk.call('ir.config_parameter', 'get_param', ['web.base.url']))).to.deep.equal({ code: 4, text: refused('access', 'System Parameter', 'ir.config_parameter', 'Administration/Settings') });
      expect(await fault(clerk.call('mail.tracking.value', 'search', [[]]))).to.deep.equal({ code: 4, text: refused('access', 'Mail Tracking Value', 'mail.tracking.value', 'Administration/Settings') });
      expect(await admin.call('ir.config_parameter', 'get_param', ['web.base.url'])).to.equal('http://localhost:8069');
    });

    it('ACL-02 menus and server actions are created by Settings only; bank accounts are changed by Contact Creation only', async () => {
      const menu = await admin.call<[string, number]>('ir.model.data', 'check_object_reference', ['account', 'menu_finance_payables']);
      expect(await fault(clerk.call('ir.ui.menu', 'create', [{ name: 'clerk menu', parent_id: menu[1] }]))).to.deep.equal({ code: 4, text: refused('create', 'Menu', 'ir.ui.menu', 'Administration/Settings') });
      const [modelId] = await admin.call<number[]>('ir.model', 'search', [[['model', '=', 'account.move']]]);
      expect(await fault(clerk.call('ir.actions.server', 'create', [{ name: 'clerk action', model_id: modelId, state: 'code', code: 'pass' }]))).to.deep.equal({ code: 4, text: refused('create', 'Server Action', 'ir.actions.server', 'Administration/Settings') });
      const account = server.store.value('account.move', billId, 'partner_bank_id') as number;
      const partner = server.store.value('res.partner.bank', account, 'partner_id') as number;
      expect(await fault(clerk.call('res.partner.bank', 'write', [[account], { acc_holder_name: 'X' }]))).to.deep.equal({ code: 4, text: refused('modify', 'Bank Accounts', 'res.partner.bank', 'Extra Rights/Contact Creation') });
      expect(await fault(clerk.call('res.partner.bank', 'create', [{ acc_number: 'DE02120300000000202051', partner_id: partner, allow_out_payment: true }]))).to.deep.equal({ code: 4, text: refused('create', 'Bank Accounts', 'res.partner.bank', 'Extra Rights/Contact Creation') });
      // 17/18 check the right to trust an account before the access list (account/models/res_partner_bank.py); 16 has no such right
      expect(await fault(clerk.call('res.partner.bank', 'write', [[account], { allow_out_payment: false }]))).to.deep.equal(
        version >= 17 ? { code: 2, text: 'You do not have the rights to trust or un-trust accounts.' } : { code: 4, text: refused('modify', 'Bank Accounts', 'res.partner.bank', 'Extra Rights/Contact Creation') },
      );
    });

    it('ACL-07 the payee checks (x_stet_payee_check, made by install): the clerk reads, creates and writes them, deletes none; Odoo, not the clerk, says who changed one', async () => {
      const account = server.store.value('account.move', billId, 'partner_bank_id') as number;
      const id = await clerk.call<number>('x_stet_payee_check', 'create', [{ x_name: 'FR76 · Acme', x_bank_account_id: account, x_iban: 'FR7630006000011234567890189', x_payee_name: 'Acme', x_result: 'CMTC' }]);
      const adminUid = server.store.search('res.users', [['login', '=', 'admin']])[0]!;
      // write_uid is Odoo's: a value given for it is dropped (odoo/models.py, LOG_ACCESS_COLUMNS)
      await clerk.call('x_stet_payee_check', 'write', [[id], { x_confirmed: true, write_uid: adminUid }]);
      const [rec] = await clerk.call<Record<string, unknown>[]>('x_stet_payee_check', 'read', [[id]], { fields: ['display_name', 'x_confirmed', 'x_bank_account_id', 'write_uid', 'create_uid'] });
      expect(rec).to.deep.include({ display_name: 'FR76 · Acme', x_confirmed: true });
      expect([(rec!.write_uid as [number, string])[1], (rec!.create_uid as [number, string])[1]]).to.deep.equal(['Camille Bérot', 'Camille Bérot']);
      expect(await fault(clerk.call('x_stet_payee_check', 'unlink', [[id]]))).to.deep.equal({
        code: 4,
        text: "You are not allowed to delete 'Payee check (stetpay)' (x_stet_payee_check) records.\n\nNo group currently allows this operation.\n\nContact your administrator to request access if necessary.",
      });
      const [acc] = await clerk.call<{ x_stet_payee_check_ids: number[] }[]>('res.partner.bank', 'read', [[account]], { fields: ['x_stet_payee_check_ids'] });
      expect(acc!.x_stet_payee_check_ids).to.include(id);
      // a user of neither group is refused: the rows are the only way in
      expect(server.store.accessRows('x_stet_payee_check').map(([g]) => g)).to.deep.equal(['account.group_account_invoice', 'account.group_account_readonly']);
    });

    it('ACL-03 a field of a group the user is not in: refused when asked for, left out otherwise', async () => {
      const [note] = await clerk.call<number[]>('mail.message', 'create', [[{ model: 'account.move', res_id: billId, body: '<p>n</p>', message_type: 'comment' }]]);
      const f = await fault(clerk.call('mail.message', 'read', [[note]], { fields: ['tracking_value_ids'] }));
      expect(f.code).to.equal(4);
      expect(f.text).to.equal(
        (version >= 18
          ? 'You do not have enough rights to access the fields "tracking_value_ids" on Message (mail.message). Please contact your system administrator.\n\nOperation: read'
          : 'The requested operation can not be completed due to security restrictions.\n\nDocument type: Message (mail.message)\nOperation: read') +
          `\nUser: ${server.clerk.uid}\nFields:\n- tracking_value_ids (allowed for groups 'Administration / Settings')`,
      );
      const [all] = await clerk.call<Record<string, unknown>[]>('mail.message', 'read', [[note]]);
      expect(all).to.not.have.property('tracking_value_ids');
      expect(all).to.include({ body: '<p>n</p>' });
    });

    it('ACL-04 what the daily user needs is allowed: bills, notes, subtypes by external id, groups, activities, shared filters, the register wizard', async () => {
      expect(await clerk.call('account.move', 'write', [[billId], { x_stet_status_reason: 'ok' }])).to.equal(true);
      const [subtypeModel, noteId] = await clerk.call<[string, number]>('ir.model.data', 'check_object_reference', ['mail', 'mt_note']);
      expect([subtypeModel, noteId]).to.deep.equal(['mail.message.subtype', server.store.xmlidTarget('mail.mt_note')!.resId]);
      const posted = await clerk.call<number>('account.move', 'message_post', [[billId]], { body: 'a note', message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
      expect(server.store.read('mail.message', [posted])[0]).to.include({ subtype_id: noteId, author_id: server.store.value('res.users', server.clerk.uid, 'partner_id') });
      const manager = version >= 18 ? [[server.clerk.uid], 'account.group_account_manager'] : ['account.group_account_manager'];
      expect(await clerk.call('res.users', 'has_group', manager)).to.equal(false);
      expect(await clerk.call('res.users', 'has_group', version >= 18 ? [[server.clerk.uid], 'account.group_account_invoice'] : ['account.group_account_invoice'])).to.equal(true);
      const groups = await clerk.call<{ name: string; full_name: string }[]>('res.groups', 'search_read', [[['id', 'in', server.store.value('res.users', server.clerk.uid, 'groups_id') as number[]]]], { fields: ['name', 'full_name'] });
      expect(groups.map((g) => g.full_name)).to.include(version >= 18 ? 'Invoicing / Invoicing' : 'Invoicing / Billing');
      const [, todo] = await clerk.call<[string, number]>('ir.model.data', 'check_object_reference', ['mail', 'mail_activity_data_todo']);
      const activity = await clerk.call<number>('mail.activity', 'create', [{ res_id: billId, activity_type_id: todo, summary: 'Approve at the bank', user_id: server.admin.uid }], { context: { default_res_model: 'account.move' } });
      expect(server.store.value('mail.activity', activity, 'res_model')).to.equal('account.move');
      expect(await clerk.call('ir.filters', 'create', [{ name: 'Needs review', model_id: 'account.move', domain: "[('x_stet_status', '=', 'needs_review')]", user_id: false }])).to.be.a('number');
      const two = server.seedInfo!.billIds.filter((id) => !server.seedInfo!.problems[id] && id !== billId).slice(0, 2);
      const journal = server.seedInfo!.bankJournalId;
      const wizard = await clerk.call<number>('account.payment.register', 'create', [{ journal_id: journal, payment_date: TODAY, group_payment: false }], { context: { active_model: 'account.move', active_ids: two } });
      const action = await clerk.call<{ view_mode: string; domain: [string, string, number[]][] }>('account.payment.register', 'action_create_payments', [[wizard]]);
      expect(action.view_mode).to.equal(version >= 18 ? 'list,form' : 'tree,form');
      const payments = server.store.read('account.payment', action.domain[0]![2]);
      // one payment per bill, each with its bill's reference as memo
      expect(payments.map((x) => x[version >= 18 ? 'memo' : 'ref'])).to.deep.equal(two.map((id) => server.store.value('account.move', id, 'payment_reference')));
    });

    it('ACL-06 a tracked x_ field changed by the clerk is logged in the chatter; only Settings reads the tracking values', async () => {
      const [modelId] = await admin.call<number[]>('ir.model', 'search', [[['model', '=', 'account.move']]]);
      const fieldId = await admin.call<number>('ir.model.fields', 'create', [{ model_id: modelId, name: 'x_probe_tracked', ttype: 'boolean', field_description: 'Probe tracked', tracking: 100 }]);
      expect(await clerk.call('account.move', 'write', [[billId], { x_probe_tracked: true }])).to.equal(true);
      const [log] = await admin.call<{ id: number; author_id: [number, string]; tracking_value_ids: number[]; create_uid: [number, string]; message_type: string }[]>(
        'mail.message', 'search_read', [[['model', '=', 'account.move'], ['res_id', '=', billId], ['message_type', '=', 'notification']]], { fields: ['author_id', 'tracking_value_ids', 'create_uid', 'message_type'], limit: 1 },
      );
      expect(log!.create_uid[0]).to.equal(server.clerk.uid);
      expect(log!.author_id[0]).to.equal(server.store.value('res.users', server.clerk.uid, 'partner_id'));
      const fieldKey = version >= 17 ? 'field_id' : 'field';
      const [value] = await admin.call<Record<string, unknown>[]>('mail.tracking.value', 'read', [log!.tracking_value_ids], { fields: [fieldKey, 'old_value_integer', 'new_value_integer'] });
      expect(value).to.deep.include({ old_value_integer: 0, new_value_integer: 1 });
      expect((value![fieldKey] as [number, string])[0]).to.equal(fieldId);
      expect((await fault(clerk.call('mail.tracking.value', 'read', [log!.tracking_value_ids], { fields: ['new_value_integer'] }))).code).to.equal(4);
      // 16/17 show tracking to everyone through message_format; 18 has no such public method
      if (version >= 18) expect((await fault(clerk.call('mail.message', 'message_format', [[log!.id]]))).text).to.equal("AttributeError: The method 'message_format' does not exist on the model 'mail.message'");
      else {
        const [formatted] = await clerk.call<{ trackingValues: { changedField: string; newValue: { value: unknown } }[] }[]>('mail.message', 'message_format', [[log!.id]]);
        expect(formatted!.trackingValues.map((t) => [t.changedField, t.newValue.value])).to.deep.equal([['Probe tracked', true]]);
      }
    });

    it('ACL-05 load: an unknown .id is a message (no fault); an unknown column faults (16/17 KeyError, 18 ValueError), before any row', async () => {
      const res = await clerk.call<{ ids: unknown; messages: Record<string, unknown>[]; nextrow: number }>('account.move', 'load', [['.id', 'x_stet_bank_status'], [['999999', 'ACTC']]]);
      expect(res).to.deep.equal({ ids: false, messages: [{ type: 'error', message: "Unknown database identifier '999999'", record: 0, rows: { from: 0, to: 0 }, field: '.id' }], nextrow: 0 });
      expect(await fault(clerk.call('account.move', 'load', [['.id', 'x_nope'], [[String(billId), 'x']]]))).to.deep.equal({ code: 1, text: version >= 18 ? "ValueError: Invalid field name 'x_nope'" : "KeyError: 'x_nope'" });
    });
  });
}

describe('load messages: a right the user lacks is about the whole call, not a row', () => {
  it('LOAD-01 an access refusal on each row names no bill as refused for good; a deleted bill does', () => {
    const denied = refused('modify', 'Journal Entry', 'account.move', 'Invoicing/Billing');
    expect(refusedRows([{ type: 'error', record: 0, message: denied }, { type: 'error', record: 1, message: denied }])).to.deep.equal([]);
    expect(refusedRows([{ type: 'error', record: 1, field: '.id', message: "Unknown database identifier '999999'" }])).to.deep.equal([{ row: 1, message: "Unknown database identifier '999999'" }]);
  });
});
