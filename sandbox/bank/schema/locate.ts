import { join } from 'node:path';
import { findRepoRoot, referenceDir } from '../../repo-root.js';

/** The official STET 1.6.3.2 OpenAPI file in the reference folder beside the repo (may not exist on a user's machine). */
export function officialSpecPath(): string {
  return join(referenceDir(), 'stet', 'stetpsd2api-1.6.3.2.final-oas3.json');
}

/** The committed extract (source tree, not the build output). */
export function committedSchemaPath(): string {
  return join(findRepoRoot(), 'sandbox', 'bank', 'schema', 'payment-request-resource.schema.json');
}
