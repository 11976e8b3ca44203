import { anySet } from './classes.js';
import { addContextList, kernelContextWalk, type ContextWalk } from './codes.js';
import { codeAt } from './unit.js';

/** Context-word lookups in a bounded window around a span (case-insensitive for ASCII words). */

export const DEFAULT_WINDOW = 24;

/** True when one of `words` occurs within `before` chars before start or `after` chars after end. */
const HAS_UPPER = /[A-Z]/;
const lower = (s: string) => (HAS_UPPER.test(s) ? s.toLowerCase() : s);

/**
 * A word list indexed by its words' first two characters: near() walks its window once and compares only
 * where a word can start, instead of one substring search per word. Lists holding anything but lower-case
 * ASCII, CJK and punctuation keep the plain path (their case folding is not the ASCII one).
 */
interface WordIndex {
  fast: boolean;
  /**
   * Key of a word's first two characters (folded, 6 low bits each: pairKey) -> 1 + index into `lists` (0: no
   * word starts with such a pair), so most positions of a window are passed over with one table read. Words
   * of one character are under every key of their first character. Characters sharing a key are told apart
   * by comparing the whole word, first character included.
   */
  pairs: Uint16Array;
  /** Per key: indices into the word list, ascending (list order decides which word is reported). */
  lists: number[][];
  /** Where the kernel's copy of the tables holds this index (codes.ts, addContextList); -1: not there. */
  at: number;
}
/** Index per word list; a list seen once is only counted (an array literal made per call never gets a table). */
const INDEXES = new WeakMap<readonly string[], WordIndex | 'seen'>();
const PLAIN: WordIndex = { fast: false, pairs: new Uint16Array(0), lists: [], at: -1 };
const pairKey = (c: number, d: number) => ((c & 63) << 6) | (d & 63);

function indexOf(words: readonly string[]): WordIndex {
  const known = INDEXES.get(words);
  if (known === undefined) {
    INDEXES.set(words, 'seen');
    return PLAIN;
  }
  if (known !== 'seen') return known;
  const pairs = new Uint16Array(4096);
  const lists: number[][] = [];
  let fast = true;
  const add = (key: number, i: number) => {
    if (pairs[key] === 0) pairs[key] = lists.push([]);
    lists[pairs[key] - 1].push(i);
  };
  words.forEach((w, i) => {
    if (w.length === 0) {
      fast = false;
      return;
    }
    let letterOrWide = false;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      if ((c >= 65 && c <= 90) || (c >= 0x80 && c < 0x3000)) fast = false;
      if ((c >= 97 && c <= 122) || c >= 0x80) letterOrWide = true;
    }
    // a word of ASCII digits / punctuation only would match where near() answers null without looking
    if (!letterOrWide) fast = false;
    if (w.length >= 2) add(pairKey(w.charCodeAt(0), w.charCodeAt(1)), i);
    else for (let d = 0; d < 64; d++) add(pairKey(w.charCodeAt(0), d), i);
  });
  // the kernel walks the windows of the scan's own text with a copy of these tables
  const ix: WordIndex = { fast, pairs, lists, at: fast ? addContextList(words) : -1 };
  INDEXES.set(words, ix);
  return ix;
}

/**
 * Lowest list index of a word lying wholly inside units [a, b) of u (ASCII letters folded), below `best`;
 * -1 when the window holds U+0130 or U+212A (their lower case is ASCII: only the plain path folds them like
 * toLowerCase). u is the scan's code units or a copy of the window (windowUnits): one kind of array, read
 * directly, keeps this loop free of per-character branches on where the text comes from (with the string
 * read as an alternative, each character of a window cost about 75 instructions, measured).
 */
function firstWordIn(u: Uint16Array, a: number, b: number, words: readonly string[], ix: WordIndex, best: number): number {
  for (let p = a; ; p++) {
    p = nextPairHit(u, p, b, ix.pairs);
    if (p < 0) return -1;
    if (p >= b) return best;
    best = wordAt(u, p, b, words, ix, best);
  }
}

/**
 * The first position p in [from, b) where a word of the list may start (its folded code unit and the next
 * pass the pair filter), b when there is none, or -1 when the window holds U+0130 or U+212A first. A loop of
 * its own with few values live: walked in firstWordIn's loop, with the word comparisons beside it, every
 * value was kept on the stack (about 67 instructions per character, measured).
 */
function nextPairHit(u: Uint16Array, from: number, b: number, pairs: Uint16Array): number {
  const n = u.length;
  let d = from < b ? u[from] : 0;
  if (d >= 65 && d <= 90) d |= 0x20;
  for (let p = from; p < b; p++) {
    const c = d;
    d = p + 1 < n ? u[p + 1] : 0;
    if (d >= 65 && d <= 90) d |= 0x20;
    if (c === 0x130 || c === 0x212a) return -1;
    if (pairs[((c & 63) << 6) | (d & 63)] !== 0) return p;
  }
  return b;
}

/** The lowest list index below `best` of a word of the list at position p of u, inside [p, b); else best. */
function wordAt(u: Uint16Array, p: number, b: number, words: readonly string[], ix: WordIndex, best: number): number {
  let c = u[p];
  if (c >= 65 && c <= 90) c |= 0x20;
  let d = p + 1 < u.length ? u[p + 1] : 0;
  if (d >= 65 && d <= 90) d |= 0x20;
  // the words whose first two characters have the key (nextPairHit found it set)
  const list = ix.lists[ix.pairs[pairKey(c, d)] - 1];
  for (let x = 0; x < list.length; x++) {
    const i = list[x];
    if (i >= best) return best;
    const w = words[i];
    if (p + w.length > b || w.charCodeAt(0) !== c) continue;
    let k = 1;
    for (; k < w.length; k++) {
      let e = u[p + k];
      if (e >= 65 && e <= 90) e |= 0x20;
      if (e !== w.charCodeAt(k)) break;
    }
    if (k === w.length) return i;
  }
  return best;
}

/** Scratch code units for lookups in a text other than the scan's (see windowUnits). */
let scratch = new Uint16Array(64);

/**
 * The code units of t[a, b] (one past the window: firstWordIn reads the unit after each position; 0 past
 * the text) at the start of a scratch array, for lookups in a text other than the scan's (tests, callers
 * outside the engine): a window's worth is copied, never the text.
 */
function windowUnits(t: string, a: number, b: number): Uint16Array {
  const len = b - a + 1;
  if (scratch.length < len) scratch = new Uint16Array(Math.max(len, scratch.length * 2));
  for (let k = 0; k < len; k++) scratch[k] = codeAt(t, a + k);
  return scratch;
}

/** True when t[a, b) holds a letter or any non-ASCII character (what a context word needs). */
function wordy(t: string, a: number, b: number): boolean {
  for (let k = a; k < b; k++) {
    const c = t.charCodeAt(k);
    const l = c | 0x20;
    if ((l >= 97 && l <= 122) || c >= 0x80) return true;
  }
  return false;
}

/**
 * Where the last wordy-character search stopped in the current scan's text: t[wFrom, wTo) holds no letter
 * and no non-ASCII character. Context lookups around dense candidates (digits and spaces only,
 * "1.2.3.4 ...") come in text order, so each stretch of such text is read once instead of once per lookup.
 * The engine starts every scan with `newContextScan`, so the text check below finds the same string object
 * (an identity check; two different strings of one length would be compared by content, which only a
 * lookup on another text of the same length within one scan would pay, and it stays correct).
 */
let wText = '';
let wLength = -1;
let wFrom = 0;
let wTo = 0;

/**
 * The current scan's text and its code units (codes.ts): lookups in that text read the array, and where the
 * array is in a kernel's memory, the kernel walks the windows (cWalk).
 */
let cText = '';
let cCodes: Uint16Array | null = null;
let cWalk: ContextWalk | null = null;
/** The `wordy` class bitmap of cCodes (classes.ts), when the scan has its bitmaps. */
let cWordy: Uint32Array | null = null;

/**
 * Forgets the wordy-stretch cache: called when a scan (ScanState) starts on a new text, with the text, its
 * code units and their `wordy` bitmap when made, and when it ends (no arguments: nothing of the text stays
 * referenced).
 */
export function newContextScan(t = '', u: Uint16Array | null = null, wordy: Uint32Array | null = null): void {
  wText = '';
  wLength = -1;
  cText = t;
  cCodes = u;
  cWalk = u === null ? null : kernelContextWalk(u);
  cWordy = u === null ? null : wordy;
}

/** True when t[a, b) holds a letter or a non-ASCII character. */
function hasWordy(t: string, u: Uint16Array | null, a: number, b: number): boolean {
  let k = a;
  const cached = t.length === wLength && a >= wFrom && a <= wTo && t === wText;
  if (cached) k = wTo;
  for (; k < b; k++) {
    const c = u !== null ? u[k] : codeAt(t, k);
    const l = c | 0x20;
    if ((l >= 97 && l <= 122) || c >= 0x80) break;
  }
  if (!cached) {
    wText = t;
    wLength = t.length;
    wFrom = a;
  }
  if (k > wTo || !cached) wTo = k;
  return k < b;
}

export function near(t: string, start: number, end: number, words: readonly string[], before = DEFAULT_WINDOW, after = 8): string | null {
  if (words.length === 0) return null;
  const a = Math.max(0, start - before);
  const b = after > 0 ? Math.min(t.length, end + after) : end;
  // every word holds a letter or a non-ASCII character (for the plain path: wordy() below), so a window
  // without any matches nothing
  // the scan's code units when t is the scan's text (always, for the engine's recognizers)
  const u = t === cText ? cCodes : null;
  // in the scan's text, its bitmap answers at once (around dense numbers, walking the window was a tenth of
  // a scan); elsewhere a walk, with the stretch cache
  if (u !== null && cWordy !== null ? !anySet(cWordy, a, b) : !hasWordy(t, u, a, b)) return null;
  const ix = indexOf(words);
  if (ix.fast) {
    // one pass per side; every fast word holds a letter or a non-ASCII character, so a window without
    // them finds nothing, exactly like the plain path's early exit
    let i: number;
    if (u !== null && cWalk !== null && ix.at >= 0) {
      // the scan's code units in a kernel's memory: the kernel walks both sides (the same steps as firstWordIn)
      const l = cWalk(u, a, start, ix.at, words.length);
      i = l < 0 ? -1 : cWalk(u, end, b, ix.at, l);
    } else {
      // positions in w: the scan's code units, or a copy of the window starting at a
      const w = u !== null ? u : windowUnits(t, a, b);
      const o = u !== null ? 0 : a;
      const l = firstWordIn(w, a - o, start - o, words, ix, words.length);
      i = l < 0 ? -1 : firstWordIn(w, end - o, b - o, words, ix, l);
    }
    if (i >= 0) return i < words.length ? words[i] : null;
  }
  // plain path: only digits and punctuation around (common in logs and pathological input): nothing to match
  if (!wordy(t, a, start) && !wordy(t, end, b)) return null;
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
