/**
 * Odoo tells the right person (Odoo's own to-dos, which Odoo also e-mails):
 *
 * - each **signatory**, once a morning when payments wait: one summary (how
 *   many, how much, the first execution date, the first bills) with their own
 *   link to the signatory's page; yesterday's unanswered summary is replaced;
 * - each **clerk**, once per payment that became rejected, expired or
 *   needs_review: a to-do on its bill with the reason and what to do.
 *
 * Run after each status sync, under a Redis lock (one worker at a time); each
 * pass costs a few batched Odoo calls (never one per bill), and remembers in
 * Redis what it told (the day's summary, each bill's status per attempt) so
 * nothing is told twice. Who gets what is configured (`activities`).
 */
import { TZDate } from '@date-fns/tz';
import { format, subDays } from 'date-fns';
import { createActivities, findOwnActivities, findPeople, readTrackedBills, removeActivities, type ActivityDraft, type OdooClient, type OdooPerson, type Recipients } from '../../connector/odoo/index.js';
import { odooNow, type TrackedBill } from '../../connector/model/index.js';
import { parsePaymentId } from '../../connector/rules/index.js';
import { lockKey, withRedisLock, type RedisClient } from '../../worker/index.js';
import type { PageLanguage } from '../callback/index.js';
import type { ActivitiesConfig } from '../config/index.js';
import { escapeHtml } from '../html/escape-html.js';
import { longDate, money, signatoryLink, actionable, type WaitingPayment } from '../signatory/index.js';

/** Every summary stetpay writes ends so: how it finds its own to-dos again. */
export const SUMMARY_MARKER = '(stetpay)';
const CLERK_STATUSES = ['rejected', 'expired', 'needs_review'] as const;
type ClerkStatus = (typeof CLERK_STATUSES)[number];
/** Bills updated this long ago or less are looked at (a status older than that was told, or Redis lost it long ago). */
const CLERK_LOOKBACK_DAYS = 3;
const TOLD_TTL_S = 40 * 86_400;
/** People are read again after this long (a new signatory counts from the next pass after it). */
const PEOPLE_TTL_MS = 10 * 60_000;
const LIST_MAX = 10;

/** Another worker is telling Odoo right now: this pass does nothing. */
class NoticesHeld extends Error {}

export interface NoticeDeps {
  odoo: OdooClient;
  redis: RedisClient;
  prefix: string;
  activities: ActivitiesConfig;
  timeZone: string;
  callback: { publicUrl: string; secret: string };
  consentWindowMs: number;
  /** The payments waiting for the signatory (the page's list). */
  waiting: () => Promise<WaitingPayment[]>;
  now?: () => Date;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface NoticeSummary {
  /** Summaries created for signatories this pass. */
  summaries: number;
  /** To-dos created for clerks this pass. */
  clerkTodos: number;
  /** Why this pass did nothing (another worker holds the lock). */
  skipped?: string;
}

const langOf = (p: OdooPerson): PageLanguage => (p.lang.toLowerCase().startsWith('fr') ? 'fr' : 'en');
const configured = (r: Recipients) => Boolean(r.users?.length || r.group);

const SUMMARY_TEXT = {
  en: {
    summary: (n: number) => `Approve ${n} payment${n === 1 ? '' : 's'} at the bank ${SUMMARY_MARKER}`,
    lead: (n: number, total: string, first: string) => `${n} payment${n === 1 ? '' : 's'} wait${n === 1 ? 's' : ''} for your approval at the bank, ${total} in all; the first to be executed on ${first}.`,
    open: 'Open my page of payments to approve',
    link: (until: string) => `: the link is yours; it opens the page once, in one browser, until ${until}.`,
    more: (n: number) => `and ${n} more`,
    how: (w: string) => `On the page, each payment opens your bank's approval page; the bank then waits ${w} for your approval.`,
  },
  fr: {
    summary: (n: number) => `Approuver ${n} paiement${n === 1 ? '' : 's'} à la banque ${SUMMARY_MARKER}`,
    lead: (n: number, total: string, first: string) => `${n} paiement${n === 1 ? '' : 's'} attend${n === 1 ? '' : 'ent'} votre approbation à la banque, ${total} au total ; le premier à exécuter le ${first}.`,
    open: 'Ouvrir ma page de paiements à approuver',
    link: (until: string) => ` : ce lien vous est personnel ; il ouvre la page une fois, dans un seul navigateur, jusqu’à ${until}.`,
    more: (n: number) => `et ${n} de plus`,
    how: (w: string) => `Sur la page, chaque paiement ouvre la page d’approbation de votre banque ; la banque attend ensuite votre approbation ${w}.`,
  },
} as const;

const CLERK_TEXT: Record<PageLanguage, { summary: Record<ClerkStatus, (bill: string) => string>; todo: string; what: Record<ClerkStatus, (bill: string, e2e: string) => string>; inRequest: (e2e: string, pid: string) => string }> = {
  en: {
    summary: {
      rejected: (b) => `Payment rejected: ${b} ${SUMMARY_MARKER}`,
      expired: (b) => `Payment expired at the bank: ${b} ${SUMMARY_MARKER}`,
      needs_review: (b) => `Payment needs review: ${b} ${SUMMARY_MARKER}`,
    },
    todo: 'What to do:',
    what: {
      rejected: (b) => `read the reason; fix the bill if it says so, then run stetpay retry ${b}: the next run sends a new payment. Or pay it another way.`,
      expired: (b, e) => `look for payment ${e} in online banking; if the bank does not have it, run stetpay resolve ${b} --not-at-bank and the next run sends a new payment.`,
      needs_review: (b, e) => `do not send it again yet: look for payment ${e} in online banking. If the bank has it, follow it there; if not, run stetpay resolve ${b} --not-at-bank.`,
    },
    inRequest: (e, pid) => `request ${pid} (this bill's transfer ${e}; the bank has or lacks the request as a whole, and resolve records all its bills at once)`,
  },
  fr: {
    summary: {
      rejected: (b) => `Paiement rejeté : ${b} ${SUMMARY_MARKER}`,
      expired: (b) => `Paiement expiré à la banque : ${b} ${SUMMARY_MARKER}`,
      needs_review: (b) => `Paiement à vérifier : ${b} ${SUMMARY_MARKER}`,
    },
    todo: 'Que faire :',
    what: {
      rejected: (b) => `lisez le motif ; corrigez la facture s’il le demande, puis lancez stetpay retry ${b} : le prochain passage envoie un nouveau paiement. Ou payez-la autrement.`,
      expired: (b, e) => `cherchez le paiement ${e} dans la banque en ligne ; si la banque ne l’a pas, lancez stetpay resolve ${b} --not-at-bank et le prochain passage envoie un nouveau paiement.`,
      needs_review: (b, e) => `ne le renvoyez pas encore : cherchez le paiement ${e} dans la banque en ligne. Si la banque l’a, suivez-le là ; sinon lancez stetpay resolve ${b} --not-at-bank.`,
    },
    inRequest: (e, pid) => `de la demande ${pid} (virement ${e} de cette facture ; la banque a ou n’a pas la demande entière, et resolve enregistre toutes ses factures à la fois)`,
  },
};

function minutesText(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

/** The summary's note (HTML): what waits, the link, the first bills. */
export function summaryNote(payments: readonly WaitingPayment[], lang: PageLanguage, link: string, linkUntil: string, consentWindowMs: number): string {
  const t = SUMMARY_TEXT[lang];
  const transfers = payments.flatMap((p) => p.transfers.map((tr) => ({ tr, date: p.executionDate })));
  const currencies = [...new Set(transfers.map((x) => x.tr.currency))];
  const total = currencies.map((c) => money(transfers.filter((x) => x.tr.currency === c).reduce((s, x) => s + x.tr.amountCents, 0), c, lang)).join(' + ');
  const items = transfers.slice(0, LIST_MAX).map(({ tr, date }) => `<li>${escapeHtml(`${tr.billName}: ${tr.supplier}, ${money(tr.amountCents, tr.currency, lang)}, ${longDate(date, lang)}`)}</li>`);
  if (transfers.length > LIST_MAX) items.push(`<li>${escapeHtml(t.more(transfers.length - LIST_MAX))}</li>`);
  return (
    `<p>${escapeHtml(t.lead(transfers.length, total, longDate(payments[0]!.executionDate, lang)))}</p>` +
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a>${escapeHtml(t.link(linkUntil))}</p>` +
    `<ul>${items.join('')}</ul><p>${escapeHtml(t.how(minutesText(consentWindowMs)))}</p>`
  );
}

export function clerkNote(bill: TrackedBill, status: ClerkStatus, lang: PageLanguage): string {
  const t = CLERK_TEXT[lang];
  const pid = bill.paymentInformationId ?? '';
  const e2e = bill.endToEndId ?? pid;
  // A transfer of a request of several: what online banking shows, and what resolve acts on, is the request.
  const ref = parsePaymentId(pid)?.kind === 'B' ? t.inRequest(e2e, pid) : e2e;
  return `<p>${escapeHtml(bill.reason ?? '')}</p><p><strong>${escapeHtml(t.todo)}</strong> ${escapeHtml(t.what[status](bill.name, ref))}</p>`;
}

/** The notices of one worker process (people read from Odoo are kept 10 minutes). */
export function activityNotices(deps: NoticeDeps): { run(): Promise<NoticeSummary> } {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const people = new Map<'signatories' | 'clerks', { at: number; list: OdooPerson[] }>();
  const key = (...parts: (string | number)[]) => `${deps.prefix}:stetpay:activity-${parts.join(':')}`;

  async function whoIs(role: 'signatories' | 'clerks'): Promise<OdooPerson[]> {
    const cached = people.get(role);
    if (cached && now().getTime() - cached.at < PEOPLE_TTL_MS) return cached.list;
    const list = configured(deps.activities[role]) ? await findPeople(deps.odoo, deps.activities[role]) : [];
    people.set(role, { at: now().getTime(), list });
    return list;
  }

  async function clerkTodos(): Promise<number> {
    if (!configured(deps.activities.clerks)) return 0;
    const since = odooNow(subDays(now(), CLERK_LOOKBACK_DAYS));
    const bills = await readTrackedBills(deps.odoo, { statuses: [...CLERK_STATUSES], since });
    if (bills.length === 0) return 0;
    const keys = bills.map((b) => key('clerk', b.billId, b.attempt, b.status!));
    const told = await deps.redis.mget(...keys);
    const fresh = bills.filter((_, i) => !told[i]);
    if (fresh.length === 0) return 0;
    const clerks = await whoIs('clerks');
    const today = format(new TZDate(now().getTime(), deps.timeZone), 'yyyy-MM-dd');
    const drafts: ActivityDraft[] = fresh.flatMap((b) =>
      clerks.map((c) => {
        const lang = langOf(c);
        const status = b.status as ClerkStatus;
        return { billId: b.billId, userId: c.id, summary: CLERK_TEXT[lang].summary[status](b.name), note: clerkNote(b, status, lang), deadline: today };
      }),
    );
    await createActivities(deps.odoo, drafts);
    const tx = deps.redis.multi();
    for (const b of fresh) tx.set(key('clerk', b.billId, b.attempt, b.status!), '1', 'EX', TOLD_TTL_S);
    await tx.exec();
    log('activities.clerks', { bills: fresh.map((b) => b.billId), clerks: clerks.map((c) => c.id), todos: drafts.length });
    return drafts.length;
  }

  async function morningSummaries(): Promise<number> {
    if (!configured(deps.activities.signatories)) return 0;
    const at = new TZDate(now().getTime(), deps.timeZone);
    if (format(at, 'HH:mm') < deps.activities.summaryTime) return 0;
    const today = format(at, 'yyyy-MM-dd');
    if (await deps.redis.exists(key('summary', today))) return 0;
    const waiting = actionable(await deps.waiting());
    if (waiting.length === 0) return 0; // told the day payments first wait, even later in the morning
    const signatories = await whoIs('signatories');
    if (signatories.length === 0) return 0;
    // Yesterday's unanswered summary would point to a spent link: today's replaces it.
    await removeActivities(deps.odoo, await findOwnActivities(deps.odoo, signatories.map((s) => s.id), SUMMARY_MARKER, today));
    const expires = new Date(now().getTime() + deps.activities.linkHours * 3600_000);
    const until = format(new TZDate(expires.getTime(), deps.timeZone), 'HH:mm');
    const count = waiting.reduce((n, p) => n + p.transfers.length, 0);
    const drafts: ActivityDraft[] = signatories.map((s) => {
      const lang = langOf(s);
      const link = signatoryLink(deps.callback.publicUrl, deps.callback.secret, s.id, expires);
      return { billId: waiting[0]!.transfers[0]!.billId, userId: s.id, summary: SUMMARY_TEXT[lang].summary(count), note: summaryNote(waiting, lang, link, until, deps.consentWindowMs), deadline: today };
    });
    await createActivities(deps.odoo, drafts);
    await deps.redis.set(key('summary', today), '1', 'EX', 36 * 3600);
    log('activities.summary', { signatories: signatories.map((s) => s.id), payments: count });
    return drafts.length;
  }

  return {
    async run() {
      if (!configured(deps.activities.signatories) && !configured(deps.activities.clerks)) return { summaries: 0, clerkTodos: 0 };
      try {
        return await withRedisLock(deps.redis, lockKey(deps.prefix, 'activities'), async () => ({ clerkTodos: await clerkTodos(), summaries: await morningSummaries() }), {
          held: () => new NoticesHeld('another worker is telling Odoo'),
          ttlMs: 120_000,
        });
      } catch (err) {
        if (err instanceof NoticesHeld) return { summaries: 0, clerkTodos: 0, skipped: err.message };
        throw err;
      }
    },
  };
}
