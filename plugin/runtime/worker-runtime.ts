/**
 * Everything `stetpay worker` runs in one process: the submit worker, the
 * write-back drainer, the sync/sweep and nightly-run workers, and the consent
 * callback server. `close()` stops them in order: callback server (no new
 * checks), workers (in-flight jobs finish), drainer (pending results written),
 * queues and connections.
 */
import type { Logger } from 'pino';
import { readReservedBills, readTrackedBills, registerPayments, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import {
  bindOdooPort,
  closeInOrder,
  createScheduledWorker,
  scheduledSync,
  createSubmitWorker,
  createRedisConnection,
  stetBankPort,
  StetpayQueues,
  sweepQueuedBills,
  syncStatuses,
  checkConsentedPayment,
  WritebackDeadLetterError,
  WritebackDrainer,
  ReservationGate,
  type SubmitJobData,
  type Closable,
  type OdooPort,
  type SyncSummary,
} from '../../worker/index.js';
import { CONSENT_CHECK_RETRY, odooLinks, redisNonceStore, startCallbackServer, UnknownPaymentError, type CallbackServer } from '../callback/index.js';
import type { ConfigWith } from '../config/index.js';
import { openBank, submissionSettings, submitLock, syncRate } from '../connect/open-bank.js';
import { openPayeeVerifier } from '../run/payee-checks.js';
import { findBankJournalId, openOdoo } from '../connect/open-odoo.js';
import { withConsentLinks } from '../callback/job-consent-links.js';
import { RunInProgressError, runPayments } from '../run/run-payments.js';
import { eventLog } from './logger.js';
import { openReserved, signatoryPort, signatoryRoutes } from '../signatory/index.js';
import { activityNotices } from '../activities/index.js';

export type WorkerConfig = ConfigWith<'odoo' | 'redis' | 'bank' | 'callback'>;

export interface WorkerRuntimeOptions {
  logger: Logger;
  /** Start the consent callback server. @defaultValue true */
  callbackServer?: boolean;
  /** Submit jobs in flight in this process. @defaultValue config.worker.concurrency */
  concurrency?: number;
  /** Start the queue workers (submit, scheduled sync, nightly run); false for a one-off sync. @defaultValue true */
  workers?: boolean;
}

export interface WorkerRuntime {
  odoo: OdooClient;
  odooPort: OdooPort;
  queues: StetpayQueues;
  callback?: CallbackServer;
  /** One status sync now (what the scheduler and the callback trigger), then the sweeper. */
  syncNow(billIds?: number[]): Promise<SyncSummary>;
  close(): Promise<boolean>;
}

export async function startWorkerRuntime(config: WorkerConfig, opts: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  // What is open so far, last first: a start-up failure closes it all, so the process exits (and a supervisor restarts it).
  const opened: Closable[] = [];
  try {
    return await assemble(config, opts, (c) => opened.unshift(c));
  } catch (err) {
    await closeInOrder(opened);
    throw err;
  }
}

async function assemble(config: WorkerConfig, opts: WorkerRuntimeOptions, opening: (c: Closable) => void): Promise<WorkerRuntime> {
  const log = eventLog(opts.logger);
  const odoo = await openOdoo(config.odoo);
  opening({ close: () => odoo.close() });
  const journalId = await findBankJournalId(odoo);
  // The config's redis section is the connection target: one server, or a cluster (`redis.cluster`).
  const target = config.redis;
  const { prefix } = target;
  const queues = await StetpayQueues.open({ connection: target, prefix });
  opening(queues);
  // Every bank call of this process (submit, sync, the callback's check, the signatory's page) waits for the shared limit.
  const { client: stet, profile } = openBank(config.bank, { redis: queues.redis, prefix });
  opening({ close: () => stet.close() });
  const submission = submissionSettings(config.bank, profile);
  const consent = { windowMs: submission.consentWindowMs, timeZone: config.payments.timeZone };
  const bank = stetBankPort(stet);
  const odooPort = bindOdooPort(odoo, { writeBillUpdates, readTrackedBills, readReservedBills, registerPayments }, { journalId });
  const closables: Closable[] = [];

  const drainerRedis = createRedisConnection(target, 'worker');
  opening({ close: () => drainerRedis.quit() });
  const drainer = new WritebackDrainer(drainerRedis, odooPort, {
    prefix,
    batchSize: config.worker.writebackBatchSize,
    // The drain lock is renewed every third of its life while a drain runs, so a second drainer never
    // writes newer updates that this one's late write would overwrite; its life (2x one Odoo call)
    // is how long a killed drainer holds the list up.
    lockTtlMs: 2 * config.odoo.timeoutMs,
    onError: (err: unknown, pending: number) =>
      err instanceof WritebackDeadLetterError
        ? log('writeback.dead_letter', { billIds: err.billIds, key: err.deadLetterKey, error: err.message })
        : log('writeback.retry', { pending, error: err instanceof Error ? err.message : String(err) }),
  });
  drainer.start();
  opening(drainer);

  const startWorkers = opts.workers !== false;
  const submitOptions = {
    connection: target,
    prefix,
    concurrency: opts.concurrency ?? config.worker.concurrency,
    ...submitLock(config.bank),
    log,
  };
  const syncDeps = { odoo: odooPort, bank, writeback: queues.writeback, ledger: queues.ledger };
  // The on-signatory POST from the signatory's page: the workers' gate, ledger and body, another claim token per request.
  const pageSend = {
    bank,
    ledger: queues.ledger,
    writeback: queues.writeback,
    prepareRequest: (data: SubmitJobData) => withConsentLinks(config.callback, data),
    gate: new ReservationGate(odooPort, { ttlMs: 2000 }),
    consent,
    log,
  };
  const signatoryOdoo = signatoryPort({
    odoo,
    redis: queues.redis,
    prefix,
    ledger: queues.ledger,
    signatoryQueue: queues.signatory,
    consentWindowMs: submission.consentWindowMs,
    approversGroup: config.approvals.approversGroup,
    openReserved: (p) => openReserved({ send: pageSend, ledger: queues.ledger, signatoryQueue: queues.signatory, waitMs: 2 * config.bank.responseTimeoutMs }, p.paymentId),
  });
  const notices = activityNotices({
    odoo,
    redis: queues.redis,
    prefix,
    activities: config.activities,
    timeZone: config.payments.timeZone,
    callback: config.callback,
    consentWindowMs: submission.consentWindowMs,
    waiting: signatoryOdoo.waiting,
    log,
  });
  async function syncNow(billIds?: number[]): Promise<SyncSummary> {
    await drainer.flush(); // results of submissions first, so sync sees their resource ids
    const summary = await syncStatuses(syncDeps, {
      journalId,
      billIds,
      bankRetentionDays: profile.retentionDays,
      // A consent check (one bill) is not paced.
      requestsPerSecond: billIds ? undefined : syncRate(config.bank, profile),
      confirm: profile.requiresConfirmation,
      consent,
      timeZone: config.payments.timeZone,
      log,
    });
    await drainer.flush();
    if (!billIds) {
      // Each sweep logs what it did (sweeper.swept, and each bill given an outcome).
      await sweepQueuedBills({
        odoo: odooPort,
        ledger: queues.ledger,
        submitQueue: queues.submit,
        signatoryQueue: queues.signatory,
        mode: submission.mode,
        writeback: queues.writeback,
        database: odoo.database,
        jobOptions: { attempts: config.worker.attempts },
        log,
      });
      await drainer.flush();
      // Odoo tells the clerks what went wrong and, once a morning, the signatories what waits; a failure here never fails the sync.
      await notices.run().catch((err: unknown) => log('activities.failed', { error: err instanceof Error ? err.message : String(err) }));
    }
    return summary;
  }

  let callback: CallbackServer | undefined;
  if (opts.callbackServer !== false) {
    const nonces = redisNonceStore(queues.redis, prefix);
    const signatory = signatoryRoutes({
      ...signatoryOdoo,
      secret: config.callback.secret,
      secureCookie: config.callback.publicUrl.startsWith('https:'),
      timeZone: config.payments.timeZone,
      consentWindowMs: submission.consentWindowMs,
      log: opts.logger,
    });
    callback = await startCallbackServer({
      host: config.callback.listenHost,
      port: config.callback.listenPort,
      secret: config.callback.secret,
      markUsed: (n) => nonces.markUsed(n),
      knows: async (paymentId) => (await queues.ledger.get(paymentId)) !== null,
      log: opts.logger,
      odooLinks: odooLinks(config.odoo.url, odoo.version),
      billName: async (billId) => (await readTrackedBills(odoo, { billIds: [billId] }))[0]?.name,
      routes: signatory.handle,
      returnTo: signatory.returnLocation,
      checkStatus: async ({ paymentId, billId }) => {
        if (!(await queues.ledger.get(paymentId))) throw new UnknownPaymentError(paymentId);
        // The usual answer (consent given, nothing to confirm): from the ledger, the bank and the batched
        // write-back, without an Odoo call; the bill's number from its job. Anything else: the full sync below.
        if (!profile.requiresConfirmation) {
          const quick = await checkConsentedPayment({ bank, ledger: queues.ledger, writeback: queues.writeback }, paymentId);
          if (quick.kind === 'recorded') {
            log('callback.consent_recorded', { paymentId, billId: quick.billId, status: quick.status });
            await signatoryOdoo.noteAccepted(paymentId); // the signatory's page shows it before the batched write reaches Odoo
            const job = await queues.submit.getJob(paymentId).catch(() => undefined);
            return job?.data.billName ? { billName: job.data.billName } : undefined;
          }
        }
        // The sync confirms a consented payment where the bank needs it (STET 1.6; not NWM).
        // Every bill of the request (several transfers share one consent). The bank may redirect
        // before our write-back recorded its answer: retry briefly.
        const ids = (await readTrackedBills(odoo, { paymentInformationIds: [paymentId] })).map((b) => b.billId);
        for (let i = 0; i < CONSENT_CHECK_RETRY.attempts; i++) {
          const s = await syncNow(ids.length ? ids : [billId]);
          if (s.checked > 0) break;
          await new Promise((r) => setTimeout(r, CONSENT_CHECK_RETRY.intervalMs));
        }
        const [bill] = await readTrackedBills(odoo, { billIds: [billId] });
        return bill ? { billName: bill.name } : undefined;
      },
    }).catch((err: unknown) => {
      throw callbackListenError(err, config.callback);
    });
    closables.push(callback);
    opening(callback);
  }
  // The workers last: nothing is taken from the queues before everything they need is up.
  if (startWorkers) void stet.prefetchToken();
  const submit = startWorkers ? createSubmitWorker(submitOptions, { bank, prepareRequest: (data) => withConsentLinks(config.callback, data), odoo: odooPort, consent }) : undefined;
  const syncWorker = startWorkers
    ? createScheduledWorker('sync', { connection: target, prefix }, async () => {
        const r = await scheduledSync(queues.submit, () => syncNow());
        if (r.deferred) log('sync.deferred', { sending: r.sending });
        return r;
      })
    : undefined;
  const runWorker = startWorkers
    ? createScheduledWorker('run', { connection: target, prefix }, async () => {
        try {
          const payeeVerifier = openPayeeVerifier(config.vop);
          let s;
          try {
            s = await runPayments({ odoo, config, profile, queues, payeeVerifier });
          } finally {
            payeeVerifier?.close();
          }
          log('run.done', { bills: s.bills, byStatus: s.byStatus, enqueued: s.enqueued, warnings: s.warnings, payeeChecks: s.payeeChecks });
          return { bills: s.bills, byStatus: s.byStatus };
        } catch (err) {
          // A run started by hand is still going: it takes these bills; tonight's run has nothing to add.
          if (!(err instanceof RunInProgressError)) throw err;
          log('run.skipped', { reason: err.message });
          return { skipped: err.message };
        }
      })
    : undefined;

  // After the workers stopped, write what they produced (bounded: Odoo may be down; nothing is lost then, the next worker writes it).
  const finalFlush = { close: () => Promise.race([drainer.flush().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]) };
  for (const w of [submit, syncWorker, runWorker]) if (w) closables.push(w);
  closables.push(finalFlush, drainer, { close: () => drainerRedis.quit() }, queues, { close: () => stet.close() }, { close: () => odoo.close() });

  return { odoo, odooPort, queues, callback, syncNow, close: () => closeInOrder(closables, (m) => log('shutdown', { step: m })) };
}

/** The callback port cannot be had: say which setting to change (a second worker on one host is the usual cause). */
function callbackListenError(err: unknown, c: { listenHost: string; listenPort: number }): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const where = `the consent callback cannot listen on ${c.listenHost}:${c.listenPort}`;
  if (code === 'EADDRINUSE') {
    return new Error(`${where}: the port is taken (another stetpay worker on this host?): start this worker with --no-callback, or give it its own --callback-port (callback.listenPort, STETPAY_CALLBACK_PORT)`);
  }
  if (code === 'EACCES') return new Error(`${where}: permission denied (ports below 1024 need privileges): set callback.listenPort (STETPAY_CALLBACK_PORT) to 1024 or above`);
  if (code === 'EADDRNOTAVAIL') return new Error(`${where}: this host has no such address: check callback.listenHost (STETPAY_CALLBACK_HOST)`);
  return err;
}
