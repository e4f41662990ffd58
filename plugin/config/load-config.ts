/**
 * Loads the configuration ONCE: the file (stetpay.config.json, `--config`, or
 * STETPAY_CONFIG), then STETPAY_* variables, then `overrides` (command flags);
 * secrets and PEM files read; validated against manifest.json's configSchema
 * with defaults applied; deep-frozen. Every problem is reported at once in a
 * ConfigError (fastify's initial-config-validation pattern).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ConfigError } from '../errors.js';
import type { StetpayConfig } from './config-types.js';
import { CONFIG_FILE_ENV, ENV_VARS, PATH_KEYS, SECRET_FILE_PAIRS } from './env-vars.js';
import { formatAjvErrors } from './format-problems.js';
import { redisClusterProblems } from './redis-cluster-rules.js';
import { odooUrlProblems } from './odoo-url-rules.js';
import { configSchema } from './manifest-schema.js';

export interface LoadConfigOptions {
  /** Config file path (`--config`). @defaultValue env STETPAY_CONFIG, else `stetpay.config.json` in `cwd` (optional then) */
  file?: string;
  /** @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and env (command-line flags), same shape as the file. */
  overrides?: object;
  /** Folder for the default file and for relative paths given by env/overrides. @defaultValue process.cwd() */
  cwd?: string;
}

export const DEFAULT_CONFIG_FILE = 'stetpay.config.json';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

let validator: ValidateFunction | undefined;
function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: true });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;
    addFormats(ajv);
    ajv.addFormat('iana-time-zone', {
      type: 'string',
      validate: (s: string) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: s });
          return true;
        } catch {
          return false;
        }
      },
    });
    validator = ajv.compile(configSchema());
  }
  return validator;
}

function getAt(o: Obj, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

function setAt(o: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[keys[keys.length - 1]!] = value;
}

function deleteAt(o: Obj, path: string): void {
  const keys = path.split('.');
  const parent = getAt(o, keys.slice(0, -1).join('.'));
  if (isObj(parent)) delete parent[keys[keys.length - 1]!];
}

function leaves(o: Obj, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (isObj(v) ? leaves(v, prefix + k + '.') : [prefix + k]));
}

/** Keys a merge never copies: they would reach Object.prototype (a `__proto__` key in a JSON file is an own key). */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deep merge; arrays and scalars replace. A layer setting a secret or its file clears the other. */
function mergeLayer(into: Obj, layer: Obj): void {
  for (const pair of SECRET_FILE_PAIRS) {
    if (getAt(layer, pair.value) !== undefined) deleteAt(into, pair.file);
    if (getAt(layer, pair.file) !== undefined) deleteAt(into, pair.value);
  }
  const merge = (a: Obj, b: Obj) => {
    for (const [k, v] of Object.entries(b)) {
      if (UNSAFE_KEYS.has(k)) continue;
      if (isObj(v) && isObj(a[k])) merge(a[k] as Obj, v);
      else a[k] = isObj(v) ? withoutUnsafeKeys(v) : Array.isArray(v) ? structuredClone(v) : v;
    }
  };
  merge(into, layer);
}

function withoutUnsafeKeys(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (!UNSAFE_KEYS.has(k)) out[k] = isObj(v) ? withoutUnsafeKeys(v) : Array.isArray(v) ? structuredClone(v) : v;
  return out;
}

function resolvePaths(layer: Obj, base: string): void {
  for (const key of PATH_KEYS) {
    const v = getAt(layer, key);
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) setAt(layer, key, resolve(base, v));
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return (err as Error)?.message ?? String(err);
}

const BOOLEAN_WORDS: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };

function envLayer(env: NodeJS.ProcessEnv, cwd: string, sources: Map<string, string>): Obj {
  const layer: Obj = {};
  for (const v of ENV_VARS) {
    const raw = env[v.name];
    if (raw === undefined || raw.trim() === '') continue; // `FOO=` in compose files means "not set"
    let value: unknown = raw.trim();
    if (v.kind === 'integer' || v.kind === 'number') {
      // Keep the text when it is not a number, so the schema error quotes it.
      const n = Number(raw.trim());
      if (raw.trim() !== '' && Number.isFinite(n)) value = n;
    } else if (v.kind === 'boolean') {
      // Keep the text when it is not a yes/no word, so the schema error quotes it.
      const b = BOOLEAN_WORDS[raw.trim().toLowerCase()];
      if (b !== undefined) value = b;
    } else if (v.kind === 'list') {
      value = raw.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (v.path === 'odoo.password' || v.path === 'callback.secret') {
      value = raw; // secrets are taken verbatim
    }
    setAt(layer, v.path, value);
    sources.set(v.path, v.name);
  }
  resolvePaths(layer, cwd);
  return layer;
}

/** Reads `--config` / stetpay.config.json. A missing default file is fine; a named one must exist. */
function fileLayer(opts: LoadConfigOptions, cwd: string, env: NodeJS.ProcessEnv, problems: string[]): { layer: Obj; file: string | null } {
  const named = opts.file ?? (env[CONFIG_FILE_ENV]?.trim() || undefined);
  const file = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!named && (err as NodeJS.ErrnoException)?.code === 'ENOENT') return { layer: {}, file: null };
    problems.push(`config: cannot read the config file ${file}: ${describeFsError(err)}`);
    return { layer: {}, file: null };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    problems.push(`config: ${file} is not valid JSON: ${(err as Error).message}`);
    return { layer: {}, file };
  }
  if (!isObj(parsed)) {
    problems.push(`config: ${file} must hold one JSON object ({ "odoo": {...}, ... })`);
    return { layer: {}, file };
  }
  resolvePaths(parsed, dirname(file));
  return { layer: parsed, file };
}

/**
 * The vop section beyond the schema: enforce needs a provider, a provider needs
 * its client certificate and key, and the PEM files are read once, here.
 */
function readVopPem(vop: unknown, sources: ReadonlyMap<string, string>): string[] {
  if (!isObj(vop)) return [];
  const from = (key: string) => (sources.has(key) ? ` (from ${sources.get(key)})` : '');
  const problems: string[] = [];
  if (vop.mode === 'enforce' && typeof vop.url !== 'string') {
    problems.push(`config: vop.url is required when vop.mode is enforce${from('vop.mode')}: set the Verification of Payee provider (vop.url, vop.cert, vop.key; STETPAY_VOP_URL...), or use vop.mode warn or off`);
  }
  if (typeof vop.url !== 'string') return problems;
  const pem: Obj = {};
  for (const key of ['cert', 'key', 'ca'] as const) {
    const path = vop[key];
    if (typeof path !== 'string' || path === '') {
      if (key !== 'ca') problems.push(`config: vop.${key} is required when vop.url is set: the path of the client ${key === 'cert' ? 'certificate' : 'private key'} (PEM) for mutual TLS with the provider (STETPAY_VOP_${key.toUpperCase()})`);
      continue;
    }
    readPem(pem, key, `vop.${key}`, path, problems);
  }
  vop.pem = pem;
  return problems;
}

/** Reads one PEM file into `into[key]`, or says why not (a wrong path fails at start, not at the first call). */
function readPem(into: Obj, key: string, name: string, path: string, problems: string[]): void {
  try {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('-----BEGIN ')) problems.push(`config: ${name}: ${path} is not a PEM file (no -----BEGIN line)`);
    into[key] = text;
  } catch (err) {
    problems.push(`config: ${name}: cannot read ${path}: ${describeFsError(err)}`);
  }
}

function readSecretFile(path: string): string {
  // Docker/Kubernetes secret files usually end with one newline; it is not part of the secret.
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}

/**
 * Loads and validates the configuration once; throws ConfigError listing every
 * problem. The result is deep-frozen.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Readonly<StetpayConfig> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: string[] = [];
  const sources = new Map<string, string>();

  const { layer: fromFile, file } = fileLayer(opts, cwd, env, problems);
  const fileName = file ? basename(file) : DEFAULT_CONFIG_FILE;
  for (const p of leaves(fromFile)) sources.set(p, fileName);
  const fromEnv = envLayer(env, cwd, sources);
  const fromOverrides = isObj(opts.overrides) ? structuredClone(opts.overrides as Obj) : {};
  resolvePaths(fromOverrides, cwd);
  for (const p of leaves(fromOverrides)) sources.set(p, 'overrides');

  const raw: Obj = {};
  mergeLayer(raw, fromFile);
  mergeLayer(raw, fromEnv);
  mergeLayer(raw, fromOverrides);

  // Secrets given as files are read before validation, so "required" sees them.
  const unreadable = new Set<string>();
  for (const pair of SECRET_FILE_PAIRS) {
    const path = getAt(raw, pair.file);
    if (path === undefined) continue;
    if (getAt(raw, pair.value) !== undefined) {
      problems.push(`config: ${pair.value} and ${pair.file} are both set: keep one`);
      continue;
    }
    if (typeof path !== 'string' || path === '') continue; // the schema reports it
    try {
      const secret = readSecretFile(path);
      if (secret === '') problems.push(`config: ${pair.file}: ${path} is empty`);
      else setAt(raw, pair.value, secret);
    } catch (err) {
      problems.push(`config: ${pair.file}: cannot read ${path}: ${describeFsError(err)}`);
    }
    if (getAt(raw, pair.value) === undefined) unreadable.add(pair.value);
  }

  const validate = compiled();
  if (!validate(raw)) {
    const messages = formatAjvErrors(validate.errors ?? [], { fileName, sources, valueAt: (p) => getAt(raw, p.replace(/\[(\d+)\]/g, '.$1')) });
    // A secret whose file failed to read was already reported above.
    problems.push(...messages.filter((m) => ![...unreadable].some((k) => m.startsWith(`config: ${k} is required`))));
  }

  problems.push(...redisClusterProblems(raw.redis, sources));
  problems.push(...odooUrlProblems(raw.odoo, sources));

  // PEM files: read once here so a wrong path fails at start, not at the first payment.
  const bank = raw.bank;
  if (isObj(bank)) {
    const pem: Obj = {};
    for (const key of ['qwacCert', 'qwacKey', 'qsealKey', 'ca'] as const) {
      const path = bank[key];
      if (typeof path !== 'string' || path === '') continue;
      readPem(pem, key, `bank.${key}`, path, problems);
    }
    bank.pem = pem;
    if (Array.isArray(bank.registeredBeneficiaries)) {
      bank.registeredBeneficiaries = bank.registeredBeneficiaries.map((s) => (typeof s === 'string' ? s.replace(/\s+/g, '').toUpperCase() : s));
    }
  }
  problems.push(...readVopPem(raw.vop, sources));
  const odoo = raw.odoo;
  if (isObj(odoo) && typeof odoo.ca === 'string' && odoo.ca !== '') {
    try {
      odoo.caPem = readFileSync(odoo.ca, 'utf8');
    } catch (err) {
      problems.push(`config: odoo.ca: cannot read ${odoo.ca}: ${describeFsError(err)}`);
    }
  }
  const callback = raw.callback;
  if (isObj(callback) && typeof callback.publicUrl === 'string') callback.publicUrl = callback.publicUrl.replace(/\/+$/, '');

  if (problems.length) throw new ConfigError(problems);
  raw.source = { file };
  return deepFreeze(raw as unknown as StetpayConfig);
}

/** Freezes an object graph so no part of the loaded configuration can change later. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
