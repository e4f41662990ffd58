/**
 * Regenerates the committed schema extract from the official STET file:
 * `node dist/sandbox/bank/schema/generate.js [path/to/stetpsd2api-1.6.3.2.final-oas3.json]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extractPaymentRequestSchema, type JsonObject } from './extract-schema.js';
import { committedSchemaPath, officialSpecPath } from './locate.js';

const source = process.argv[2] ?? officialSpecPath();
const schema = extractPaymentRequestSchema(JSON.parse(readFileSync(source, 'utf8')) as JsonObject);
writeFileSync(committedSchemaPath(), JSON.stringify(schema, null, 1) + '\n');
console.log(`wrote ${committedSchemaPath()} from ${source}`);
