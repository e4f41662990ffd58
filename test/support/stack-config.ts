/**
 * stetpay's config for the parts a test started (Odoo, Redis, the bank),
 * loaded and checked the way the commands load it: no environment, a folder
 * of its own, a Redis prefix of its own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, requireSections } from '../../plugin/config/index.js';

export interface StackSections {
  odoo: Record<string, unknown>;
  redisUrl: string;
  bank: Record<string, unknown>;
}

/** `name` names the temporary folder and the Redis prefix (`{name-xxxxxxxx}`). */
export function stackConfig(name: string, s: StackSections) {
  return requireSections(
    loadConfig({
      env: {},
      cwd: mkdtempSync(join(tmpdir(), `stetpay-${name}-test-`)),
      overrides: {
        odoo: s.odoo,
        redis: { url: s.redisUrl, prefix: `{${name}-${randomUUID().slice(0, 8)}}` },
        bank: s.bank,
        callback: { publicUrl: 'https://stetpay.example.test', secret: 'x'.repeat(40) },
      },
    }),
    ['odoo', 'redis', 'bank', 'callback'],
  );
}
