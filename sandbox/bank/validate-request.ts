/**
 * Checks a POST body: first against the STET schema (official file or its
 * extract), then the profile's rules; answers as the guide's error table does.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { GUIDE_FIELD_MESSAGES, GUIDE_FIELD_ORDER, type ErrorDetail, type GuideField } from './error-bodies.js';
import type { SandboxBankRules } from './bank-rules.js';
import type { NwmContext, Problem } from './nwm-rules.js';
import type { JsonObject } from './schema/extract-schema.js';

// ajv-formats is CommonJS: its default export arrives under .default in ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;

export type ValidationResult = { ok: true } | { ok: false; error: string; details: ErrorDetail[]; rule?: string };

export function compilePaymentRequestSchema(schema: JsonObject): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** `/a/0/b` -> `$.a[0].b` */
function toJsonPath(instancePath: string): string {
  return '$' + instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
}

function guideFieldOf(path: string): GuideField | undefined {
  if (/\.(creditorAgent|debtorAgent)\.bicFi$/.test(path)) return 'bic';
  if (path === '$.paymentTypeInformation.serviceLevel') return 'serviceLevel';
  if (path === '$.chargeBearer') return 'chargeBearer';
  if (/\.privateId\.schemeName$/.test(path)) return 'schemeName';
  if (/^\$\.creditTransferTransaction\[\d+\]\.purpose$/.test(path)) return 'purpose';
  if (path === '$.paymentTypeInformation.categoryPurpose') return 'categoryPurpose';
  return undefined;
}

function schemaProblems(errors: ErrorObject[], body: JsonObject, bank: SandboxBankRules): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const path = toJsonPath(e.instancePath) + (missing ? `.${missing}` : '');
    // A bank may take a creationDateTime that JSON Schema's date-time refuses (NWM-13: no offset).
    if (path === '$.creationDateTime' && e.keyword === 'format'
      && typeof body.creationDateTime === 'string' && bank.lenientCreationDateTime(body.creationDateTime)) continue;
    out.push({ rule: 'STET schema', path, message: `${path} ${e.message ?? 'is invalid'}`, erroneousValue: missing ? undefined : e.data, guideField: guideFieldOf(path) });
  }
  return out;
}

/** The problem the bank reports: a guide-table field first (in the table's order), else the first one found. */
function pick(problems: Problem[]): ValidationResult {
  if (problems.length === 0) return { ok: true };
  const details: ErrorDetail[] = problems.slice(0, 10).map((p) => ({ path: p.path, erroneousValue: p.erroneousValue, message: `${p.rule}: ${p.message}` }));
  for (const field of GUIDE_FIELD_ORDER) {
    const hit = problems.find((p) => p.guideField === field);
    if (hit) return { ok: false, error: GUIDE_FIELD_MESSAGES[field], details: [{ path: hit.path, erroneousValue: hit.erroneousValue, message: GUIDE_FIELD_MESSAGES[field] }, ...details.filter((d) => d.path !== hit.path)], rule: hit.rule };
  }
  const first = problems[0] as Problem;
  return { ok: false, error: `${first.rule}: ${first.message}`, details, rule: first.rule };
}

export function validatePaymentRequestBody(body: unknown, bank: SandboxBankRules, validate: ValidateFunction, ctx: NwmContext): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'the body is not a JSON object', details: [] };
  const b = body as JsonObject;
  const problems = validate(b) ? [] : schemaProblems(validate.errors ?? [], b, bank);
  for (const key of ['paymentInformationStatus', 'statusReasonInformation', 'resourceId'] as const) {
    if (b[key] !== undefined) problems.push({ rule: 'STET x-not-allowed-in-post', path: `$.${key}`, message: `${key} is set by the bank, not in a POST` });
  }
  problems.push(...bank.checkBody(b, ctx));
  return pick(problems);
}
