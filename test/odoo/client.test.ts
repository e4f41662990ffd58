import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  isOdooError, OdooAccessDeniedError, OdooAccessError, OdooAuthError, OdooConfigError, OdooConnectionError, OdooMissingError, OdooServerError, OdooUserError,
} from '../../connector/odoo/errors.js';
import { OdooClient } from '../../connector/odoo/odoo-client.js';
import type { RunningOdooDevServer } from '../../sandbox/odoo/index.js';
import { adminClient, devOdoo, odooClientPerSuite } from './helpers.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('Odoo client over real XML-RPC', () => {
  let server: RunningOdooDevServer;
  let client: OdooClient;
  odooClientPerSuite((o) => ({ server, client } = o), { as: 'admin' });

  it('logs in with the API key and detects the version', () => {
    expect(client.version).to.equal(17);
    expect(client.uid).to.equal(server.admin.uid);
  });

  it('a wrong password is an OdooAuthError naming user and database', async () => {
    const e = await rejection(OdooClient.connect({ url: server.url, database: server.database, username: 'admin', password: 'wrong' }));
    expect(e).to.be.instanceOf(OdooAuthError);
    expect((e as Error).message).to.equal('Odoo refused the login for user admin on database stetpay-demo: check the user and API key');
  });

  it('an unknown database is an OdooAuthError', async () => {
    const e = await rejection(OdooClient.connect({ url: server.url, database: 'nope', username: 'admin', password: 'admin' }));
    expect(e).to.be.instanceOf(OdooAuthError);
    expect((e as Error).message).to.contain("no database 'nope'");
  });

  it('a URL without scheme is an error, not localhost', async () => {
    server.resetCalls();
    const e = await rejection(OdooClient.connect({ url: `localhost:${server.port}`, database: server.database, username: 'admin', password: 'admin' }));
    expect(e).to.be.instanceOf(OdooConfigError);
    expect(server.calls()).to.deep.equal({}); // refused before any call went out
  });

  it('fault 2 unknown model -> OdooUserError', async () => {
    const e = await rejection(client.call('foo.bar', 'search', [[]]));
    expect(e).to.be.instanceOf(OdooUserError);
    expect((e as Error).message).to.equal("Object foo.bar doesn't exist");
  });

  it('fault 1 unknown field -> OdooServerError with the traceback last line', async () => {
    const e = await rejection(client.call('account.move', 'read', [[1]], { fields: ['x_nope'] }));
    expect(e).to.be.instanceOf(OdooServerError);
    expect((e as Error).message).to.equal("ValueError: Invalid field 'x_nope' on model 'account.move'");
    expect((e as OdooServerError).faultString).to.match(/^Traceback/);
  });

  it('fault 2 missing record -> OdooMissingError', async () => {
    const e = await rejection(client.call('account.move', 'read', [[999999]], { fields: ['name'] }));
    expect(e).to.be.instanceOf(OdooMissingError);
    expect(isOdooError(e)).to.equal(true);
  });

  it('fault 4 -> OdooAccessError for a non-admin changing ir.model.fields', async () => {
    const clerk = await OdooClient.connect({ url: server.url, database: server.database, username: server.clerk.login, password: server.clerk.password });
    try {
      const e = await rejection(clerk.call('ir.model.fields', 'unlink', [[1]]));
      expect(e).to.be.instanceOf(OdooAccessError);
      expect((e as Error).message).to.equal("You are not allowed to delete 'Fields' (ir.model.fields) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.");
    } finally {
      clerk.close();
    }
  });

  it('fault 3 -> OdooAccessDeniedError when the key is revoked after login', async () => {
    const c = await OdooClient.connect({ url: server.url, database: server.database, username: 'clerk', password: 'clerk' });
    const clerk = server.store.users.find((u) => u.login === 'clerk')!;
    clerk.password = 'changed';
    try {
      expect(await rejection(c.call('account.move', 'search', [[]]))).to.be.instanceOf(OdooAccessDeniedError);
    } finally {
      clerk.password = 'clerk';
      c.close();
    }
  });

  it('a method returning None faults after committing: callMaybeNone resolves and the change is there', async () => {
    const id = server.seedInfo!.billIds[0]!;
    expect(await client.callMaybeNone('account.move', 'button_draft', [[id]])).to.equal(undefined);
    expect(server.store.read('account.move', [id])[0]!.state).to.equal('draft');
    server.store.update('account.move', id, { state: 'posted' });
  });

  it('never sends null, strips undefined keys', async () => {
    expect(await rejection(client.call('account.move', 'write', [[1], { ref: null }]))).to.be.instanceOf(OdooConfigError);
    const rows = await client.call<{ id: number }[]>('account.move', 'search_read', [[['id', '=', 1]]], { fields: ['name'], limit: undefined });
    expect(rows).to.have.length(1);
  });

  it('Odoo down -> OdooConnectionError after 3 read attempts; back up -> works again', async () => {
    await server.goDown();
    const before = client.calls;
    const e = await rejection(client.call('account.move', 'search_count', [[]]));
    expect(client.calls - before).to.equal(3); // readAttempts' default
    expect(e).to.be.instanceOf(OdooConnectionError);
    expect((e as OdooConnectionError).maybeDone).to.equal(false);
    await server.comeBack();
    expect(await client.call<number>('account.move', 'search_count', [[]])).to.equal(40);
  });

  it('writes are not retried: one refused write is one attempt', async () => {
    await server.goDown();
    const before = client.calls;
    expect(await rejection(client.call('account.move', 'write', [[1], { ref: 'x' }]))).to.be.instanceOf(OdooConnectionError);
    expect(client.calls - before).to.equal(1);
    await server.comeBack();
  });

  it('time-out on a silent server -> OdooConnectionError (maybe done)', async () => {
    const net = await import('node:net');
    const held: import('node:net').Socket[] = [];
    const silent = net.createServer((sock) => held.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const e = await rejection(OdooClient.connect({ url: `http://127.0.0.1:${port}`, database: 'd', username: 'u', password: 'p', timeoutMs: 200, readAttempts: 1 }));
    expect(e).to.be.instanceOf(OdooConnectionError);
    expect((e as Error).message).to.contain('did not answer');
    for (const sock of held) sock.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});

describe('Odoo client: versions, path prefix, https with a private CA', () => {
  for (const version of [16, 17, 18] as const) {
    it(`detects Odoo ${version}`, async () => {
      const server = await devOdoo({ version, seed: { invoices: 1, today: '2026-03-02' } });
      const c = await adminClient(server);
      try {
        expect(c.version).to.equal(version);
        const fields = await c.call<Record<string, unknown>>('account.move', 'fields_get', [], { attributes: ['type'] });
        expect(Object.keys(fields)).to.include(version >= 18 ? 'checked' : 'to_check');
      } finally {
        c.close();
        await server.close();
      }
    });
  }

  it('keeps the URL path prefix', async () => {
    const server = await devOdoo({ pathPrefix: '/odoo' });
    try {
      expect(server.url).to.match(/\/odoo$/);
      const c = await adminClient(server);
      expect(await c.call<number>('res.partner', 'search_count', [[]])).to.be.greaterThan(0);
      c.close();
      const e = await rejection(OdooClient.connect({ url: server.url.replace(/\/odoo$/, ''), database: server.database, username: 'admin', password: 'admin', readAttempts: 1 }));
      expect(e).to.be.instanceOf(OdooConnectionError);
      expect((e as Error).message).to.contain('HTTP 404');
    } finally {
      await server.close();
    }
  });

  it('speaks https with a custom CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'c.pem'));
    const server = await devOdoo({ tls: { key: readFileSync(join(dir, 'k.pem')), cert } });
    try {
      const e = await rejection(OdooClient.connect({ url: server.url, database: server.database, username: 'admin', password: 'admin', readAttempts: 1 }));
      expect(e).to.be.instanceOf(OdooConnectionError);
      const c = await OdooClient.connect({ url: server.url, database: server.database, username: 'admin', password: 'admin', ca: cert });
      expect(c.version).to.equal(17);
      c.close();
    } finally {
      await server.close();
    }
  });
});
