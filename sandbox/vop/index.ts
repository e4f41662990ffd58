/**
 * The Verification of Payee sandbox: a VoP provider answering for the payees'
 * banks, from a directory of accounts (the Odoo dev server's seeded suppliers
 * by default, see cli.ts), with the EPC's four results, the name held returned
 * on a close match only, mutual TLS like the bank sandbox, and faults
 * (latency, time-outs, NOAP, 503). It checks each request itself: it shares no
 * code with stetpay's client. See docs/vop.md.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeTestCertificates, type TestCertificates } from '../bank/certs.js';
import { closeServer, listen, urlHost, withCertsFolder } from '../serve.js';
import { seededRandom } from '../seeded-random.js';
import { matchName } from './name-match.js';

export { matchName, nameWords, editDistance, type NameMatch } from './name-match.js';

/** A scripted fault for the next request: never answered, NOAP for each account, or HTTP 503. */
export type VopScriptedFault = 'pass' | 'timeout' | 'noap' | 503;

export interface VopFaults {
  /** Delay before each answer. */
  latencyMs?: number;
  /** Share (0..1) of requests never answered (the client's time-out fires). */
  timeoutRate?: number;
  /** Share (0..1) of requests answered NOAP for every account (the responding banks unreachable). */
  noapRate?: number;
  /** Share (0..1) of requests answered 503. */
  error503Rate?: number;
  /** Faults of the next requests, in order, before any rate. */
  script?: VopScriptedFault[];
  /** Seed of the draws. @defaultValue 1 */
  seed?: number;
}

export interface VopSandboxOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 = a free port. @defaultValue 0 */
  port?: number;
  /** Plain-HTTP admin API. @defaultValue 0 */
  adminPort?: number;
  /** @defaultValue '127.0.0.1' (no authentication) */
  adminHost?: string;
  /** Make or reuse the test certificates here (the bank sandbox's layout: its client QWAC is the client certificate). */
  certsDir?: string;
  /** The accounts the payees' banks hold: IBAN (any spacing) and holder name. */
  accounts?: readonly { iban: string; name: string }[];
  /** IBANs whose bank takes no part in the scheme: always NOAP. */
  notParticipating?: readonly string[];
  faults?: VopFaults;
  /** Accounts per request at most (more: 400). @defaultValue 100 */
  maxBatch?: number;
}

/** One request as the sandbox received it. */
export interface VopRequestLogEntry {
  at: string;
  requestId: string | null;
  /** Whether the client presented a certificate the sandbox's CA signed. */
  authorized: boolean;
  status: number | 'no answer';
  checks: { iban: string; name: string; result: string | null }[];
}

export interface RunningVopSandbox {
  /** The base URL stetpay's vop.url takes, e.g. https://127.0.0.1:8444/vop/v1 */
  url: string;
  adminUrl: string;
  certs: TestCertificates;
  requests(): VopRequestLogEntry[];
  setFaults(f: VopFaults): void;
  /** Adds or replaces accounts of the directory. */
  setAccounts(accounts: readonly { iban: string; name: string }[]): void;
  close(): Promise<void>;
}

export const VOP_PATH = '/vop/v1/payee-verifications';

const compact = (iban: string) => iban.replace(/\s+/g, '').toUpperCase();

/** ISO 13616: letters, digits, mod 97 = 1. */
export function isIban(v: unknown): v is string {
  if (typeof v !== 'string' || !/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(v)) return false;
  const digits = (v.slice(4) + v.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let r = 0;
  for (const ch of digits) r = (r * 10 + Number(ch)) % 97;
  return r === 1;
}

class VopState {
  accounts = new Map<string, string>();
  notParticipating: Set<string>;
  faults: VopFaults = {};
  random = seededRandom(1);
  log: VopRequestLogEntry[] = [];
  seq = 0;
  pending = new Set<ServerResponse>();

  constructor(readonly opts: VopSandboxOptions) {
    for (const a of opts.accounts ?? []) this.accounts.set(compact(a.iban), a.name);
    this.notParticipating = new Set((opts.notParticipating ?? []).map(compact));
    this.setFaults(opts.faults ?? {});
  }

  setFaults(f: VopFaults): void {
    this.faults = { ...f, script: f.script ? [...f.script] : undefined };
    this.random = seededRandom(f.seed ?? 1);
  }

  decide(): VopScriptedFault {
    const scripted = this.faults.script?.shift();
    if (scripted !== undefined) return scripted;
    let x = this.random();
    for (const [rate, fault] of [[this.faults.timeoutRate, 'timeout'], [this.faults.noapRate, 'noap'], [this.faults.error503Rate, 503]] as const) {
      if (!rate) continue;
      if (x < rate) return fault;
      x -= rate;
    }
    return 'pass';
  }

  reference(): string {
    return `VOP-SBX-${String(++this.seq).padStart(6, '0')}-${Math.floor(this.random() * 0xffffff).toString(16).padStart(6, '0')}`;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'x-response-timestamp': new Date().toISOString() }).end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface CheckedItem {
  id: string;
  iban: string;
  name: string;
}

/** The request's problems, each naming the item and field; empty when it is well formed. */
function validate(body: unknown, maxBatch: number): { items: CheckedItem[]; errors: string[] } {
  const errors: string[] = [];
  const requests = (body as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return { items: [], errors: ['requests: a non-empty list is required'] };
  if (requests.length > maxBatch) errors.push(`requests: at most ${maxBatch} accounts per request, got ${requests.length}`);
  const ids = new Set<string>();
  const items: CheckedItem[] = [];
  requests.forEach((r: unknown, i) => {
    const item = (r ?? {}) as { id?: unknown; iban?: unknown; name?: unknown; organisationId?: unknown };
    if (typeof item.id !== 'string' || item.id === '' || ids.has(item.id)) errors.push(`requests[${i}].id: a unique non-empty string is required`);
    else ids.add(item.id);
    if (!isIban(item.iban)) errors.push(`requests[${i}].iban: an IBAN in electronic format (no spaces, valid check digits) is required`);
    if (typeof item.name !== 'string' || item.name.trim() === '' || item.name.length > 140) errors.push(`requests[${i}].name: a name of 1 to 140 characters is required`);
    if (item.organisationId !== undefined) {
      const o = item.organisationId as { identification?: unknown; schemeName?: unknown };
      if (typeof o?.identification !== 'string' || o.identification === '' || typeof o.schemeName !== 'string' || !/^[A-Z]{4}$/.test(o.schemeName)) {
        errors.push(`requests[${i}].organisationId: {identification, schemeName (4 capital letters, e.g. TXID)} is required when given`);
      }
    }
    items.push({ id: String(item.id), iban: String(item.iban), name: String(item.name) });
  });
  return { items, errors };
}

export async function startVopSandbox(opts: VopSandboxOptions = {}): Promise<RunningVopSandbox> {
  return withCertsFolder(opts.certsDir, 'stetpay-vop-certs-', (certsDir, removeOwnCerts) => serve(opts, certsDir, removeOwnCerts));
}

async function serve(opts: VopSandboxOptions, certsDir: string, removeOwnCerts: () => Promise<void>): Promise<RunningVopSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const adminHost = opts.adminHost ?? '127.0.0.1';
  const maxBatch = opts.maxBatch ?? 100;
  const certs = await makeTestCertificates(certsDir);
  const [ca, cert, key] = await Promise.all([certs.caCertPath, certs.serverCertPath, certs.serverKeyPath].map((p) => readFile(p)));
  const state = new VopState(opts);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const authorized = (req.socket as TLSSocket).authorized === true;
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : null;
    const entry: VopRequestLogEntry = { at: new Date().toISOString(), requestId, authorized, status: 200, checks: [] };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== VOP_PATH) return send(res, 404, { error: { code: 'NOT_FOUND', message: `POST ${VOP_PATH} only` } });
    state.log.push(entry);
    if (!authorized) {
      entry.status = 401;
      return send(res, 401, { error: { code: 'CLIENT_INVALID', message: 'a client certificate signed by the sandbox CA is required (mutual TLS)' } });
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      entry.status = 400;
      return send(res, 400, { error: { code: 'FORMAT_ERROR', message: 'the body is not JSON' } });
    }
    const { items, errors } = validate(body, maxBatch);
    entry.checks = items.map((i) => ({ iban: i.iban, name: i.name, result: null }));
    if (errors.length) {
      entry.status = 400;
      return send(res, 400, { error: { code: 'FORMAT_ERROR', message: errors.join('; ') } });
    }
    const fault = state.decide();
    if (fault === 'timeout') {
      entry.status = 'no answer';
      state.pending.add(res); // held open until the client gives up (or the sandbox closes)
      res.on('close', () => state.pending.delete(res));
      return;
    }
    const latency = Math.max(0, state.faults.latencyMs ?? 0);
    if (latency) await new Promise((r) => setTimeout(r, latency));
    if (fault === 503) {
      entry.status = 503;
      return send(res, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'the sandbox is told to be unavailable' } });
    }
    const responses = items.map((item, i) => {
      const held = state.accounts.get(item.iban);
      let answer: { result: string; matchedName?: string; reasonCode?: string };
      if (fault === 'noap') answer = { result: 'NOAP', reasonCode: 'TOUT' }; // the responding bank did not answer in time
      else if (state.notParticipating.has(item.iban)) answer = { result: 'NOAP', reasonCode: 'NOPT' }; // its bank takes no part in the scheme
      else if (held === undefined) answer = { result: 'NOAP', reasonCode: 'AC01' }; // no such account at its bank
      else {
        const result = matchName(item.name, held);
        // EPC: the name held is given with a close match only.
        answer = result === 'CMTC' ? { result, matchedName: held } : { result };
      }
      entry.checks[i]!.result = answer.result;
      return { id: item.id, ...answer, reference: state.reference() };
    });
    send(res, 200, { responses });
  };

  // Mutual TLS: the handshake asks for a certificate; a request without a good one is answered 401.
  const https = createHttpsServer({ key, cert, ca, requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 5000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { code: 'INTERNAL', message: (err as Error).message } }));
  });
  const sockets = new Set<Socket>();
  https.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const admin = createHttpServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    void readBody(req).then((text) => {
      try {
        const body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
        if (req.method === 'GET' && path === '/admin/requests') return send(res, 200, state.log);
        if (req.method === 'POST' && path === '/admin/faults') {
          state.setFaults(body as VopFaults);
          return send(res, 200, state.faults);
        }
        if (req.method === 'GET' && path === '/admin/accounts') return send(res, 200, [...state.accounts].map(([iban, name]) => ({ iban, name })));
        if (req.method === 'POST' && path === '/admin/accounts') {
          for (const a of (Array.isArray(body.accounts) ? body.accounts : []) as { iban: string; name: string }[]) state.accounts.set(compact(a.iban), a.name);
          return send(res, 200, { accounts: state.accounts.size });
        }
        send(res, 404, { error: `no admin route ${req.method} ${path}` });
      } catch (err) {
        send(res, 400, { error: (err as Error).message });
      }
    });
  });
  const port = await listen(https as unknown as Server, opts.port ?? 0, host);
  const adminPort = await listen(admin, opts.adminPort ?? 0, adminHost);
  let closed: Promise<void> | undefined;
  return {
    url: `https://${urlHost(host)}:${port}/vop/v1`,
    adminUrl: `http://${urlHost(adminHost)}:${adminPort}`,
    certs,
    requests: () => state.log.map((e) => ({ ...e, checks: e.checks.map((c) => ({ ...c })) })),
    setFaults: (f) => state.setFaults(f),
    setAccounts: (accounts) => {
      for (const a of accounts) state.accounts.set(compact(a.iban), a.name);
    },
    close: () =>
      (closed ??= (async () => {
        for (const res of state.pending) res.destroy();
        for (const s of sockets) s.destroy();
        await Promise.all([closeServer(https as unknown as Server), closeServer(admin)]);
        await removeOwnCerts();
      })()),
  };
}
