/**
 * The admin API, on its own plain-HTTP port (never part of what a client calls):
 * the request log, payments, faults, the clock, consents, reset. JSON in and out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConflictError } from './payment-store.js';
import type { SandboxState } from './sandbox-state.js';
import type { BankFaults } from './types.js';

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      try {
        const v = text ? JSON.parse(text) : {};
        resolve(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
}

export function createAdminHandler(s: SandboxState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://admin.invalid').pathname;
      const method = req.method ?? 'GET';
      try {
        const body = method === 'POST' ? await readJson(req) : {};
        if (method === 'GET' && path === '/admin/requests') return send(res, 200, s.log);
        if (method === 'GET' && path === '/admin/payments') return send(res, 200, s.store.all(s.now()));
        if (method === 'GET' && path === '/admin/faults') return send(res, 200, s.faults.current());
        if (method === 'POST' && path === '/admin/faults') { s.faults.merge(body as BankFaults); return send(res, 200, s.faults.current()); }
        if (method === 'DELETE' && path === '/admin/faults') { s.faults.set({}); return send(res, 200, s.faults.current()); }
        if (method === 'GET' && path === '/admin/clock') return send(res, 200, { now: s.now().toISOString() });
        if (method === 'POST' && path === '/admin/clock') {
          const ms = Number(body.advanceMs ?? 0) + Number(body.advanceDays ?? 0) * 24 * 3600 * 1000;
          return send(res, 200, { now: s.advanceClock(ms).toISOString() });
        }
        if (method === 'POST' && path === '/admin/reset') { s.reset(); return send(res, 200, { reset: true }); }
        const m = /^\/admin\/payments\/([^/]+)\/consent$/.exec(path);
        if (method === 'POST' && m?.[1]) {
          if (typeof body.approve !== 'boolean') return send(res, 400, { error: 'send {"approve": true|false}' });
          const resourceId = decodeURIComponent(m[1]);
          if (!s.store.get(resourceId, s.now())) return send(res, 404, { error: `no payment request ${resourceId}` });
          return send(res, 200, { redirectUrl: s.store.consent(resourceId, body.approve, s.now()) });
        }
        send(res, 404, { error: `no admin route ${method} ${path}` });
      } catch (err) {
        send(res, err instanceof ConflictError ? 409 : 400, { error: (err as Error).message });
      }
    })();
  };
}
