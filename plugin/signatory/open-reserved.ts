/**
 * `on-signatory`: the POST of a reserved payment when the signatory opens it
 * on the signatory's page, then the browser goes straight to the bank's
 * consent page (a fresh consent window every time). The same gate, ledger
 * claim and POST as the workers (worker/send/send-reserved-payment.ts), from
 * the job the run left in the signatory queue. A double click or a second tab
 * never POSTs twice: the second request finds the first one's live claim,
 * waits for its answer in the ledger, and goes to the same consent link.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { hasLiveClaim, sendReservedPayment, type PaymentLedger, type SendDeps, type SubmitJobData, type SubmitOutcome } from '../../worker/index.js';
import type { OpenResult } from './signatory-routes.js';

export interface OpenReservedDeps {
  send: SendDeps;
  ledger: PaymentLedger;
  signatoryQueue: Pick<Queue<SubmitJobData, SubmitOutcome>, 'getJob' | 'remove'>;
  /** Ms a second request waits for the first one's answer before saying the bank is slow. @defaultValue 60000 */
  waitMs?: number;
  /** Ms between two looks at the ledger while waiting. @defaultValue 200 */
  pollMs?: number;
}

export async function openReserved(deps: OpenReservedDeps, paymentId: string): Promise<OpenResult> {
  const job = await deps.signatoryQueue.getJob(paymentId);
  if (!job) return fromLedger(deps, paymentId);
  const r = await sendReservedPayment(deps.send, job.data, { claimToken: `page:${randomUUID()}`, triesBefore: 0, lastTry: false });
  switch (r.kind) {
    case 'done':
      // Decided (the ledger and the write-back have it): the job's work is done.
      await deps.signatoryQueue.remove(paymentId).catch(() => 0);
      if (r.outcome.status === 'submitted' && r.consentUrl) return { kind: 'redirect', url: r.consentUrl };
      return { kind: 'refused', refusal: 'not-sent', detail: r.outcome.reason };
    case 'held':
      return waitForAnswer(deps, paymentId);
    case 'odoo_unreachable':
      return { kind: 'refused', refusal: 'unavailable' };
    case 'rate_limited':
      return { kind: 'refused', refusal: 'bank-busy' };
    case 'credentials':
      return { kind: 'refused', refusal: 'not-sent', detail: r.message };
    case 'retry':
      return { kind: 'refused', refusal: 'bank-silent' };
  }
}

/** Another request (a double click, a second tab) is sending it: its answer, once the ledger has it. */
async function waitForAnswer(deps: OpenReservedDeps, paymentId: string): Promise<OpenResult> {
  const until = Date.now() + (deps.waitMs ?? 60_000);
  for (;;) {
    const entry = await deps.ledger.get(paymentId);
    if (!entry || !hasLiveClaim(entry, deps.ledger.claimTtlMs)) return fromLedger(deps, paymentId);
    if (Date.now() >= until) return { kind: 'refused', refusal: 'bank-silent' };
    await new Promise((r) => setTimeout(r, deps.pollMs ?? 200));
  }
}

/** What the ledger says once nobody sends it: the bank's consent page, or why not. */
async function fromLedger(deps: OpenReservedDeps, paymentId: string): Promise<OpenResult> {
  const entry = await deps.ledger.get(paymentId);
  if (entry?.state === 'sent' && entry.consentUrl) return { kind: 'redirect', url: entry.consentUrl };
  if (entry?.state === 'sending') return { kind: 'refused', refusal: 'bank-silent' };
  if (entry?.state === 'final') return { kind: 'refused', refusal: 'not-sent', detail: entry.reason };
  return { kind: 'refused', refusal: 'not-waiting' };
}
