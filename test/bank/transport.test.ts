import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BankTransientError, BankUnreachableError, requestNotSent } from '../../connector/stet/errors/bank-error.js';
import { mayHaveReachedBank } from '../../worker/classify-submit-error.js';
import type { RunningBankSandbox } from '../../sandbox/bank/index.js';
import { paymentRequest } from './fixtures.js';
import { clientFor, sandboxPerSuite } from './harness.js';

/** A TCP server that accepts connections and never answers: the TLS handshake never completes. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[]; closed: Promise<void>[] }> {
  const sockets: Socket[] = [];
  const closed: Promise<void>[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    closed.push(new Promise((r) => socket.once('close', () => r())));
    socket.on('error', () => undefined);
    socket.resume(); // read and drop the ClientHello, so the client's close is seen
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, sockets, closed };
}

describe('bank: the client transport (connect time-out, keep-alive)', () => {
  let sb: RunningBankSandbox;
  sandboxPerSuite((s) => { sb = s; });

  it('a bank that accepts TCP but never completes TLS: BankUnreachableError (nothing sent) after the connect time-out, socket closed', async () => {
    const silent = await silentServer();
    // The token comes from the sandbox; the API base points at the silent server.
    const client = clientFor(sb, { baseUrl: `https://127.0.0.1:${silent.port}/stet/psd2/v1.6.2`, connectTimeoutMs: 300, responseTimeoutMs: 20_000 });
    try {
      const started = Date.now();
      const e = await client.paymentRequests.create(paymentRequest({ now: sb.now() })).then(() => undefined, (err: unknown) => err);
      const elapsed = Date.now() - started;
      expect(e).to.be.instanceOf(BankUnreachableError);
      const err = e as BankUnreachableError;
      expect(err.message).to.equal(`POST /payment-requests: no connection to 127.0.0.1:${silent.port} within 300 ms: nothing was sent. The bank or the network is down; try again later.`);
      expect(err.reason).to.equal('connect-timeout');
      expect(err.status).to.equal(undefined);
      // The TLS handshake never ended, so the request was never written: the worker releases its claim without doubt.
      expect(mayHaveReachedBank(err)).to.equal(false);
      expect(elapsed).to.be.within(300, 5_000); // the connect time-out, not the 20 s response time-out
      expect(silent.sockets).to.have.length(1);
      await Promise.all(silent.closed); // the client gave the half-open connection up
    } finally {
      client.close();
      await new Promise((r) => silent.server.close(r));
    }
  });

  it('keep-alive: the token request and two API calls travel on one TLS connection', async () => {
    const client = clientFor(sb);
    try {
      const created = await client.paymentRequests.create(paymentRequest({ now: sb.now() }));
      const read = await client.paymentRequests.retrieve(created.meta.resourceId as string);
      expect(read.meta.status).to.equal(200);
      const log = sb.requests();
      expect(log.map((r) => [r.method, r.path.replace(/\/PR-.*$/, '/{id}'), r.status])).to.deep.equal([
        ['POST', '/stet/psd2/oauth/token', 200],
        ['POST', '/stet/psd2/v1.6.2/payment-requests', 201],
        ['GET', '/stet/psd2/v1.6.2/payment-requests/{id}', 200],
      ]);
      const connections = new Set(log.map((r) => r.connection));
      expect(connections.size).to.equal(1);
      expect([...connections][0]).to.be.above(0);
    } finally {
      client.close();
    }
  });

  it('a new client opens a new TLS connection (the serial numbers tell connections apart)', async () => {
    const a = clientFor(sb);
    const b = clientFor(sb);
    try {
      await a.paymentRequests.create(paymentRequest({ now: sb.now() }));
      await b.paymentRequests.create(paymentRequest({ now: sb.now() }));
      const posts = sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests'));
      expect(posts).to.have.length(2);
      expect(posts[0]!.connection).to.not.equal(posts[1]!.connection);
    } finally {
      a.close();
      b.close();
    }
  });

  it('RECOVERY-8 a token request that fails (a 503 outage, no answer in time) never reads as "the bank may have the payment": the payment request never left; a 503 to the payment request itself still may have', async () => {
    const posted = () => sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/payment-requests'));
    const client = clientFor(sb, { responseTimeoutMs: 400 });
    try {
      sb.setFaults({ outage: true }); // the gateway answers 503 to the token request too
      const outage = await client.paymentRequests.create(paymentRequest({ now: sb.now() })).then(() => undefined, (err: unknown) => err);
      expect(outage).to.be.instanceOf(BankTransientError);
      expect((outage as BankTransientError).status).to.equal(503);
      expect(requestNotSent(outage)).to.equal(true);
      expect(mayHaveReachedBank(outage)).to.equal(false);

      sb.reset();
      sb.setFaults({ latencyMs: 1000 }); // the token endpoint does not answer within the response time-out
      const slow = await client.paymentRequests.create(paymentRequest({ now: sb.now() })).then(() => undefined, (err: unknown) => err);
      expect(slow).to.be.instanceOf(Error);
      expect(mayHaveReachedBank(slow)).to.equal(false);
      expect(posted()).to.deep.equal([]);

      sb.reset();
      await client.prefetchToken(); // a token in hand: the next answer is the payment request's own
      sb.setFaults({ script: [503] });
      const own = await client.paymentRequests.create(paymentRequest({ now: sb.now() })).then(() => undefined, (err: unknown) => err);
      expect(own).to.be.instanceOf(BankTransientError);
      expect(requestNotSent(own)).to.equal(false);
      expect(mayHaveReachedBank(own)).to.equal(true);
      expect(posted().map((r) => r.status)).to.deep.equal([503]);
    } finally {
      client.close();
    }
  });
});
