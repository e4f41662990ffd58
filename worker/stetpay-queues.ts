import { Queue } from 'bullmq';
import { createRedisConnection, isRedisClient, whenReady, type RedisClient } from './connection.js';
import { QUEUE_NAMES, queuePrefix, type StetpayQueueOptions } from './queue-names.js';
import { PaymentLedger } from './ledger/payment-ledger.js';
import type { SubmitJobData, SubmitOutcome } from './submit-job.js';
import { WritebackQueue } from './writeback/writeback-queue.js';

/**
 * The submit queue's event stream cap. BullMQ appends events per job (added,
 * active, completed...) to a stream capped at about 10,000 entries by default,
 * about 120 bytes per pending payment in a large run; no stetpay part reads
 * that stream (the ledger and Odoo are the record), so it is kept short. Every
 * Queue of the submit queue must pass it: each writes it to the queue's meta.
 */
export const SUBMIT_QUEUE_STREAMS = { events: { maxLen: 1000 } };

/**
 * The producer side: the four queues, the ledger and the write-back list on
 * one fail-fast connection, all under one prefix. What `run`, `sync`,
 * `schedule`, the sweeper and the callback server use.
 */
export class StetpayQueues {
  readonly submit: Queue<SubmitJobData, SubmitOutcome>;
  /** Payments reserved for the signatory (`on-signatory`): sent when opened on the signatory's page, never by a worker. */
  readonly signatory: Queue<SubmitJobData, SubmitOutcome>;
  readonly sync: Queue;
  readonly run: Queue;
  readonly ledger: PaymentLedger;
  readonly writeback: WritebackQueue;

  private constructor(
    readonly redis: RedisClient,
    readonly prefix: string,
    private readonly ownsRedis: boolean,
  ) {
    const common = { connection: redis, prefix };
    this.submit = new Queue<SubmitJobData, SubmitOutcome>(QUEUE_NAMES.submit, { ...common, streams: SUBMIT_QUEUE_STREAMS });
    this.signatory = new Queue<SubmitJobData, SubmitOutcome>(QUEUE_NAMES.signatory, { ...common, streams: SUBMIT_QUEUE_STREAMS });
    this.sync = new Queue(QUEUE_NAMES.sync, common);
    this.run = new Queue(QUEUE_NAMES.run, common);
    this.ledger = new PaymentLedger(redis, { prefix });
    this.writeback = new WritebackQueue(redis, { prefix });
  }

  /** Connects (fails fast with a clear message when Redis is unreachable). */
  static async open(opts: StetpayQueueOptions): Promise<StetpayQueues> {
    const prefix = queuePrefix(opts);
    const owns = !isRedisClient(opts.connection);
    const redis = isRedisClient(opts.connection) ? opts.connection : createRedisConnection(opts.connection, 'producer');
    try {
      await whenReady(redis);
    } catch (err) {
      if (owns) redis.disconnect();
      throw err;
    }
    return new StetpayQueues(redis, prefix, owns);
  }

  /**
   * The state of a payment's job, wherever it waits: the submit queue, else the
   * signatory queue ('unknown': neither). What "is its job in Redis, live?" asks.
   */
  async jobState(paymentInformationId: string): Promise<string> {
    const s = await this.submit.getJobState(paymentInformationId);
    return s === 'unknown' ? this.signatory.getJobState(paymentInformationId) : s;
  }

  /** Removes a payment's job from both queues (an active job cannot be removed: its claim answers then). */
  async removeJob(paymentInformationId: string): Promise<void> {
    await Promise.all([this.submit.remove(paymentInformationId), this.signatory.remove(paymentInformationId)]);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.submit.close(), this.signatory.close(), this.sync.close(), this.run.close()]);
    if (this.ownsRedis) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
