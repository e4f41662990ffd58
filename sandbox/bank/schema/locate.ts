import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stetpay folder (holding package.json and manifest.json), wherever this file was compiled to. */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'manifest.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the stetpay folder above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** `../shared/stet/stetpsd2api-1.6.3.2.final-oas3.json` beside the repo (may not exist on a user's machine). */
export function officialSpecPath(): string {
  return resolve(findRepoRoot(), '..', 'shared', 'stet', 'stetpsd2api-1.6.3.2.final-oas3.json');
}

/** The committed extract (source tree, not the build output). */
export function committedSchemaPath(): string {
  return join(findRepoRoot(), 'sandbox', 'bank', 'schema', 'payment-request-resource.schema.json');
}
