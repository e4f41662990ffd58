/** The consent page a PSU's browser opens from `_links.consentApproval.href`. */
import type { SandboxPayment } from './types.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "1234.5" or 1234.5 -> "1 234,50 EUR" (French layout, plain spaces), by string arithmetic on cents. */
export function formatEuros(amount: string, currency: string): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!m) return `${amount} ${currency}`;
  const units = (m[1] as string).replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const cents = ((m[2] ?? '') + '00').slice(0, 2);
  return `${units},${cents} ${currency}`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1f2328;margin:0}
header{background:#4a1d6e;color:#fff;padding:.8rem 1.5rem;font-weight:600;letter-spacing:.02em}
header small{font-weight:400;opacity:.8;margin-left:.75rem}
main{background:#fff;max-width:36rem;margin:2rem auto;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
h1{font-size:1.4rem;margin:0 0 .25rem}.lead{color:#59636e;margin:0 0 1.25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.45rem 1.25rem;margin:0 0 1.25rem}
dt{color:#59636e}dd{margin:0;overflow-wrap:anywhere}
.iban,.ref{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.95em}
.amount{font-size:1.35rem;font-weight:700}
.tx{border-top:1px solid #d0d7de;padding-top:1rem}
form{display:flex;gap:1rem;margin:1.5rem 0 1rem}
button{font:inherit;font-size:1.05rem;padding:.55rem 1.6rem;border-radius:6px;cursor:pointer}
button[value=approve]{background:#1a7f37;color:#fff;border:1px solid #1a7f37}
button[value=refuse]{background:#fff;color:#a40e26;border:1px solid #a40e26}
.note{color:#59636e;font-size:.85rem;margin:0}`;

/** The request's total, by string arithmetic on cents. */
function totalOf(p: SandboxPayment): string {
  const cents = p.transactions.reduce((s, t) => {
    const m = /^(\d+)(?:\.(\d*))?$/.exec(t.amount.trim());
    return m ? s + Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2)) : s;
  }, 0);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export function renderConsentPage(p: SandboxPayment & { nonce: string }, actionPath: string): string {
  const rows = p.transactions.map((t, i) => `
<section class="tx" data-testid="transaction-${i}"><dl>
  <dt>Beneficiary</dt><dd><strong data-testid="beneficiary-name">${escape(t.creditorName)}</strong></dd>
  <dt>Beneficiary IBAN</dt><dd class="iban" data-testid="beneficiary-iban">${escape(t.creditorIban ?? '')}</dd>
  <dt>Amount</dt><dd class="amount" data-testid="amount">${escape(formatEuros(t.amount, t.currency))}</dd>
  <dt>Execution date</dt><dd data-testid="execution-date">${escape(t.appliedExecutionDate)}</dd>
  <dt>End-to-end id</dt><dd class="ref" data-testid="end-to-end-id">${escape(t.endToEndId ?? '')}</dd>
</dl></section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.transactions.length > 1 ? `Approve ${p.transactions.length} payments` : 'Approve a payment'} - stetpay bank sandbox</title>
<style>${STYLE}</style></head>
<body data-testid="consent-page" data-resource-id="${escape(p.resourceId)}" data-status="${escape(p.paymentInformationStatus)}">
<header>stetpay bank sandbox<small>test bank: no real money, no real authentication</small></header>
<main>
${p.transactions.length > 1
    ? `<h1>Approve ${p.transactions.length} payments</h1>\n<p class="lead">One approval for the ${p.transactions.length} transfers below (<span data-testid="total">${escape(formatEuros(totalOf(p), p.transactions[0]!.currency))}</span> in all): check them, then approve or refuse them together.</p>`
    : `<h1>Approve a payment</h1>\n<p class="lead">Check the transfer below, then approve or refuse it.</p>`}
<dl>
  <dt>From</dt><dd><strong data-testid="debtor-name">${escape(p.debtorName ?? '')}</strong><br><span class="iban" data-testid="debtor-iban">${escape(p.debtorIban ?? '')}</span></dd>
</dl>
${rows}
<form method="post" action="${escape(actionPath)}">
<input type="hidden" name="nonce" value="${escape(p.nonce)}">
<button type="submit" name="decision" value="approve" data-testid="approve">Approve</button>
<button type="submit" name="decision" value="refuse" data-testid="refuse">Refuse</button>
</form>
<p class="note">In a real bank, you would authenticate here (strong customer authentication) before deciding.</p>
</main>
</body></html>`;
}

export function renderMessagePage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body data-testid="message-page"><h1>${escape(title)}</h1><p data-testid="message">${escape(text)}</p></body></html>`;
}
