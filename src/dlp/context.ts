/** Context-word lookups in a bounded window around a span (case-insensitive for ASCII words). */

export const DEFAULT_WINDOW = 24;

/** True when one of `words` occurs within `before` chars before start or `after` chars after end. */
const HAS_UPPER = /[A-Z]/;
const lower = (s: string) => (HAS_UPPER.test(s) ? s.toLowerCase() : s);

/**
 * A word list indexed by first character: near() walks its window once and compares only where a word can
 * start, instead of one substring search per word. Lists holding anything but lower-case ASCII, CJK and
 * punctuation keep the plain path (their case folding is not the ASCII one).
 */
interface WordIndex {
  fast: boolean;
  /** Quick reject on (first char & 1023). */
  bloom: Uint8Array;
  /** First char -> indices into the list, ascending (list order decides which word is reported). */
  byFirst: Map<number, number[]>;
}
const INDEXES = new WeakMap<readonly string[], WordIndex>();

function indexOf(words: readonly string[]): WordIndex {
  let ix = INDEXES.get(words);
  if (ix) return ix;
  ix = { fast: true, bloom: new Uint8Array(1024), byFirst: new Map() };
  words.forEach((w, i) => {
    if (w.length === 0) ix!.fast = false;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      if ((c >= 65 && c <= 90) || (c >= 0x80 && c < 0x3000)) ix!.fast = false;
    }
    const f = w.charCodeAt(0);
    ix!.bloom[f & 1023] = 1;
    const list = ix!.byFirst.get(f);
    if (list) list.push(i);
    else ix!.byFirst.set(f, [i]);
  });
  INDEXES.set(words, ix);
  return ix;
}

/** Lowest list index of a word lying wholly inside t[a, b) (ASCII letters folded), below `best`. */
function firstWordIn(t: string, a: number, b: number, words: readonly string[], ix: WordIndex, best: number): number {
  for (let p = a; p < b; p++) {
    let c = t.charCodeAt(p);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (ix.bloom[c & 1023] === 0) continue;
    const list = ix.byFirst.get(c);
    if (!list) continue;
    for (const i of list) {
      if (i >= best) break;
      const w = words[i];
      if (p + w.length > b) continue;
      let k = 1;
      for (; k < w.length; k++) {
        let d = t.charCodeAt(p + k);
        if (d >= 65 && d <= 90) d |= 0x20;
        if (d !== w.charCodeAt(k)) break;
      }
      if (k === w.length) {
        best = i;
        break;
      }
    }
  }
  return best;
}

/**
 * Scans t[a, b): bit 1 = holds a letter or a non-ASCII character (what a context word needs),
 * bit 2 = holds a character whose lower case is ASCII (U+0130, U+212A), which only the plain path folds like toLowerCase.
 */
function classify(t: string, a: number, b: number): number {
  let r = 0;
  for (let k = a; k < b; k++) {
    const c = t.charCodeAt(k);
    const l = c | 0x20;
    if ((l >= 97 && l <= 122) || c >= 0x80) {
      r |= 1;
      if (c === 0x130 || c === 0x212a) return 3;
    }
  }
  return r;
}

export function near(t: string, start: number, end: number, words: readonly string[], before = DEFAULT_WINDOW, after = 8): string | null {
  if (words.length === 0) return null;
  const a = Math.max(0, start - before);
  const b = after > 0 ? Math.min(t.length, end + after) : end;
  // only digits and punctuation around (common in logs and pathological input): nothing to match, no slicing
  const cls = classify(t, a, start) | classify(t, end, b);
  if (cls === 0) return null;
  const ix = indexOf(words);
  if (ix.fast && cls === 1) {
    const i = firstWordIn(t, end, b, words, ix, firstWordIn(t, a, start, words, ix, words.length));
    return i < words.length ? words[i] : null;
  }
  const left = lower(t.slice(a, start));
  const right = after > 0 ? lower(t.slice(end, b)) : '';
  for (const w of words) {
    if (left.includes(w) || (right && right.includes(w))) return w;
  }
  return null;
}

/** Words that say a number is NOT personal data (order, tracking, invoice numbers ...). */
export const NEGATIVE_NUMBER_CONTEXT = [
  '订单', '单号', '运单', '快递', '物流', '发票', '流水号', '工单', '编号', '批次', '序列号', '版本', '型号', '合同号', '邮编',
  '错误', 'error', 'errno', 'order', 'tracking', 'invoice', 'ticket', 'serial', 'sku', 'version', 'build', 'ref', 'case #', 'po #', 'zip', 'postal',
];
