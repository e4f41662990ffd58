/**
 * Validation against the OFFICIAL STET OpenAPI file (`officialStetSpecPath`),
 * independent of stetpay's own schema: two schemas, two chances to catch a bad
 * request. The OAS is 3.0: its `components.schemas` are loaded as draft-07
 * `definitions` (refs rewritten, `nullable` turned into a null type), with
 * strict mode off for the OAS-only keywords. The file is not in the project
 * (a user's clone may not have it): callers skip when `officialSpecAvailable()` is false.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { officialStetSpecPath } from '../../support/paths.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export function officialSpecAvailable(): boolean {
  return existsSync(officialStetSpecPath);
}

function toDraft07(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace('#/components/schemas/', '#/definitions/');
    else if (key === 'nullable' || key === 'example' || key.startsWith('x-')) continue;
    else out[key] = toDraft07(value);
  }
  const source = node as Record<string, unknown>;
  if (source.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

const cache = new Map<string, ValidateFunction>();

/** A validator for the official component `name` (e.g. `PaymentRequestResource`). */
export function officialValidator(name: string): ValidateFunction {
  let fn = cache.get(name);
  if (!fn) {
    const oas = JSON.parse(readFileSync(officialStetSpecPath, 'utf8')) as { components: { schemas: Record<string, unknown> } };
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(ajv);
    for (const f of ['float', 'double', 'int32', 'int64']) ajv.addFormat(f, true);
    fn = ajv.compile({ $ref: `#/definitions/${name}`, definitions: toDraft07(oas.components.schemas) as Record<string, unknown> });
    cache.set(name, fn);
  }
  return fn;
}

/** Errors of `body` against the official component, as `"/pointer message"` lines; empty when valid. */
export function officialErrors(name: string, body: unknown): string[] {
  const fn = officialValidator(name);
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}
