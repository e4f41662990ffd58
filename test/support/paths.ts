/** Where things are, wherever the tests were compiled to (dist/ or another outDir). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { officialSpecPath } from '../../sandbox/bank/schema/locate.js';
import { findRepoRoot, referenceDir } from '../../sandbox/repo-root.js';

export const repoRoot = findRepoRoot();
/** The reference folder beside the clone: the official STET OpenAPI file, the SEPA XSDs, Odoo transcripts (CI and developers have it; a user's clone may not). */
export const sharedDir = referenceDir();
export const officialStetSpecPath = officialSpecPath();
/** The compiled tree this test runs from (dist/ by default). */
export const buildRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
