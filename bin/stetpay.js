#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/plugin/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('stetpay is not built: run `npm install` (or `npm run build`) in the stetpay folder first.');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The command is done: it closed what it opened, so the process ends now. Should anything be
// left open after a failure, the exit still comes (a supervisor must see a failed start).
setTimeout(() => process.exit(code), 1000).unref();
