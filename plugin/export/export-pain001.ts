/**
 * `stetpay export pain001` without the terminal: the fallback transfer file for
 * online banking when the bank's API is down. It files only what can be
 * nowhere else, and only what was reserved. Order matters, for "never twice
 * across channels" and "never lost":
 * 1. pick the bills (default: `queued`, never sent: no bank resource id) and
 *    take each payment from the request Odoo recorded at reservation (digest
 *    checked, bill unchanged), never from the bill as it is now;
 * 2. check the file can be built and written, before touching anything;
 * 3. under one export lock, claim each payment in the ledger as `exported`,
 *    only when Redis proves the API never had it: its job is in Redis and the
 *    ledger has no entry (any entry but `exported` says the API has or may
 *    have it; no trace at all says Redis forgot what it knew);
 * 4. write the file (temporary name, then rename);
 * 5. mark the bills `exported` in Odoo with the file's name and a chatter note.
 * A bill the ledger already shows exported (an earlier file whose Odoo update
 * failed) is never put in a second file: Odoo is brought up to date instead.
 */
import { constants } from 'node:fs';
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { odooNow, type BillUpdate, type ReservedBill } from '../../connector/model/index.js';
import { readReservedBills, readTrackedBills, writeBillUpdates, type OdooClient } from '../../connector/odoo/index.js';
import { buildPain001, type Pain001Payment, type Pain001Version } from '../../connector/pain001/index.js';
import { formatCents, reservationChanges, reservationOf, storedRequest } from '../../connector/rules/index.js';
import { entryEvidence, needsReviewUpdate, withdrawnUpdate, type PaymentLedger, type RedisClient } from '../../worker/index.js';
import { CommandFailure } from '../cli-args.js';
import type { PaymentsConfig } from '../config/index.js';
import { withExportLock } from './export-lock.js';
import { creationDateTime, exportMessageId, localDay } from './file-names.js';

/**
 * Why a queued bill with no trace in Redis is not put in a file. It advises
 * nothing that leads to filing it: the API path may have it, and only the API
 * path (with the same ids, which the bank refuses twice) may send it now.
 */
export const NO_TRACE =
  'stetpay has no trace of this payment in Redis (no job, no ledger entry: Redis was lost, or its record expired), so the API may already have sent it: it is never put in a file. ' +
  'The workers send it again through the API under the same ids (the bank refuses a second copy); check it in online banking if it must be paid today';

export interface ExportDeps {
  odoo: OdooClient;
  /** The queues' Redis side: the ledger, its connection and prefix, and the submit queue (waiting jobs of exported payments are removed). */
  queues: { ledger: PaymentLedger; redis: RedisClient; prefix: string; jobState(pid: string): Promise<string>; removeJob(pid: string): Promise<void> };
  /** The payment settings: the time zone of the file's dates. */
  payments: Readonly<PaymentsConfig>;
  /** @defaultValue new Date() */
  now?: Date;
}

export interface ExportOptions {
  /** Where the file goes; must not exist yet. */
  outPath: string;
  /** pain.001.001.09 or .03. @defaultValue '09' */
  version?: Pain001Version;
  /** Only these bills: Odoo ids, or bill numbers (each must still be `queued` and never sent). @defaultValue every such bill */
  billIds?: (number | string)[];
}

export interface ExportedBill {
  billId: number;
  name: string;
  endToEndId: string;
  amountCents: number;
  executionDate: string;
}

export interface SkippedBill {
  billId: number;
  name: string;
  /** Why it is not in the file, for the person running the export. */
  reason: string;
}

export interface ExportResult {
  /** The file written (absolute), or null when no bill could be exported. */
  file: string | null;
  messageId: string | null;
  exported: ExportedBill[];
  skipped: SkippedBill[];
  /** Bills an earlier file already holds (per the ledger) whose Odoo record was brought up to date now. */
  recorded: SkippedBill[];
  totalCents: number;
}

interface Candidate {
  bill: ReservedBill;
  payment: Pain001Payment;
  paymentInformationId: string;
  debtor: { name: string; iban: string; bic?: string };
  initiatingPartyName: string;
  categoryPurpose?: string;
}

/** Bill ids for the refs given (ids, or bill numbers: one search for all numbers). */
async function billIdsOf(odoo: OdooClient, refs: (number | string)[], skipped: SkippedBill[]): Promise<number[]> {
  const ids = new Set<number>();
  const names: string[] = [];
  for (const r of refs) {
    const text = String(r).trim();
    if (/^\d+$/.test(text)) ids.add(Number(text));
    else names.push(text);
  }
  if (names.length) {
    const rows = await odoo.call<{ id: number; name: string }[]>('account.move', 'search_read', [[['name', 'in', names], ['move_type', 'in', ['in_invoice', 'in_refund', 'in_receipt']]]], { fields: ['name'] });
    for (const n of names) {
      const hits = rows.filter((row) => row.name === n);
      if (hits.length === 1) ids.add(hits[0]!.id);
      else skipped.push({ billId: 0, name: n, reason: hits.length ? 'several vendor bills have this number: give its id' : 'no vendor bill has this number in Odoo' });
    }
  }
  return [...ids];
}

/** Bills to consider, and those refused from their Odoo record alone. */
async function pickBills(odoo: OdooClient, refs: (number | string)[] | undefined, skipped: SkippedBill[]): Promise<ReservedBill[]> {
  const wanted = refs ? await billIdsOf(odoo, refs, skipped) : (await readTrackedBills(odoo, { statuses: ['queued'] })).map((b) => b.billId);
  const bills = wanted.length ? await readReservedBills(odoo, wanted, { withRequest: true }) : [];
  if (refs) {
    const found = new Set(bills.map((b) => b.billId));
    for (const id of wanted) if (!found.has(id)) skipped.push({ billId: id, name: String(id), reason: 'no such bill in Odoo' });
  }
  return bills.filter((b) => {
    if (b.status !== 'queued') {
      skipped.push({ billId: b.billId, name: b.name, reason: b.status === null ? 'stetpay has not queued it (run stetpay run first)' : `its status is ${b.status}: only queued payments never sent to the bank can go in a file` });
      return false;
    }
    if (b.resourceId) {
      skipped.push({ billId: b.billId, name: b.name, reason: `the bank already has it through the API (resource ${b.resourceId})` });
      return false;
    }
    if (!b.paymentInformationId || !b.endToEndId || b.attempt < 1) {
      skipped.push({ billId: b.billId, name: b.name, reason: 'its payment ids are not recorded in Odoo: a person must look at it' });
      return false;
    }
    return true;
  });
}

/** Each payment exactly as reserved: the stored request, checked against its digest and against the bill as it is now. */
function fromReservation(bills: ReservedBill[], today: string, skipped: SkippedBill[]): Candidate[] {
  const out: Candidate[] = [];
  for (const bill of bills) {
    const stored = storedRequest(bill);
    if (!stored.request) {
      skipped.push({ billId: bill.billId, name: bill.name, reason: `${stored.problem}: it is not put in a file` });
      continue;
    }
    const r = stored.request;
    const changes = reservationChanges(bill, r, bill.members ?? undefined);
    if (changes.length) {
      skipped.push({ billId: bill.billId, name: bill.name, reason: `the bill changed after its payment was reserved (${changes.join('; ')}): it is not put in a file; the workers record it withdrawn` });
      continue;
    }
    const reservation = reservationOf(r);
    if (reservation.currency !== 'EUR') {
      skipped.push({ billId: bill.billId, name: bill.name, reason: `it is in ${reservation.currency}: a SEPA transfer file takes EUR only` });
      continue;
    }
    if (reservation.executionDate < today) {
      skipped.push({ billId: bill.billId, name: bill.name, reason: `its reserved execution date ${reservation.executionDate} has passed: it is not put in a file as reserved. Stop it (stetpay cancel ${bill.name}), then send it anew (stetpay retry ${bill.name}, then stetpay run)` });
      continue;
    }
    const tx = r.creditTransferTransaction[0]!;
    const rf = tx.remittanceInformation?.structured?.[0]?.creditorReferenceInformation?.reference;
    const ustrd = tx.remittanceInformation?.unstructured?.[0];
    out.push({
      bill,
      paymentInformationId: reservation.paymentInformationId,
      payment: {
        endToEndId: reservation.endToEndId,
        instructionId: tx.paymentId.instructionId,
        amountCents: reservation.amountCents,
        currency: 'EUR',
        creditorName: tx.beneficiary.creditor.name,
        creditorIban: reservation.iban,
        ...(tx.beneficiary.creditorAgent?.bicFi ? { creditorBic: tx.beneficiary.creditorAgent.bicFi } : {}),
        remittance: rf ? { creditorReference: rf } : ustrd ? { unstructured: ustrd } : {},
        requestedExecutionDate: reservation.executionDate,
      },
      debtor: { name: r.debtor?.name ?? '', iban: r.debtorAccount?.iban ?? '', ...(r.debtorAgent?.bicFi ? { bic: r.debtorAgent.bicFi } : {}) },
      initiatingPartyName: r.initiatingParty.name,
      categoryPurpose: r.paymentTypeInformation.categoryPurpose,
    });
  }
  // One file pays from one account: other debtors wait for a file of their own.
  const whole = wholeRequests(out, skipped);
  const first = whole[0];
  return whole.filter((c) => {
    if (!first || c.debtor.iban === first.debtor.iban) return true;
    skipped.push({ billId: c.bill.billId, name: c.bill.name, reason: `it is paid from another account (${c.debtor.iban}): export it with --bills in a file of its own` });
    return false;
  });
}

/**
 * A request of several transfers goes in a file whole or not at all: its ids
 * are claimed once for all its bills. Every bill it records must be here, as
 * reserved; else none of them is filed (the API path keeps them).
 */
function wholeRequests(cs: Candidate[], skipped: SkippedBill[]): Candidate[] {
  const byPid = new Map<string, Candidate[]>();
  for (const c of cs) byPid.set(c.paymentInformationId, [...(byPid.get(c.paymentInformationId) ?? []), c]);
  return cs.filter((c) => {
    const members = c.bill.members;
    if (!members || members.length < 2) return true;
    const here = new Set((byPid.get(c.paymentInformationId) ?? []).map((x) => x.payment.endToEndId));
    const missing = members.filter((e) => !here.has(e));
    if (missing.length === 0) return true;
    skipped.push({ billId: c.bill.billId, name: c.bill.name, reason: `it is one of the ${members.length} transfers of payment ${c.paymentInformationId}, which go in a file together, and ${missing.join(', ')} cannot (see its bill): it is not put in a file` });
    return false;
  });
}

function fileOf(cs: Candidate[], messageId: string, now: Date, version: Pain001Version, timeZone: string): string {
  const first = cs[0]!;
  return buildPain001({
    messageId,
    creationDateTime: creationDateTime(now, timeZone),
    initiatingPartyName: first.initiatingPartyName,
    debtor: first.debtor,
    payments: cs.map((c) => c.payment),
    version,
    ...(first.categoryPurpose ? { categoryPurpose: first.categoryPurpose } : {}),
  });
}

async function checkWritable(path: string): Promise<void> {
  const exists = await stat(path).then(() => true, () => false);
  if (exists) throw new CommandFailure(`${path} already exists: give another --out (an uploaded file must never be overwritten). Nothing was changed.`);
  try {
    await access(dirname(path), constants.W_OK);
  } catch {
    throw new CommandFailure(`cannot write in ${dirname(path)}: give an --out in a folder you can write to. Nothing was changed.`);
  }
}

/**
 * Claimed for a file that was never written: no channel has these payments. Each
 * claim becomes final `withdrawn` (ids retired, attempt closed), so the bill can
 * be sent anew (`stetpay retry`); one whose claim could not be turned (Redis
 * failing) is `needs_review`, the ledger still saying it is in a file.
 */
async function abandonClaims(deps: ExportDeps, claimed: Candidate[], why: string, now: Date): Promise<void> {
  const updates: BillUpdate[] = [];
  for (const pid of new Set(claimed.map((c) => c.paymentInformationId))) {
    const cs = claimed.filter((c) => c.paymentInformationId === pid);
    const reasonOf = (c: Candidate) => `Bill ${c.bill.name}: payment ${c.payment.endToEndId} was not sent: ${why}. No channel has it and its ids are never sent. To pay the bill, run stetpay retry ${c.bill.name} and the next run sends a new payment.`;
    const abandoned = await deps.queues.ledger.abandonExport(pid, reasonOf(cs[0]!)).catch(() => false);
    if (abandoned) await deps.queues.removeJob(pid).catch(() => undefined); // its claim now answers "done": tidy the job away
    for (const c of cs) {
      const base = { billId: c.bill.billId, ids: { paymentInformationId: pid, endToEndId: c.payment.endToEndId, instructionId: c.payment.instructionId }, attempt: c.bill.attempt };
      updates.push(
        abandoned
          ? withdrawnUpdate({ ...base, reason: reasonOf(c) })
          : needsReviewUpdate({ ...base, reason: `Bill ${c.bill.name}: payment ${c.payment.endToEndId} was not sent: ${why}, and stetpay's ledger still holds it for that file, so no channel sends it. Tell the operator.` }),
      );
    }
  }
  await writeBillUpdates(deps.odoo, updates, now).catch(() => undefined);
}

export async function exportPain001(deps: ExportDeps, opts: ExportOptions): Promise<ExportResult> {
  const now = deps.now ?? new Date();
  const timeZone = deps.payments.timeZone;
  const version = opts.version ?? '09';
  const outPath = resolve(opts.outPath);
  const fileName = basename(outPath);
  const skipped: SkippedBill[] = [];
  const recorded: SkippedBill[] = [];
  const result = (file: string | null, messageId: string | null, exported: ExportedBill[]): ExportResult => ({
    file, messageId, exported, skipped, recorded, totalCents: exported.reduce((s, e) => s + e.amountCents, 0),
  });

  const candidates = fromReservation(await pickBills(deps.odoo, opts.billIds, skipped), localDay(now, timeZone), skipped);
  if (candidates.length === 0) return result(null, null, []);
  const messageId = exportMessageId(deps.odoo.database, now, timeZone);
  fileOf(candidates, messageId, now, version, timeZone); // a Pain001Error must surface before anything is claimed
  await checkWritable(outPath);

  return withExportLock(deps.queues.redis, deps.queues.prefix, async () => {
    const { ledger } = deps.queues;
    const entries = await ledger.getMany(candidates.map((c) => c.paymentInformationId));
    const claimed: Candidate[] = [];
    const already: Candidate[] = [];
    // One claim per request (its bills together, for a request of several transfers).
    const requests = new Map<string, Candidate[]>();
    for (const c of candidates) requests.set(c.paymentInformationId, [...(requests.get(c.paymentInformationId) ?? []), c]);
    for (const [pid, cs] of requests) {
      const skip = (reason: string) => cs.forEach((c) => skipped.push({ billId: c.bill.billId, name: c.bill.name, reason }));
      const entry = entries.get(pid);
      if (entry?.state === 'exported') already.push(...cs);
      else if (entry) skip(`the API path has or may have it (ledger: ${entry.state}; ${entryEvidence(entry, ledger.claimTtlMs)}): it is not put in a file`);
      else if ((await deps.queues.jobState(pid)) === 'unknown') {
        // Queued in Odoo with neither a job nor a ledger entry: Redis lost what it knew, the API may have sent it.
        skip(NO_TRACE);
      }
      else if (await ledger.markExported(pid, cs[0]!.bill.billId, cs[0]!.payment.endToEndId)) claimed.push(...cs);
      else skip('the API path took it a moment ago: it is not put in a file');
    }

    const at = odooNow(now);
    const updates: BillUpdate[] = already.map((c) => {
      const reason = `put in an earlier pain.001 file (Odoo was not updated then): check in online banking that this file was uploaded`;
      recorded.push({ billId: c.bill.billId, name: c.bill.name, reason });
      return { billId: c.bill.billId, values: { x_stet_status: 'exported', x_stet_status_reason: reason }, note: `stetpay: payment ${c.payment.endToEndId} ${reason}.` };
    });

    let file: string | null = null;
    if (claimed.length) {
      const xml = fileOf(claimed, messageId, now, version, timeZone);
      const tmp = `${outPath}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, xml, { encoding: 'utf8', flag: 'wx' });
        await rename(tmp, outPath);
        file = outPath;
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        await abandonClaims(deps, claimed, `the pain.001 file ${fileName} it was claimed for on ${at} UTC could not be written (${(err as Error).message})`, now);
        throw new CommandFailure(
          `could not write ${outPath}: ${(err as Error).message}. Nothing was filed: the ${claimed.length} bill(s) it was for show withdrawn in Odoo (never sent by any channel, their ids retired); ` +
            'stetpay retry BILL puts each back for the next run, or export them again after that run.',
        );
      }
      const day = localDay(now, timeZone);
      for (const c of claimed) {
        const reason = `sent by pain.001 file ${fileName} on ${day}: upload it in online banking`;
        updates.push({
          billId: c.bill.billId,
          values: { x_stet_status: 'exported', x_stet_status_reason: reason, x_stet_requested_execution_date: c.payment.requestedExecutionDate },
          note: `stetpay: payment ${c.payment.endToEndId} of ${formatCents(c.payment.amountCents)} EUR to ${c.payment.creditorIban} put in the pain.001 file ${fileName} (message ${messageId}) on ${at} UTC for execution on ${c.payment.requestedExecutionDate}. The API will never send it. Upload the file in online banking.`,
        });
      }
    }
    if (updates.length) {
      try {
        await writeBillUpdates(deps.odoo, updates, now);
      } catch (err) {
        const where = file ? `The file ${file} was written: upload it. ` : '';
        throw new CommandFailure(`${where}Odoo could not record the exported bills (${(err as Error).message}); run stetpay export pain001 again to record them (they are never put in a second file).`);
      }
    }
    // The queue's waiting jobs for these payments would only be refused by the ledger: tidy them away.
    for (const pid of new Set(claimed.map((c) => c.paymentInformationId))) await deps.queues.removeJob(pid).catch(() => undefined);

    return result(
      file,
      file ? messageId : null,
      claimed.map((c) => ({ billId: c.bill.billId, name: c.bill.name, endToEndId: c.payment.endToEndId, amountCents: c.payment.amountCents, executionDate: c.payment.requestedExecutionDate })),
    );
  });
}
