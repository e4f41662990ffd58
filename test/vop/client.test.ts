/**
 * The payee-verification client against the VoP sandbox over real HTTPS with
 * mutual TLS: the four results, batches, and each failure as its typed error.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { PayeeVerificationClient, PayeeVerificationRefusedError, PayeeVerificationTimeoutError, PayeeVerificationUnavailableError, type PayeeVerificationOptions } from '../../connector/vop/index.js';
import { startVopSandbox, type RunningVopSandbox } from '../../sandbox/vop/index.js';
import { CERTS_DIR } from '../bank/harness.js';

const A = { iban: 'FR7630004000031234567890143', name: 'Menuiserie Ebenisterie Thevenin' };
const B = { iban: 'DE89370400440532013000', name: 'Muller + Sohne Maschinenbau GmbH' };
const C = { iban: 'IT60X0542811101000000123456', name: 'Atelier de Reliure Menard' };
const UNKNOWN = { iban: 'NL91ABNA0417164300', name: 'Van der Meer Bloemen en Planten B.V.' };

describe('payee-verification client (VoP sandbox, mutual TLS)', function () {
  this.timeout(20_000);
  let vop: RunningVopSandbox;
  const clients: PayeeVerificationClient[] = [];
  const client = (o: Partial<PayeeVerificationOptions> = {}) => {
    const c = vop.certs;
    const made = new PayeeVerificationClient({ url: vop.url, cert: readFileSync(c.qwacCertPath), key: readFileSync(c.qwacKeyPath), ca: readFileSync(c.caCertPath), ...o });
    clients.push(made);
    return made;
  };

  before(async () => {
    vop = await startVopSandbox({
      certsDir: CERTS_DIR,
      accounts: [
        { iban: A.iban, name: 'Thévenin Menuiserie Ébénisterie' },
        { iban: B.iban, name: 'MÜLLER & SÖHNE MASCHINENBAU G.M.B.H.' },
        { iban: C.iban, name: 'Jean-Marc Fraudet' },
      ],
    });
  });
  after(async () => {
    for (const c of clients) c.close();
    await vop?.close();
  });

  it('VOP-PORT the four results in one request: MTCH, CMTC with the name held, NMTC, NOAP for an account the bank does not know', async () => {
    const c = client();
    const before = vop.requests().length;
    const answers = await c.verify([A, B, C, UNKNOWN]);
    expect(vop.requests().length - before).to.equal(1);
    expect(answers.map((a) => (a.ok ? [a.check.result, a.check.matchedName, a.check.reasonCode] : a.error.message))).to.deep.equal([
      ['CMTC', 'Thévenin Menuiserie Ébénisterie', null],
      ['MTCH', null, null],
      ['NMTC', null, null],
      ['NOAP', null, 'AC01'],
    ]);
    for (const a of answers) {
      expect(a.ok && a.check.reference).to.match(/^VOP-SBX-\d{6}-[0-9a-f]{6}$/);
      expect(a.ok && a.check.checkedAt).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
    const logged = vop.requests().at(-1)!;
    expect(logged.authorized).to.equal(true);
    expect(logged.checks.map((x) => x.iban)).to.deep.equal([A.iban, B.iban, C.iban, UNKNOWN.iban]);
  });

  it('VOP-BATCH batchSize 2 sends four pairs in two requests, answers in the order asked', async () => {
    const c = client({ batchSize: 2 });
    const before = vop.requests().length;
    const answers = await c.verify([UNKNOWN, C, B, A]);
    expect(vop.requests().length - before).to.equal(2);
    expect(c.requestsSent).to.equal(2);
    expect(answers.map((a) => a.ok && a.check.result)).to.deep.equal(['NOAP', 'NMTC', 'MTCH', 'CMTC']);
  });

  it('VOP-TIMEOUT a request the provider never answers fails each of its pairs with PayeeVerificationTimeoutError within the time-out', async () => {
    vop.setFaults({ script: ['timeout'] });
    const c = client({ timeoutMs: 700 });
    const started = Date.now();
    const answers = await c.verify([A, B]);
    expect(Date.now() - started).to.be.below(5000);
    for (const a of answers) {
      expect(a.ok).to.equal(false);
      expect(!a.ok && a.error).to.be.instanceOf(PayeeVerificationTimeoutError);
      expect(!a.ok && a.error.message).to.match(/^the Verification of Payee provider did not answer within 700 ms/);
    }
  });

  it('VOP-UNAVAILABLE a 503 fails each pair as unavailable (asked again next run)', async () => {
    vop.setFaults({ script: [503] });
    const [a] = await client().verify([A]);
    expect(!a!.ok && a!.error).to.be.instanceOf(PayeeVerificationUnavailableError);
    expect(!a!.ok && a!.error.message).to.match(/^the Verification of Payee provider answered HTTP 503/);
  });

  it('VOP-NOAP-FAULT the sandbox can answer NOAP for every account of a request (responding banks unreachable)', async () => {
    vop.setFaults({ script: ['noap'] });
    const answers = await client().verify([A, B]);
    expect(answers.map((a) => a.ok && [a.check.result, a.check.reasonCode])).to.deep.equal([['NOAP', 'TOUT'], ['NOAP', 'TOUT']]);
  });

  it('VOP-MTLS a certificate the provider does not accept for clients is refused: PayeeVerificationRefusedError, thrown (every check would fail alike)', async () => {
    const c = vop.certs;
    // The server certificate is signed by the same CA but is not for client authentication: the sandbox answers 401.
    const stranger = client({ cert: readFileSync(c.serverCertPath), key: readFileSync(c.serverKeyPath) });
    let err: unknown;
    try {
      await stranger.verify([A]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PayeeVerificationRefusedError);
    expect((err as Error).message).to.match(/^the Verification of Payee provider refused stetpay's client certificate \(HTTP 401\): check vop.cert and vop.key/);
    expect(vop.requests().at(-1)).to.deep.include({ authorized: false, status: 401 });
  });
});
