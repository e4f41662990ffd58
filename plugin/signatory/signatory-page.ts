/**
 * The signatory's page in HTML, English or French: every payment waiting for
 * approval at the bank with its totals per execution date, the page shown when
 * the bank sends the browser back (the result and the next payment, "3 of
 * 12"), and the refusals (forged, expired or used link...). Self-contained
 * (inline CSS, no script), usable on a phone, accessible: landmarks and
 * headings, a table with a caption for the totals, real buttons whose names
 * say which payment, visible focus, colours of at least 4.5:1 contrast.
 * Everything interpolated is escaped.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { enGB, fr } from 'date-fns/locale';
import type { BilingualMessages, PageLanguage } from '../html/bilingual.js';
import { escapeHtml } from '../html/escape-html.js';
import { totalsByDate, type WaitingPayment } from './waiting-payments.js';

/** Paths of the page (under the callback server's public URL). */
export const SIGNATORY_PATHS = { page: '/stet/signatory', approve: '/stet/signatory/approve', done: '/stet/signatory/done' } as const;

/** How the page shows amounts, dates and times. */
export interface PageFormat {
  lang: PageLanguage;
  timeZone: string;
  now: Date;
  /** The bank's consent window, for the text of a payment not at the bank yet. */
  consentWindowMs: number;
}

const LOCALE = { en: 'en-GB', fr: 'fr-FR' } as const;

export function money(cents: number, currency: string, lang: PageLanguage): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).format(cents / 100);
}

/** `Tuesday 25 November 2026` / `mardi 25 novembre 2026` (a calendar date: no time zone involved). */
export function longDate(isoDate: string, lang: PageLanguage): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  if (!y || !m || !d) return isoDate;
  return format(new Date(y, m - 1, d), 'EEEE d MMMM yyyy', { locale: lang === 'fr' ? fr : enGB });
}

function clock(at: Date, f: PageFormat): string {
  return format(new TZDate(at.getTime(), f.timeZone), 'HH:mm');
}

function duration(ms: number, lang: PageLanguage): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 120) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const TEXT = {
  en: {
    title: 'Payments to approve at the bank',
    forWhom: (name: string, n: number, total: string) => `For ${name}: ${n} payment${n === 1 ? '' : 's'} waiting, ${total} in all.`,
    intro: 'Each button opens your bank’s approval page for that payment. Once you approve or refuse it there, the bank brings you back here, to the next one.',
    totalsCaption: 'Totals per execution date',
    colDate: 'Execution date',
    colCount: 'Payments',
    colAmount: 'Amount',
    bill: 'Bill',
    bills: 'Bills',
    executionDate: 'Execution date',
    approver: 'Approved by',
    payeeCheck: 'Payee check',
    payee: { MTCH: 'Match: the payee’s bank holds this name for this account', CMTC: 'Close match', NMTC: 'No match', NOAP: 'Not possible: the payee’s bank could not check' } as Record<string, string>,
    confirmedBy: (by: string) => `, confirmed by ${by}`,
    timeLeft: 'Time left',
    approve: 'Approve at the bank',
    notAtBank: (w: string) => `Sent to the bank when you open it; the bank then waits ${w} for your approval.`,
    left: (d: string, t: string) => `${d} left (until ${t})`,
    soon: 'Ends soon',
    ended: (t: string) => `The bank stopped waiting at ${t}: it rejects this payment (no approval in time). The clerk can send it again.`,
    transfers: (n: number) => `${n} transfers, one approval for all`,
    empty: 'Nothing waits for your approval.',
    skip: 'Skip to the payments',
    approved: 'Payment approved',
    refused: 'Payment refused',
    pending: 'Waiting for the bank’s answer',
    approvedBody: 'The bank recorded your approval. Odoo shows it on the bill.',
    refusedBody: 'The payment was not approved; nothing is paid. The bill in Odoo shows the reason.',
    pendingBody: 'The bank has not confirmed your answer yet; stetpay follows it and Odoo shows it on the bill.',
    progress: (k: number, n: number) => `${k} of ${n}`,
    progressLabel: 'Handled so far',
    next: 'Next payment',
    allDone: 'Every payment is handled. You can close this page.',
    backToList: (n: number) => `All payments waiting (${n})`,
  },
  fr: {
    title: 'Paiements à approuver à la banque',
    forWhom: (name: string, n: number, total: string) => `Pour ${name} : ${n} paiement${n === 1 ? '' : 's'} en attente, ${total} au total.`,
    intro: 'Chaque bouton ouvre la page d’approbation de votre banque pour ce paiement. Une fois votre approbation ou votre refus donné, la banque vous ramène ici, au paiement suivant.',
    totalsCaption: 'Totaux par date d’exécution',
    colDate: 'Date d’exécution',
    colCount: 'Paiements',
    colAmount: 'Montant',
    bill: 'Facture',
    bills: 'Factures',
    executionDate: 'Date d’exécution',
    approver: 'Approuvée par',
    payeeCheck: 'Vérification du bénéficiaire',
    payee: { MTCH: 'Concordance : la banque du bénéficiaire a ce nom pour ce compte', CMTC: 'Concordance proche', NMTC: 'Pas de concordance', NOAP: 'Impossible : la banque du bénéficiaire n’a pas pu vérifier' } as Record<string, string>,
    confirmedBy: (by: string) => `, confirmée par ${by}`,
    timeLeft: 'Temps restant',
    approve: 'Approuver à la banque',
    notAtBank: (w: string) => `Envoyé à la banque quand vous l’ouvrez ; la banque attend ensuite votre approbation ${w}.`,
    left: (d: string, t: string) => `${d} restantes (jusqu’à ${t})`,
    soon: 'Se termine bientôt',
    ended: (t: string) => `La banque a cessé d’attendre à ${t} : elle rejette ce paiement (pas d’approbation à temps). La comptabilité peut le renvoyer.`,
    transfers: (n: number) => `${n} virements, une seule approbation`,
    empty: 'Aucun paiement n’attend votre approbation.',
    skip: 'Aller aux paiements',
    approved: 'Paiement approuvé',
    refused: 'Paiement refusé',
    pending: 'En attente de la réponse de la banque',
    approvedBody: 'La banque a enregistré votre approbation. Odoo l’indique sur la facture.',
    refusedBody: 'Le paiement n’a pas été approuvé ; rien n’est payé. La facture dans Odoo en indique le motif.',
    pendingBody: 'La banque n’a pas encore confirmé votre réponse ; stetpay la suit et Odoo l’indique sur la facture.',
    progress: (k: number, n: number) => `${k} sur ${n}`,
    progressLabel: 'Traités jusqu’ici',
    next: 'Paiement suivant',
    allDone: 'Tous les paiements sont traités. Vous pouvez fermer cette page.',
    backToList: (n: number) => `Tous les paiements en attente (${n})`,
  },
} as const;

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f8fa;color:#1f2328;margin:0;line-height:1.5;font-size:1rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}.skip:focus{left:0}
header{background:#1f2328;color:#fff;padding:.6rem 1rem;font-weight:600}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:0 0 .25rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;text-align:left}td.num,th.num{text-align:right}
ol{list-style:none;padding:0;margin:0}
article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:0 0 .75rem}
.amount{font-size:1.25rem;font-weight:700;margin:0 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 .75rem}dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-weight:600;font-size:.9rem}
.soon{background:#fff1cc;color:#6b4100}.ended{background:#fde2e4;color:#86181d}
button{font:inherit;font-weight:600;min-height:44px;padding:.55rem 1.2rem;border-radius:6px;border:1px solid #0b5d33;background:#0b5d33;color:#fff;cursor:pointer}
button:hover{background:#094a29}
button:focus-visible,a:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
a{color:#0550ae}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.progress{font-size:1.1rem;font-weight:600}
.ok{color:#116329}.ko{color:#86181d}
@media (max-width:30rem){button{width:100%}dl{grid-template-columns:1fr}dt{margin-top:.25rem}}`;

function shell(lang: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · stetpay</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

/** The action a payment's button posts: its id and this session's token for it. */
export type ActionTokenOf = (paymentId: string) => string;

/** A payee check as the signatory reads it: `Close match, confirmed by Léa Dubois (CMTC)`. */
function payeeText(c: NonNullable<WaitingPayment['transfers'][number]['payeeCheck']>, lang: PageLanguage): string {
  const t = TEXT[lang];
  const words = t.payee[c.result];
  return `${words ?? c.result}${c.confirmedBy ? t.confirmedBy(c.confirmedBy) : ''}${words && c.result !== 'MTCH' ? ` (${c.result})` : ''}`;
}

function paymentArticle(p: WaitingPayment, f: PageFormat, tokenOf: ActionTokenOf, index: number): string {
  const t = TEXT[f.lang];
  const h = `p${index}`;
  const total = money(p.totalCents, p.currency, f.lang);
  const bulk = p.transfers.length > 1;
  const who = bulk ? t.transfers(p.transfers.length) : p.transfers[0]!.supplier;
  const rows: string[] = [];
  if (bulk) {
    const items = p.transfers.map((tr) => `<li>${escapeHtml(tr.supplier)}: ${escapeHtml(money(tr.amountCents, tr.currency, f.lang))} (${escapeHtml(tr.billName)}${tr.payeeCheck ? `; ${t.payeeCheck}: ${escapeHtml(payeeText(tr.payeeCheck, f.lang))}` : ''})</li>`).join('');
    rows.push(`<dt>${t.bills}</dt><dd><ul data-testid="transfers">${items}</ul></dd>`);
  } else {
    const tr = p.transfers[0]!;
    rows.push(`<dt>${t.bill}</dt><dd data-testid="bill">${escapeHtml(tr.billName)}</dd>`);
    if (tr.approver) rows.push(`<dt>${t.approver}</dt><dd data-testid="approver">${escapeHtml(tr.approver)}</dd>`);
    if (tr.payeeCheck) rows.push(`<dt>${t.payeeCheck}</dt><dd data-testid="payee-check">${escapeHtml(payeeText(tr.payeeCheck, f.lang))}</dd>`);
  }
  rows.push(`<dt>${t.executionDate}</dt><dd data-testid="execution-date">${escapeHtml(longDate(p.executionDate, f.lang))}</dd>`);
  let left: string;
  if (p.window === 'new') left = escapeHtml(t.notAtBank(duration(f.consentWindowMs, f.lang)));
  else if (!p.deadline) left = '';
  else if (p.window === 'ended') left = `<span class="badge ended">${escapeHtml(t.ended(clock(p.deadline, f)))}</span>`;
  else {
    const text = escapeHtml(t.left(duration(p.deadline.getTime() - f.now.getTime(), f.lang), clock(p.deadline, f)));
    left = p.window === 'soon' ? `<span class="badge soon" data-testid="ends-soon">${escapeHtml(t.soon)}</span> ${text}` : text;
  }
  if (left) rows.push(`<dt>${t.timeLeft}</dt><dd data-testid="time-left">${left}</dd>`);
  const button =
    p.window === 'ended'
      ? ''
      : `<form method="post" action="${SIGNATORY_PATHS.approve}"><input type="hidden" name="p" value="${escapeHtml(p.paymentId)}"><input type="hidden" name="c" value="${escapeHtml(tokenOf(p.paymentId))}">` +
        `<button type="submit" data-testid="approve" aria-label="${escapeHtml(`${t.approve}: ${who}, ${total}`)}">${escapeHtml(t.approve)}</button></form>`;
  return (
    `<article aria-labelledby="${h}" data-testid="payment" data-payment-id="${escapeHtml(p.paymentId)}" data-window="${p.window}">` +
    `<h3 id="${h}" data-testid="supplier">${escapeHtml(who)}</h3><p class="amount" data-testid="amount">${escapeHtml(total)}</p>` +
    `<dl>${rows.join('')}</dl>${button}</article>`
  );
}

/** The list: who it is for, totals per execution date, then each payment under its date. */
export function renderSignatoryPage(signatory: string, payments: readonly WaitingPayment[], f: PageFormat, tokenOf: ActionTokenOf): string {
  const t = TEXT[f.lang];
  const totals = totalsByDate(payments);
  const count = payments.reduce((n, p) => n + p.transfers.length, 0);
  const grand = [...new Set(totals.map((r) => r.currency))].map((c) => money(totals.filter((r) => r.currency === c).reduce((s, r) => s + r.cents, 0), c, f.lang)).join(' + ');
  let body = `<a class="skip" href="#payments">${t.skip}</a><header>stetpay</header><main>`;
  body += `<h1>${t.title}</h1>`;
  if (payments.length === 0) return shell(f.lang, t.title, `${body}<p data-testid="empty">${t.empty}</p></main>`);
  body += `<p data-testid="summary">${escapeHtml(t.forWhom(signatory, count, grand))}</p><p>${t.intro}</p>`;
  body += `<table data-testid="totals"><caption>${t.totalsCaption}</caption><thead><tr><th scope="col">${t.colDate}</th><th scope="col" class="num">${t.colCount}</th><th scope="col" class="num">${t.colAmount}</th></tr></thead><tbody>`;
  body += totals.map((r) => `<tr data-testid="total-row"><th scope="row">${escapeHtml(longDate(r.executionDate, f.lang))}</th><td class="num">${r.count}</td><td class="num">${escapeHtml(money(r.cents, r.currency, f.lang))}</td></tr>`).join('');
  body += `</tbody></table><div id="payments">`;
  let index = 0;
  for (const date of [...new Set(payments.map((p) => p.executionDate))]) {
    body += `<section aria-labelledby="d-${escapeHtml(date)}"><h2 id="d-${escapeHtml(date)}">${escapeHtml(longDate(date, f.lang))}</h2><ol>`;
    body += payments.filter((p) => p.executionDate === date).map((p) => `<li>${paymentArticle(p, f, tokenOf, ++index)}</li>`).join('');
    body += `</ol></section>`;
  }
  return shell(f.lang, t.title, `${body}</div></main>`);
}

/** What became of the payment the browser comes back from. */
export type ReturnResult = 'approved' | 'refused' | 'pending';

/** After the bank: the result, how far the signatory is ("3 of 12"), and the next payment with its button. */
export function renderReturnPage(result: ReturnResult, handled: number, total: number, next: WaitingPayment | undefined, waiting: number, f: PageFormat, tokenOf: ActionTokenOf): string {
  const t = TEXT[f.lang];
  const title = t[result];
  const cls = result === 'approved' ? 'ok' : result === 'refused' ? 'ko' : '';
  let body = `<header>stetpay</header><main><h1 class="${cls}" data-testid="result">${escapeHtml(title)}</h1>`;
  body += `<p>${escapeHtml(t[`${result}Body`])}</p>`;
  body += `<p class="progress"><span class="vh">${t.progressLabel}: </span><span data-testid="progress">${escapeHtml(t.progress(handled, total))}</span></p>`;
  if (next) body += `<section aria-labelledby="next"><h2 id="next">${t.next}</h2>${paymentArticle(next, f, tokenOf, 1)}</section>`;
  else body += `<p data-testid="all-done">${t.allDone}</p>`;
  if (waiting > 0) body += `<p><a href="${SIGNATORY_PATHS.page}" data-testid="back-to-list">${escapeHtml(t.backToList(waiting))}</a></p>`;
  return shell(f.lang, title, `${body}</main>`);
}

export type SignatoryRefusal = 'forged' | 'expired' | 'used' | 'no-session' | 'stale-action' | 'not-waiting' | 'unavailable' | 'bank-busy' | 'bank-silent' | 'not-sent';

const REFUSALS: BilingualMessages<SignatoryRefusal> = {
  forged: { en: { title: 'Invalid link', body: 'This link was not issued by stetpay or has been altered; nothing was opened or changed.' }, fr: { title: 'Lien non valide', body: 'Ce lien n’a pas été émis par stetpay ou a été modifié ; rien n’a été ouvert ni modifié.' } },
  expired: { en: { title: 'Link expired', body: 'This link has expired; nothing was opened or changed. The next to-do in Odoo brings a new one; ask the operator for one sooner.' }, fr: { title: 'Lien expiré', body: 'Ce lien a expiré ; rien n’a été ouvert ni modifié. La prochaine activité dans Odoo en apporte un nouveau ; demandez-en un plus tôt à l’exploitant.' } },
  used: { en: { title: 'Link already used', body: 'This link opens the page once, in one browser, and it was already used: nothing was opened or changed. Go back to the browser where you opened it, or ask the operator for a new link.' }, fr: { title: 'Lien déjà utilisé', body: 'Ce lien n’ouvre la page qu’une fois, dans un seul navigateur, et il a déjà servi : rien n’a été ouvert ni modifié. Revenez au navigateur où vous l’avez ouvert, ou demandez un nouveau lien à l’exploitant.' } },
  'no-session': { en: { title: 'Open the page from your link', body: 'Open this page from the link in your to-do in Odoo (or its e-mail); nothing was changed.' }, fr: { title: 'Ouvrez la page depuis votre lien', body: 'Ouvrez cette page depuis le lien de votre activité dans Odoo (ou de son e-mail) ; rien n’a été modifié.' } },
  'stale-action': { en: { title: 'This button is no longer valid', body: 'This button belongs to another session or was altered; nothing was sent. Go back to the list and try again.' }, fr: { title: 'Ce bouton n’est plus valide', body: 'Ce bouton appartient à une autre session ou a été modifié ; rien n’a été envoyé. Revenez à la liste et réessayez.' } },
  'not-waiting': { en: { title: 'Nothing to approve', body: 'This payment no longer waits for your approval (it was handled, or the bank stopped waiting); nothing was sent.' }, fr: { title: 'Rien à approuver', body: 'Ce paiement n’attend plus votre approbation (il a été traité, ou la banque a cessé d’attendre) ; rien n’a été envoyé.' } },
  unavailable: { en: { title: 'Service briefly unavailable', body: 'stetpay cannot read the payments right now; nothing was sent. Reload this page in a moment.' }, fr: { title: 'Service momentanément indisponible', body: 'stetpay ne peut pas lire les paiements pour l’instant ; rien n’a été envoyé. Rechargez cette page dans un instant.' } },
  'bank-busy': { en: { title: 'The bank is busy', body: 'The bank asked stetpay to slow down; nothing is lost and nothing was sent twice. Try again in a minute.' }, fr: { title: 'La banque est occupée', body: 'La banque a demandé à stetpay de ralentir ; rien n’est perdu et rien n’a été envoyé deux fois. Réessayez dans une minute.' } },
  'bank-silent': { en: { title: 'The bank did not answer', body: 'The bank did not answer in time; nothing is lost, and trying again never sends the payment twice. Try again in a minute.' }, fr: { title: 'La banque n’a pas répondu', body: 'La banque n’a pas répondu à temps ; rien n’est perdu, et réessayer n’envoie jamais le paiement deux fois. Réessayez dans une minute.' } },
  'not-sent': { en: { title: 'Not sent to the bank', body: 'stetpay did not send this payment and nothing was paid: the bill in Odoo shows why.' }, fr: { title: 'Non envoyé à la banque', body: 'stetpay n’a pas envoyé ce paiement et rien n’a été payé : la facture dans Odoo en indique la raison.' } },
};

/** A refusal or a failure: what happened and what to do; `detail` (a reason from Odoo) is shown as is. */
export function renderSignatoryMessage(kind: SignatoryRefusal, lang: PageLanguage, detail?: string): string {
  const m = REFUSALS[kind][lang];
  const back = kind === 'forged' || kind === 'expired' || kind === 'used' || kind === 'no-session' ? '' : `<p><a href="${SIGNATORY_PATHS.page}">${escapeHtml(TEXT[lang].title)}</a></p>`;
  return shell(lang, m.title, `<header>stetpay</header><main><h1 data-testid="message-title">${escapeHtml(m.title)}</h1><p data-testid="message">${escapeHtml(m.body)}</p>${detail ? `<p data-testid="detail">${escapeHtml(detail)}</p>` : ''}${back}</main>`);
}
