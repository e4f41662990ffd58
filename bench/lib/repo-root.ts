/** Finds stetpay's root: the nearest folder above that holds package.json and manifest.json. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'manifest.json'))) return dir;
    if (dirname(dir) === dir) break;
  }
  if (start !== process.cwd()) return findRepoRoot(process.cwd());
  throw new Error(`bench: no folder above ${start} holds both package.json and manifest.json: run the benchmarks from the stetpay repository`);
}
