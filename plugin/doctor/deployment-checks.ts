/**
 * The doctor's checks of the deployment around stetpay: the callback URL the
 * bank sends the signatory's browser back to (public, HTTPS), and this
 * machine's clock against the bank's (else Odoo's) `Date` header: the
 * signature's Date, the cut-off and the execution dates all depend on it.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { CallbackConfig } from '../config/index.js';
import { fail, ok, skip, type DoctorCheck } from './doctor-report.js';

/** Beyond this, the clock is wrong (a Date header has whole seconds). */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** Names and addresses no browser outside this network reaches. */
function privateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(h) === 4) {
    const [a = 0, b = 0] = h.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(h) === 6) return h === '::1' || h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
  return !h.includes('.') || /\.(localhost|local|internal|lan|home|corp|test|invalid)$/.test(h);
}

export function callbackUrlCheck(callback: Readonly<CallbackConfig>): DoctorCheck {
  const fix = "set callback.publicUrl (STETPAY_CALLBACK_URL) to the public HTTPS address of your reverse proxy in front of stetpay's callback (port callback.listenPort).";
  let url: URL;
  try {
    url = new URL(callback.publicUrl);
  } catch {
    return fail('callback.url', `callback.publicUrl '${callback.publicUrl}' is not a URL.`, fix);
  }
  if (url.protocol !== 'https:') return fail('callback.url', `callback.publicUrl ${url.origin} is not HTTPS: the bank sends the signatory's browser back there with the payment's state.`, fix);
  if (privateHost(url.hostname)) return fail('callback.url', `callback.publicUrl ${url.origin} is not a public address: the signatory's browser, coming back from the bank, cannot reach it.`, fix);
  return ok('callback.url', `${url.origin} is public and HTTPS.`);
}

/** The `Date` header of a HEAD request to `url`'s origin, with the time it was received. */
function dateHeaderOf(url: string, ca: string | undefined, timeoutMs: number): Promise<{ date: Date; sentAt: number; receivedAt: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL('/', url);
    const sentAt = Date.now();
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, { method: 'HEAD', agent: false, timeout: timeoutMs, ...(ca && target.protocol === 'https:' ? { ca } : {}) }, (res) => {
      res.resume();
      const date = res.headers.date ? new Date(res.headers.date) : undefined;
      if (!date || Number.isNaN(date.getTime())) reject(new Error(`${target.origin} sent no Date header`));
      else resolve({ date, sentAt, receivedAt: Date.now() });
    });
    req.on('timeout', () => req.destroy(new Error(`${target.origin} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whole minutes from two on (a Date header has whole seconds, and the way there takes some). */
function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

export interface ClockSource {
  /** e.g. `the bank`, `Odoo`. */
  name: string;
  url: string;
  ca?: string;
}

/** This machine's clock against the first source that answers with a Date. */
export async function clockCheck(sources: readonly ClockSource[], timeoutMs = 5000): Promise<DoctorCheck> {
  const tried: string[] = [];
  for (const s of sources) {
    let answer;
    try {
      answer = await dateHeaderOf(s.url, s.ca, timeoutMs);
    } catch (err) {
      tried.push(`${s.name}: ${(err as Error).message}`);
      continue;
    }
    // The server stamped its Date somewhere between sending and receiving: compare with the middle.
    const skew = answer.date.getTime() - (answer.sentAt + answer.receivedAt) / 2;
    if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) return ok('clock', `this machine's clock agrees with ${s.name}'s Date header (tolerance ${MAX_CLOCK_SKEW_MS / 1000} s).`);
    return fail('clock', `this machine's clock is ${duration(skew)} ${skew > 0 ? 'behind' : 'ahead of'} ${s.name}'s (Date: ${answer.date.toUTCString()}).`, 'keep the clock set by NTP (timedatectl set-ntp true): the signature\'s Date, the cut-off and the execution dates depend on it.');
  }
  return skip('clock', tried.length ? `no server's Date could be read (${tried.join('; ')}).` : 'neither the bank nor Odoo is configured.');
}
