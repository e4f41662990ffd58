/**
 * Derives the sandbox's own JSON Schema for a STET 1.6.2 `PaymentRequestResource`
 * from the official STET 1.6.3.2 OpenAPI file: the component tree under
 * PaymentRequestResource, its validating keywords only, with the 1.6.3-only items
 * removed (Idempotency-Key, X-JWS-Signature, investigationStatus, loginHintToken: CR526, CR408, CR496, CR530). Pure: spec object in, schema object out.
 */
export type JsonObject = { [k: string]: unknown };

export const ATTRIBUTION =
  'Derived from the STET PSD2 API 1.6.3.2 OpenAPI file (stetpsd2api-1.6.3.2.final-oas3.json), Copyright (c) STET, ' +
  'licensed under Creative Commons Attribution 3.0 France (CC BY 3.0 FR), https://www.stet.eu/en/psd2/. ' +
  'Changes by stetpay: only the PaymentRequestResource component tree and its validating keywords are kept; ' +
  'the 1.6.3-only items (investigationStatus CR496, loginHintToken CR530, reason codes AM02 CR522 and AM04 CR523) are removed; ' +
  'amount also accepts the 1.4-style decimal string.';

/** Validating keywords kept; descriptions, examples and x-* annotations are dropped. */
const KEEP = new Set(['type', 'properties', 'required', 'items', 'enum', 'pattern', 'maxLength', 'minLength', 'minItems', 'maxItems',
  'minimum', 'maximum', 'format', '$ref', 'allOf', 'oneOf', 'anyOf', 'additionalProperties']);
const KEEP_FORMATS = new Set(['date-time', 'date']);
const REMOVED_PROPERTIES = new Set(['investigationStatus', 'loginHintToken']);
const REMOVED_ENUM_VALUES = new Set(['AM02', 'AM04']);
const ROOT = 'PaymentRequestResource';

export function extractPaymentRequestSchema(spec: JsonObject): JsonObject {
  const components = (spec.components as JsonObject | undefined)?.schemas as Record<string, JsonObject> | undefined;
  if (!components?.[ROOT]) throw new Error(`the STET OpenAPI file has no components.schemas.${ROOT}`);
  const definitions: Record<string, unknown> = {};
  const pending = [ROOT];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in definitions) continue;
    const source = components[name];
    if (!source) throw new Error(`the STET OpenAPI file refers to a missing schema ${name}`);
    definitions[name] = clean(source, (ref) => pending.push(ref));
  }
  // 1.4 sent amounts as decimal strings, 1.6 as numbers: accept both.
  const amountType = definitions.AmountType as JsonObject;
  (amountType.properties as JsonObject).amount = {
    oneOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: '^[0-9]{1,13}(\\.[0-9]{0,5})?$' }],
  };
  const info = spec.info as JsonObject | undefined;
  return {
    'x-attribution': ATTRIBUTION,
    'x-source-version': String(info?.version ?? 'unknown'),
    $ref: `#/definitions/${ROOT}`,
    definitions,
  };
}

function clean(node: unknown, onRef: (name: string) => void): unknown {
  if (Array.isArray(node)) return node.map((n) => clean(n, onRef)).filter((v) => !(typeof v === 'string' && REMOVED_ENUM_VALUES.has(v)));
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject)) {
    if (!KEEP.has(key)) continue;
    if (key === '$ref') {
      const name = String(value).replace('#/components/schemas/', '');
      onRef(name);
      out.$ref = `#/definitions/${name}`;
    } else if (key === 'properties') {
      const props: JsonObject = {};
      for (const [p, s] of Object.entries(value as JsonObject)) if (!REMOVED_PROPERTIES.has(p)) props[p] = clean(s, onRef);
      out.properties = props;
    } else if (key === 'required') {
      out.required = (value as string[]).filter((p) => !REMOVED_PROPERTIES.has(p));
    } else if (key === 'format') {
      if (KEEP_FORMATS.has(String(value))) out.format = value;
    } else if (key === 'enum') {
      out.enum = (value as unknown[]).filter((v) => !(typeof v === 'string' && REMOVED_ENUM_VALUES.has(v)));
    } else {
      out[key] = clean(value, onRef);
    }
  }
  return out;
}
