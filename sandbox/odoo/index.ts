/**
 * The Odoo dev server: XML-RPC over real HTTP(S), answering as Odoo 16, 17 or 18
 * does (`/xmlrpc/2/common`, `/xmlrpc/2/object`). The tests' and the demo's Odoo.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { accessDenied, OdooFault, serverFault } from './faults.js';
import { OdooOrm } from './orm.js';
import type { OdooVersion } from './schema.js';
import { seedBase, seedSignatory, seedStore, type SeedInfo, type SeedOptions } from './seed.js';
import { OdooStore, type StoreSnapshot } from './store.js';
import { dumpFault, dumpResponse, MarshalError, parseMethodCall } from './xmlrpc-codec.js';

export type { OdooVersion } from './schema.js';
export type { SeedInfo, SeedOptions } from './seed.js';
export { OdooStore } from './store.js';

export interface OdooDevServerOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** @defaultValue 17 */
  version?: OdooVersion;
  /** @defaultValue 'stetpay-demo' */
  database?: string;
  /** Seeds N vendor bills; without it only the company, users and bank journal exist. */
  seed?: SeedOptions;
  /** JSON file: loaded at start when it exists (the seed is then skipped), written on close. */
  dataFile?: string;
  /** Serves under a path prefix, as Odoo behind a reverse proxy (e.g. '/odoo'). @defaultValue '' */
  pathPrefix?: string;
  /** Serves HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Answers each `load` this many ms per row late, as a real Odoo does (Odoo 17 on PostgreSQL 15
   * took up to 8.3 s for 500 rows, about 17 ms a row): for the write-back's batch sizing. @defaultValue 0
   */
  loadMsPerRow?: number;
}

export interface DevLogin {
  login: string;
  password: string;
  /** An API key that works wherever the password does. */
  apiKey: string;
  uid: number;
}

export interface RunningOdooDevServer {
  /** e.g. http://127.0.0.1:8069 (with the path prefix, if any) */
  url: string;
  port: number;
  database: string;
  version: OdooVersion;
  /** Settings administrator. */
  admin: DevLogin;
  /** Any seeded user by login (the approvers: `approver`, `approver2`). */
  user(login: string): DevLogin;
  /** The daily user: Internal User + Billing (Invoicing on 18), no Settings rights. */
  clerk: DevLogin;
  /** The company's signatory (Internal User + Billing, French): who approves payments at the bank. */
  signatory: DevLogin;
  /** Calls received: `common.version`, `common.authenticate`, `<model>.<method>`, `execute_kw`, `total`. */
  calls(): Record<string, number>;
  resetCalls(): void;
  seedInfo: SeedInfo | null;
  /** Stops accepting connections (refused), as an Odoo that is down. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  /** The records, for assertions. */
  store: OdooStore;
  /** Writes the state to `dataFile` (also done by close). */
  save(): void;
  close(): Promise<void>;
}

const SERVER_VERSION: Record<OdooVersion, [string, unknown[]]> = {
  16: ['16.0', [16, 0, 0, 'final', 0, '']],
  17: ['17.0', [17, 0, 0, 'final', 0, '']],
  18: ['18.0', [18, 0, 0, 'final', 0, '']],
};

export async function startOdooDevServer(opts: OdooDevServerOptions = {}): Promise<RunningOdooDevServer> {
  const host = opts.host ?? '127.0.0.1';
  const database = opts.database ?? 'stetpay-demo';
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
  let store: OdooStore;
  let seedInfo: SeedInfo | null = null;
  if (opts.dataFile && existsSync(opts.dataFile)) {
    const saved = JSON.parse(readFileSync(opts.dataFile, 'utf8')) as StoreSnapshot & { seedInfo?: SeedInfo };
    store = OdooStore.fromSnapshot(saved);
    seedInfo = saved.seedInfo ?? null;
  } else {
    store = new OdooStore(opts.version ?? 17);
    if (opts.seed) seedInfo = seedStore(store, opts.seed);
    else seedSignatory(store, seedBase(store).companyId);
  }
  const version = store.version;
  const orm = new OdooOrm(store);
  let counts: Record<string, number> = {};
  const count = (key: string): void => {
    counts[key] = (counts[key] ?? 0) + 1;
  };

  const userByCredentials = (uid: unknown, password: unknown) =>
    store.users.find((u) => u.id === uid && typeof password === 'string' && (u.password === password || u.apiKey === password));

  function handleCall(service: string, method: string, params: unknown[]): unknown {
    count('total');
    if (service === 'common') {
      count(`common.${method}`);
      if (method === 'version') return { server_version: SERVER_VERSION[version][0], server_version_info: SERVER_VERSION[version][1], server_serie: SERVER_VERSION[version][0], protocol_version: 1 };
      if (method === 'authenticate' || method === 'login') {
        const [db, login, password] = params;
        if (db !== database) throw serverFault('psycopg2.OperationalError', `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist`, 'odoo/sql_db.py');
        const u = store.users.find((x) => x.login === login && (x.password === password || x.apiKey === password));
        return u ? u.id : false;
      }
      if (method === 'about') return 'See http://openerp.com';
      throw serverFault('KeyError', `'${method}'`, 'odoo/service/common.py');
    }
    if (service === 'object' && method === 'execute_kw') {
      count('execute_kw');
      const [db, uid, password, model, objMethod, args, kwargs] = params;
      count(`${String(model)}.${String(objMethod)}`);
      if (db !== database) throw serverFault('psycopg2.OperationalError', `FATAL:  database "${String(db)}" does not exist`, 'odoo/sql_db.py');
      const user = userByCredentials(uid, password);
      if (!user) throw accessDenied();
      if (typeof model !== 'string' || typeof objMethod !== 'string') throw serverFault('TypeError', 'model and method must be strings');
      return orm.execute(user, model, objMethod, (args as unknown[]) ?? [], (kwargs as Record<string, unknown>) ?? {});
    }
    if (service === 'object') throw serverFault('NameError', `method '${method}' is not supported`, 'odoo/service/model.py');
    throw serverFault('KeyError', `'${service}'`, 'odoo/http.py');
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = path.startsWith(prefix) ? /^\/xmlrpc\/2\/(common|object|db)$/.exec(path.slice(prefix.length)) : null;
    if (req.method !== 'POST' || !m) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: string;
      let delayMs = 0;
      try {
        const call = parseMethodCall(Buffer.concat(chunks).toString('utf8'));
        const result = handleCall(m[1]!, call.method, call.params);
        delayMs = loadDelayMs(call.params);
        try {
          body = dumpResponse(result);
        } catch (e) {
          // Odoo marshals after the commit: the change stays, the caller sees fault 1
          if (e instanceof MarshalError) body = dumpFault(1, serverFault('TypeError', e.message, 'xmlrpc/client.py').faultString);
          else throw e;
        }
      } catch (e) {
        if (e instanceof OdooFault) body = dumpFault(e.faultCode, e.faultString);
        else body = dumpFault(1, serverFault((e as Error).name || 'Exception', (e as Error).message).faultString);
      }
      const answer = (): void => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  };

  /** The answer's delay of an `execute_kw(db, uid, password, model, 'load', [fields, rows])`. */
  function loadDelayMs(params: unknown[]): number {
    if (!opts.loadMsPerRow || params[4] !== 'load') return 0;
    const rows = (params[5] as unknown[] | undefined)?.[1];
    return Array.isArray(rows) ? rows.length * opts.loadMsPerRow : 0;
  }

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  const port = await listen(opts.port ?? 0);
  const save = (): void => {
    if (opts.dataFile) writeFileSync(opts.dataFile, JSON.stringify({ ...store.snapshot(), seedInfo }));
  };
  const login = (name: string): DevLogin => {
    const u = store.users.find((x) => x.login === name)!;
    return { login: u.login, password: u.password, apiKey: u.apiKey, uid: u.id };
  };
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}${prefix}`,
    port,
    database,
    version,
    admin: login('admin'),
    user: login,
    clerk: login('clerk'),
    signatory: login('signatory'),
    calls: () => ({ ...counts }),
    resetCalls: () => {
      counts = {};
    },
    seedInfo,
    goDown: stop,
    comeBack: async () => {
      if (!server.listening) await listen(port);
    },
    store,
    save,
    close: async () => {
      await stop();
      save();
    },
  };
}
