/** Starts the sandbox and a client wired to it, with the shared test certificates. */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestHeader, signatureHeader } from '../../connector/stet/http-signature.js';
import { getBankProfile } from '../../connector/profiles/index.js';
import { StetClient, type StetClientOptions } from '../../connector/stet/stet-client.js';
import { startBankSandbox, type BankSandboxOptions, type RunningBankSandbox } from '../../sandbox/bank/index.js';

export const CERTS_DIR = join(tmpdir(), 'stetpay-test-bank-certs');

export async function startSandbox(o: BankSandboxOptions = {}): Promise<RunningBankSandbox> {
  return startBankSandbox({ certsDir: CERTS_DIR, ...o });
}

/**
 * One sandbox for the suite this is called in: started before its tests, reset after each
 * (tokens, payments, faults and clock forgotten), closed after them; `use` receives it.
 */
export function sandboxPerSuite(use: (sb: RunningBankSandbox) => void, o: BankSandboxOptions = {}): void {
  let sb: RunningBankSandbox | undefined;
  before(async () => {
    sb = await startSandbox(o);
    use(sb);
  });
  afterEach(() => sb?.reset());
  after(async () => {
    await sb?.close();
  });
}

/** A sandbox and a client wired to it for the suite this is called in: started before its tests, closed after them (never reset between). */
export function sandboxAndClientPerSuite(use: (bank: { sb: RunningBankSandbox; client: StetClient }) => void, o: BankSandboxOptions = {}): void {
  let bank: { sb: RunningBankSandbox; client: StetClient } | undefined;
  before(async () => {
    const sb = await startSandbox(o);
    bank = { sb, client: clientFor(sb) };
    use(bank);
  });
  after(async () => {
    bank?.client.close();
    await bank?.sb.close();
  });
}

export function clientFor(sb: RunningBankSandbox, o: Partial<StetClientOptions> = {}): StetClient {
  const c = sb.certs;
  return new StetClient({
    baseUrl: sb.apiBaseUrl,
    tokenUrl: sb.tokenUrl,
    clientId: c.organisationId,
    qwacCert: readFileSync(c.qwacCertPath),
    qwacKey: readFileSync(c.qwacKeyPath),
    ca: readFileSync(c.caCertPath),
    qsealKey: readFileSync(c.qsealKeyPath),
    qsealKeyId: c.qsealKeyId,
    profile: getBankProfile(sb.profile),
    ...o,
  });
}

/** Counts the token requests the sandbox received. */
export function tokenRequests(sb: RunningBankSandbox): number {
  return sb.requests().filter((r) => r.path.endsWith('/oauth/token')).length;
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw HTTPS request (a browser, or a hand-made client), without the STET client's help. */
export function rawHttps(url: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer; cert?: Buffer; key?: Buffer; ca?: Buffer } = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: o.method ?? 'GET', headers: o.headers, cert: o.cert, key: o.key, ca: o.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export async function adminJson(sb: RunningBankSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(sb.adminUrl + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

/** What a hand-made client holds: the sandbox's test certificates and an access token from its token endpoint. */
export interface HandCredentials {
  token: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  qsealKey: Buffer;
}

export async function handCredentials(sb: RunningBankSandbox): Promise<HandCredentials> {
  const c = sb.certs;
  const [ca, cert, key, qsealKey] = [c.caCertPath, c.qwacCertPath, c.qwacKeyPath, c.qsealKeyPath].map((p) => readFileSync(p)) as [Buffer, Buffer, Buffer, Buffer];
  const r = await rawHttps(sb.tokenUrl, {
    method: 'POST', cert, key, ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${c.organisationId}&scope=pisp`,
  });
  if (r.status !== 200) throw new Error(`the sandbox token endpoint answered ${r.status}: ${r.text}`);
  return { token: (JSON.parse(r.text) as { access_token: string }).access_token, ca, cert, key, qsealKey };
}

export interface SignedPostOptions {
  /** What is sent instead of `body`, after signing (a tampered body). */
  sendBody?: string | Buffer;
  signKey?: Buffer;
  headerNames?: string[];
  keyId?: string;
}

/** A hand-made, correctly signed POST /payment-requests (unless the options spoil it), without the STET client. */
export function signedPost(sb: RunningBankSandbox, creds: HandCredentials, body: string | Buffer, o: SignedPostOptions = {}): Promise<PlainResponse> {
  const target = new URL(sb.apiBaseUrl + '/payment-requests').pathname;
  const headers: Record<string, string> = {
    authorization: `Bearer ${creds.token}`, 'x-request-id': 'req-' + Math.random().toString(16).slice(2), date: new Date().toUTCString(),
    digest: digestHeader(body), 'content-type': 'application/json',
  };
  headers.signature = signatureHeader({ method: 'POST', target, headers, headerNames: o.headerNames ?? ['(request-target)', 'date', 'digest', 'x-request-id', 'content-type'],
    key: o.signKey ?? creds.qsealKey, keyId: o.keyId ?? sb.certs.qsealKeyId });
  return rawHttps(sb.apiBaseUrl + '/payment-requests', { method: 'POST', headers, body: o.sendBody ?? body, cert: creds.cert, key: creds.key, ca: creds.ca });
}
