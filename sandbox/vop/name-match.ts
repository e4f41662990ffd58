/**
 * The payee's bank's side of Verification of Payee: how closely the name a
 * payer gives matches the name the bank holds, following the EPC's
 * recommendations on the matching of names (EPC288-23): what only differs
 * by case, accents, punctuation, spacing or the way a legal form is written
 * is a match; the same words in another order, initials, a different legal
 * form, a missing middle word or a typo is a close match (the bank then
 * returns the name it holds); anything else is no match. A single word (a
 * surname alone) never gets more than no match, so a probe learns nothing.
 * The sandbox's own rules: nothing here is shared with stetpay's client.
 */
export type NameMatch = 'MTCH' | 'CMTC' | 'NMTC';

/** Legal forms, written as they are once normalised (dots between single letters removed, lower case). */
const LEGAL_FORMS = new Set([
  'sa', 'sas', 'sasu', 'sarl', 'eurl', 'sci', 'snc', 'scop', 'selarl', // France
  'gmbh', 'ag', 'kg', 'ohg', 'ug', 'ev', 'kgaa', 'se', // Germany, Austria, EU
  'spa', 'srl', 'srls', 'snc', 'sapa', // Italy
  'sl', 'slu', 'sll', 'scoop', // Spain
  'nv', 'bv', 'bvba', 'sprl', 'srl', 'vof', 'cv', // Benelux
  'lda', 'ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'corp', 'oy', 'oyj', 'ab', 'as', 'aps', 'sro', 'zoo', 'spzoo',
]);

/** Letters that do not decompose under NFD. */
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower case, no accents, dotted abbreviations joined (S.p.A. -> spa), punctuation as spaces; the words. */
export function nameWords(name: string): string[] {
  let s = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/[ßæœøłđðþı]/g, (c) => LETTERS[c] ?? c);
  // "s.p.a." / "g.m.b.h." / "b.v" -> one word, before dots become spaces
  s = s.replace(/(?<![\p{L}\p{N}])(?:\p{L}\.){1,}\p{L}(?![\p{L}\p{N}])\.?/gu, (m) => m.replace(/\./g, ''));
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  // Join split abbreviations that only mean a legal form once together ("sp z o o").
  s = s.replace(/\bsp z o o\b/g, 'spzoo').replace(/\bz o o\b/g, 'zoo');
  return s === '' ? [] : s.split(' ');
}

/** The words without legal forms, and the legal forms found. */
function split(name: string): { core: string[]; forms: string[] } {
  const words = nameWords(name);
  const core = words.filter((w) => !LEGAL_FORMS.has(w));
  // A name made only of legal-form words ("SAS") keeps them as its core.
  return core.length ? { core, forms: words.filter((w) => LEGAL_FORMS.has(w)) } : { core: words, forms: [] };
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sorted = (a: readonly string[]) => [...a].sort();

/** Each word of `a` is the word of `b` at the same place, or its initial. */
function byInitials(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.some((x, i) => x !== b[i]) && a.every((x, i) => x === b[i] || (x.length === 1 && b[i]!.startsWith(x)) || (b[i]!.length === 1 && x.startsWith(b[i]!)));
}

/** The shorter list's words all appear, in order, in the longer one, which has one word more (a middle name or a second word left out). */
function oneWordLeftOut(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (short.length < 2 || long.length !== short.length + 1) return false;
  let i = 0;
  for (const w of long) if (w === short[i]) i++;
  return i === short.length;
}

/** Few edits for the length: a typo, not another name (about one edit per 10 characters, at least one). */
function isTypo(a: string, b: string): boolean {
  const d = editDistance(a, b);
  return d > 0 && d <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 10));
}

/** How the name the payer gave matches the name the bank holds. */
export function matchName(given: string, held: string): NameMatch {
  const g = split(given);
  const h = split(held);
  if (g.core.length === 0 || h.core.length === 0) return 'NMTC';
  const formsAgree = g.forms.length === 0 || h.forms.length === 0 || sameList(sorted(g.forms), sorted(h.forms));
  if (sameList(g.core, h.core)) return formsAgree ? 'MTCH' : 'CMTC';
  // A probe with one word (a surname alone) learns nothing.
  if (g.core.length < 2) return 'NMTC';
  if (sameList(sorted(g.core), sorted(h.core))) return 'CMTC';
  if (byInitials(g.core, h.core) || oneWordLeftOut(g.core, h.core)) return 'CMTC';
  if (isTypo(g.core.join(' '), h.core.join(' '))) return 'CMTC';
  return 'NMTC';
}
