/**
 * The dev server against real Odoo: every exchange recorded on a real Odoo
 * 17/18 (the transcripts in `sharedDir`, test/support/paths.ts: stetpay's install, run, sync and payment
 * registration as the administrator and as an invoicing user, and probes of
 * rights) is replayed and must be answered in the same shape (fault or not,
 * code and message, wire types, keys of each row). Skipped, saying so, where
 * that folder is absent (a clone on its own).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { installFields } from '../../connector/odoo/install-fields.js';
import { startOdooDevServer, type OdooVersion, type RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { readTranscript, TranscriptReplay, type Exchange, type ReplayedExchange } from '../support/odoo-replay.js';
import { sharedDir } from '../support/paths.js';
import { adminClient } from './helpers.js';

const DIR = join(sharedDir, 'odoo', 'transcripts');

/** What the recorded database had before the first exchange. */
type Setup = 'stetpay installed' | 'a tracked x_ field' | 'nothing';

const TRANSCRIPTS: { name: string; what: string; setup: Setup }[] = [
  { name: 't17-admin', what: 'install, run, sync and registration of 25 bills on 17, as admin', setup: 'stetpay installed' },
  { name: 't17-clerk', what: 'the same run as the invoicing user, refused ir.model.data', setup: 'stetpay installed' },
  { name: 't18-admin', what: 'install, run, sync and registration on 18, as admin', setup: 'stetpay installed' },
  { name: 'p17', what: 'probes of rights, tracking, activities, the wizard on two bills, menus, filters, server actions on 17', setup: 'a tracked x_ field' },
  { name: 'p18', what: 'the same probes on 18', setup: 'nothing' },
];

function versionOf(exchanges: Exchange[]): OdooVersion {
  const m = /<name>server_version_info<\/name>\s*<value><array><data>\s*<value><int>(\d+)<\/int>/.exec(exchanges.find((e) => e.call === 'version')?.response ?? '');
  return Number(m?.[1] ?? 17) as OdooVersion;
}

async function prepare(server: RunningOdooDevServer, setup: Setup): Promise<void> {
  const admin = await adminClient(server);
  try {
    if (setup === 'stetpay installed') {
      await installFields(admin);
      // earlier runs had left bills queued and needing review, as in the recorded database
      const taken = await admin.call<number[]>('account.move', 'search', [[['x_stet_approved', '=', true], ['state', '=', 'posted']]], { limit: 22, order: 'id desc' });
      await admin.call('account.move', 'write', [taken.slice(0, 12), { x_stet_status: 'queued', x_stet_attempt: 1 }]);
      await admin.call('account.move', 'write', [taken.slice(12), { x_stet_status: 'needs_review', x_stet_attempt: 1 }]);
    }
    if (setup === 'a tracked x_ field') {
      const [modelId] = await admin.call<number[]>('ir.model', 'search', [[['model', '=', 'account.move']]]);
      await admin.call('ir.model.fields', 'create', [{ model_id: modelId, name: 'x_probe_tracked', ttype: 'boolean', field_description: 'Probe tracked', tracking: 100 }]);
    }
  } finally {
    admin.close();
  }
}

const describeAnswer = (r: ReplayedExchange): string => `#${r.index} ${r.call} as ${r.as}:\n    ${r.problems.join('\n    ')}`;

describe('real Odoo 17/18 transcripts replayed against the dev server: each answer in the same shape', function () {
  this.timeout(120_000);
  if (!existsSync(DIR)) {
    it('skipped: no transcripts', function () {
      console.log(`      skipped: no transcripts at ${DIR} (they come with ../shared)`);
      this.skip();
    });
    return;
  }

  const replays = new Map<string, ReplayedExchange[]>();
  for (const t of TRANSCRIPTS) {
    it(`${t.name}: ${t.what}`, async () => {
      const exchanges = readTranscript(join(DIR, `${t.name}.jsonl.gz`));
      // seeded on the recording day, so the recorded domains' dates find bills
      const server = await startOdooDevServer({ version: versionOf(exchanges), seed: { invoices: 80, seed: 3, today: '2026-12-03' } });
      try {
        await prepare(server, t.setup);
        const results = await new TranscriptReplay(server).replay(exchanges);
        replays.set(t.name, results);
        expect(results).to.have.length(exchanges.length);
        expect(results.filter((r) => r.problems.length).map(describeAnswer)).to.deep.equal([]);
      } finally {
        await server.close();
      }
    });
  }

  it('the invoicing user is refused ir.model.data (fault 4), and allowed what stetpay and the probes need', () => {
    const clerk = replays.get('t17-clerk');
    const probes = replays.get('p17');
    if (!clerk || !probes) return;
    const refused = clerk.find((r) => r.call === 'ir.model.data.search_read' && r.as === 'clerk')!;
    expect(refused.dev).to.deep.include({ ok: false, faultCode: 4 });
    const byClerk = (call: string): ReplayedExchange[] => probes.filter((r) => r.as === 'clerk' && r.call === call);
    for (const call of ['res.users.has_group', 'ir.model.data.check_object_reference', 'mail.activity.create', 'account.payment.register.create', 'account.payment.register.action_create_payments', 'ir.filters.create', 'ir.actions.server.run', 'account.move.write']) {
      expect(byClerk(call).every((r) => r.dev.ok), call).to.equal(true);
    }
    for (const call of ['mail.tracking.value.read', 'ir.model.search', 'ir.ui.menu.create', 'ir.actions.server.create', 'ir.config_parameter.get_param', 'res.partner.bank.create']) {
      expect(byClerk(call).map((r) => (r.dev.ok ? 'answered' : r.dev.faultCode)), call).to.deep.equal([4]);
    }
  });
});
