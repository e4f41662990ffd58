/**
 * The VoP sandbox's name matching, after the EPC's recommendations (EPC288-23):
 * what only differs in form is a match; the same name written differently in
 * substance is a close match; anything else, and any one-word probe, no match.
 */
import { expect } from 'chai';
import { sepaName } from '../../connector/rules/sepa-text.js';
import { OdooStore } from '../../sandbox/odoo/store.js';
import { seedStore } from '../../sandbox/odoo/seed.js';
import { editDistance, matchName, nameWords } from '../../sandbox/vop/name-match.js';

describe('VoP sandbox name matching (EPC recommendations)', () => {
  const cases: [rule: string, given: string, held: string, expected: 'MTCH' | 'CMTC' | 'NMTC'][] = [
    ['case is not a difference', 'atelier de reliure ménard', 'ATELIER DE RELIURE MÉNARD', 'MTCH'],
    ['accents are not a difference', 'Electricite Generale Hebert', 'Électricité Générale Hébert', 'MTCH'],
    ['ß and ss are the same letters', 'Bäckerei Gross Grosshandel GmbH', 'Bäckerei Groß Großhandel GmbH', 'MTCH'],
    ['punctuation and spacing are not a difference', "Imprimerie Cote d'Azur  SARL", 'Imprimerie Côte d’Azur SARL', 'MTCH'],
    ['& and + (SEPA text) are not words', 'Muller + Sohne Maschinenbau GmbH', 'Müller & Söhne Maschinenbau GmbH', 'MTCH'],
    ['S.p.A. and SpA are one legal form', 'Tessitura Lanificio Gioffre S.p.A.', 'TESSITURA LANIFICIO GIOFFRE SPA', 'MTCH'],
    ['GmbH and G.m.b.H. are one legal form', 'Bäckerei Groß Großhandel GmbH', 'Bäckerei Groß Großhandel G.m.b.H.', 'MTCH'],
    ['S.A.R.L. and SARL are one legal form', 'Imprimerie Côte d’Azur S.A.R.L.', 'Imprimerie Côte d’Azur SARL', 'MTCH'],
    ['a legal form on one side only is not a difference', 'Agence Créative Ça Marche', 'Agence Creative Ca Marche SAS', 'MTCH'],
    ['two different legal forms: close match', 'Nettoyage Industriel Provençal SAS', 'Nettoyage Industriel Provençal SARL', 'CMTC'],
    ['the same words in another order: close match', 'Menuiserie Ébénisterie Thévenin', 'Ébénisterie Menuiserie Thévenin', 'CMTC'],
    ['a person named surname first: close match', 'Dupont Marie', 'Marie Dupont', 'CMTC'],
    ['an initial for a first name: close match', 'J. Dupont', 'Jean Dupont', 'CMTC'],
    ['initials for two first names: close match', 'J P Dupont', 'Jean Pierre Dupont', 'CMTC'],
    ['a middle name left out: close match', 'Jean Dupont', 'Jean Pierre Dupont', 'CMTC'],
    ['a typo: close match', 'Transports Routiers Freres Benrad', 'Transports Routiers Frères Bénard', 'CMTC'],
    ['a surname alone is a probe: no match', 'Dupont', 'Jean Dupont', 'NMTC'],
    ['a similar but different company: no match', 'Silva Construções SA', 'Silva Consultores SA', 'NMTC'],
    ['another name altogether: no match', 'Atelier de Reliure Ménard', 'Jean-Marc Fraudet', 'NMTC'],
    ['nothing readable: no match', '---', 'Jean Dupont', 'NMTC'],
  ];
  for (const [rule, given, held, expected] of cases) {
    it(`VOP-MATCH ${rule}: '${given}' against '${held}' is ${expected}`, () => {
      expect(matchName(given, held)).to.equal(expected);
    });
  }

  it('VOP-MATCH normalises to words: lower case, no accents, dotted legal forms joined, punctuation as spaces', () => {
    expect(nameWords('Koninklijke Drukkerij Smit-IJsselstein B.V.')).to.deep.equal(['koninklijke', 'drukkerij', 'smit', 'ijsselstein', 'bv']);
    expect(nameWords('Cantina Sociale Vitivinicola dell’Oltrepò')).to.deep.equal(['cantina', 'sociale', 'vitivinicola', 'dell', 'oltrepo']);
    expect(editDistance('benard', 'benrad')).to.equal(1); // a transposition is one edit
  });

  it('VOP-MATCH every seeded supplier account matches the name stetpay sends, but the close match and the mismatch seeded on purpose', () => {
    const store = new OdooStore(17);
    const info = seedStore(store, { invoices: 200, seed: 1, today: '2026-11-25' });
    const special = new Map(info.payeeProblems.map((p) => [p.iban, p.kind]));
    expect([...special.values()].sort()).to.deep.equal(['close_match', 'no_match']);
    const results = info.payees.map((p) => {
      const account = store.read('res.partner.bank', store.allIds('res.partner.bank')).find((a) => String(a.sanitized_acc_number) === p.iban)!;
      const partner = store.read('res.partner', [account.partner_id as number])[0]!;
      // what the mapping sends: the holder name, else the supplier's name, in SEPA text
      const sent = sepaName((account.acc_holder_name as string) || '') || sepaName(String(partner.name));
      return [p.iban, matchName(sent, p.name)] as const;
    });
    for (const [iban, result] of results) {
      const kind = special.get(iban);
      expect(result, iban).to.equal(kind === 'close_match' ? 'CMTC' : kind === 'no_match' ? 'NMTC' : 'MTCH');
    }
  });
});
