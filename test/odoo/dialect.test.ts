import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { approvedDomain, isSupportedOdooVersion, majorVersion, ODOO_DIALECTS, SUPPORTED_ODOO_VERSIONS } from '../../connector/odoo/index.js';
import { odooLinks } from '../../plugin/callback/index.js';
import { repoRoot } from '../support/paths.js';

describe('Odoo dialects: what differs between 16, 17 and 18, in one record per version (connector/odoo/odoo-dialect)', () => {
  it('ODOO-DIALECT-01 the versions stetpay accepts are the dialect records: 16, 17, 18; 19 and 15 are refused', () => {
    expect(SUPPORTED_ODOO_VERSIONS).to.deep.equal([16, 17, 18]);
    expect([15, 16, 17, 18, 19].map((v) => isSupportedOdooVersion(v))).to.deep.equal([false, true, true, true, false]);
    expect(majorVersion({ server_serie: 'saas~17.2' })).to.equal(17);
  });

  it("ODOO-DIALECT-02 each record states Odoo's own forms: the review flag, the list tag, the modifiers, the memo, the cancelled state, who may read tracking, the web URLs", () => {
    const row = (v: 16 | 17 | 18) => { const { version: _v, ...rest } = ODOO_DIALECTS[v]; return rest; };
    expect(row(16)).to.deep.equal({ reviewedField: 'to_check', listTag: 'tree', modifiers: 'attrs', paymentMemoField: 'ref', paymentCancelledState: 'cancel', trackingReadableByInvoicingUser: false, webUrls: 'web-hash' });
    expect(row(17)).to.deep.equal({ reviewedField: 'to_check', listTag: 'tree', modifiers: 'expressions', paymentMemoField: 'ref', paymentCancelledState: 'cancel', trackingReadableByInvoicingUser: true, webUrls: 'web-hash' });
    expect(row(18)).to.deep.equal({ reviewedField: 'checked', listTag: 'list', modifiers: 'expressions', paymentMemoField: 'memo', paymentCancelledState: 'canceled', trackingReadableByInvoicingUser: false, webUrls: 'odoo-paths' });
    // Read through the record: the approved bills' domain and the links.
    expect(approvedDomain(17)).to.deep.include(['to_check', '=', false]);
    expect(approvedDomain(18)).to.deep.include(['checked', '=', true]);
    expect(odooLinks('https://o.example', 18).home).to.equal('https://o.example/odoo');
    expect(odooLinks('https://o.example', 16).home).to.equal('https://o.example/web');
  });

  it('ODOO-DIALECT-03 no code outside the dialect compares an Odoo version with a number (adding 19 is one record)', () => {
    const compare = /\bversion\s*(>=|<=|>|<|===|!==|==|!=)\s*1\d\b|\[\s*16\s*,\s*17\s*,\s*18\s*\]|\b16\s*\|\s*17\s*\|\s*18\b/;
    const offenders = ['connector', 'worker', 'plugin']
      .flatMap((dir) => readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts'))
        .map((e) => join(e.parentPath, e.name)))
      .filter((file) => !file.endsWith('odoo-dialect.ts') && compare.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).to.deep.equal([]);
  });
});
