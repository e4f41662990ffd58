/**
 * The bank sandbox: a STET PSD2 v1.6.2 ASPSP behaving as the NWM 18919 guide says
 * (or as plain STET 1.6 with the 'stet-1.6' profile). See docs/bank.md.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { closeServer, listen, urlHost, withCertsFolder } from '../serve.js';
import { createAdminHandler } from './admin-server.js';
import { DEFAULT_SANDBOX_PROFILE, sandboxBank } from './bank-rules.js';
import { createBankHandler } from './bank-server.js';
import { makeTestCertificates } from './certs.js';
import { QsealTrustStore } from './http-signature.js';
import { loadPaymentRequestSchema } from './schema/load-schema.js';
import { API_PREFIX, SandboxState, TOKEN_PATH } from './sandbox-state.js';
import type { BankSandboxOptions, RunningBankSandbox } from './types.js';
import { compilePaymentRequestSchema } from './validate-request.js';

export * from './types.js';
export { DEFAULT_SANDBOX_PROFILE, SANDBOX_BANKS, sandboxBank, type SandboxBankRules } from './bank-rules.js';
export { makeTestCertificates, qsealKeyIdFor, sha256Fingerprint, type TestCertificates, type MakeTestCertificatesOptions } from './certs.js';
export { formatEuros } from './consent-page.js';
export { DUPLICATE_MESSAGE, GUIDE_FIELD_MESSAGES } from './error-bodies.js';

export async function startBankSandbox(opts: BankSandboxOptions = {}): Promise<RunningBankSandbox> {
  sandboxBank(opts.profile ?? DEFAULT_SANDBOX_PROFILE); // an unknown profile fails before anything starts
  return withCertsFolder(opts.certsDir, 'stetpay-bank-certs-', (certsDir, removeOwnCerts) => serve(opts, certsDir, removeOwnCerts));
}

async function serve(opts: BankSandboxOptions, certsDir: string, removeOwnCerts: () => Promise<void>): Promise<RunningBankSandbox> {
  const host = opts.host ?? '127.0.0.1';
  // The admin API has no authentication (it approves consents, moves the clock): loopback unless asked otherwise.
  const adminHost = opts.adminHost ?? '127.0.0.1';
  const profile = opts.profile ?? DEFAULT_SANDBOX_PROFILE;
  const certs = await makeTestCertificates(certsDir, { organisationId: opts.organisationId });
  const [ca, cert, key, qseal] = await Promise.all([certs.caCertPath, certs.serverCertPath, certs.serverKeyPath, certs.qsealCertPath].map((p) => readFile(p)));
  const loaded = loadPaymentRequestSchema();
  const trust = new QsealTrustStore([qseal as Buffer, ...(opts.qsealCertificates ?? [])]);
  const state = new SandboxState(profile, opts, trust, compilePaymentRequestSchema(loaded.schema), { cert: cert as Buffer, key: key as Buffer });

  // Mutual TLS: every client may connect (the consent pages need no certificate); the token and API paths require `authorized`.
  const https = createHttpsServer({ key, cert, ca, requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 5000 }, createBankHandler(state));
  https.on('secureConnection', (socket) => state.noteConnection(socket));
  const admin = createHttpServer(createAdminHandler(state));
  const port = await listen(https, opts.port ?? 0, host);
  let adminPort: number;
  try {
    adminPort = await listen(admin, opts.adminPort ?? 0, adminHost);
  } catch (err) {
    await closeServer(https);
    throw err;
  }
  state.origin = `https://${urlHost(host)}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    apiBaseUrl: state.origin + API_PREFIX,
    tokenUrl: state.origin + TOKEN_PATH,
    adminUrl: `http://${urlHost(adminHost)}:${adminPort}`,
    certs,
    profile,
    schemaSource: loaded.source,
    setFaults: (f) => state.faults.set(f),
    setRejectedCreditors: (ibans) => state.store.setRejectedCreditors(ibans),
    advanceClock: (ms) => state.advanceClock(ms),
    now: () => state.now(),
    consent: (resourceId, approve) => {
      if (!state.store.get(resourceId, state.now())) throw new Error(`no payment request ${resourceId} in the sandbox`);
      return state.store.consent(resourceId, approve, state.now());
    },
    requests: () => state.log.map((e) => ({ ...e })),
    payments: () => state.store.all(state.now()),
    reset: () => state.reset(),
    close: () => (closed ??= (async () => {
      await state.stopCallbacks();
      await Promise.all([closeServer(https as unknown as Server), closeServer(admin)]);
      await removeOwnCerts();
    })()),
  };
}
