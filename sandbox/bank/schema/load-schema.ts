import { existsSync, readFileSync } from 'node:fs';
import { extractPaymentRequestSchema, type JsonObject } from './extract-schema.js';
import { committedSchemaPath, officialSpecPath } from './locate.js';

export interface LoadedSchema {
  schema: JsonObject;
  /** 'official' when derived at start-up from the STET file beside the repo, 'extract' when the committed copy was used. */
  source: 'official' | 'extract';
  path: string;
}

/** The official STET file when it is beside the repo, else the committed extract: both pass through the same reduction. */
export function loadPaymentRequestSchema(): LoadedSchema {
  const official = officialSpecPath();
  if (existsSync(official)) {
    return { schema: extractPaymentRequestSchema(JSON.parse(readFileSync(official, 'utf8')) as JsonObject), source: 'official', path: official };
  }
  const extract = committedSchemaPath();
  return { schema: JSON.parse(readFileSync(extract, 'utf8')) as JsonObject, source: 'extract', path: extract };
}
