/**
 * One pure classifier for calls that got no answer from the bank: a set-up
 * mistake (the CA, a host name, the QWAC refused in the handshake) is named
 * with its setting and said not to be temporary; a bank that cannot be reached
 * (refused, no connection in time, no route) is told apart from one that may
 * have received the request (a time-out or a connection broken after sending).
 */
import { BankSetupError, BankTransientError, BankUnreachableError, type BankError, type BankSetting, type UnreachableReason } from './bank-error.js';

/** The end of every set-up error: what the person must know about it. */
export const SETUP_ERROR_NOTE = 'A set-up error, not an outage: nothing was sent, and retrying will not help until it is fixed.';

export interface TransportFailureInput {
  /** How the transport failed: no connection in time, no answer in time, a network error. */
  kind: 'connect-timeout' | 'response-timeout' | 'network';
  /** The transport's own sentence, e.g. `no complete answer within 30000 ms`. */
  message: string;
  /** The underlying error (its `code`, or its causes' codes, are read). */
  cause?: unknown;
  method: string;
  /** For the message: `/payment-requests`, or the token URL's path. */
  path: string;
  url: URL;
  /** The call went to the token URL (else the API base). */
  isToken: boolean;
  /** Whether extra CA certificates were given (the `ca` option). */
  caGiven: boolean;
  connectTimeoutMs: number;
  requestId: string;
  /** What the user calls each setting, e.g. `bank.ca`. @defaultValue the option's name */
  name?: (s: BankSetting) => string;
}

/** The bank's server certificate is not trusted: a CA is missing or wrong. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_CHAIN_TOO_LONG', 'INVALID_CA',
]);
const UNREACHABLE: Record<string, UnreachableReason> = {
  ECONNREFUSED: 'refused', EHOSTUNREACH: 'no-route', ENETUNREACH: 'no-route', EHOSTDOWN: 'no-route', EAI_AGAIN: 'dns',
};

/** The first `code` along the error and its causes. */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyTransportFailure(f: TransportFailureInput): BankError {
  const name = f.name ?? ((s: BankSetting) => s);
  const code = errorCode(f.cause);
  const call = `${f.method} ${f.path}`;
  const host = f.url.host;
  const hostname = f.url.hostname;
  const urlSetting = name(f.isToken ? 'tokenUrl' : 'baseUrl');
  const setup = (setting: BankSetting, what: string) => new BankSetupError(`${call}: ${what}. ${SETUP_ERROR_NOTE}`, setting, { cause: f.cause });
  const unreachable = (reason: UnreachableReason, what: string) => new BankUnreachableError(`${call}: ${what}: nothing was sent. ${reason === 'refused' ? `The bank's API is down, or ${urlSetting} names the wrong port` : reason === 'dns' ? 'The name server is failing' : 'The bank or the network is down'}; try again later.`, reason, { cause: f.cause });

  if (f.kind === 'connect-timeout') return unreachable('connect-timeout', `no connection to ${host} within ${f.connectTimeoutMs} ms`);
  if (code !== undefined) {
    if (UNTRUSTED.has(code)) {
      return f.caGiven
        ? setup('ca', `the bank's server certificate at ${host} is not signed by the CA in ${name('ca')} (${code}); give the file of the CA that signed it`)
        : setup('ca', `stetpay does not trust the bank's server certificate at ${host} (${code}); set ${name('ca')} to the file of the CA that signed it`);
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return setup(f.isToken ? 'tokenUrl' : 'baseUrl', `the bank's server certificate is not issued for ${hostname} (${code}); check the host in ${urlSetting}`);
    if (code === 'CERT_HAS_EXPIRED') return setup(f.isToken ? 'tokenUrl' : 'baseUrl', `the server certificate at ${host} has expired (${code}); check that ${urlSetting} names the bank, and this machine's clock`);
    if (code === 'CERT_NOT_YET_VALID') return setup(f.isToken ? 'tokenUrl' : 'baseUrl', `the server certificate at ${host} is not valid yet (${code}); check this machine's clock`);
    if (code === 'ENOTFOUND') return setup(f.isToken ? 'tokenUrl' : 'baseUrl', `no host named ${hostname} (${code}); check the host in ${urlSetting}`);
    if (/^ERR_SSL_.*ALERT/.test(code)) {
      return setup('qwacCert', `the bank refused the QWAC certificate during the TLS handshake (${code}); check that ${name('qwacCert')} is the certificate registered with the bank, with its key in ${name('qwacKey')}`);
    }
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') return setup('qwacKey', `${name('qwacKey')} does not match the certificate in ${name('qwacCert')} (${code})`);
    if (code.startsWith('ERR_OSSL_')) return setup('qwacCert', `the QWAC certificate or key cannot be used (${code}); check ${name('qwacCert')} and ${name('qwacKey')}`);
    const reason = UNREACHABLE[code];
    if (reason === 'refused') return unreachable(reason, `${host} refused the connection (${code})`);
    if (reason === 'dns') return unreachable(reason, `the name server could not look ${hostname} up for now (${code})`);
    if (reason) return unreachable(reason, `no route to ${host} (${code})`);
  }
  // Sent, or maybe sent: the bank may have acted on it.
  const support = ` (X-Request-ID ${f.requestId})`;
  const then = !f.isToken && f.method !== 'GET' ? 'the bank may or may not have it: retry with the same ids' : 'try again later';
  return new BankTransientError(`${call}: ${f.message}; ${then}${support}.`, { requestId: f.requestId, cause: f.cause });
}
