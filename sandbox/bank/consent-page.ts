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

export function renderConsentPage(p: SandboxPayment & { nonce: string }, actionPath: string): string {
  const rows = p.transactions.map((t, i) => `
    <section class="tx" data-testid="transaction-${i}">
      <p>Beneficiary: <strong data-testid="beneficiary-name">${escape(t.creditorName)}</strong></p>
      <p>Beneficiary IBAN: <span data-testid="beneficiary-iban">${escape(t.creditorIban ?? '')}</span></p>
      <p>Amount: <strong data-testid="amount">${escape(formatEuros(t.amount, t.currency))}</strong></p>
      <p>Execution date: <span data-testid="execution-date">${escape(t.appliedExecutionDate)}</span></p>
      <p>End-to-end id: <span data-testid="end-to-end-id">${escape(t.endToEndId ?? '')}</span></p>
    </section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Approve a payment - stetpay bank sandbox</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto}button{font-size:1.1rem;margin-right:1rem}</style></head>
<body data-testid="consent-page" data-resource-id="${escape(p.resourceId)}" data-status="${escape(p.paymentInformationStatus)}">
<h1>Approve a payment</h1>
<p>Debtor: <strong data-testid="debtor-name">${escape(p.debtorName ?? '')}</strong> <span data-testid="debtor-iban">${escape(p.debtorIban ?? '')}</span></p>
${rows}
<form method="post" action="${escape(actionPath)}">
<input type="hidden" name="nonce" value="${escape(p.nonce)}">
<button type="submit" name="decision" value="approve" data-testid="approve">Approve</button>
<button type="submit" name="decision" value="refuse" data-testid="refuse">Refuse</button>
</form>
<p><small>stetpay bank sandbox: no real authentication happens here.</small></p>
</body></html>`;
}

export function renderMessagePage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body data-testid="message-page"><h1>${escape(title)}</h1><p data-testid="message">${escape(text)}</p></body></html>`;
}
