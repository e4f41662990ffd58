import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REASON_CODES, REASONS, formatReasons, isReasonCode, makeReason } from '../../connector/rules/reasons.js';
import { repoRoot } from '../support/paths.js';

/** The codes in the first column of docs/rules.md's "Why a bill is refused" table. */
function documentedCodes(): string[] {
  const doc = readFileSync(join(repoRoot, 'docs', 'rules.md'), 'utf8');
  const start = doc.indexOf('## Why a bill is refused');
  expect(start, 'docs/rules.md has a "Why a bill is refused" section').to.be.greaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const codes: string[] = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (m) codes.push(m[1]!);
  }
  return codes;
}

describe('reason codes', () => {
  it('every reason code has a row in docs/rules.md', () => {
    const documented = new Set(documentedCodes());
    expect(REASON_CODES.filter((c) => !documented.has(c))).to.deep.equal([]);
  });

  it('every row of the docs table is a reason code, once', () => {
    const documented = documentedCodes();
    expect(documented.filter((c) => !isReasonCode(c))).to.deep.equal([]);
    expect(new Set(documented).size).to.equal(documented.length);
  });

  it('the docs table names the same rule as the catalog', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'rules.md'), 'utf8');
    for (const code of REASON_CODES) expect(doc, code).to.include(`| \`${code}\` | ${REASONS[code].rule} |`);
  });

  it('builds a reason that names the bill and fills the placeholders', () => {
    expect(makeReason('CURRENCY_NOT_EUR', 'BILL/1', { currency: 'USD' })).to.deep.equal({
      code: 'CURRENCY_NOT_EUR', rule: 'NWM-02', field: 'bill.currency',
      message: 'Bill BILL/1: it is in USD; the bank only pays in EUR by SEPA transfer: pay it another way.',
    });
    expect(makeReason('IBAN_LENGTH', 'BILL/1').message).to.include('account ? has a wrong length (?)');
    for (const code of REASON_CODES) expect(REASONS[code].message).not.to.match(/^Bill /);
  });

  it('formats reasons for x_stet_status_reason', () => {
    const text = formatReasons([makeReason('AMOUNT_ZERO', 'B1'), makeReason('NO_BANK_ACCOUNT', 'B1')]);
    expect(text).to.equal("AMOUNT_ZERO: Bill B1: nothing is left to pay (amount due 0.00); remove the payment approval. | NO_BANK_ACCOUNT: Bill B1: it has no recipient bank account; choose the supplier's bank account on the bill.");
  });
});
