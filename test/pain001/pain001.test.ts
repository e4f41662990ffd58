import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildPain001, Pain001Error, type Pain001Input, type Pain001Payment } from '../../connector/pain001/index.js';
import { sharedDir } from '../support/paths.js';

function payment(i: number, over: Partial<Pain001Payment> = {}): Pain001Payment {
  return {
    endToEndId: `E2E-PROD-${i}-1`,
    instructionId: `IN-PROD-${i}-1`,
    amountCents: 10,
    currency: 'EUR',
    creditorName: `Supplier ${i} SARL`,
    creditorIban: 'FR76 3000 6000 0112 3456 7890 189',
    remittance: { unstructured: `BILL/2026/11/${String(i).padStart(4, '0')}` },
    requestedExecutionDate: '2026-11-27',
    ...over,
  };
}

function input(version: '09' | '03', payments: Pain001Payment[], over: Partial<Pain001Input> = {}): Pain001Input {
  return {
    messageId: 'STETPAY-20261125-0930',
    creationDateTime: '2026-11-25T09:30:00',
    initiatingPartyName: 'Acme SAS',
    debtor: { name: 'Acme SAS', iban: 'FR7630001007941234567890185', bic: 'BNPAFRPPXXX' },
    payments,
    version,
    categoryPurpose: 'SUPP',
    ...over,
  };
}

const PAYMENTS = [
  payment(1, { amountCents: 10, creditorBic: 'COBADEFFXXX', creditorIban: 'DE89370400440532013000', creditorName: "L'Atelier + Fils" }),
  payment(2, { amountCents: 20, requestedExecutionDate: '2026-11-26', remittance: { creditorReference: 'RF18539007547034' } }),
  payment(3, { amountCents: 99_999_999_999 }),
];

const xsd = (v: string) => join(sharedDir, 'sepa', `pain.001.001.${v}.xsd`);
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

describe('pain.001 fallback file (connector/pain001)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stetpay-pain001-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const version of ['09', '03'] as const) {
    it(`is valid against the pain.001.001.${version} XSD (with and without BICs)`, function () {
      if (!existsSync(xsd(version))) {
        console.log(`      skipped: ${xsd(version)} is absent (../shared not beside the clone)`);
        return this.skip();
      }
      if (!hasXmllint) {
        console.log("      skipped: xmllint is not installed (Debian's libxml2-utils)");
        return this.skip();
      }
      for (const [name, inp] of [
        ['bics', input(version, PAYMENTS)],
        ['nobic', input(version, [payment(4)], { debtor: { name: 'Acme SAS', iban: 'FR7630001007941234567890185' }, categoryPurpose: undefined })],
      ] as const) {
        const file = join(dir, `${name}-${version}.xml`);
        writeFileSync(file, buildPain001(inp));
        const r = spawnSync('xmllint', ['--noout', '--schema', xsd(version), file], { encoding: 'utf8' });
        expect(r.status, r.stderr).to.equal(0);
      }
    });
  }

  it('computes NbOfTxs and CtrlSum in integer cents, in the group header and per PmtInf', () => {
    const doc = new XMLParser({ parseTagValue: false }).parse(buildPain001(input('09', PAYMENTS)));
    const root = doc.Document.CstmrCdtTrfInitn;
    expect(root.GrpHdr.NbOfTxs).to.equal('3');
    expect(root.GrpHdr.CtrlSum).to.equal('1000000000.29'); // 0.10 + 0.20 + 999999999.99, exactly
    expect(root.PmtInf.map((p: { CtrlSum: string; NbOfTxs: string }) => [p.NbOfTxs, p.CtrlSum])).to.deep.equal([
      ['1', '0.20'],
      ['2', '1000000000.09'],
    ]);
  });

  it('makes one PmtInf per execution date, in date order, each transfer with its end-to-end id', () => {
    const xml = buildPain001(input('09', PAYMENTS));
    const root = new XMLParser({ parseTagValue: false }).parse(xml).Document.CstmrCdtTrfInitn;
    expect(root.PmtInf.map((p: { PmtInfId: string; ReqdExctnDt: { Dt: string } }) => [p.PmtInfId, p.ReqdExctnDt.Dt])).to.deep.equal([
      ['STETPAY-20261125-0930-20261126', '2026-11-26'],
      ['STETPAY-20261125-0930-20261127', '2026-11-27'],
    ]);
    expect(root.PmtInf[1].CdtTrfTxInf.map((t: { PmtId: { EndToEndId: string } }) => t.PmtId.EndToEndId)).to.deep.equal(['E2E-PROD-1-1', 'E2E-PROD-3-1']);
    expect(xml).to.contain('<IBAN>FR7630006000011234567890189</IBAN>');
    expect(xml).to.contain('<Nm>L&apos;Atelier + Fils</Nm>');
  });

  it('uses BICFI and a Dt wrapper in .09, BIC and a bare date in .03, NOTPROVIDED when the debtor BIC is unknown', () => {
    const v09 = buildPain001(input('09', [payment(1, { creditorBic: 'COBADEFFXXX' })]));
    const v03 = buildPain001(input('03', [payment(1, { creditorBic: 'COBADEFFXXX' })]));
    expect(v09).to.contain('<BICFI>COBADEFFXXX</BICFI>').and.contain('<Dt>2026-11-27</Dt>').and.not.contain('<BIC>');
    expect(v03).to.contain('<BIC>COBADEFFXXX</BIC>').and.contain('<ReqdExctnDt>2026-11-27</ReqdExctnDt>');
    const nobic = buildPain001(input('09', [payment(1)], { debtor: { name: 'Acme', iban: 'FR7630001007941234567890185' } }));
    expect(nobic).to.match(/<DbtrAgt>\s*<FinInstnId>\s*<Othr>\s*<Id>NOTPROVIDED<\/Id>/);
    expect(nobic).not.to.contain('<CdtrAgt>');
  });

  it('refuses what would make an invalid file, naming the field', () => {
    expect(() => buildPain001(input('09', []))).to.throw(Pain001Error, 'pain.001: payments: the file needs at least one payment');
    expect(() => buildPain001(input('09', [payment(1, { amountCents: 0.5 })]))).to.throw(Pain001Error, 'payments[0].amountCents');
    expect(() => buildPain001(input('09', [payment(1), payment(1)]))).to.throw(Pain001Error, "'E2E-PROD-1-1' appears twice");
    expect(() => buildPain001(input('09', [payment(1, { endToEndId: '/E2E' })]))).to.throw(Pain001Error, 'payments[0].endToEndId');
    expect(() => buildPain001(input('09', [payment(1, { currency: 'USD' as 'EUR' })]))).to.throw(Pain001Error, 'EUR only');
  });
});
