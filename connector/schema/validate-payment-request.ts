/**
 * Checks a payment request against stetpay's own JSON Schema of a STET 1.6.2
 * `PaymentRequestResource` (connector/schema/stet-1.6.2-payment-request.schema.json).
 * The schema is read once, from the SOURCE tree: the compiled file lives in
 * dist*\/connector/schema/ where tsc copies no JSON, so we walk up to the folder
 * holding package.json and read `connector/schema/...` from there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SCHEMA_RELATIVE = join('connector', 'schema', 'stet-1.6.2-payment-request.schema.json');

/** Absolute path of the schema file. @throws Error when no folder above this module holds it. */
export function paymentRequestSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCHEMA_RELATIVE);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find ${SCHEMA_RELATIVE} above ${fileURLToPath(import.meta.url)}: is the stetpay source tree complete?`);
    dir = up;
  }
}

/** The schema, parsed (a fresh copy each call). */
export function loadPaymentRequestSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(paymentRequestSchemaPath(), 'utf8')) as Record<string, unknown>;
}

// ajv-formats is CommonJS: under NodeNext its default import is module.exports.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    compiled = ajv.compile(loadPaymentRequestSchema());
  }
  return compiled;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
    : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/** Validates `body` as a STET 1.6.2 payment request; `errors` are `"/json/pointer message"` lines. */
export function validatePaymentRequest(body: unknown): { valid: boolean; errors: string[] } {
  const validate = validator();
  const valid = validate(body) === true;
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
}
