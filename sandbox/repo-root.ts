/** Where the stetpay folder is, wherever the code was compiled to (sandbox/, and the tests through it). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stetpay folder (holding package.json and manifest.json) above this file. */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'manifest.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the stetpay folder above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/**
 * The reference folder beside the clone (`shared`: the official STET OpenAPI file, the SEPA XSDs,
 * Odoo transcripts). CI and developers have it; a user's clone may not, and nothing needs it to run.
 */
export function referenceDir(): string {
  return resolve(findRepoRoot(), '..', 'shared');
}
