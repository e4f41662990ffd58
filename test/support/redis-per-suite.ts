/**
 * Mocha hooks for the tests on a real Redis, as `sandboxPerSuite` is for the
 * bank sandbox: one throwaway redis-server for the suite they are called in,
 * and what each test needs on it (the queues, or a plain client) made before
 * the test and closed after it. `use` receives what was made, for the suite's
 * own variables.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { StetpayQueues } from '../../worker/stetpay-queues.js';
import { startRedis, type TestRedis } from './redis-server.js';

/** A key prefix no other test uses, so that no test sees another's keys (one hash slot, as in production). */
export const freshPrefix = (): string => `{t-${randomUUID()}}`;

/** A redis-server started before the suite's tests and stopped after them. */
export function redisPerSuite(use: (redis: TestRedis) => void): void {
  let redis: TestRedis | undefined;
  before(async () => {
    redis = await startRedis();
    use(redis);
  });
  after(async () => {
    await redis?.stop();
  });
}

export interface QueuesForTest {
  redis: TestRedis;
  queues: StetpayQueues;
  /** The queues' prefix, fresh for each test. */
  prefix: string;
}

/**
 * A redis-server for the suite, and stetpay's queues under a fresh prefix for
 * each test. `closeFirst` runs after each test before the queues close (the
 * workers a test started, which use them).
 */
export function queuesPerTest(use: (q: QueuesForTest) => void, closeFirst?: () => Promise<unknown>): void {
  let redis: TestRedis;
  let queues: StetpayQueues | undefined;
  redisPerSuite((r) => (redis = r));
  beforeEach(async () => {
    const prefix = freshPrefix();
    queues = await StetpayQueues.open({ connection: redis.url, prefix });
    use({ redis, queues, prefix });
  });
  afterEach(async () => {
    await closeFirst?.();
    await queues?.close();
    queues = undefined;
  });
}

export interface RedisClient {
  redis: TestRedis;
  /** A plain ioredis client on it. */
  client: Redis;
}

/** A redis-server and one client on it for the whole suite. */
export function redisClientPerSuite(use: (r: RedisClient) => void): void {
  let redis: TestRedis | undefined;
  let client: Redis | undefined;
  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    use({ redis, client });
  });
  after(async () => {
    await client?.quit();
    await redis?.stop();
  });
}

/**
 * A redis-server for the suite, and a client of its own and a fresh prefix for
 * each test. `closeFirst` runs after each test before the client quits.
 */
export function redisClientPerTest(use: (r: RedisClient & { prefix: string }) => void, closeFirst?: () => Promise<unknown>): void {
  let redis: TestRedis;
  let client: Redis | undefined;
  redisPerSuite((r) => (redis = r));
  beforeEach(() => {
    client = new Redis(redis.url);
    use({ redis, client, prefix: freshPrefix() });
  });
  afterEach(async () => {
    await closeFirst?.();
    await client?.quit();
    client = undefined;
  });
}
