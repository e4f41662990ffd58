/**
 * SEPA text: the Latin character set every SCT text field must keep to
 * (a-z A-Z 0-9 / - ? : ( ) . , ' + space), EPC217-08 style transliteration,
 * and the field lengths. Banks may reject a request with any other character,
 * so everything stetpay sends goes through here.
 */

/** Field lengths, in characters (the EPC's SCT implementation guidelines). */
export const SEPA_LENGTHS = Object.freeze({ name: 70, remittance: 140, id: 35 });

const ALLOWED = /^[a-zA-Z0-9/\-?:().,'+ ]$/;
const SEPA_TEXT = /^[a-zA-Z0-9/\-?:().,'+ ]*$/;

/** Letters that do not decompose under NFD, and symbols with a SEPA meaning. */
const LATIN: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  œ: 'oe', Œ: 'OE', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ħ: 'h', Ħ: 'H', ŧ: 't',
  Ŧ: 'T', ŋ: 'n', Ŋ: 'N', ĸ: 'k', ſ: 's', ŀ: 'l', Ŀ: 'L',
  '&': '+', '€': 'EUR', '@': ' ', '"': "'", '‘': "'", '’': "'", '‚': "'", '“': "'",
  '”': "'", '„': "'", '«': "'", '»': "'", '–': '-', '—': '-', '‐': '-', '‑': '-',
  '_': '-', '\\': '/', ';': ',', '…': '...', '°': ' ', '#': ' ', '*': ' ', '|': ' ',
};

/** Greek, ELOT 743 simplified; accents are stripped before lookup. */
const GREEK_LOWER: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k',
  λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't',
  υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

/** Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian), ICAO-like. */
const CYRILLIC_LOWER: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i',
  й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '',
  э: 'e', ю: 'yu', я: 'ya', є: 'ye', і: 'i', ї: 'yi', ґ: 'g', ў: 'u', ђ: 'dj', ј: 'j',
  љ: 'lj', њ: 'nj', ћ: 'c', џ: 'dz', ѓ: 'gj', ќ: 'kj', ѕ: 'dz',
};

function withUpperCase(lower: Record<string, string>): Record<string, string> {
  const table: Record<string, string> = { ...lower };
  for (const [ch, latin] of Object.entries(lower)) {
    const upper = ch.toUpperCase();
    if (upper !== ch && !(upper in table)) table[upper] = latin.charAt(0).toUpperCase() + latin.slice(1);
  }
  return table;
}

const TABLE: Record<string, string> = { ...LATIN, ...withUpperCase(GREEK_LOWER), ...withUpperCase(CYRILLIC_LOWER) };

function mapChar(ch: string): string {
  if (ALLOWED.test(ch)) return ch;
  const mapped = TABLE[ch];
  if (mapped !== undefined) return mapped;
  if (/\s/u.test(ch)) return ' ';
  // Other ASCII punctuation (!$%<=>[]^`{}~) would be refused: a space keeps words apart.
  if (/^[\x21-\x7e]$/.test(ch)) return ' ';
  return ''; // emoji, CJK, control characters...: dropped
}

/**
 * Transliterates `input` to the SEPA character set, collapses spaces and trims.
 * Never cuts: see {@link sepaText} for a field's length.
 */
export function toSepaCharset(input: string | null | undefined): string {
  if (!input) return '';
  let out = '';
  for (const ch of input.normalize('NFC')) {
    if (ALLOWED.test(ch) || TABLE[ch] !== undefined) {
      out += mapChar(ch);
      continue;
    }
    // Accented letters: NFD splits the base letter from its marks; drop the marks.
    for (const part of ch.normalize('NFD').replace(/\p{M}/gu, '')) out += mapChar(part);
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Cuts to `max` code points (never half a surrogate pair), then trims again. */
export function cutToLength(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('').trimEnd();
}

/** SEPA text for a field of `max` characters. */
export function sepaText(input: string | null | undefined, max: number): string {
  return cutToLength(toSepaCharset(input), max);
}

/** A party name (debtor, creditor, initiating party): at most 70 characters. */
export function sepaName(input: string | null | undefined): string {
  return sepaText(input, SEPA_LENGTHS.name);
}

/** One unstructured remittance line: at most 140 characters. */
export function sepaRemittance(input: string | null | undefined): string {
  return sepaText(input, SEPA_LENGTHS.remittance);
}

function fixSlashes(id: string): string {
  return id.replace(/\/{2,}/g, '/').replace(/^[/ ]+|[/ ]+$/g, '');
}

/** An identifier: at most 35 characters, never starting or ending with `/`, never `//`. */
export function sepaId(input: string | null | undefined): string {
  return fixSlashes(cutToLength(fixSlashes(toSepaCharset(input)), SEPA_LENGTHS.id));
}

/** True when `text` holds only SEPA characters (and is at most `max` long when given). */
export function isSepaText(text: string, max?: number): boolean {
  return SEPA_TEXT.test(text) && (max === undefined || Array.from(text).length <= max);
}

/** True when `id` is a valid SEPA identifier (1..35 SEPA characters, slash rules). */
export function isSepaId(id: string): boolean {
  return id.length >= 1 && isSepaText(id, SEPA_LENGTHS.id) && !id.startsWith('/') && !id.endsWith('/') && !id.includes('//');
}
