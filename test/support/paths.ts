/** Where things are, wherever the tests were compiled to (dist/ or another outDir). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'manifest.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the stetpay folder above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const repoRoot = findRepoRoot();
/** The reference folder beside the clone: the official STET OpenAPI file, the SEPA XSDs, Odoo transcripts (CI and developers have it; a user's clone may not). */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const officialStetSpecPath = join(sharedDir, 'stet', 'stetpsd2api-1.6.3.2.final-oas3.json');
/** The compiled tree this test runs from (dist/ by default). */
export const buildRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
