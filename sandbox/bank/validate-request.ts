/**
 * Checks a POST body: first against the STET schema (official file or its
 * extract), then the profile's rules; answers as the guide's error table does.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { GUIDE_FIELD_MESSAGES, GUIDE_FIELD_ORDER, type ErrorDetail, type GuideField } from './error-bodies.js';
import { NWM_CREATION_DATE_TIME, checkNwmRules, reportUrlProblems, type NwmContext, type Problem } from './nwm-rules.js';
import type { JsonObject } from './schema/extract-schema.js';
import type { SandboxProfile } from './types.js';

// ajv-formats is CommonJS: its default export arrives under .default in ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;

/** Transfers the stet-1.6 sandbox takes in one request (the profile's maxTransactionsPerRequest). */
export const STET16_MAX_TRANSACTIONS = 100;

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

function schemaProblems(errors: ErrorObject[], body: JsonObject, profile: SandboxProfile): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const path = toJsonPath(e.instancePath) + (missing ? `.${missing}` : '');
    // NWM-13 also accepts a creationDateTime with no offset, which JSON Schema's date-time refuses.
    if (profile === 'nwm-18919' && path === '$.creationDateTime' && e.keyword === 'format'
      && typeof body.creationDateTime === 'string' && NWM_CREATION_DATE_TIME.test(body.creationDateTime)) continue;
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

export function validatePaymentRequestBody(body: unknown, profile: SandboxProfile, validate: ValidateFunction, ctx: NwmContext): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'the body is not a JSON object', details: [] };
  const b = body as JsonObject;
  const problems = validate(b) ? [] : schemaProblems(validate.errors ?? [], b, profile);
  for (const key of ['paymentInformationStatus', 'statusReasonInformation', 'resourceId'] as const) {
    if (b[key] !== undefined) problems.push({ rule: 'STET x-not-allowed-in-post', path: `$.${key}`, message: `${key} is set by the bank, not in a POST` });
  }
  if (profile === 'nwm-18919') {
    problems.push(...checkNwmRules(b, ctx));
  } else {
    const sup = (b.supplementaryData ?? {}) as JsonObject;
    const approaches = Array.isArray(sup.acceptedAuthenticationApproach) ? sup.acceptedAuthenticationApproach : [];
    if (!approaches.includes('REDIRECT')) problems.push({ rule: 'STET §4', path: '$.supplementaryData.acceptedAuthenticationApproach', message: 'this sandbox offers REDIRECT only' });
    problems.push(...reportUrlProblems(sup, 'STET §4'));
    const txs = Array.isArray(b.creditTransferTransaction) ? b.creditTransferTransaction : [];
    if (b.numberOfTransactions !== txs.length) problems.push({ rule: 'STET §4', path: '$.numberOfTransactions', message: 'numberOfTransactions differs from the transactions sent' });
    if (txs.length > STET16_MAX_TRANSACTIONS) problems.push({ rule: 'STET §4', path: '$.numberOfTransactions', message: `at most ${STET16_MAX_TRANSACTIONS} transactions per request at this bank (AM18)`, erroneousValue: txs.length });
    const e2e = txs.map((t) => String((t as { paymentId?: { endToEndId?: unknown } })?.paymentId?.endToEndId ?? ''));
    if (new Set(e2e).size !== e2e.length) problems.push({ rule: 'STET §4', path: '$.creditTransferTransaction', message: 'two transactions of the request have the same endToEndId' });
  }
  return pick(problems);
}
