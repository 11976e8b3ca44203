import { registerCjkTriggers, type CjkRuns } from '../cjk.js';
import { nextSet } from '../classes.js';
import { reason } from '../candidate.js';
import type { Candidate, Recognizer } from '../types.js';
import { EN_BRANDS, CN_COMPOUND_SURNAMES, CN_NAME_STOP, CN_NOT_NAME, CN_PREFIX_STRONG, CN_PREFIX_WEAK, CN_SUFFIX, CN_SUFFIX_DATA, CN_SURNAMES, EN_AFTER, EN_BEFORE, EN_GIVEN, EN_NOT_NAME, EN_TITLES } from './names-data.js';
import { GIVEN_NAMES, SURNAME_ENDINGS, SURNAMES } from './person-names.js';
import { fold, WordFlags } from './person-wordset.js';
import { isAsciiLetter } from '../lexer.js';
import { unitAt } from '../unit.js';

/**
 * The scanned text's code units (ScanState.codes), set by `person.find` for the length of one scan: the
 * functions below read `cu[i]` (`const cu = PU` first) where they would read `t.charCodeAt(i)` (a plain load;
 * V8's optimized `charCodeAt` first dispatches on the string's representation). Every function here that
 * takes `t` takes the scanned text. Reads that may fall outside the text use `unitAt` (0 outside; unit.ts).
 */
const NO_UNITS = new Uint16Array(0);
let PU: Uint16Array = NO_UNITS;

const isCjk = (c: number) => c >= 0x4e00 && c <= 0x9fff;
/** Compound surnames as pairs of char codes (first * 65536 + second): checked without slicing the text. */
const COMPOUND = new Set(CN_COMPOUND_SURNAMES.map((w) => w.charCodeAt(0) * 65536 + w.charCodeAt(1)));
const HONORIFICS = ['先生', '女士', '小姐', '老师', '经理', '总', '医生', '律师', '教授', '师傅', '阿姨'];
const PREFIX_LAST_T = new Uint8Array(65536);
for (const w of [...CN_PREFIX_STRONG, ...CN_PREFIX_WEAK]) PREFIX_LAST_T[w.charCodeAt(w.length - 1)] = 1;
/** Every word that may follow a Chinese name. */
const AFTER_NAME = [...CN_SUFFIX, ...HONORIFICS];
const SUFFIX_FIRST_T = new Uint8Array(65536);
for (const w of AFTER_NAME) SUFFIX_FIRST_T[w.charCodeAt(0)] = 1;
const sufAt = (i: number) => SUFFIX_FIRST_T[unitAt(PU, i)] === 1;
/**
 * First characters whose every suffix word is longer than one character (的 of 的电话 and 的手机: the
 * commonest Chinese character), and the second characters of the suffix words: a trigger at such a character
 * followed by none of those is skipped with two table reads instead of trying four surname positions.
 */
const SUFFIX_PAIR_ONLY = new Uint8Array(65536);
const SUFFIX_SECOND = new Uint8Array(65536);
for (const w of AFTER_NAME) if (w.length > 1) SUFFIX_SECOND[w.charCodeAt(1)] = 1;
for (const w of AFTER_NAME) SUFFIX_PAIR_ONLY[w.charCodeAt(0)] = AFTER_NAME.every((x) => x[0] !== w[0] || x.length > 1) ? 1 : 0;
/** Lookup tables indexed by UTF-16 code: the scan is one tight loop over the text, O(n). */
const SURNAME_TABLE = new Uint8Array(65536);
for (const ch of CN_SURNAMES) SURNAME_TABLE[ch.charCodeAt(0)] = 1;
for (const cs of CN_COMPOUND_SURNAMES) SURNAME_TABLE[cs.charCodeAt(0)] |= 2;

/** Words indexed by their last (or first) character, so a lookup costs one Map probe in the common case. */
function byChar(words: readonly string[], last: boolean): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const w of words) {
    const k = last ? w.charCodeAt(w.length - 1) : w.charCodeAt(0);
    m.set(k, [...(m.get(k) ?? []), w].sort((a, b) => b.length - a.length));
  }
  return m;
}
const INDEX = new Map<readonly string[], Map<number, string[]>>();
function endsWithAny(s: string, words: readonly string[]): string | null {
  let m = INDEX.get(words);
  if (!m) INDEX.set(words, (m = byChar(words, true)));
  const list = m.get(s.charCodeAt(s.length - 1));
  if (list) for (const w of list) if (s.endsWith(w)) return w;
  return null;
}
/** The word of a byChar(words, false) index that starts at index `at` of t (longest first). */
function startsWithAny(t: string, at: number, index: Map<number, string[]>): string | null {
  const cu = PU;
  const list = index.get(cu[at]);
  if (list !== undefined) for (let j = 0; j < list.length; j++) if (t.startsWith(list[j], at)) return list[j];
  return null;
}
const SUFFIX_STARTS = byChar(CN_SUFFIX, false);
const HONOR_STARTS = byChar(HONORIFICS, false);
/** Words by last character code, longest first, as [word, char codes]: compared backwards in place. */
function endIndex(words: readonly string[]): Map<number, Array<[string, number[]]>> {
  const m = new Map<number, Array<[string, number[]]>>();
  for (const [c, list] of byChar(words, true)) m.set(c, list.map((w) => [w, [...w].map((ch) => ch.charCodeAt(0))]));
  return m;
}
const STRONG_ENDS = endIndex(CN_PREFIX_STRONG);
const WEAK_ENDS = endIndex(CN_PREFIX_WEAK);
/** The possessives and greetings of CN_SUFFIX (weaker evidence than a role). */
const DATA_SUFFIX = new Set(CN_SUFFIX_DATA);
/** CN_NOT_NAME as char-code pairs. */
const NOT_NAME = new Set(CN_NOT_NAME.map((w) => w.charCodeAt(0) * 65536 + w.charCodeAt(1)));
/** Verbs and prepositions that take a person, accepted before a name only when a role or honorific follows it. */
const VERB_ENDS = endIndex(['给', '跟', '向', '问', '对', '让', '帮', '替', '告诉', '见', '陪', '叫']);
/** The word of an endIndex that ends at index k of t (longest first), compared char by char from the end. */
function endsAt(t: string, k: number, index: Map<number, Array<[string, number[]]>>): string | null {
  const cu = PU;
  const list = index.get(cu[k - 1]);
  if (list === undefined) return null;
  outer: for (let j = 0; j < list.length; j++) {
    const codes = list[j][1];
    const from = k - codes.length;
    if (from < 0) continue;
    for (let i = codes.length - 2; i >= 0; i--) if (cu[from + i] !== codes[i]) continue outer;
    return list[j][0];
  }
  return null;
}
/** First characters of the honorifics and of CN_SUFFIX words: most characters are rejected by one table read. */
const HONOR_FIRST = new Uint8Array(65536);
for (const w of HONORIFICS) HONOR_FIRST[w.charCodeAt(0)] = 1;
const CN_SUFFIX_FIRST = new Uint8Array(65536);
for (const w of CN_SUFFIX) CN_SUFFIX_FIRST[w.charCodeAt(0)] = 1;
const CN_STOP_T = new Uint8Array(65536);
for (const c of CN_NAME_STOP) CN_STOP_T[c.charCodeAt(0)] = 1;
const SEP_T = new Uint8Array(65536);
SEP_T[32] = SEP_T[58] = SEP_T[0xff1a] = 1;
/** 1 = last character of a label before a name, 2 = first character of an honorific / role after it. */
const CN_TRIGGER = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) CN_TRIGGER[c] = PREFIX_LAST_T[c] | (SUFFIX_FIRST_T[c] << 1);
// the first pass lists where these occur in Chinese runs (ChineseNames.run visits those positions only)
registerCjkTriggers((c) => CN_TRIGGER[c] !== 0);
/** Characters that may follow a label's last character in a name: a surname or a separator. */
const PREFIX_NEXT = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) PREFIX_NEXT[c] = SURNAME_TABLE[c] !== 0 || SEP_T[c] !== 0 ? 1 : 0;

/** Text before `p` with separators (spaces, colons) stripped, at most 8 chars. */
function lead(t: string, p: number): string {
  let k = p;
  while (k > 0 && p - k < 3 && (t[k - 1] === ' ' || t[k - 1] === ':' || t[k - 1] === '：')) k--;
  return t.slice(Math.max(0, k - 8), k);
}

/**
 * Chinese names. A name needs a label / role right before it or an honorific at most three characters after
 * its surname, so the walk over a run of Chinese text stops only at those trigger characters (one table read
 * per character) and tries the few surname positions each trigger allows. The text between Chinese runs is
 * skipped by the shared native scan in `person.find`, so non-Chinese text costs nothing here.
 */
class ChineseNames {
  /** End of the last name found: a surname is only tried at or after it. */
  private last = -1;
  /** Names written with a middle dot, in text order (they follow the other Chinese names in the output). */
  readonly dotted: Candidate[] = [];
  /** The CJK run at or after the last one walked, and the first listed trigger not yet visited. */
  private ri = 0;
  private ti = 0;
  constructor(
    private readonly t: string,
    /** The shared CJK runs, with the positions of registered characters (see registerCjkTriggers below). */
    private readonly runs: CjkRuns,
    private readonly out: Candidate[],
    /** The Latin-script pass, handed the capitals of short gaps between Chinese runs (in text order). */
    private readonly latin: LatinNames,
  ) {}

  /**
   * Walks the run of Chinese text that starts at s and returns where the shared scan resumes. The two
   * characters after a run may still be triggers ("（手机", "<"). A short gap before the next Chinese
   * character (a lone comma, "A1" in 京A1京A1) is walked here too, its capitals handed to the Latin-script pass
   * as the scan would have, without a round trip through the scan per gap.
   */
  run(s: number): number {
    const cu = PU;
    const { t, runs } = this;
    const n = t.length;
    const listed = runs.triggers;
    const nt = runs.triggerCount;
    let i = s;
    for (;;) {
      // i is at a Chinese character: the run's trigger characters are those the first pass listed in it
      while (this.ri < runs.count && runs.end[this.ri] <= i) this.ri++;
      const runEnd = this.ri < runs.count && runs.start[this.ri] <= i ? runs.end[this.ri] : i;
      let ti = this.ti;
      while (ti < nt && listed[ti] < i) ti++;
      for (; ti < nt; ti++) {
        const q = listed[ti];
        if (q >= runEnd) break;
        const c = cu[q];
        let tr = CN_TRIGGER[c]; // from the string: scattered reads, next to those of trigger()
        if (tr === 0) continue; // listed for another recognizer
        // 的 not followed by the second character of 的电话, 的手机 ...: no suffix starts here
        if (SUFFIX_PAIR_ONLY[c] === 1 && SUFFIX_SECOND[unitAt(cu, q + 1) | 0] === 0) tr &= 1;
        if (tr === 0) continue;
        // most label-end characters (的, 是, 和 ...) are followed by neither a surname nor a separator
        if (tr === 1 && PREFIX_NEXT[unitAt(cu, q + 1) | 0] === 0) continue;
        this.trigger(q, tr);
      }
      this.ti = ti;
      i = runEnd;
      if (i >= n) return n;
      const c = cu[i];
      if (c === 0xb7) this.dot(i); // 艾力·库尔班
      if (CN_TRIGGER[c]) this.trigger(i, CN_TRIGGER[c]);
      const c2 = unitAt(cu, i + 1) | 0;
      if (c2 >= 0x4e00 && c2 <= 0x9fff) {
        // a lone character between Chinese ones
        i = SCAN_T[c] === 1 ? this.latin.word(i) : i + 1;
        continue;
      }
      if (CN_TRIGGER[c2]) this.trigger(i + 1, CN_TRIGGER[c2]);
      // the gap, for at most GAP characters (Latin words handed over may end a little beyond)
      const stop = Math.min(n, i + GAP);
      while (i < stop) {
        const d = cu[i];
        if (d >= 0x4e00 && d <= 0x9fff) break;
        i = SCAN_T[d] === 1 ? this.latin.word(i) : i + 1;
      }
      if (i >= n) return n;
      const d = cu[i];
      if (d < 0x4e00 || d > 0x9fff) return i; // no Chinese character close by: back to the scan
    }
  }

  private trigger(i: number, tr: number): void {
    const cu = PU;
    if (tr & 2) for (let q = i - 4; q < i; q++) this.tryAt(q); // honorific / role after the name
    if (tr & 1) {
      // label before the name, then at most three separators
      let q = i + 1;
      while (q - i <= 3 && SEP_T[unitAt(cu, q)]) q++;
      this.tryAt(q);
    }
  }

  private tryAt(q: number): void {
    const cu = PU;
    if (q < 0 || q < this.last) return;
    const kind = SURNAME_TABLE[unitAt(cu, q) | 0];
    if (kind === 0) return;
    if (kind & 2 && COMPOUND.has(cu[q] * 65536 + cu[q + 1]) && this.consider(q, 2)) return;
    if (kind & 1) this.consider(q, 1);
  }

  /** A name with the surname t[p..p+sl) if the context allows one; true when one was added. */
  private consider(p: number, sl: number): boolean {
    const cu = PU;
    const t = this.t;
    let k0 = p;
    while (k0 > 0 && p - k0 < 3 && SEP_T[cu[k0 - 1]]) k0--;
    const maybePrefix = k0 > 0 && PREFIX_LAST_T[cu[k0 - 1]] === 1;
    if (!maybePrefix && !sufAt(p + sl) && !sufAt(p + sl + 1) && !sufAt(p + sl + 2)) return false;
    let e = p + sl;
    while (e - p - sl < 2 && isCjk(unitAt(cu, e)) && CN_STOP_T[cu[e]] === 0 && !(CN_SUFFIX_FIRST[cu[e]] && startsWithAny(t, e, SUFFIX_STARTS))) e++;
    const given = e - p - sl;
    if (!maybePrefix && !sufAt(e)) return false;
    if (given === 0) {
      const h = HONOR_FIRST[unitAt(cu, e)] ? startsWithAny(t, e, HONOR_STARTS) : null;
      if (!h || (p > 0 && isCjk(cu[p - 1]) && !((maybePrefix && (endsAt(t, k0, STRONG_ENDS) || endsAt(t, k0, WEAK_ENDS))) || endsAt(t, k0, VERB_ENDS)))) return false;
      this.out.push({ type: 'PERSON', start: p, end: e, score: 0.8, why: reason('surname + ', h) });
      this.last = e;
      return true;
    }
    // the label / context word ending right before the name (strong first), checked in place: no slicing
    const strong = maybePrefix ? endsAt(t, k0, STRONG_ENDS) : null;
    const weak = strong || !maybePrefix ? null : endsAt(t, k0, WEAK_ENDS);
    const suffix = CN_SUFFIX_FIRST[unitAt(cu, e) | 0] ? startsWithAny(t, e, SUFFIX_STARTS) : null;
    const prevCjk = p > 0 && isCjk(cu[p - 1]);
    if (!strong && !weak && !suffix) return false;
    // inside a word (城市 / 和平), unless a verb or preposition that takes a person comes before and a role
    // or honorific after (给张伟经理, 问李红老师)
    if (prevCjk && !strong && !weak && !(suffix && endsAt(t, k0, VERB_ENDS))) return false;
    // with only a role after it, a common word is not a name (项目经理, 高级工程师); nor with a possessive or a
    // greeting after it (单位的电话, 高铁站的地址) or a weak context word before it (发给全部门), whatever its length
    if (!strong && sl === 1 && NOT_NAME.has(cu[p] * 65536 + cu[p + 1]) && (given === 1 || weak !== null || (suffix !== null && DATA_SUFFIX.has(suffix)))) return false;
    let score = strong ? 0.9 : weak ? 0.65 : 0.75;
    if (suffix && (strong || weak)) score = 0.92;
    const nextOpen = isCjk(unitAt(cu, e)) && CN_STOP_T[cu[e]] === 0 && !suffix;
    if (nextOpen) score -= 0.2; // name boundary unclear
    if (score < 0.5) return false;
    this.out.push({ type: 'PERSON', start: p, end: e, score, why: strong ? reason('label ', strong) : weak ? reason('context ', weak) : reason('honorific ', suffix!) });
    this.last = e;
    return true;
  }

  /**
   * A name written with a middle dot at d (e.g. Uyghur names), bounded 6 chars each side. Such a name has
   * Chinese characters right before the dot, so `run` calls this for a dot that ends a Chinese run (no pass
   * of its own over the text); the names go to `dotted`, after the others.
   */
  private dot(d: number): void {
    const cu = PU;
    const { t, dotted: out } = this;
    let a = d;
    while (a > 0 && d - a < 6 && isCjk(cu[a - 1])) a--;
    let b = d + 1;
    while (b < t.length && b - d - 1 < 6 && isCjk(cu[b]) && CN_STOP_T[cu[b]] === 0) b++;
    if (d - a >= 2 && b - d - 1 >= 2) {
      const before = lead(t, a);
      const ctx = endsWithAny(before, CN_PREFIX_STRONG) ?? endsWithAny(before, CN_PREFIX_WEAK);
      if (!ctx && d - a > 2) {
        // the label may be glued to the name: 对接人艾力·库尔班
        for (let k = a + 1; k <= d - 2 && !ctx; k++) {
          const c2 = endsWithAny(t.slice(Math.max(0, k - 8), k), CN_PREFIX_STRONG) ?? endsWithAny(t.slice(Math.max(0, k - 8), k), CN_PREFIX_WEAK);
          if (c2) {
            a = k;
            out.push({ type: 'PERSON', start: a, end: b, score: 0.9, why: reason('context ', c2) });
            break;
          }
        }
      } else if (ctx) out.push({ type: 'PERSON', start: a, end: b, score: 0.9, why: reason('context ', ctx) });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Latin-script names. The shared scan in `person.find` jumps between capital letters (and Chinese runs); every
// word is then read with charCode loops and looked up once in a flag map (no slicing or lower-casing per
// word), so ordinary text costs little and every input is O(n): each character is read a bounded number of
// times (the scan never goes back before where the last word, gap or hand search ended).

const P_GIVEN = 1;
const P_SURNAME = 2;
const P_TITLE = 4;
const P_NOT = 8;
const P_BRAND = 16;
const P_STREET = 32;
const P_BEFORE_LAST = 64;
const P_AFTER_FIRST = 128;
const P_TAIL_OK = 256;
const P_SUFFIX = 512;
const P_VOC_NEXT = 1024;

/** Label and unit words that may follow a name without making it an organisation (Dr. Ann Lee Apt. 4). */
const TAIL_OK = 'apt suite unit box floor room phone tel email e-mail fax mobile address website the and or i';
/** Street types before or after a name (prefix and suffix forms). */
const STREET_WORDS =
  'street st str road rd avenue ave drive dr lane ln boulevard blvd way court ct terrace parkway highway circle square trail crescent alley plaza forks greens mill mills pass gateway rua rue via calle avenida piazza piazzetta cite ulica strasse gata vej';
/** Prepositions and conjunctions: weak evidence on their own. */
const WEAK_BEFORE = new Set(['and', 'with', 'to', 'from', 'by', 'add', 'ask', 'tell', 'meet', 'met']);
/** Words after "Name, " that make it a form of address (Anna, can you ...). */
const VOC_NEXT = 'can could would will please do did are is have you i we what where how why thanks thank let';
/** Verbs after a name that only people do: no sentence-start doubt (Anna shouted, Lee was born). */
const STRONG_AFTER = new Set([' shouted', ' yelled', ' whispered', ' laughed', ' smiled', ' nodded', ' lives', ' is from', ' was born', ' married']);

const PF = new WordFlags()
  .add(EN_GIVEN, P_GIVEN)
  .addWords(GIVEN_NAMES, P_GIVEN)
  .addWords(SURNAMES, P_SURNAME)
  .add(EN_TITLES, P_TITLE)
  .add(EN_TITLES.map((w) => w.replace(/\.$/, '')), P_TITLE)
  .add(EN_NOT_NAME, P_NOT)
  .add(EN_BRANDS, P_BRAND)
  .addWords(STREET_WORDS, P_STREET)
  .add(EN_BEFORE.map((w) => w.split(' ').pop()!), P_BEFORE_LAST)
  .add(EN_AFTER.map((w) => (w[0] === ' ' ? w.slice(1).split(' ')[0] : w)), P_AFTER_FIRST)
  .addWords(TAIL_OK, P_TAIL_OK)
  .addWords('ii iii iv jr sr', P_SUFFIX)
  .addWords(VOC_NEXT, P_VOC_NEXT);

/** Context phrases keyed by their last word. */
const BEFORE_BY_LAST = new Map<string, string[]>();
for (const w of EN_BEFORE) {
  const k = w.split(' ').pop()!;
  BEFORE_BY_LAST.set(k, [...(BEFORE_BY_LAST.get(k) ?? []), w]);
}
const AFTER_BY_FIRST = new Map<string, string[]>();
for (const w of EN_AFTER) {
  const k = w[0] === ' ' ? w.slice(1).split(' ')[0] : w;
  AFTER_BY_FIRST.set(k, [...(AFTER_BY_FIRST.get(k) ?? []), w]);
}
const SURNAME_ENDS_BY_LAST: Array<string[] | undefined> = [];
for (const e of SURNAME_ENDINGS) (SURNAME_ENDS_BY_LAST[fold(e.charCodeAt(e.length - 1))] ??= []).push(e);

/** a-z */
const isAz = (c: number) => c >= 97 && c <= 122;
/**
 * Classes of the code units names are made of, one table read each (they were chains of range tests, read
 * several times per word): a letter or digit of a word (ASCII, Latin-1 and Latin Extended-A/B letters); a
 * capital (A-Z, Latin-1 and Extended-A capitals); a lower-case letter (a-z, Latin-1 and Extended-A lower
 * case); a lower-case letter or an apostrophe inside a name.
 */
const C_WORD = 1;
const C_UPPER = 2;
const C_LOWER = 4;
const C_LOWER_APOS = 8;
const NAME_CHARS = new Uint8Array(65536);
for (let c = 0; c < 0x250; c++) {
  let f = 0;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) f |= C_WORD;
  if ((c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x17f && c !== 0xd7 && fold(c) !== c)) f |= C_UPPER;
  if ((c >= 97 && c <= 122) || (c >= 0xdf && c <= 0x17f && c !== 0xf7 && fold(c) === c)) f |= C_LOWER | C_LOWER_APOS;
  NAME_CHARS[c] = f;
}
NAME_CHARS[39] |= C_LOWER_APOS;
NAME_CHARS[0x2019] |= C_LOWER_APOS;
const isWordCode = (c: number) => (NAME_CHARS[c] & C_WORD) !== 0;
const isUpperL = (c: number) => (NAME_CHARS[c] & C_UPPER) !== 0;
/** Lower-case letter of a name (a-z, Latin-1 and Latin Extended-A lower case). */
const isLowerL = (c: number) => (NAME_CHARS[c] & C_LOWER) !== 0;
/** A lower-case letter of a name or an apostrophe inside it. */
const isLowerOrApos = (c: number) => (NAME_CHARS[c] & C_LOWER_APOS) !== 0;
/**
 * The one scan of the text: the next capital letter (Latin-1 or Latin Extended-A, where lower-case letters
 * are filtered out afterwards) or Chinese character. Capitals are found in the scan's capital bitmap
 * (ScanState.classes, the same ranges less CJK); Chinese characters by the shared CJK runs (ScanState.cjk).
 * The class of both is also kept as a table, for the short walks after a Chinese run (ChineseNames).
 */
const SCAN_RANGES: Array<[number, number]> = [
  [0x41, 0x5a],
  [0xc0, 0xd6],
  [0xd8, 0xde],
  [0x100, 0x17f],
  [0x4e00, 0x9fff],
];
const SCAN_T = new Uint8Array(65536);
for (const [a, b] of SCAN_RANGES) SCAN_T.fill(1, a, b + 1);
/** Characters after a Chinese run walked by hand in search of the next one (a comma, " API ", "A1"). */
const GAP = 6;

/**
 * First letters (lower case) of the titles and of the last words of context phrases: the word before a
 * capitalized word is looked up only if it starts with one of them (not after "1 Main" / "1234 Box" ...).
 */
const BEFORE_FIRST = new Uint8Array(65536);
for (const w of [...EN_TITLES, ...EN_BEFORE.map((p) => p.split(' ').pop()!)]) BEFORE_FIRST[w.toLowerCase().charCodeAt(0)] = 1;

/** The context phrase ending right before `s` (case-insensitive), if any. */
function contextBefore(t: string, s: number): string | null {
  const cu = PU;
  let k = s;
  while (k > 0 && s - k < 4 && (cu[k - 1] === 32 || cu[k - 1] === 9)) k--;
  let a = k;
  while (a > 0 && k - a < 12 && cu[a - 1] !== 32 && cu[a - 1] !== 10) a--;
  if (a === k || BEFORE_FIRST[fold(cu[a])] === 0) return null;
  const f = PF.get(PU, a, k);
  if (f & P_TITLE && a > 0 && !isWordCode(cu[a - 1])) return 'title';
  if (!(f & P_BEFORE_LAST)) return null;
  const list = BEFORE_BY_LAST.get(t.slice(a, k).toLowerCase());
  if (!list) return null;
  const lb = t.slice(Math.max(0, k - 16), k).toLowerCase();
  for (const w of list) if (lb.endsWith(w) && (lb.length === w.length || !isWordCode(lb.charCodeAt(lb.length - w.length - 1)))) return w;
  return null;
}

function contextAfter(t: string, e: number): string | null {
  const cu = PU;
  const c = unitAt(cu, e);
  if (c === 39 || c === 0x2019) return cu[e + 1] === 115 && !isWordCode(cu[e + 2]) ? "'s" : null;
  if (c !== 32) return null;
  let b = e + 1;
  while (b - e < 10 && isAz(unitAt(cu, b))) b++;
  if (b === e + 1 || !(PF.get(PU, e + 1, b) & P_AFTER_FIRST)) return null;
  const list = AFTER_BY_FIRST.get(t.slice(e + 1, b));
  if (!list) return null;
  const la = t.slice(e, e + 12).toLowerCase();
  for (const w of list) if (la.startsWith(w) && !isWordCode(la.charCodeAt(w.length))) return w;
  return null;
}

/** Surname evidence for the word t[s..e): a common surname, a typical surname ending, or letters beyond Latin-1. */
function surnameLike(t: string, s: number, e: number, f: number): boolean {
  const cu = PU;
  if (f & P_SURNAME) return true;
  if (f & P_NOT) return false;
  for (let i = s + 1; i < e; i++) if (cu[i] >= 0xc0) return true;
  if (e - s < 5) return false;
  const list = SURNAME_ENDS_BY_LAST[fold(cu[e - 1])];
  if (list)
    for (const end of list) {
      if (end.length >= e - s - 2) continue;
      let ok = true;
      for (let i = 0; i < end.length && ok; i++) ok = fold(cu[e - end.length + i]) === end.charCodeAt(i);
      if (ok) return true;
    }
  return false;
}

/** A capitalized given name right after ", " / " and " / ", and " / " & " at e (the next item of a list of names). */
function givenNext(t: string, e: number): boolean {
  const cu = PU;
  let p = e;
  if (unitAt(cu, p) === 44) p++;
  if (unitAt(cu, p) !== 32) return false;
  p++;
  if (t.startsWith('and ', p)) p += 4;
  else if (t.startsWith('& ', p)) p += 2;
  else if (p === e + 1) return false; // a bare space: same group, not a list
  if (!isUpperL(unitAt(cu, p))) return false;
  let q = p + 1;
  while (q - p < 20 && isLowerL(unitAt(cu, q))) q++;
  return !isWordCode(unitAt(cu, q)) && (PF.get(PU, p, q) & P_GIVEN) !== 0;
}

let lastPersonEnd = -1;
/** Group of consecutive capitalized words: starts, ends (possessive / dot excluded) and flags, reused. */
const GS = new Int32Array(6);
const GE = new Int32Array(6);
const GF = new Int32Array(6);
const PARTICLE_GAP = /^ (?:van|von|de|da|di|del|della|der|den|la|le|du|dos|das|bin|al|ter|ten)(?: (?:de|der|den|la|le))? $/;

/** The end of the run of word characters from p: capitals inside it cannot start a name. */
function wordEnd(u: Uint16Array, p: number): number {
  // at most 32 characters by hand (a long run, e.g. a base64 blob, is left to the native scan again)
  const stop = Math.min(u.length, p + 32);
  while (p < stop && isWordCode(u[p])) p++;
  return p;
}

/**
 * Latin-script words, handed over one capital letter at a time by the shared scan in `person.find` (in text
 * order). Consecutive capitalized words are collected in a group (GS/GE/GF) and judged by `englishGroup` when
 * the group ends.
 */
class LatinNames {
  /** Words in the current group. */
  private n = 0;
  /** End of an over-long run of capitalized words being skipped (-1: none). */
  private runEnd = -1;
  constructor(
    private readonly t: string,
    /** The text's code units (ScanState.codes). */
    private readonly u: Uint16Array,
    private readonly out: Candidate[],
  ) {
    lastPersonEnd = -1;
  }

  /** Reads the word that may start at the capital t[s] and returns where the scan for capitals resumes. */
  word(s: number): number {
    const cu = PU;
    const { t, u } = this;
    const len = t.length;
    // a letter followed by a digit (A1, X9) cannot start a name, nor can the rest of its word: skipped at once
    const c1 = unitAt(u, s + 1);
    if (c1 >= 48 && c1 <= 57) return wordEnd(u, s + 1);
    const c0 = u[s];
    // a lower-case Latin Extended-A letter, or a capital inside a word: no name starts here, nor at any later
    // letter or digit of the same word, so the scan resumes after the word (one call for "FAKE0123ABCD")
    if ((c0 >= 0x100 && fold(c0) === c0) || (s > 0 && isWordCode(u[s - 1]))) return wordEnd(u, s + 1);
    // word: capital, lower-case letters, optional inner capital part (McDonald), optional hyphen part, optional dot
    let e = s + 1;
    while (e < len && e - s <= 25 && isLowerOrApos(u[e])) e++;
    let ce = unitAt(u, e); // the character at e, read once per step (0 past the end: no test matches it)
    if (ce >= 65 && ce <= 90 && isLowerL(unitAt(u, e + 1))) {
      const m = e;
      e += 2;
      while (e < len && e - m <= 20 && isLowerL(u[e])) e++;
      ce = unitAt(u, e);
    }
    if (ce === 45 && (isLowerL(unitAt(u, e + 1)) || (isUpperL(unitAt(u, e + 1)) && isLowerL(u[e + 2])))) {
      const m = e;
      e += 2;
      while (e < len && e - m <= 25 && isLowerL(u[e])) e++;
      ce = unitAt(u, e);
    }
    if (ce === 46) ce = unitAt(u, ++e);
    const next = e;
    if (isWordCode(ce)) return isWordCode(u[e - 1]) ? wordEnd(u, e) : next;
    // ex-Member, non-English: a capital glued to a word by a hyphen does not start a name
    if (s > 1 && cu[s - 1] === 45 && isWordCode(cu[s - 2])) {
      if (this.n) englishGroup(t, this.n, this.out);
      this.n = 0;
      return next;
    }
    // possessive or trailing apostrophe belongs to the sentence, not the name (Renata's, Stripes')
    const l1 = cu[e - 1];
    if (l1 === 115 && (cu[e - 2] === 39 || cu[e - 2] === 0x2019)) e -= 2;
    else if (l1 === 39 || l1 === 0x2019) e -= 1;
    let f = -1; // word flags, looked up only for words that join a group
    if (cu[e - 1] === 46) {
      f = PF.get(PU, s, e - 1);
      if (e - s > 3 && !(f & P_TITLE)) e--;
    }
    let n = this.n;
    if (n || this.runEnd >= 0) {
      const prevEnd = n ? GE[n - 1] : this.runEnd;
      const adjacent = s === prevEnd + 1 && cu[s - 1] === 32;
      const particle = !adjacent && s - prevEnd <= 9 && cu[prevEnd] === 32 && isLowerL(cu[prevEnd + 1]) && PARTICLE_GAP.test(t.slice(prevEnd, s));
      if (!adjacent && !particle) {
        if (n > 1 || (n === 1 && !lone(0))) englishGroup(t, n, this.out);
        n = this.n = 0;
        this.runEnd = -1;
      } else if (n >= 5 || this.runEnd >= 0) {
        // six or more capitalized words in a row: a title or heading, not a name
        this.n = 0;
        this.runEnd = e;
        return next;
      }
    }
    GS[n] = s;
    GE[n] = e;
    GF[n] = f >= 0 ? f : PF.get(PU, s, e);
    this.n = n + 1;
    return next;
  }

  /** Judges the last group. */
  finish(): void {
    if (this.n) englishGroup(this.t, this.n, this.out);
    this.n = 0;
  }
}

const wlen = (i: number) => GE[i] - GS[i];
/**
 * Group word i is a title, a non-name word or a single letter: a group of that word alone never makes a name
 * (englishGroup skips such words at its start and finds nothing left), so it is not even judged.
 */
const lone = (i: number) => (GF[i] & (P_TITLE | P_NOT)) !== 0 || wlen(i) === 1;

function englishGroup(t: string, n: number, out: Candidate[]): void {
  const cu = PU;
  // fast exit for the commonest case: one capitalized word with nothing name-like around it
  if (n === 1) {
    const e0 = GE[0];
    const c = unitAt(cu, e0);
    if (!(GF[0] & (P_GIVEN | P_TITLE)) && c !== 58 && lastPersonEnd < 0 && c !== 44 && !contextBefore(t, GS[0]) && !contextAfter(t, e0) && !givenNext(t, e0)) return;
  }
  let a = 0;
  let title = false;
  while (a < n) {
    const f = GF[a];
    if (f & P_TITLE) {
      title = true;
      a++;
    } else if (f & P_NOT || wlen(a) === 1) a++;
    else break;
  }
  // a title inside the group ("Call Dr. Helen Okoro", "Thanks Prof. Ito"): the name starts after it, the
  // capitalized words before it belong to the sentence
  for (let k = n - 2; k >= a; k--) {
    if (GF[k] & P_TITLE) {
      a = k + 1;
      title = true;
      break;
    }
  }
  for (let k = 0; k < a; k++) if (GF[k] & P_BRAND) return; // Google Cloud Run
  let b = n - 1;
  while (b >= a && (GF[b] & P_NOT || wlen(b) <= 2)) b--;
  if (b < a) return;
  for (let k = a; k <= b; k++) if (GF[k] & P_NOT) return;
  // the next capitalized word may name an organisation or place (Hall Orchestra, Country Club)
  if (b + 1 < n && GF[b + 1] & P_NOT && !(GF[b + 1] & P_TAIL_OK)) return;
  if (placeLike(t, GS[b], GE[b])) return; // places and demonyms (Iceland, Highlander)
  // street names are not people: Rua Lagoa, Via Serena, Maple Street, Cedar Hollow
  if (GF[b] & P_STREET || GF[a] & P_STREET || (b + 1 < n && GF[b + 1] & P_STREET)) return;
  const s = GS[a];
  let e = GE[b];
  // a quoted title ("Tube Road Blues") or a band / team after "the" is not a person
  const pc = s > 0 ? cu[s - 1] : 10;
  if ((pc === 34 || pc === 0x201c) && (cu[e] === 34 || unitAt(cu, e) === 0x201d)) return;
  if (!title && s >= 4 && (unitAt(cu, e) === 39 || unitAt(cu, e) === 0x2019) && cu[e - 1] === 115 && (t.startsWith('the ', s - 4) || t.startsWith('The ', s - 4))) return; // the Stripes'
  // suffix: Jr., Sr., II, III, IV
  if (unitAt(cu, e) === 32) {
    let q = e + 1;
    while (q - e <= 4 && isAsciiLetter(unitAt(cu, q))) q++;
    if (q > e + 1 && PF.get(PU, e + 1, q) & P_SUFFIX && isUpperL(cu[e + 1]) && !isWordCode(cu[q])) {
      e = q;
      if (cu[e] === 46 && unitAt(cu, e - 1) === 114) e++; // Jr. / Sr.
    }
  }
  const nw = b - a + 1;
  const given = (GF[a] & P_GIVEN) !== 0;
  let surnamey = false;
  for (let k = a; k <= b && !surnamey; k++) surnamey = surnameLike(t, GS[k], GE[k], GF[k]);
  const before = title || (a > 0 && GF[a - 1] & P_TITLE) ? 'title' : contextBefore(t, s);
  const after = contextAfter(t, e);
  const prev = s > 0 ? cu[s - 1] : 10;
  const lineStart = prev === 10 || (prev === 32 && (s < 2 || cu[s - 2] === 62 || cu[s - 2] === 10));
  const dialogue = lineStart && unitAt(cu, e) === 58 && nw <= 2;
  const sentenceStart = lineStart || (a === 0 && sentenceEnd(t, s));
  // "Anna, can you ..." / "..., Anna!": a form of address
  const vocative = nw === 1 && unitAt(cu, e) === 44 && cu[e + 1] === 32 && sentenceStart && vocNext(t, e + 2);
  let score = 0.2;
  if (nw >= 2) score += 0.3;
  if (given) score += 0.3;
  if (before === 'title') score += 0.5;
  else if (before) score += WEAK_BEFORE.has(before) ? 0.2 : nw >= 2 || given ? 0.25 : 0.35;
  if (after) score += 0.3;
  if (dialogue) score += 0.4;
  if (vocative) score += 0.35;
  if (surnamey && (after || (before && !WEAK_BEFORE.has(before))) && nw === 1 && !given) score += 0.1;
  const strongAfter = after !== null && (STRONG_AFTER.has(after) || surnamey);
  if (sentenceStart && nw === 1 && !given && !before && !dialogue && !vocative && !strongAfter) score -= 0.2;
  // a list of names: "Novak, Brennan and Ortiz" (a name before, or a given name after)
  if (lastPersonEnd >= 0 && s - lastPersonEnd <= 6 && /^(?:, | and |, and | & )$/.test(t.slice(lastPersonEnd, s))) score += 0.35;
  else if (nw === 1 && givenNext(t, e)) score += 0.35;
  if (nw >= 4) score -= 0.2;
  score = Math.min(0.95, score);
  if (score < 0.5) return;
  const why = before ? reason('after ', before) : given ? 'given name' : after ? 'followed by verb' : dialogue ? 'speaker' : vocative ? 'addressed' : 'capitalized name';
  out.push({ type: 'PERSON', start: s, end: e, score, why });
  lastPersonEnd = e;
}

/** Sentence punctuation (or an opening quote / bracket) right before s, after at most two spaces. */
function sentenceEnd(t: string, s: number): boolean {
  const cu = PU;
  let k = s;
  while (k > 0 && s - k < 2 && cu[k - 1] === 32) k--;
  if (k === 0) return true;
  const c = cu[k - 1];
  return c === 46 || c === 33 || c === 63 || c === 34 || c === 0x201c || c === 40;
}

function vocNext(t: string, p: number): boolean {
  const cu = PU;
  let q = p;
  while (q < t.length && q - p < 8 && isAz(cu[q])) q++;
  return q > p && !isWordCode(cu[q]) && (PF.get(PU, p, q) & P_VOC_NEXT) !== 0;
}

/** Words ending in -land / -lander / -stan (Iceland, Highlander, Kazakhstan). */
function placeLike(t: string, s: number, e: number): boolean {
  const end = (w: string) => e - s > w.length && t.startsWith(w, e - w.length);
  return end('land') || end('lands') || end('lander') || end('stan');
}

/** "my name is anna": a lower-case name after a strong self-introduction (anchored on the phrase); lower-case chat speakers. */
function lowercaseNames(t: string, nameIs: Uint32Array, out: Candidate[]): void {
  const cu = PU;
  const n = t.length;
  // "nam" in any case starts at each position of the nameIs class (classes.ts)
  for (let p = nextSet(nameIs, 0, n); p < n; p = nextSet(nameIs, p + 1, n)) {
    // "my name is anna" (not "the file name is config.json")
    if (cu[p] !== 110 || !t.startsWith('ame is ', p + 1) || p < 3 || (cu[p - 1] !== 32 || (cu[p - 2] | 32) !== 121 || (cu[p - 3] | 32) !== 109) || (p > 3 && isWordCode(cu[p - 4]))) continue;
    const s = p + 8;
    let e = s;
    while (e - s < 20 && isLowerL(unitAt(cu, e))) e++;
    if (unitAt(cu, e) === 45 && isLowerL(unitAt(cu, e + 1))) for (e++; e - s < 30 && isLowerL(unitAt(cu, e)); ) e++; // jean-luc
    const after = unitAt(cu, e);
    if ((after === 46 || after === 95 || after === 47 || after === 64) && isWordCode(unitAt(cu, e + 1))) continue; // a file or handle
    if (e - s < 2 || isWordCode(after) || PF.get(PU, s, e) & P_NOT) continue;
    out.push({ type: 'PERSON', start: s, end: e, score: 0.6, why: 'after name is' });
  }
  // chat transcripts: "anna: see you" (a known given name, lower case, as the speaker at a line start)
  const speaker = (p: number, e: number) => {
    const f = PF.get(PU, p, e);
    if (f & P_GIVEN && !(f & P_NOT)) out.push({ type: 'PERSON', start: p, end: e, score: 0.6, why: 'speaker' });
  };
  let e0 = 0;
  while (e0 < 20 && isAz(unitAt(cu, e0))) e0++;
  if (e0 >= 3 && unitAt(cu, e0) === 58) speaker(0, e0); // the first line
  // later lines: a lower-case word of 3 to 20 letters and a colon right after a line break. Line breaks are
  // found with indexOf (a native byte search, several times faster than a regex scan for the same shape);
  // after a short line the next few characters are read by hand first, so that text made of many short lines
  // does not cost one call per line
  let nl = t.indexOf('\n');
  let short = false;
  while (nl >= 0) {
    const p = nl + 1;
    let e = p;
    while (e - p <= 20 && isAz(unitAt(cu, e))) e++;
    // (a colon at the very end of its line is skipped: kept as the earlier regex-based version behaved, whose
    // line-start lookup landed on the following line break and so found an empty word)
    if (e - p >= 3 && e - p <= 20 && unitAt(cu, e) === 58 && cu[e + 1] !== 10) speaker(p, e);
    let q = p;
    if (short) {
      const stop = Math.min(n, p + 16);
      while (q < stop && cu[q] !== 10) q++;
      if (q < stop) {
        nl = q;
        continue;
      }
    }
    nl = t.indexOf('\n', q);
    short = nl >= 0 && nl - p < 16;
  }
}

/**
 * The shared scan of PERSON: hands each Chinese run to `chinese` and each capital to `latin`, in text order.
 *
 * A function of its own, with nothing after its loop: V8 compiles a long-running loop on the fly ("on-stack
 * replacement") and keeps that code for the function's later calls. When `find` held this loop, the code
 * after it, compiled while a long text had found no Chinese name, failed its type check on the array of
 * names of every later message with one, and sent each scan back to the interpreter there (docs/DLP.md,
 * "Long loops and V8's on-stack replacement"; test/dlp/jit.test.ts).
 */
function walk(u: Uint16Array, n: number, runs: CjkRuns, capitals: Uint32Array, chinese: ChineseNames, latin: LatinNames): void {
  let p = 0; // everything before p has been handed over
  let ri = 0; // the first CJK run not wholly before p
  let cap = -1; // the next capital at or after where it was last searched (n: none; searched again once behind p)
  while (p < n) {
    // the next Chinese character starts a CJK run (the shared first pass's); the next capital comes from the
    // capital bitmap, its position kept while it lies ahead (a Chinese run in between does not search again)
    while (ri < runs.count && runs.end[ri] <= p) ri++;
    const r = ri < runs.count ? Math.max(p, runs.start[ri]) : n;
    if (cap < p) cap = nextSet(capitals, p, n);
    const s = r < cap ? r : cap;
    if (s >= n) break;
    const c = u[s];
    if (c >= 0x4e00 && c <= 0x9fff) {
      p = chinese.run(s);
    } else p = latin.word(s);
  }
}

export const person: Recognizer = {
  name: 'person',
  types: ['PERSON'],
  explanation: 'personal name: Chinese surname + given name next to a label, role or honorific; Latin-script capitalized name next to a title, context words, a list of names or a known given name; a lower-case name after "my name is" or as a chat speaker',
  find(t, scan) {
    const u = scan.codes;
    PU = u;
    // Chinese names first, then Latin-script ones, then lower-case ones (the order of the candidates is part of
    // the output), but both kinds are found in one pass of the shared scan.
    const cn: Candidate[] = [];
    const out: Candidate[] = [];
    const latin = new LatinNames(t, u, out);
    const chinese = new ChineseNames(t, scan.cjk, cn, latin);
    walk(u, t.length, scan.cjk, scan.classes.capital, chinese, latin);
    latin.finish();
    lowercaseNames(t, scan.classes.nameIs, out);
    // nothing of the text stays referenced once the scan is over (a scan that throws leaves the kept code units,
    // zeroed when given back, until the next one)
    PU = NO_UNITS;
    return cn.length === 0 && chinese.dotted.length === 0 ? out : cn.concat(chinese.dotted, out);
  },
  examples: {
    positive: [
      { text: '联系人：王小明，电话见附件', value: '王小明' },
      { text: '项目经理欧阳晓峰负责验收', value: '欧阳晓峰' },
      { text: '请转告李先生明天开会', value: '李' },
      { text: '麻烦给刘洋经理回个电话', value: '刘洋' },
      { text: '我已经对周女士说过了', value: '周' },
      { text: '张伟的电话是 13812345678', value: '张伟' },
      { text: '请把签好的合同发给王小明。', value: '王小明' },
      { text: '李娜，您好！附件是本周的报表。', value: '李娜' },
      { text: 'My name is Jonathan Parker.', value: 'Jonathan Parker' },
      { text: 'The report was signed by Dr. Anneliese Vogt yesterday', value: 'Anneliese Vogt' },
      { text: 'Yesterday Emily said the build was fine', value: 'Emily' },
      { text: 'Please contact Maria van der Berg today', value: 'Maria van der Berg' },
      { text: 'Signed: Dr. Helen Okoro Apt. 4 on file', value: 'Helen Okoro' },
      { text: 'Ask Prof. Tomasz Wilk about the schedule', value: 'Tomasz Wilk' },
      { text: 'Please forward the contract to ms. Beatriz in accounting', value: 'Beatriz' },
      { text: 'Oskar, can you check the deploy logs?', value: 'Oskar' },
      { text: 'Kowalski began the review after lunch.', value: 'Kowalski' },
      { text: 'They invited Brenwick, Sigrid and Matteo.', value: 'Brenwick' },
      { text: 'hi, my name is tobias and I need help', value: 'tobias' },
      { text: 'I want to add my daughter Agnieszka to the plan', value: 'Agnieszka' },
      { text: 'chat log:\nsigrid: see you at five', value: 'sigrid' },
    ],
    negative: [
      '我们在城市里讨论和平问题',
      '项目经理会议改到三点',
      'Contact: see the phone list below',
      '王者荣耀很好玩',
      '单位的电话稍后公布',
      '文件已经发给全部门。',
      '周末，你好！',
      'The New York Times reported on Monday',
      'Please send the API key to the Support Team',
      'I love Microsoft Azure',
      'Construction began in March and finished on time.',
      'Cool, can we ship version 3 tomorrow?',
      'Their single "Paper Harbor Lights" topped the chart.',
      'The ex-Member interview ran long.',
      'Quarterly Planning Review Meeting Notes Draft Version 2',
      'We walked down Main Street after the meeting.',
      'note: the build is green\nerror: none',
    ],
  },
};
