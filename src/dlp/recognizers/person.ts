import type { Candidate, Recognizer } from '../types.js';
import { EN_BRANDS, CN_COMPOUND_SURNAMES, CN_NAME_STOP, CN_PREFIX_STRONG, CN_PREFIX_WEAK, CN_SUFFIX, CN_SURNAMES, EN_AFTER, EN_BEFORE, EN_GIVEN, EN_NOT_NAME, EN_TITLES } from './names-data.js';

const isCjk = (c: number) => c >= 0x4e00 && c <= 0x9fff;
const HAS_CJK = /[\u4e00-\u9fff]/;
const COMPOUND = new Set(CN_COMPOUND_SURNAMES);
const HONORIFICS = ['先生', '女士', '小姐', '老师', '经理', '总', '医生', '律师', '教授', '师傅', '阿姨'];
const PREFIX_LAST_T = new Uint8Array(65536);
for (const w of [...CN_PREFIX_STRONG, ...CN_PREFIX_WEAK]) PREFIX_LAST_T[w.charCodeAt(w.length - 1)] = 1;
const SUFFIX_FIRST_T = new Uint8Array(65536);
for (const w of [...CN_SUFFIX, ...HONORIFICS]) SUFFIX_FIRST_T[w.charCodeAt(0)] = 1;
const sufAt = (t: string, i: number) => i < t.length && SUFFIX_FIRST_T[t.charCodeAt(i)] === 1;
/** Lookup tables indexed by UTF-16 code: the scan is one tight loop over the text, O(n). */
const SURNAME_TABLE = new Uint8Array(65536);
for (const ch of CN_SURNAMES) SURNAME_TABLE[ch.charCodeAt(0)] = 1;
for (const cs of CN_COMPOUND_SURNAMES) SURNAME_TABLE[cs.charCodeAt(0)] |= 2;

/** Words indexed by their last (or first) character, so a lookup costs one Map probe in the common case. */
function byChar(words: readonly string[], last: boolean): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const w of words) {
    const k = last ? w[w.length - 1] : w[0];
    m.set(k, [...(m.get(k) ?? []), w].sort((a, b) => b.length - a.length));
  }
  return m;
}
const INDEX = new Map<readonly string[], Map<string, string[]>>();
function endsWithAny(s: string, words: readonly string[]): string | null {
  let m = INDEX.get(words);
  if (!m) INDEX.set(words, (m = byChar(words, true)));
  const list = m.get(s[s.length - 1]);
  if (list) for (const w of list) if (s.endsWith(w)) return w;
  return null;
}
const SINDEX = new Map<readonly string[], Map<string, string[]>>();
function startsWithAny(t: string, at: number, words: readonly string[]): string | null {
  let m = SINDEX.get(words);
  if (!m) SINDEX.set(words, (m = byChar(words, false)));
  const list = m.get(t[at]);
  if (list) for (const w of list) if (t.startsWith(w, at)) return w;
  return null;
}

/** Text before `p` with separators (spaces, colons) stripped, at most 8 chars. */
function lead(t: string, p: number): string {
  let k = p;
  while (k > 0 && p - k < 3 && (t[k - 1] === ' ' || t[k - 1] === ':' || t[k - 1] === '：')) k--;
  return t.slice(Math.max(0, k - 8), k);
}

function chinese(t: string, out: Candidate[]): void {
  let last = -1;
  const consider = (p: number, sl: number) => {
    let k0 = p;
    while (k0 > 0 && p - k0 < 3 && (t[k0 - 1] === ' ' || t[k0 - 1] === ':' || t[k0 - 1] === '：')) k0--;
    const maybePrefix = k0 > 0 && PREFIX_LAST_T[t.charCodeAt(k0 - 1)] === 1;
    if (!maybePrefix && !sufAt(t, p + sl) && !sufAt(t, p + sl + 1) && !sufAt(t, p + sl + 2)) return false;
    let e = p + sl;
    while (e < t.length && e - p - sl < 2 && isCjk(t.charCodeAt(e)) && !CN_NAME_STOP.has(t[e]) && !startsWithAny(t, e, CN_SUFFIX)) e++;
    const given = e - p - sl;
    if (!maybePrefix && !sufAt(t, e)) return false;
    if (given === 0) {
      const h = startsWithAny(t, e, HONORIFICS);
      if (!h || (p > 0 && isCjk(t.charCodeAt(p - 1)) && !endsWithAny(lead(t, p), CN_PREFIX_WEAK) && !endsWithAny(lead(t, p), CN_PREFIX_STRONG))) return false;
      out.push({ type: 'PERSON', start: p, end: e, score: 0.8, why: `surname + ${h}`, canonical: t.slice(p, e) });
      last = e;
      return true;
    }
    const before = lead(t, p);
    const strong = endsWithAny(before, CN_PREFIX_STRONG);
    const weak = strong ? null : endsWithAny(before, CN_PREFIX_WEAK);
    const suffix = startsWithAny(t, e, CN_SUFFIX);
    const prevCjk = p > 0 && isCjk(t.charCodeAt(p - 1));
    if (!strong && !weak && !suffix) return false;
    if (prevCjk && !strong && !weak) return false; // inside a word, e.g. 城市 / 和平
    let score = strong ? 0.9 : weak ? 0.65 : 0.75;
    if (suffix && (strong || weak)) score = 0.92;
    const nextOpen = e < t.length && isCjk(t.charCodeAt(e)) && !CN_NAME_STOP.has(t[e]) && !suffix;
    if (nextOpen) score -= 0.2; // name boundary unclear
    if (score < 0.5) return false;
    out.push({ type: 'PERSON', start: p, end: e, score, why: strong ? `label ${strong}` : weak ? `context ${weak}` : `honorific ${suffix}`, canonical: t.slice(p, e) });
    last = e;
    return true;
  };
  for (let p = 0; p < t.length; p++) {
    const code = t.charCodeAt(p);
    if (code < 0x4e00 || code > 0x9fff) continue;
    const kind = SURNAME_TABLE[code];
    if (kind === 0 || p < last) continue;
    if (kind & 2 && COMPOUND.has(t.slice(p, p + 2)) && consider(p, 2)) continue;
    if (kind & 1) consider(p, 1);
  }
  // names written with a middle dot (e.g. Uyghur names): found from the dot, bounded 6 chars each side
  let d = t.indexOf('·');
  while (d >= 0) {
    let a = d;
    while (a > 0 && d - a < 6 && isCjk(t.charCodeAt(a - 1))) a--;
    let b = d + 1;
    while (b < t.length && b - d - 1 < 6 && isCjk(t.charCodeAt(b)) && !CN_NAME_STOP.has(t[b])) b++;
    if (d - a >= 2 && b - d - 1 >= 2) {
      const before = lead(t, a);
      const ctx = endsWithAny(before, CN_PREFIX_STRONG) ?? endsWithAny(before, CN_PREFIX_WEAK);
      if (!ctx && d - a > 2) {
        // the label may be glued to the name: 对接人艾力·库尔班
        for (let k = a + 1; k <= d - 2 && !ctx; k++) {
          const c2 = endsWithAny(t.slice(Math.max(0, k - 8), k), CN_PREFIX_STRONG) ?? endsWithAny(t.slice(Math.max(0, k - 8), k), CN_PREFIX_WEAK);
          if (c2) {
            a = k;
            out.push({ type: 'PERSON', start: a, end: b, score: 0.9, why: `context ${c2}`, canonical: t.slice(a, b) });
            break;
          }
        }
      } else if (ctx) out.push({ type: 'PERSON', start: a, end: b, score: 0.9, why: `context ${ctx}`, canonical: t.slice(a, b) });
    }
    d = t.indexOf('·', b);
  }
}

// Capitalized word (Latin letters incl. Latin-1 / Latin Extended-A accents), optional hyphenated part and
// trailing dot; bounded repetitions and no unicode-mode classes, so the scan is O(n) and cheap.
const EN_TOKEN = /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F][a-z\u00DF-\u00F6\u00F8-\u00FF\u0100-\u017F'’]{0,24}(?:[A-Z][a-z\u00DF-\u00F6\u00F8-\u00FF\u0100-\u017F]{1,20})?(?:-[A-Z]?[a-z\u00DF-\u00F6\u00F8-\u00FF\u0100-\u017F]{1,24})?\.?/g;
const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
const TITLE_SET = new Set(EN_TITLES.map((w) => w.replace(/\.$/, '')));
const SUFFIX_WORDS = new Set(['II', 'III', 'IV', 'Jr', 'Sr']);
/** Label and unit words that may follow a name without making it an organisation (Dr. Ann Lee Apt. 4). */
const TAIL_OK = new Set(['apt', 'suite', 'unit', 'box', 'floor', 'room', 'phone', 'tel', 'email', 'e-mail', 'fax', 'mobile', 'address', 'website', 'the', 'and', 'or', 'i']);
/** Lower-case name particles that may sit inside a name (Maria van der Berg, Luis de la Cruz). */
const PARTICLE_GAP = /^ (?:van|von|de|da|di|del|della|der|den|la|le|du|dos|das|bin|al|ter|ten)(?: (?:de|der|den|la|le))? $/;
/** Street types before or after a name (prefix and suffix forms). */
const STREET_WORDS = new Set(
  'street st str road rd avenue ave drive dr lane ln boulevard blvd way court ct terrace parkway highway circle square trail crescent alley plaza forks greens mill mills pass gateway rua rue via calle avenida piazza piazzetta cite ulica strasse gata vej'.split(' '),
);
/** Prepositions and conjunctions: weak evidence on their own. */
const WEAK_BEFORE = new Set(['and', 'with', 'to', 'from', 'by', 'add', 'ask', 'tell', 'meet', 'met']);
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

/** The context phrase ending right before `s` (case-insensitive), if any. */
function contextBefore(t: string, s: number): string | null {
  let k = s;
  while (k > 0 && s - k < 4 && (t[k - 1] === ' ' || t[k - 1] === '\t')) k--;
  let a = k;
  while (a > 0 && k - a < 12 && t[a - 1] !== ' ' && t[a - 1] !== '\n') a--;
  const last = t.slice(a, k).toLowerCase();
  const list = BEFORE_BY_LAST.get(last);
  if (!list) return null;
  const lb = t.slice(Math.max(0, k - 16), k).toLowerCase();
  for (const w of list) if (lb.endsWith(w) && (lb.length === w.length || !isWordCode(lb.charCodeAt(lb.length - w.length - 1)))) return w;
  return null;
}

function contextAfter(t: string, e: number): string | null {
  if (t[e] === "'" || t[e] === '’') return t[e + 1] === 's' && !isWordCode(t.charCodeAt(e + 2)) ? "'s" : null;
  if (t[e] !== ' ') return null;
  let b = e + 1;
  while (b < t.length && b - e < 10 && t.charCodeAt(b) >= 97 && t.charCodeAt(b) <= 122) b++;
  const list = AFTER_BY_FIRST.get(t.slice(e + 1, b));
  if (!list) return null;
  const la = t.slice(e, e + 12).toLowerCase();
  for (const w of list) if (la.startsWith(w)) return w;
  return null;
}

let lastPersonEnd = -1;

function english(t: string, out: Candidate[]): void {
  lastPersonEnd = -1;
  EN_TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  // group state: consecutive capitalized tokens separated by single spaces
  let gs: number[] = [];
  let ge: number[] = [];
  const flush = () => {
    if (gs.length) englishGroup(t, gs, ge, out);
    gs = [];
    ge = [];
  };
  while ((m = EN_TOKEN.exec(t)) !== null) {
    const s = m.index;
    let e = s + m[0].length;
    if ((s > 0 && isWordCode(t.charCodeAt(s - 1))) || isWordCode(t.charCodeAt(e))) continue;
    // possessive or trailing apostrophe belongs to the sentence, not the name (Maite's, Stripes')
    if (t[e - 1] === 's' && (t[e - 2] === "'" || t[e - 2] === '’')) e -= 2;
    else if (t[e - 1] === "'" || t[e - 1] === '’') e -= 1;
    if (t[e - 1] === '.' && e - s > 3) {
      const w = t.slice(s, e - 1);
      if (!TITLE_SET.has(w.toLowerCase())) e--;
    }
    if (gs.length) {
      const prevEnd = ge[ge.length - 1];
      const adjacent = s === prevEnd + 1 && t[s - 1] === ' ';
      const particle = !adjacent && s - prevEnd <= 9 && PARTICLE_GAP.test(t.slice(prevEnd, s));
      if ((!adjacent && !particle) || gs.length >= 5) flush();
    }
    gs.push(s);
    ge.push(e);
  }
  flush();
}

const stripDot = (w: string) => (w.endsWith('.') ? w.slice(0, -1) : w);

function englishGroup(t: string, gs: number[], ge: number[], out: Candidate[]): void {
  // fast exit for the commonest case: one capitalized word with nothing name-like around it
  if (gs.length === 1) {
    const s0 = gs[0];
    const e0 = ge[0];
    const c = t[e0];
    const w0 = t.slice(s0, e0).toLowerCase();
    if (!EN_GIVEN.has(w0) && !TITLE_SET.has(stripDot(w0)) && !contextBefore(t, s0) && !contextAfter(t, e0) && c !== ':' && lastPersonEnd < 0) return;
  }
  const words = gs.map((s, i) => t.slice(s, ge[i]));
  let a = 0;
  let title = false;
  while (a < words.length) {
    const w = stripDot(words[a].toLowerCase());
    if (TITLE_SET.has(w)) {
      title = true;
      a++;
    } else if (EN_NOT_NAME.has(w) || w.length === 1) a++;
    else break;
  }
  const norm = (w: string) => stripDot(w.toLowerCase());
  for (let k = 0; k < a; k++) if (EN_BRANDS.has(words[k].toLowerCase())) return; // Google Cloud Run
  let b = words.length - 1;
  while (b >= a && (EN_NOT_NAME.has(norm(words[b])) || words[b].length <= 2)) b--;
  if (b < a) return;
  for (let k = a; k <= b; k++) if (EN_NOT_NAME.has(norm(words[k]))) return;
  // the next capitalized word may name an organisation or place (Hall Orchestra, Country Club)
  if (b + 1 < words.length && EN_NOT_NAME.has(norm(words[b + 1])) && !TAIL_OK.has(norm(words[b + 1]))) return;
  if (/(?:lands?|lander|stan)$/.test(words[b])) return; // places and demonyms (Iceland, Greenlander)
  // street names are not people: Rua Diadema, Via Nuova, Maple Street, Cedar Forks
  if (STREET_WORDS.has(norm(words[b])) || STREET_WORDS.has(norm(words[a])) || (b + 1 < words.length && STREET_WORDS.has(norm(words[b + 1])))) return;
  const s = gs[a];
  let e = ge[b];
  const sfx = /^ ([IVX]{2,3}|Jr\.?|Sr\.?)(?![A-Za-z])/.exec(t.slice(e, e + 6));
  if (sfx && SUFFIX_WORDS.has(sfx[1].replace(/\.$/, ''))) e += sfx[0].length;
  const n = b - a + 1;
  const first = words[a];
  const allCaps = first.length > 1 && first === first.toUpperCase();
  const given = EN_GIVEN.has(first.toLowerCase());
  const before = title || (a > 0 && TITLE_SET.has(stripDot(words[a - 1].toLowerCase()))) ? 'title' : contextBefore(t, s);
  const after = contextAfter(t, e);
  const prev = s > 0 ? t[s - 1] : '\n';
  const lineStart = prev === '\n' || (prev === ' ' && (s < 2 || t[s - 2] === '>' || t[s - 2] === '\n'));
  const dialogue = lineStart && t[e] === ':' && n <= 2;
  const sentenceStart = lineStart || (a === 0 && /[.!?"“(]\s{0,2}$/.test(t.slice(Math.max(0, s - 3), s)));
  let score = 0.2;
  if (n >= 2) score += 0.3;
  if (given) score += 0.3;
  if (before === 'title') score += 0.5;
  else if (before) score += WEAK_BEFORE.has(before) ? 0.2 : n >= 2 || given ? 0.25 : 0.35;
  if (after) score += 0.3;
  if (dialogue) score += 0.4;
  if (sentenceStart && n === 1 && !given && !before && !dialogue) score -= 0.2;
  // a list of names: "Novak, Brennan and Ortiz"
  if (lastPersonEnd >= 0 && s - lastPersonEnd <= 6 && /^(?:, | and |, and | & )$/.test(t.slice(lastPersonEnd, s))) score += 0.35;
  if (allCaps) score -= 0.4;
  if (n >= 4) score -= 0.2;
  score = Math.min(0.95, score);
  if (score < 0.5) return;
  const why = [before && `after ${before}`, given && 'given name', after && 'followed by verb', dialogue && 'speaker'].filter(Boolean).join(', ') || 'capitalized name';
  out.push({ type: 'PERSON', start: s, end: e, score, why, canonical: t.slice(s, e) });
  lastPersonEnd = e;
}

export const person: Recognizer = {
  name: 'person',
  types: ['PERSON'],
  explanation: 'personal name: Chinese surname + given name next to a label, role or honorific; Latin-script capitalized name next to a title, context words or a known given name',
  find(t) {
    const out: Candidate[] = [];
    if (HAS_CJK.test(t)) chinese(t, out);
    english(t, out);
    return out;
  },
  examples: {
    positive: [
      { text: '联系人：王小明，电话见附件', value: '王小明' },
      { text: '项目经理欧阳晓峰负责验收', value: '欧阳晓峰' },
      { text: '请转告李先生明天开会', value: '李' },
      { text: 'My name is Jonathan Parker.', value: 'Jonathan Parker' },
      { text: 'The report was signed by Dr. Anneliese Vogt yesterday', value: 'Anneliese Vogt' },
      { text: 'Yesterday Emily said the build was fine', value: 'Emily' },
      { text: 'Please contact Maria van der Berg today', value: 'Maria van der Berg' },
      { text: 'Signed: Dr. Helen Okoro Apt. 4 on file', value: 'Helen Okoro' },
    ],
    negative: ['我们在城市里讨论和平问题', '王者荣耀很好玩', 'The New York Times reported on Monday', 'Please send the API key to the Support Team', 'I love Microsoft Azure'],
  },
};
