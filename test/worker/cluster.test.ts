import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../../plugin/config/index.js';
import { createRedisConnection, isClusterClient, type RedisClient, type RedisTarget } from '../../worker/connection.js';
import { enqueuePayments } from '../../worker/enqueue-payments.js';
import { ledgerKey } from '../../worker/ledger/ledger-entry.js';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { createSubmitWorker, type SubmitWorkerHandle } from '../../worker/submit-worker.js';
import { WritebackDrainer } from '../../worker/writeback/writeback-drainer.js';
import { clusterUnavailable, startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { paymentJob, RecordingBank, RecordingOdoo, waitFor } from './support.js';

const PREFIX = '{stetpay-t}';

/** stetpay's parts on one cluster target, as `stetpay worker` runs them: queues, a submit worker on a recording bank, a drainer's connection. */
class ClusterParts {
  readonly bank = new RecordingBank();
  readonly submit: SubmitWorkerHandle;
  readonly drainerRedis: RedisClient;

  private constructor(readonly queues: StetpayQueues, target: RedisTarget) {
    this.submit = createSubmitWorker({ connection: target, prefix: PREFIX, backoff: { baseDelayMs: 20, maxDelayMs: 100 }, requestsPerSecond: 100 }, { bank: this.bank });
    this.drainerRedis = createRedisConnection(target, 'worker');
  }

  static async open(target: RedisTarget): Promise<ClusterParts> {
    return new ClusterParts(await StetpayQueues.open({ connection: target, prefix: PREFIX }), target);
  }

  /** Enqueues these payments, waits until every job completed, then drains the write-back into a fresh recording Odoo. */
  async payAndDrain(numbers: number[]): Promise<RecordingOdoo> {
    const payments = numbers.map((n) => paymentJob(n));
    await enqueuePayments(this.queues.submit, payments);
    await waitFor(async () => {
      const states = await Promise.all(payments.map((p) => this.queues.submit.getJobState(p.ids.paymentInformationId)));
      return states.every((s) => s === 'completed');
    }, 60_000, 'every payment completed'); // after a failover the workers' blocking connections reconnect slowly on a loaded machine
    const odoo = new RecordingOdoo();
    const drainer = new WritebackDrainer(this.drainerRedis, odoo, { prefix: PREFIX, maxDelayMs: 50, pollMs: 20 });
    await drainer.flush();
    await drainer.close();
    return odoo;
  }

  /** The pids the bank received, sorted (one entry per POST). */
  posted(): string[] {
    return this.bank.posts.map((p) => p.pid).sort();
  }

  async close(): Promise<void> {
    await this.submit.close();
    await this.queues.close();
    await this.drainerRedis.quit().catch(() => this.drainerRedis.disconnect());
  }
}

const pidsOf = (numbers: number[]) => numbers.map((n) => paymentJob(n).ids.paymentInformationId);

/** Seeds for stetpay: every node but the one serving the hash tag (a plain client on them only gets MOVED). */
async function targetAvoidingOwner(cluster: TestRedisCluster): Promise<RedisTarget> {
  const owner = await cluster.ownerOf(PREFIX);
  const seeds = cluster.urls.filter((_, i) => cluster.ports[i] !== owner);
  return { url: seeds[0]!, cluster: true, nodes: seeds.slice(1) };
}

async function skipWithoutRedisCli(ctx: Mocha.Context): Promise<void> {
  const why = await clusterUnavailable();
  if (!why) return;
  console.log(`    skipped: ${why}`);
  ctx.skip();
}

describe('Redis Cluster (three real masters: queues, ledger, write-back under one hash tag)', function () {
  this.timeout(60_000);
  let cluster: TestRedisCluster;
  let target: RedisTarget;
  let parts: ClusterParts;

  before(async function () {
    await skipWithoutRedisCli(this);
    cluster = await startRedisCluster();
    target = await targetAvoidingOwner(cluster);
  });
  after(async () => {
    await cluster?.stop();
  });
  beforeEach(async () => {
    parts = await ClusterParts.open(target);
  });
  afterEach(async () => {
    await parts?.close();
  });

  it('CLUSTER-01 a submit worker pays each payment once, records it in the ledger and drains the write-back, all keys on one node', async () => {
    const { queues } = parts;
    expect(isClusterClient(queues.redis)).to.equal(true);
    expect(isClusterClient(parts.submit.redis)).to.equal(true);
    const plain = new Redis(target.url, { maxRetriesPerRequest: 0 });
    try {
      // What stetpay did before: one plain connection to the seed. Redis answers MOVED, which it does not follow.
      const err = await plain.hgetall(ledgerKey(PREFIX, 'PI-X')).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.match(/^MOVED /);
    } finally {
      plain.disconnect();
    }

    const numbers = [1, 2, 3, 4, 5];
    const odoo = await parts.payAndDrain(numbers);
    const pids = pidsOf(numbers);

    expect(parts.posted()).to.deep.equal([...pids].sort()); // each POSTed exactly once
    for (const pid of pids) expect(await queues.ledger.get(pid)).to.include({ state: 'sent', status: 'submitted' });
    expect(await queues.writeback.pending()).to.equal(0);
    expect(numbers.map((n) => odoo.bills.get(n)?.status)).to.deep.equal(numbers.map(() => 'submitted'));
    expect(numbers.map((n) => odoo.bills.get(n)?.paymentInformationId)).to.deep.equal(pids);

    // Every key of stetpay is on the node serving the tag's slot; the other nodes hold none.
    const owner = await cluster.ownerOf(PREFIX);
    for (const port of cluster.ports) {
      const keys = (await cluster.cli(port, '--scan')).split('\n').filter(Boolean);
      if (port !== owner) expect(keys, `keys on node ${port}`).to.deep.equal([]);
      else {
        expect(keys.length).to.be.greaterThan(pids.length);
        expect(keys.filter((k) => !k.startsWith(`${PREFIX}:`))).to.deep.equal([]);
        expect(keys).to.include.members(pids.map((pid) => ledgerKey(PREFIX, pid)));
      }
    }
  });

  it('CLUSTER-02 the slot moves to another node between two runs: the running connections follow MOVED and pay the second run once', async () => {
    await parts.payAndDrain([11, 12]);
    const from = await cluster.ownerOf(PREFIX);
    const to = cluster.ports.find((p) => p !== from)!;
    await moveSlot(cluster, PREFIX, from, to);
    expect(await cluster.ownerOf(PREFIX)).to.equal(to);

    const odoo = await parts.payAndDrain([13, 14, 15]);
    expect(parts.posted()).to.deep.equal(pidsOf([11, 12, 13, 14, 15]).sort());
    expect(await parts.queues.ledger.get(pidsOf([11])[0]!)).to.include({ state: 'sent' }); // migrated with the slot
    expect([13, 14, 15].map((n) => odoo.bills.get(n)?.status)).to.deep.equal(['submitted', 'submitted', 'submitted']);
    expect(await parts.queues.writeback.pending()).to.equal(0);
  });
});

describe('Redis Cluster failover (three masters, a replica each)', function () {
  this.timeout(150_000);
  let cluster: TestRedisCluster;
  let parts: ClusterParts | undefined;

  before(async function () {
    await skipWithoutRedisCli(this);
    cluster = await startRedisCluster({ replicas: true, nodeTimeoutMs: 1000 });
  });
  after(async () => {
    await parts?.close();
    await cluster?.stop();
  });

  it('CLUSTER-03 the master of the hash tag stops: its replica takes over, the running connections follow, the second run is paid once', async () => {
    parts = await ClusterParts.open(await targetAvoidingOwner(cluster));
    await parts.payAndDrain([21, 22]);
    const master = await cluster.ownerOf(PREFIX);
    await cluster.stopNode(master); // SIGTERM: Redis 7 lets the replica catch up first
    const promoted = await waitFor(async () => {
      const owner = await cluster.ownerOf(PREFIX).catch(() => master);
      return owner !== master && owner;
    }, 30_000, 'a replica to take over the hash tag\'s slot');
    expect(promoted).to.not.equal(master);

    const odoo = await parts.payAndDrain([23, 24, 25]);
    expect(parts.posted()).to.deep.equal(pidsOf([21, 22, 23, 24, 25]).sort());
    expect(await parts.queues.ledger.get(pidsOf([21])[0]!)).to.include({ state: 'sent' }); // replicated before the stop
    expect([23, 24, 25].map((n) => odoo.bills.get(n)?.status)).to.deep.equal(['submitted', 'submitted', 'submitted']);
  });
});

/** What `redis-cli --cluster reshard` does, for one slot: mark it, MIGRATE its keys, hand it over on every node. */
async function moveSlot(cluster: TestRedisCluster, key: string, from: number, to: number): Promise<void> {
  const slot = (await cluster.cli(from, 'cluster', 'keyslot', key)).trim();
  const id = async (port: number) => (await cluster.cli(port, 'cluster', 'myid')).trim();
  const [fromId, toId] = [await id(from), await id(to)];
  await cluster.cli(to, 'cluster', 'setslot', slot, 'importing', fromId);
  await cluster.cli(from, 'cluster', 'setslot', slot, 'migrating', toId);
  for (;;) {
    const keys = (await cluster.cli(from, 'cluster', 'getkeysinslot', slot, '100')).split('\n').filter(Boolean);
    if (keys.length === 0) break;
    await cluster.cli(from, 'migrate', '127.0.0.1', String(to), '', '0', '5000', 'keys', ...keys);
  }
  for (const port of [to, from, ...cluster.ports.filter((p) => p !== from && p !== to)]) await cluster.cli(port, 'cluster', 'setslot', slot, 'node', toId);
}

describe('Redis Cluster config (no cluster needed)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-cluster-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      loadConfig({ cwd: dir, env });
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return [...(err as ConfigError).problems];
    }
    return [];
  }

  it('CLUSTER-04 cluster mode without a {hash-tag} prefix is refused, naming redis.prefix and what it expects', () => {
    expect(problemsOf({ STETPAY_REDIS_URL: 'redis://10.0.0.1:7000', STETPAY_REDIS_CLUSTER: '1' })).to.deep.equal([
      "config: redis.prefix must carry a hash tag such as {stetpay} when redis.cluster is true, so all of stetpay's keys share one cluster slot (got 'bull')",
    ]);
    expect(problemsOf({ STETPAY_REDIS_URL: 'redis://10.0.0.1:7000', STETPAY_REDIS_CLUSTER: 'true', STETPAY_REDIS_PREFIX: 'stetpay{}' })).to.deep.equal([
      "config: redis.prefix must carry a hash tag such as {stetpay} when redis.cluster is true, so all of stetpay's keys share one cluster slot (got 'stetpay{}') (from STETPAY_REDIS_PREFIX)",
    ]);
    expect(problemsOf({ STETPAY_REDIS_URL: 'redis://10.0.0.1:7000', STETPAY_REDIS_NODES: 'redis://10.0.0.2:7000' })).to.deep.equal([
      'config: redis.nodes is read only when redis.cluster is true: set redis.cluster (STETPAY_REDIS_CLUSTER=1) or remove redis.nodes (from STETPAY_REDIS_NODES)',
    ]);
    expect(problemsOf({ STETPAY_REDIS_URL: 'redis://10.0.0.1:7000', STETPAY_REDIS_CLUSTER: 'maybe', STETPAY_REDIS_PREFIX: '{stetpay}' })).to.deep.equal([
      "config: redis.cluster must be true or false (got 'maybe', a string) (from STETPAY_REDIS_CLUSTER)",
    ]);
  });

  it('CLUSTER-05 cluster mode with a hash tag loads; the queues refuse a cluster without one before connecting', async () => {
    const c = loadConfig({ cwd: dir, env: { STETPAY_REDIS_URL: 'redis://10.0.0.1:7000', STETPAY_REDIS_CLUSTER: '1', STETPAY_REDIS_PREFIX: '{stetpay}', STETPAY_REDIS_NODES: 'redis://10.0.0.2:7000, redis://10.0.0.3:7000' } });
    expect(c.redis).to.deep.equal({ url: 'redis://10.0.0.1:7000', prefix: '{stetpay}', cluster: true, nodes: ['redis://10.0.0.2:7000', 'redis://10.0.0.3:7000'] });
    expect(loadConfig({ cwd: dir, env: { STETPAY_REDIS_URL: 'redis://127.0.0.1:6379' } }).redis).to.deep.equal({ url: 'redis://127.0.0.1:6379', prefix: 'bull', cluster: false });
    const err = await StetpayQueues.open({ connection: { url: 'redis://127.0.0.1:1', cluster: true }, prefix: 'bull' }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/queue prefix "bull" has no hash tag: on Redis Cluster use one such as "\{stetpay\}"/);
  });

  it('CLUSTER-06 a cluster connection takes its credentials and TLS from the url for every node, and the role\'s options', () => {
    const target = { url: 'rediss://stetpay:p%40ss@127.0.0.1:1', cluster: true, nodes: ['redis://127.0.0.1:2'] };
    const producer = createRedisConnection(target, 'producer');
    const worker = createRedisConnection(target, 'worker');
    producer.disconnect();
    worker.disconnect();
    if (!isClusterClient(producer) || !isClusterClient(worker)) expect.fail('expected ioredis Cluster clients');
    expect(producer.options.redisOptions).to.deep.equal({ username: 'stetpay', password: 'p@ss', tls: {}, maxRetriesPerRequest: 1 });
    expect(producer.options.enableOfflineQueue).to.equal(false);
    expect(worker.options.redisOptions).to.deep.include({ password: 'p@ss', maxRetriesPerRequest: null });
    expect(worker.options.enableOfflineQueue).to.equal(true);
  });
});
