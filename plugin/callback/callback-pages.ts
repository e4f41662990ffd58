/**
 * The short pages the signatory sees after the bank sends them back: one
 * self-contained HTML page (inline CSS, no script, no network) in French or
 * English. Everything interpolated is escaped.
 */
import type { BilingualMessages, PageLanguage } from '../html/bilingual.js';
import { escapeHtml } from '../html/escape-html.js';

export type { PageLanguage };
export type PageKind = 'approved' | 'refused' | 'replayed' | 'forged' | 'expired' | 'malformed' | 'unknown' | 'unavailable' | 'not-found';

/** French when the browser prefers French over English, English otherwise. */
export function pickLanguage(acceptLanguage: string | undefined): PageLanguage {
  if (!acceptLanguage) return 'en';
  let best: { lang: PageLanguage; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const base = tag.trim().toLowerCase().split('-')[0];
    if (base !== 'fr' && base !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: base, q };
  }
  return best?.lang ?? 'en';
}

const TEXT: BilingualMessages<PageKind> = {
  approved: { fr: { title: 'Paiement approuvé', body: 'La banque a enregistré votre approbation. Vous pouvez revenir à Odoo : le statut de la facture sera mis à jour.' }, en: { title: 'Payment approved', body: 'The bank recorded your approval. You can return to Odoo: the bill’s status will be updated.' } },
  refused: { fr: { title: 'Paiement refusé', body: 'Le paiement n’a pas été approuvé à la banque. Vous pouvez revenir à Odoo : la facture indiquera le motif.' }, en: { title: 'Payment refused', body: 'The payment was not approved at the bank. You can return to Odoo: the bill will show the reason.' } },
  replayed: { fr: { title: 'Lien déjà utilisé', body: 'Ce lien de retour a déjà servi ; rien n’a été modifié. Le statut du paiement est suivi automatiquement ; vous pouvez revenir à Odoo.' }, en: { title: 'Link already used', body: 'This return link has already been used; nothing was changed. The payment’s status is followed automatically; you can return to Odoo.' } },
  forged: { fr: { title: 'Lien non valide', body: 'Ce lien de retour n’a pas été émis par stetpay ou a été modifié ; rien n’a été modifié.' }, en: { title: 'Invalid link', body: 'This return link was not issued by stetpay or has been altered; nothing was changed.' } },
  malformed: { fr: { title: 'Lien non valide', body: 'Ce lien de retour est incomplet ; rien n’a été modifié. Revenez à Odoo et ouvrez à nouveau le lien d’approbation de la facture.' }, en: { title: 'Invalid link', body: 'This return link is incomplete; nothing was changed. Return to Odoo and open the bill’s approval link again.' } },
  expired: { fr: { title: 'Lien expiré', body: 'Ce lien de retour a expiré ; rien n’a été modifié. Le statut du paiement est suivi automatiquement dans Odoo.' }, en: { title: 'Link expired', body: 'This return link has expired; nothing was changed. The payment’s status is followed automatically in Odoo.' } },
  unknown: { fr: { title: 'Paiement inconnu', body: 'stetpay ne suit plus ce paiement (la facture a peut-être été soumise à nouveau) ; rien n’a été modifié. Vérifiez la facture dans Odoo.' }, en: { title: 'Unknown payment', body: 'stetpay no longer follows this payment (the bill may have been resubmitted); nothing was changed. Check the bill in Odoo.' } },
  unavailable: { fr: { title: 'Service momentanément indisponible', body: 'Votre réponse n’a pas pu être enregistrée tout de suite. Rechargez cette page dans un instant, ou revenez à Odoo : le statut sera vérifié automatiquement.' }, en: { title: 'Service briefly unavailable', body: 'Your answer could not be recorded right now. Reload this page in a moment, or return to Odoo: the status will be checked automatically.' } },
  'not-found': { fr: { title: 'Page introuvable', body: 'Cette adresse n’existe pas sur stetpay.' }, en: { title: 'Page not found', body: 'This address does not exist on stetpay.' } },
};

const LABELS = {
  fr: { bill: 'Facture', payment: 'Paiement', openBill: (b: string) => `Ouvrir la facture ${b} dans Odoo`, openOdoo: 'Revenir à Odoo' },
  en: { bill: 'Bill', payment: 'Payment', openBill: (b: string) => `Open bill ${b} in Odoo`, openOdoo: 'Return to Odoo' },
} as const;

const GOOD: PageKind[] = ['approved'];
const NEUTRAL: PageKind[] = ['refused', 'replayed', 'unavailable', 'not-found', 'expired'];

export interface PageDetails {
  /** Bill number (or `#id` when only the id is known). */
  bill?: string;
  paymentId?: string;
  /** Link back to Odoo: the bill's form when `bill` is set, else Odoo's home page. */
  odooUrl?: string;
}

export function pageTitle(kind: PageKind, lang: PageLanguage): string {
  return TEXT[kind][lang].title;
}

export function renderCallbackPage(kind: PageKind, lang: PageLanguage, details: PageDetails = {}): string {
  const t = TEXT[kind][lang];
  const colour = GOOD.includes(kind) ? '#1a7f37' : NEUTRAL.includes(kind) ? '#9a6700' : '#cf222e';
  const rows = [
    details.bill ? `<dt>${LABELS[lang].bill}</dt><dd>${escapeHtml(details.bill)}</dd>` : '',
    details.paymentId ? `<dt>${LABELS[lang].payment}</dt><dd><code>${escapeHtml(details.paymentId)}</code></dd>` : '',
  ].join('');
  const linkText = details.bill ? LABELS[lang].openBill(details.bill) : LABELS[lang].openOdoo;
  const link = details.odooUrl ? `<p class="back"><a href="${escapeHtml(details.odooUrl)}">${escapeHtml(linkText)}</a></p>` : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} · stetpay</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f8fa;color:#1f2328;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem 2.5rem;max-width:34rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
h1{margin:0 0 1rem;font-size:1.5rem;color:${colour}}
p{line-height:1.5;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{color:#59636e}dd{margin:0}code{font-size:.95em}
.back{margin:1.5rem 0 0}a{color:#0550ae;font-weight:600}a:focus-visible{outline:2px solid #0550ae;outline-offset:2px}
</style></head>
<body><main><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.body)}</p>${rows ? `<dl>${rows}</dl>` : ''}${link}</main></body></html>
`;
}
