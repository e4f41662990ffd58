/**
 * A real, throwaway Redis Cluster: three masters (and a replica each when
 * asked), each a `redis-server --cluster-enabled yes` on a free port, joined
 * by `redis-cli --cluster create`, nothing saved, stopped by pid.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRedis, type TestRedis } from './redis-server.js';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** One `redis://` URL per node, in creation order (the first is the usual seed). */
  urls: string[];
  ports: number[];
  /** `redis-cli` against one node. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the master that serves this key's slot now. */
  ownerOf(key: string): Promise<number>;
  /** Stops one node (SIGTERM), as a crash of its machine would look to the others. */
  stopNode(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** Why a cluster cannot be made here (no redis-cli on PATH), or undefined when it can. */
export async function clusterUnavailable(): Promise<string | undefined> {
  try {
    await run('redis-cli', ['--version']);
    return undefined;
  } catch (err) {
    return `redis-cli not found on PATH (${(err as Error).message}): install it (Debian/Ubuntu: apt-get install redis-tools)`;
  }
}

export interface RedisClusterOptions {
  /** One replica per master, so a master's failure is taken over. @defaultValue false */
  replicas?: boolean;
  /** Ms before a silent node counts as failed (and its replica takes over). @defaultValue 5000 */
  nodeTimeoutMs?: number;
}

export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  const size = opts.replicas ? 6 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'stetpay-cluster-'));
  const nodes: TestRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
  try {
    for (let i = 0; i < size; i++) {
      // A replica writes the RDB of its full sync to disk: in the throwaway folder, not the current one.
      const files = ['--dir', dir, '--dbfilename', `dump-${i}.rdb`, '--cluster-config-file', join(dir, `nodes-${i}.conf`)];
      nodes.push(await startRedis(['--cluster-enabled', 'yes', ...files, '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 5000)]));
    }
    const ports = nodes.map((n) => n.port);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', opts.replicas ? '1' : '0', '--cluster-yes']);
    // Every node must see the whole cluster (all slots served) before a client asks it for the slot map.
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      while (!/cluster_state:ok/.test(await cli(port, 'cluster', 'info'))) {
        if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} did not reach cluster_state:ok`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const stopped = new Set<number>();
    const live = () => ports.find((p) => !stopped.has(p))!;
    return {
      urls: nodes.map((n) => n.url),
      ports,
      cli,
      async ownerOf(key: string) {
        const slot = Number((await cli(live(), 'cluster', 'keyslot', key)).trim());
        // CLUSTER NODES: "<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot or range>..."
        for (const line of (await cli(live(), 'cluster', 'nodes')).split('\n')) {
          const [, addr, flags, , , , , , ...slots] = line.trim().split(' ');
          if (!flags?.includes('master') || flags.includes('fail')) continue;
          const port = Number(addr?.split('@')[0]?.split(':')[1]);
          const serves = slots.some((r) => {
            const [lo, hi = lo] = r.split('-').map(Number);
            return lo! <= slot && slot <= hi!;
          });
          if (serves) return port;
        }
        throw new Error(`no node serves slot ${slot} of ${key}`);
      },
      stopNode: async (port: number) => {
        stopped.add(port);
        await nodes.find((n) => n.port === port)!.stop();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
