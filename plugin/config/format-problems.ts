/**
 * Turns ajv's errors into one sentence per problem that names the key path,
 * what it expects, and where to set it. Secret values are never quoted.
 */
import type { ErrorObject } from 'ajv';
import { envVarFor, SECRET_FILE_PAIRS } from './env-vars.js';
import { maskUrlPassword } from './redact-config.js';

const SECRET_PATHS = new Set(['odoo.password', 'callback.secret']);

/** What a `pattern` or `format` check expects, by key path (array indexes removed). */
const EXPECTS: Record<string, string> = {
  'odoo.url': 'an http:// or https:// URL, e.g. https://odoo.example.com',
  'redis.url': 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
  'redis.prefix': "a prefix without ':' or spaces, e.g. bull or {stetpay}",
  'redis.nodes[]': 'a redis:// or rediss:// URL, e.g. redis://10.0.0.2:6379',
  'bank.apiBaseUrl': 'an http:// or https:// URL',
  'bank.tokenUrl': 'an http:// or https:// URL',
  'bank.registeredBeneficiaries[]': 'an IBAN, e.g. FR7630001007941234567890185',
  'callback.publicUrl': 'an http:// or https:// URL, e.g. https://stetpay.example.com',
  'payments.cutoffTime': 'a time of day HH:MM, e.g. 15:00',
  'vop.url': 'an https:// URL, e.g. https://vop.bank.example/vop/v1',
  'payments.timeZone': 'an IANA time zone, e.g. Europe/Paris',
  'payments.categoryPurpose': 'a 4-letter ISO 20022 code, e.g. CASH',
  'schedule.cron': "a cron expression of 5 fields, or 6 with seconds first, e.g. '0 30 2 * * *'",
  'schedule.tz': 'an IANA time zone, e.g. Europe/Paris',
};

export function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function show(v: unknown): string {
  if (typeof v === 'string') {
    const masked = maskUrlPassword(v);
    return `'${masked.length > 80 ? masked.slice(0, 80) + '...' : masked}'`;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', object: 'an object', array: 'a list', boolean: 'true or false',
};

export interface ProblemContext {
  /** The config file's base name, for "set it in ..." hints. */
  fileName: string;
  /** Key path -> where the value came from (an env var name, "overrides", the file). */
  sources: Map<string, string>;
  /** The raw (merged) value at a key path. */
  valueAt(path: string): unknown;
}

function where(path: string, ctx: ProblemContext): string {
  return fromVariable(path, ctx.sources);
}

/** ` (from STETPAY_...)` when the value at `path` came from a variable, else ''. */
export function fromVariable(path: string, sources: ReadonlyMap<string, string>): string {
  const src = sources.get(path);
  return src && src.startsWith('STETPAY_') ? ` (from ${src})` : '';
}

function requiredHint(path: string, ctx: ProblemContext): string {
  const pair = SECRET_FILE_PAIRS.find((p) => p.value === path);
  if (pair) {
    return `set ${pair.value} or ${pair.file} in ${ctx.fileName}, or ${envVarFor(pair.value)} / ${envVarFor(pair.file)}`;
  }
  const env = envVarFor(path);
  return env ? `set it in ${ctx.fileName} or ${env}` : `set it in ${ctx.fileName}`;
}

/** One message per problem, in a stable order, without duplicates. */
export function formatAjvErrors(errors: readonly ErrorObject[], ctx: ProblemContext): string[] {
  // An anyOf failure is explained once; its branches' errors would only confuse.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const out: string[] = [];
  const seenValuePaths = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'))) continue;
    const path = dotted(e.instancePath);
    const value = ctx.valueAt(path);
    const secret = SECRET_PATHS.has(path);
    const got = secret ? '' : ` (got ${show(value)})`;
    let msg: string;
    switch (e.keyword) {
      case 'required': {
        const key = path ? `${path}.${(e.params as { missingProperty: string }).missingProperty}` : (e.params as { missingProperty: string }).missingProperty;
        msg = `config: ${key} is required: ${requiredHint(key, ctx)}`;
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const key = path ? `${path}.${extra}` : extra;
        msg = `config: ${key} is not a known key${path ? ` of ${path}` : ''}: remove it or fix its spelling (see docs/config.md)`;
        break;
      }
      case 'enum':
        msg = `config: ${path} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}${got}`;
        break;
      case 'type':
        msg = `config: ${path} must be ${TYPE_WORDS[(e.params as { type: string }).type] ?? (e.params as { type: string }).type}${secret ? '' : ` (got ${show(value)}, ${typeName(value)})`}`;
        break;
      case 'minLength':
        msg = (e.params as { limit: number }).limit === 1
          ? `config: ${path} must not be empty`
          : `config: ${path} must be at least ${(e.params as { limit: number }).limit} characters long${typeof value === 'string' ? ` (got ${value.length})` : ''}`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[e.keyword];
        msg = `config: ${path} must be ${words} ${(e.params as { limit: number }).limit}${got}`;
        break;
      }
      case 'pattern':
      case 'format': {
        if (seenValuePaths.has(path)) continue;
        seenValuePaths.add(path);
        const expects = EXPECTS[path.replace(/\[\d+\]/g, '[]')] ?? (e.keyword === 'format' ? `a valid ${(e.params as { format: string }).format}` : `text matching ${(e.params as { pattern: string }).pattern}`);
        msg = `config: ${path} must be ${expects}${got}`;
        break;
      }
      case 'anyOf':
        msg = path.startsWith('odoo.approvedDomain')
          ? `config: ${path} must be '&', '|', '!' or a [field, operator, value] triple${got}`
          : `config: ${path} ${e.message ?? 'is not valid'}${got}`;
        break;
      case 'uniqueItems':
        msg = `config: ${path} must not list the same value twice`;
        break;
      case 'minItems':
      case 'maxItems':
      default:
        msg = `config: ${path || '(top level)'} ${e.message ?? 'is not valid'}${got}`;
    }
    out.push(msg + where(path, ctx));
  }
  return [...new Set(out)];
}
