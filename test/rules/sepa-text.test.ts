import { expect } from 'chai';
import { cutToLength, isSepaId, isSepaText, sepaId, sepaName, sepaRemittance, toSepaCharset } from '../../connector/rules/sepa-text.js';

describe('SEPA text', () => {
  it('SEPA-CHARSET turns accents into plain letters', () => {
    expect(toSepaCharset('Société Générale à Évry, façade')).to.equal('Societe Generale a Evry, facade');
    expect(toSepaCharset('Ångström Ærø Ñandú')).to.equal('Angstrom AEro Nandu');
  });

  it('SEPA-CHARSET maps ß to ss, & to +, and the letters NFD cannot split', () => {
    expect(toSepaCharset('Müller & Söhne Straße')).to.equal('Muller + Sohne Strasse');
    expect(toSepaCharset('Łódź Øresund Œuvre Þór Đakovo æble')).to.equal('Lodz Oresund OEuvre THor Dakovo aeble');
  });

  it('SEPA-CHARSET transliterates Cyrillic and Greek names instead of dropping them', () => {
    expect(toSepaCharset('Михаил Горбачёв')).to.equal('Mikhail Gorbachev');
    expect(toSepaCharset('ООО «Щука и Ёж»')).to.equal("OOO 'Shchuka i Ezh'");
    // Russian-based table: not the official Ukrainian spelling (Kyiv), but never dropped.
    expect(toSepaCharset('Київ Ґанок')).to.equal('Kiyiv Ganok');
    expect(toSepaCharset('Ђорђе Јовановић')).to.equal('Djordje Jovanovic');
    expect(toSepaCharset('Αθήνα Ψυχή')).to.equal('Athina Psychi');
  });

  it('SEPA-CHARSET drops emoji and CJK, spaces other punctuation, collapses and trims spaces', () => {
    expect(toSepaCharset('  ACME 😀  Corp 株式会社 ')).to.equal('ACME Corp');
    expect(toSepaCharset('a!b$c%d;e_f\tg\nh')).to.equal('a b c d,e-f g h');
    expect(toSepaCharset('😀🎉')).to.equal('');
    expect(isSepaText(toSepaCharset('x{y}[z]~^`<>=|#*@"€'))).to.equal(true);
  });

  it('SEPA-NAME cuts names to 70 characters', () => {
    const name = sepaName('É'.repeat(100));
    expect(name).to.equal('E'.repeat(70));
  });

  it('SEPA-REMITTANCE cuts a 300-character reference to 140', () => {
    expect(sepaRemittance('ref '.repeat(75))).to.have.length.at.most(140);
    expect(sepaRemittance('x'.repeat(300))).to.equal('x'.repeat(140));
  });

  it('cuts by code points, never half a character', () => {
    expect(cutToLength('😀😀😀', 2)).to.equal('😀😀');
    expect(cutToLength('abc ', 4)).to.equal('abc ');
    expect(cutToLength('abc def', 4)).to.equal('abc');
  });

  it('SEPA-ID: at most 35, never starting or ending with / and never //', () => {
    expect(sepaId('//INV//2026///0042/')).to.equal('INV/2026/0042');
    expect(sepaId('A'.repeat(34) + '/B')).to.equal('A'.repeat(34));
    expect(sepaId('A'.repeat(40))).to.have.length(35);
    expect(isSepaId('/A')).to.equal(false);
    expect(isSepaId('A//B')).to.equal(false);
    expect(isSepaId('A/B')).to.equal(true);
    expect(isSepaId('')).to.equal(false);
  });
});
