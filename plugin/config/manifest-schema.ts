/**
 * The config JSON Schema lives in manifest.json (the plugin's manifest); it is
 * read from the package folder at run time, wherever the code was compiled to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bankProfileIds } from '../../connector/profiles/registry.js';

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

type SchemaNode = { properties?: Record<string, SchemaNode>; enum?: unknown[] };

/**
 * `configSchema` of manifest.json (draft-07), with `bank.profile`'s enum made from the
 * profiles stetpay ships: the list of banks is written once, in connector/profiles.
 */
export function configSchema(): Record<string, unknown> {
  if (!cached) {
    const manifest = JSON.parse(readFileSync(join(findPackageRoot(), 'manifest.json'), 'utf8')) as { configSchema?: Record<string, unknown> };
    if (!manifest.configSchema) throw new Error('stetpay: manifest.json has no configSchema; reinstall stetpay');
    const profile = (manifest.configSchema as SchemaNode).properties?.bank?.properties?.profile;
    if (!profile) throw new Error('stetpay: manifest.json has no bank.profile in its configSchema; reinstall stetpay');
    profile.enum = bankProfileIds();
    cached = manifest.configSchema;
  }
  return cached;
}
