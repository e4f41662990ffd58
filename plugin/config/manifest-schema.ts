/**
 * The config JSON Schema lives in manifest.json (the plugin's manifest); it is
 * read from the package folder at run time, wherever the code was compiled to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`stetpay: cannot find manifest.json above ${from}; reinstall stetpay`);
    dir = up;
  }
}

let cached: Record<string, unknown> | undefined;

/** `configSchema` of manifest.json (draft-07). */
export function configSchema(): Record<string, unknown> {
  if (!cached) {
    const manifest = JSON.parse(readFileSync(join(findPackageRoot(), 'manifest.json'), 'utf8')) as { configSchema?: Record<string, unknown> };
    if (!manifest.configSchema) throw new Error('stetpay: manifest.json has no configSchema; reinstall stetpay');
    cached = manifest.configSchema;
  }
  return cached;
}
