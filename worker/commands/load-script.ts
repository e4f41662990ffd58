import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

/**
 * The text of `worker/commands/<name>.lua`. tsc does not copy .lua files, so
 * from a build dir (dist/worker/commands) we walk up to the source tree.
 */
export function loadScript(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const file = `${name}.lua`;
  let dir = dirname(fileURLToPath(import.meta.url));
  const tried: string[] = [];
  for (let i = 0; i < 8; i++) {
    for (const candidate of [join(dir, file), join(dir, 'worker', 'commands', file)]) {
      tried.push(candidate);
      if (existsSync(candidate)) {
        const text = readFileSync(candidate, 'utf8');
        cache.set(name, text);
        return text;
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`stetpay: Lua script ${file} not found (looked in ${tried.slice(0, 3).join(', ')}...): reinstall stetpay`);
}
