import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { dumpFault, dumpResponse, PyFloat } from '../../sandbox/odoo/xmlrpc-codec.js';

/** What Odoo sends: Python's xmlrpc.client.dumps(..., methodresponse=True, allow_none=False). */
function python(code: string): string {
  return execFileSync('python3', ['-c', `import sys, xmlrpc.client as x\nsys.stdout.write(${code})`], { encoding: 'utf8' });
}
const norm = (s: string): string => s.replace(/\s+/g, '');

/** Why the comparison with Python cannot run here, or null when python3 and xmlrpc.client are there. */
function pythonMissing(): string | null {
  const r = spawnSync('python3', ['-c', 'import xmlrpc.client'], { encoding: 'utf8' });
  if (r.error) return `python3 is not on PATH (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  return r.status === 0 ? null : `python3 cannot import xmlrpc.client: ${r.stderr.trim()}`;
}

describe('Odoo dev server marshals as Odoo (Python xmlrpc.client)', () => {
  before(function () {
    const why = pythonMissing();
    if (why) {
      console.log(`      skipped: the marshalling is compared with Python's own, and ${why}`);
      this.skip();
    }
  });

  it('writes a fault like Python', () => {
    const text = "Traceback (most recent call last):\n  File \"x\"\nValueError: Invalid field 'x' on model 'account.move' <&>\n";
    const py = python(`x.dumps(x.Fault(1, ${JSON.stringify(text)}), methodresponse=True, allow_none=False)`);
    expect(dumpFault(1, text)).to.equal(py);
  });

  it('writes a search_read result with false, many2one, double, date and accents like Python', () => {
    const rows = [
      { id: 7, name: 'BILL/2026/03/0007', partner_id: [12, 'Müller & Söhne GmbH'], partner_bank_id: false, amount_total: new PyFloat(1200), amount_residual: new PyFloat(0.1), tiny: new PyFloat(0.00001), big: new PyFloat(1e16), invoice_date_due: '2026-03-31', to_check: false, line_ids: [1, 2] },
    ];
    const py = python(
      "x.dumps(([{'id': 7, 'name': 'BILL/2026/03/0007', 'partner_id': [12, 'Müller & Söhne GmbH'], 'partner_bank_id': False, 'amount_total': 1200.0, 'amount_residual': 0.1, 'tiny': 0.00001, 'big': 1e16, 'invoice_date_due': '2026-03-31', 'to_check': False, 'line_ids': [1, 2]}],), methodresponse=True, allow_none=False)",
    );
    expect(norm(dumpResponse(rows))).to.equal(norm(py));
    expect(dumpResponse(rows)).to.equal(py);
  });

  it('writes a nested struct like Python', () => {
    const value = { ids: [1, 2], messages: [{ type: 'error', message: "Unknown database identifier '9'", rows: { from: 0, to: 0 }, record: 0 }] };
    const py = python("x.dumps(({'ids': [1, 2], 'messages': [{'type': 'error', 'message': \"Unknown database identifier '9'\", 'rows': {'from': 0, 'to': 0}, 'record': 0}]},), methodresponse=True, allow_none=False)");
    expect(dumpResponse(value)).to.equal(py);
  });
});

describe('Odoo dev server marshals as Odoo (without Python)', () => {
  it('refuses None as Python does without allow_none', () => {
    expect(() => dumpResponse(null)).to.throw('cannot marshal None unless allow_none is enabled');
  });
});
