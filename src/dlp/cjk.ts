import { changes, MAYBE_SOURCE } from './normalize.js';

/**
 * Runs of CJK unified ideographs (U+4E00-U+9FFF), found once per scan and shared (ScanState.cjk): the
 * Chinese recognizers walk these runs instead of each running its own pass over the whole text. A run
 * start is found by a one-class regex (fast skip over text without Chinese) or, right after a run, by a
 * short hand scan (Chinese clauses are split by punctuation: "，" then the next clause); a run is then
 * extended by hand. Each character is looked at a bounded number of times: O(n).
 */
export interface CjkRuns {
  readonly count: number;
  /** Run k is [start[k], end[k]). */
  readonly start: Int32Array;
  readonly end: Int32Array;
}

const CJK = /[\u4e00-\u9fff]/g;
/** A CJK character or one normalization may change (normalize.ts's pre-check class): the scan's first pass. */
const CJK_OR_MAYBE = new RegExp(`[\\u4e00-\\u9fff${MAYBE_SOURCE}]`, 'g');
/** After a run, the next start is looked for by hand this far before handing over to the regex. */
const NEAR_SCAN = 8;
const NONE: CjkRuns = Object.freeze({ count: 0, start: new Int32Array(0), end: new Int32Array(0) });

export const isCjk = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;

export function cjkRuns(t: string): CjkRuns {
  CJK.lastIndex = 0;
  if (!CJK.test(t)) return NONE;
  const n = t.length;
  let cap = Math.max(16, Math.min(n >> 5, 1 << 20));
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let count = 0;
  let s = CJK.lastIndex - 1;
  while (s >= 0) {
    let e = s + 1;
    while (e < n && isCjk(t.charCodeAt(e))) e++;
    if (count === cap) {
      cap *= 2;
      const a = new Int32Array(cap);
      a.set(start);
      start = a;
      const b = new Int32Array(cap);
      b.set(end);
      end = b;
    }
    start[count] = s;
    end[count++] = e;
    s = -1;
    const lim = Math.min(n, e + 1 + NEAR_SCAN);
    for (let k = e + 1; k < lim; k++) {
      if (isCjk(t.charCodeAt(k))) {
        s = k;
        break;
      }
    }
    if (s < 0 && lim < n) {
      CJK.lastIndex = lim;
      if (CJK.test(t)) s = CJK.lastIndex - 1;
    }
  }
  return { count, start, end };
}

/**
 * The scan's first pass over the original text: its CJK runs, or null when the text needs normalizing (the
 * caller normalizes and computes the runs on the normalized text). One class regex finds both run starts
 * and characters normalization may change, so the common case (nothing to normalize) pays one pass for
 * both questions instead of two. Characters in the pre-check class that normalization keeps (，：（）…)
 * are stepped over by hand for a few characters, like gaps between runs.
 */
export function cjkRunsIfNormal(t: string): CjkRuns | null {
  const n = t.length;
  let cap = 16;
  let start: Int32Array | null = null;
  let end: Int32Array | null = null;
  let count = 0;
  let from = 0;
  let hand = false; // right after a hit: look at the next characters by hand first
  for (;;) {
    let s = -1;
    if (hand) {
      const lim = Math.min(n, from + NEAR_SCAN);
      for (let k = from; k < lim; k++) {
        const c = t.charCodeAt(k);
        if (isCjk(c)) {
          s = k;
          break;
        }
        if (c >= 0xad && changes(c)) return null;
      }
      if (s < 0) from = lim;
    }
    if (s < 0) {
      if (from >= n) break;
      CJK_OR_MAYBE.lastIndex = from;
      if (!CJK_OR_MAYBE.test(t)) break;
      s = CJK_OR_MAYBE.lastIndex - 1;
      const c = t.charCodeAt(s);
      if (!isCjk(c)) {
        if (changes(c)) return null;
        from = s + 1;
        hand = true;
        continue;
      }
    }
    let e = s + 1;
    while (e < n && isCjk(t.charCodeAt(e))) e++;
    if (start === null || end === null) {
      cap = Math.max(16, Math.min(n >> 5, 1 << 20));
      start = new Int32Array(cap);
      end = new Int32Array(cap);
    } else if (count === cap) {
      cap *= 2;
      const a = new Int32Array(cap);
      a.set(start);
      start = a;
      const b = new Int32Array(cap);
      b.set(end);
      end = b;
    }
    start[count] = s;
    end[count++] = e;
    from = e;
    hand = true;
  }
  return start && end ? { count, start, end } : NONE;
}
