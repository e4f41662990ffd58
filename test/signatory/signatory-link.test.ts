/**
 * `stetpay signatory link`: a fresh one-use link to the signatory's page for
 * the operator to send, only for a configured signatory, made with the daily
 * (Billing) user's rights; the secret it is signed with never printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OdooClient } from '../../connector/odoo/index.js';
import { newSignatoryLinks, SignatoryLinkRefusedError, verifySignatoryLink } from '../../plugin/signatory/index.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { runStetpay } from '../support/stetpay-bin.js';
import { NOW, odooPerSuite } from '../commands/support.js';

const SECRET = 'signatory-link-test-secret-not-for-production';
const CALLBACK = { publicUrl: 'https://stetpay.example.test/', secret: SECRET };

async function refusal(p: Promise<unknown>): Promise<SignatoryLinkRefusedError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).to.be.instanceOf(SignatoryLinkRefusedError);
  return e as SignatoryLinkRefusedError;
}

describe('stetpay signatory link: a fresh link to the signatory\'s page (Odoo dev server 17, daily user)', function () {
  this.timeout(60_000);
  let server: RunningOdooDevServer;
  let odoo: OdooClient;

  odooPerSuite(2, (o) => ({ server, client: odoo } = o));

  it('SIGLINK-01 a configured signatory gets a signed link naming their Odoo user, expiring after --ttl hours, with a fresh one-use nonce each time', async () => {
    const deps = { odoo, signatories: { users: [server.signatory.login] }, callback: CALLBACK, hours: 3, now: () => NOW };
    const [a] = await newSignatoryLinks(deps);
    const [b] = await newSignatoryLinks(deps, server.signatory.login);
    expect(a!.person).to.include({ id: server.signatory.uid, name: 'Claire Martin' });
    expect(a!.url).to.match(/^https:\/\/stetpay\.example\.test\/stet\/signatory\?t=[A-Za-z0-9_.-]+$/);
    const la = verifySignatoryLink(SECRET, new URL(a!.url).searchParams.get('t')!, NOW);
    const lb = verifySignatoryLink(SECRET, new URL(b!.url).searchParams.get('t')!, NOW);
    expect(la).to.include({ userId: server.signatory.uid, exp: NOW.getTime() / 1000 + 3 * 3600 });
    expect(la.nonce).to.not.equal(lb.nonce);
    expect(a!.expiresAt.toISOString()).to.equal('2026-03-02T11:00:00.000Z');
  });

  it('SIGLINK-02 a link only for a configured signatory: another user, an unknown login, or no signatory configured is refused, naming what to set', async () => {
    const deps = { odoo, signatories: { users: [server.signatory.login] }, callback: CALLBACK, hours: 12 };
    const other = await refusal(newSignatoryLinks(deps, server.clerk.login));
    expect(other.refusal).to.equal('not_a_signatory');
    expect(other.message).to.contain(`(${server.clerk.login}) is not one of the signatories (activities.signatories: users signatory). Add the login there first. No link was made.`);
    const unknown = await refusal(newSignatoryLinks(deps, 'nobody'));
    expect(unknown.message).to.contain('no active Odoo user has the login nobody');
    const none = await refusal(newSignatoryLinks({ ...deps, signatories: {} }));
    expect(none.refusal).to.equal('no_signatories');
    expect(none.message).to.contain('activities.signatories.users');
    const gone = await refusal(newSignatoryLinks({ ...deps, signatories: { users: ['left.the.company'] } }));
    expect(gone.message).to.equal('no active Odoo user matches activities.signatories (users left.the.company): check the logins or the group. No link was made.');
  });

  it('SIGLINK-03 `stetpay signatory link --ttl 2` prints the link and until when, never the secret; --json gives it to scripts; a non-signatory is exit 1 with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stetpay-siglink-'));
    const config = join(dir, 'stetpay.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        odoo: { url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.apiKey },
        callback: { publicUrl: 'https://stetpay.example.test', secret: SECRET },
        activities: { signatories: { users: [server.signatory.login] } },
      }),
    );
    const before = Date.now();
    const r = await runStetpay(['signatory', 'link', '--config', config, '--ttl', '2']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.match(/^Claire Martin: opens the signatory's page once, in one browser, until \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Paris\)\. Send it to them only:\n  https:\/\/stetpay\.example\.test\/stet\/signatory\?t=\S+\n$/);
    expect(r.stdout + r.stderr).to.not.contain(SECRET);
    const link = verifySignatoryLink(SECRET, new URL(r.stdout.trim().split(/\s+/).pop()!).searchParams.get('t')!, new Date());
    expect(link.userId).to.equal(server.signatory.uid);
    expect(link.exp * 1000).to.be.within(before + 2 * 3600_000 - 1000, Date.now() + 2 * 3600_000);
    const json = await runStetpay(['signatory', 'link', '--config', config, '--json']);
    const [entry] = JSON.parse(json.stdout) as { userId: number; name: string; url: string; expiresAt: string }[];
    expect(entry).to.include({ userId: server.signatory.uid, name: 'Claire Martin' });
    expect(Date.parse(entry!.expiresAt)).to.be.within(before + 12 * 3600_000 - 1000, Date.now() + 12 * 3600_000);
    const refused = await runStetpay(['signatory', 'link', '--config', config, '--user', server.clerk.login]);
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.equal('');
    expect(refused.stderr).to.match(/^stetpay signatory link: .* is not one of the signatories/);
    expect(refused.stderr).to.not.contain(SECRET);
  });
});
