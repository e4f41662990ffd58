/**
 * The gate before a POST: is the bill still as it was when its payment was
 * reserved? The submit processor asks before each claim. Bills are read in
 * batches: the first job that misses reads its own bill and those of the next
 * jobs waiting in the queue (two Odoo calls for up to `batchSize` bills), and
 * each answer serves every job of this process for `ttlMs`; concurrent
 * processors share one read. An Odoo error is "unreachable", never "changed".
 */
import type { PaymentRequestResource, ReservedBill } from '../../connector/model/index.js';
import { reservationChanges } from '../../connector/rules/index.js';
import type { OdooPort } from '../interfaces/odoo-port.js';

export interface ReservationGateOptions {
  /** Ms an answer read from Odoo serves. @defaultValue 10000 */
  ttlMs?: number;
  /** Bills read per batch. @defaultValue 200 */
  batchSize?: number;
  /** The bills of the next jobs waiting in the queue, read along (none: each miss reads one bill). */
  upcoming?: (count: number) => Promise<number[]>;
  now?: () => number;
}

/**
 * `send`: the bill still says exactly what was reserved (or it is unchanged
 * and was reserved by an older stetpay, without a digest). `not_queued`: Odoo
 * no longer shows this payment queued (a person or another path decided).
 * `changed`: what changed, for the clerk. `gone`: the bill was deleted.
 * `unreachable`: Odoo did not answer: send nothing now, try later.
 */
export type GateVerdict =
  | { kind: 'send'; bill: ReservedBill }
  | { kind: 'not_queued'; bill: ReservedBill; now: string }
  | { kind: 'changed'; bill: ReservedBill; changes: string[] }
  | { kind: 'gone' }
  | { kind: 'unreachable'; error: string };

interface Cached {
  at: number;
  bill: ReservedBill | null;
}

export class ReservationGate {
  private readonly cache = new Map<number, Cached>();
  private readonly reading = new Map<number, Promise<void>>();
  /** Set while a read asks the queue for the next bills. */
  private gathering: Promise<void> | null = null;
  private readonly ttlMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  /** Odoo reads made (for tests and logs). */
  reads = 0;

  constructor(
    private readonly odoo: Pick<OdooPort, 'readReservedBills'>,
    private readonly opts: ReservationGateOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.batchSize = opts.batchSize ?? 200;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The verdict for one job: its bill and the request it would send (as
   * stored, without consent links). Only "send" is ever given from an answer
   * read before this call: any other verdict is confirmed by a fresh read (an
   * answer cached before a new attempt was reserved would otherwise stop it).
   */
  async check(billId: number, request: PaymentRequestResource, composition?: readonly string[]): Promise<GateVerdict> {
    const started = this.now();
    let verdict = await this.verdict(billId, request, composition);
    if (verdict.kind !== 'send' && verdict.kind !== 'unreachable' && (this.cache.get(billId)?.at ?? started) < started) {
      this.forget(billId);
      verdict = await this.verdict(billId, request, composition);
    }
    return verdict;
  }

  /**
   * The verdicts for every bill of one request (its part each), read together:
   * one Odoo read for the bills not known fresh, then each is checked as `check` does.
   */
  async checkAll(items: readonly { billId: number; request: PaymentRequestResource }[], composition?: readonly string[]): Promise<GateVerdict[]> {
    const missing = [...new Set(items.map((i) => i.billId))].filter((id) => !this.fresh(id) && !this.reading.has(id));
    if (missing.length > 1) {
      const done = this.fetch(missing).catch(() => undefined); // an error is told by the check of each bill
      for (const id of missing) this.reading.set(id, done);
      try {
        await done;
      } finally {
        for (const id of missing) if (this.reading.get(id) === done) this.reading.delete(id);
      }
    }
    return Promise.all(items.map((i) => this.check(i.billId, i.request, composition)));
  }

  private async verdict(billId: number, request: PaymentRequestResource, composition?: readonly string[]): Promise<GateVerdict> {
    let bill: ReservedBill | null;
    try {
      bill = await this.bill(billId);
    } catch (err) {
      return { kind: 'unreachable', error: err instanceof Error ? err.message : String(err) };
    }
    if (!bill) return { kind: 'gone' };
    if (bill.status !== 'queued' || bill.paymentInformationId !== request.paymentInformationId) {
      const now = bill.paymentInformationId !== request.paymentInformationId ? `it now records payment ${bill.paymentInformationId ?? 'none'}, status ${bill.status ?? 'none'}` : `status ${bill.status ?? 'cleared'}`;
      return { kind: 'not_queued', bill, now };
    }
    const changes = reservationChanges(bill, request, composition);
    return changes.length ? { kind: 'changed', bill, changes } : { kind: 'send', bill };
  }

  /** Forgets a bill's answer (after this process changed it). */
  forget(billId: number): void {
    this.cache.delete(billId);
  }

  private fresh(billId: number): boolean {
    const c = this.cache.get(billId);
    return !!c && this.now() - c.at < this.ttlMs;
  }

  private async bill(billId: number): Promise<ReservedBill | null> {
    while (!this.fresh(billId)) {
      const pending = this.reading.get(billId);
      if (pending) {
        await pending;
        break;
      }
      if (this.gathering) {
        // Another processor is asking the queue which bills come next: this one may be among them.
        await this.gathering;
        continue;
      }
      await this.read(billId);
      break;
    }
    const c = this.cache.get(billId);
    if (!c) throw new Error(`stetpay: no answer from Odoo for bill ${billId}`); // never read as "deleted"
    return c.bill;
  }

  private async read(billId: number): Promise<void> {
    // Announced before the queue is asked for the next bills: a processor arriving meanwhile waits for this read.
    let release!: () => void;
    const gathered = new Promise<void>((r) => (release = r));
    let ids = [billId];
    const done = gathered.then(() => this.fetch(ids));
    this.reading.set(billId, done);
    this.gathering = gathered;
    try {
      if (this.opts.upcoming && this.batchSize > 1) {
        const next = await this.opts.upcoming(this.batchSize).catch(() => [] as number[]);
        ids = [...new Set([billId, ...next.filter((id) => !this.fresh(id) && !this.reading.has(id))])].slice(0, this.batchSize);
      }
      for (const id of ids) this.reading.set(id, done);
    } finally {
      this.gathering = null;
      release();
    }
    try {
      await done;
    } finally {
      for (const id of ids) if (this.reading.get(id) === done) this.reading.delete(id);
    }
  }

  private async fetch(ids: number[]): Promise<void> {
    this.reads++;
    const rows = await this.odoo.readReservedBills(ids);
    const at = this.now();
    for (const [id, c] of this.cache) if (at - c.at >= this.ttlMs) this.cache.delete(id);
    for (const id of ids) this.cache.set(id, { at, bill: null });
    for (const r of rows) this.cache.set(r.billId, { at, bill: r });
  }
}
