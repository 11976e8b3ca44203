/**
 * Normalization for how people really type: full-width digits, letters and the symbols that occur inside
 * values (０-９, Ａ-Ｚ, ａ-ｚ, ＠ ． － ＋ ＿ ＃) become ASCII, the ideographic space becomes a space, Unicode dashes
 * become '-', and zero-width / soft-hyphen characters are dropped. Full-width punctuation that only
 * separates (，：（）。) is kept, so ordinary Chinese text takes the zero-copy path; context words list both forms.
 * Every normalized character comes from exactly one original UTF-16 unit, so `map[i]` gives its original
 * index and spans map back exactly: [map[s], map[e-1] + 1).
 */
export interface Normalized {
  text: string;
  /** Original index of each normalized index, or null when the text was already normal (identity). */
  map: Int32Array | null;
}

/** Characters normalization changes: U+00AD, U+200B-U+2015, U+2060, U+2212, U+3000, U+FEFF and the full-width value characters. */
export function changes(c: number): boolean {
  return c === 0xad || (c >= 0x200b && c <= 0x2015) || c === 0x2060 || c === 0x2212 || c === 0x3000 || c === 0xfeff || isFullwidthValueChar(c);
}

/**
 * Pre-check, a superset of `changes` in eight ranges: V8 scans a class of few ranges faster than the exact
 * one (fourteen ranges) over two-byte text. The full-width block is split around the punctuation Chinese
 * prose is full of (，FF0C ：FF1A （FF08 ）FF09 ！FF01 ？FF1F ；FF1B), so ordinary Chinese text has no hit at all;
 * a hit is checked exactly, and the characters after it by hand, so text dense in the remaining superset
 * characters costs no regex call per character.
 */
export const MAYBE_SOURCE = '\\u00AD\\u200B-\\u2212\\u3000\\uFEFF\\uFF03\\uFF0B\\uFF0D-\\uFF19\\uFF20-\\uFF5A';
const MAYBE = new RegExp(`[${MAYBE_SOURCE}]`, 'g');
const HAND_SCAN = 32;

export function needsNormalizing(text: string): boolean {
  const n = text.length;
  let from = 0;
  while (from < n) {
    MAYBE.lastIndex = from;
    if (!MAYBE.test(text)) return false;
    let q = MAYBE.lastIndex - 1;
    const lim = Math.min(n, q + HAND_SCAN);
    for (; q < lim; q++) if (changes(text.charCodeAt(q))) return true;
    from = lim;
  }
  return false;
}

function isFullwidthValueChar(c: number): boolean {
  return c === 0xff03 || c === 0xff0b || c === 0xff0d || c === 0xff0e || (c >= 0xff10 && c <= 0xff19) || (c >= 0xff20 && c <= 0xff3a) || c === 0xff3f || (c >= 0xff41 && c <= 0xff5a);
}

function isDropped(c: number): boolean {
  return c === 0x00ad || (c >= 0x200b && c <= 0x200f) || c === 0x2060 || c === 0xfeff;
}

export function normalize(text: string): Normalized {
  if (!needsNormalizing(text)) return { text, map: null };
  const len = text.length;
  const out = new Uint16Array(len);
  const map = new Int32Array(len + 1);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xad) {
      out[n] = c;
      map[n++] = i;
      continue;
    }
    if (isDropped(c)) continue;
    let o = c;
    if (isFullwidthValueChar(c)) o = c - 0xfee0;
    else if (c === 0x3000) o = 0x20;
    else if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) o = 0x2d;
    out[n] = o;
    map[n++] = i;
  }
  map[n] = len;
  return { text: Buffer.from(out.buffer, 0, n * 2).toString('utf16le'), map: map.subarray(0, n + 1) };
}

/** Maps a normalized span back to original indices. */
export function toOriginal(norm: Normalized, start: number, end: number): [number, number] {
  const m = norm.map;
  if (!m) return [start, end];
  return [m[start], end > start ? m[end - 1] + 1 : m[start]];
}
