/** What every sandbox does with its servers: listen, close, show its address, wait for Ctrl+C; its certificates' folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** Listens on `port` (0: a free one) and resolves with the port taken. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The host as a URL shows it: brackets for IPv6, loopback for "every interface". */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Resolves on the first SIGINT or SIGTERM (a sandbox's command line then closes it). */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Starts a sandbox with its certificates in `given`, else in a new temporary
 * folder (it holds private keys) that is removed if the start fails and by
 * `removeOwn`, which the sandbox calls when it closes; a given folder stays.
 */
export async function withCertsFolder<T>(given: string | undefined, prefix: string, start: (dir: string, removeOwn: () => Promise<void>) => Promise<T>): Promise<T> {
  const dir = given ?? (await mkdtemp(join(tmpdir(), prefix)));
  const removeOwn = () => (given ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
  try {
    return await start(dir, removeOwn);
  } catch (err) {
    await removeOwn();
    throw err;
  }
}
