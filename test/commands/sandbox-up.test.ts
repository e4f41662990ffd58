/**
 * `stetpay sandbox up`: both sandboxes and a Redis in one foreground process,
 * a config `stetpay install` and `stetpay run` accept, everything stopped and
 * removed on Ctrl-C. And the demo's Ctrl-C: no temporary folder left behind.
 * The real binary; each child gets its own TMPDIR to see what it leaves there.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../support/redis-server.js';
import { runStetpay, startStetpay } from '../support/stetpay-bin.js';

describe('commands: stetpay sandbox up, and the demo interrupted (the real binary)', function () {
  this.timeout(120_000);
  let dir: string;
  let tmp: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-up-cwd-'));
    tmp = mkdtempSync(join(tmpdir(), 'stetpay-up-tmp-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('SANDBOX-UP-01 writes a config that `stetpay install` and `stetpay run` accept; Ctrl-C stops everything and removes the config and the certificates', async () => {
    const callbackPort = await freePort();
    const up = startStetpay(['sandbox', 'up', '--invoices', '6', '--odoo-port', '0', '--bank-port', '0', '--bank-admin-port', '0', '--callback-port', String(callbackPort)], { cwd: dir, env: { TMPDIR: tmp } });
    try {
      await up.waitFor(/Press Ctrl\+C here to stop everything/);
      const out = up.output().stdout;
      const configPath = join(dir, 'stetpay.config.json');
      expect(out).to.contain(`stetpay sandbox up: ready; config written to ${configPath}`);
      expect(out).to.contain('npx stetpay install').and.contain('npx stetpay run').and.contain('npx stetpay worker');
      expect(statSync(configPath).mode & 0o777, 'readable by its owner only (API key, secret)').to.equal(0o600);
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as { callback: { listenPort: number }; bank: { qwacKey: string } };
      expect(config.callback.listenPort).to.equal(callbackPort);
      expect(config.bank.qwacKey.startsWith(tmp), 'the certificates are in the temporary folder').to.equal(true);

      // The operator's commands, from the same folder, with nothing but the written config.
      const install = await runStetpay(['install'], { cwd: dir });
      expect(install.code, install.stderr).to.equal(0);
      expect(install.stdout).to.match(/^stetpay install: Odoo 17 at http:\/\/127\.0\.0\.1:\d+, database stetpay-demo\./);
      const run = await runStetpay(['run', '--json'], { cwd: dir });
      expect(run.code, run.stderr).to.equal(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { bills: number; byStatus: Record<string, number> };
      expect(summary.bills).to.be.above(0);
      expect(summary.byStatus.queued ?? 0, 'payments queued for the worker').to.be.above(0);

      up.child.kill('SIGINT');
      const end = await up.exited;
      expect(end.code, end.stderr).to.equal(0);
      expect(end.stdout).to.contain('stetpay sandbox up: stopped; config and certificates removed.');
      expect(existsSync(configPath), 'config removed').to.equal(false);
      expect(readdirSync(tmp), 'nothing left in the temporary folder').to.deep.equal([]);
    } finally {
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
    }
  });

  it('SANDBOX-UP-02 an existing config is never overwritten: exit 1, one line, nothing started', async () => {
    writeFileSync(join(dir, 'mine.json'), '{}');
    const r = await runStetpay(['sandbox', 'up', '--out', 'mine.json'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(
      `stetpay sandbox up: ${join(dir, 'mine.json')} exists: sandbox up writes a new config and never overwrites one; move it away (a leftover of an earlier sandbox up can be deleted) or write another file with --out FILE\n`,
    );
    expect(readFileSync(join(dir, 'mine.json'), 'utf8')).to.equal('{}');
    expect(readdirSync(tmp)).to.deep.equal([]);
  });

  it('DEMO-02 Ctrl-C during the demo: its servers stop, exit 130, and no temporary folder (private keys) is left', async () => {
    const demo = startStetpay(['demo', '--invoices', '20'], { cwd: dir, env: { TMPDIR: tmp } });
    try {
      await demo.waitFor(/demo: bank sandbox/);
      expect(readdirSync(tmp).filter((f) => f.startsWith('stetpay-demo-')), 'its folder exists while it runs').to.have.length(1);
      demo.child.kill('SIGINT');
      const end = await demo.exited;
      expect(end.code).to.equal(130);
      expect(end.stderr).to.not.match(/\n\s+at /);
      expect(readdirSync(tmp), 'nothing left in the temporary folder').to.deep.equal([]);
    } finally {
      if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
    }
  });
});
