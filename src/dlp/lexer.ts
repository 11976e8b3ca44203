/**
 * Digit-cluster lexer shared by the number recognizers. One pass of /\d+/g (a single greedy class that
 * always succeeds once started, so no backtracking: O(n)) finds digit runs; runs separated by a short
 * separator (' ', '-', '.', '(', ')') join a cluster. Recognizers then try windows of consecutive groups
 * (bounded: at most MAX_WINDOW_GROUPS groups / MAX_WINDOW_DIGITS digits), so total work is linear.
 */
export interface Group {
  start: number;
  end: number;
}

export interface Cluster {
  groups: Group[];
  /** Separator text before group i (seps[0] is ''). */
  seps: string[];
  /** Total number of digits in the cluster (lets recognizers skip short clusters cheaply). */
  digits: number;
  /** Prefix sums of group lengths (cum[k] = digits in groups 0..k-1), built on first use. */
  cum?: Int32Array;
}

export const MAX_WINDOW_GROUPS = 8;
export const MAX_WINDOW_DIGITS = 20;

export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** True when position i-1 does not continue an ASCII word (a letter after a backslash escape like \n counts as a boundary). */
export function boundaryBefore(t: string, i: number): boolean {
  if (i <= 0) return true;
  const c = t.charCodeAt(i - 1);
  if (!isAsciiAlnum(c)) return true;
  return i >= 2 && t.charCodeAt(i - 2) === 92 && c >= 97 && c <= 122 && !(c >= 48 && c <= 57);
}

export function boundaryAfter(t: string, i: number): boolean {
  if (i >= t.length) return true;
  return !isAsciiAlnum(t.charCodeAt(i));
}

/** Separator strings by code (see sepCode); interned, so a cluster's seps never allocate. */
const SEP_STRINGS = ['', ' ', '-', '.', '(', ')', ') ', ')-', ' (', ' -', '- '];

/**
 * Code of the separator text t[a, b) joining two digit runs (1 or 2 chars: one of ' ', '-', '.', '(', ')',
 * or ') ', ')-', ' (', ' -', '- '), or 0 when the gap does not join them.
 */
function sepCode(t: string, a: number, b: number): number {
  const c = t.charCodeAt(a);
  if (b - a === 1) return c === 32 ? 1 : c === 45 ? 2 : c === 46 ? 3 : c === 40 ? 4 : c === 41 ? 5 : 0;
  const d = t.charCodeAt(a + 1);
  if (c === 41) return d === 32 ? 6 : d === 45 ? 7 : 0;
  if (c === 32) return d === 40 ? 8 : d === 45 ? 9 : 0;
  return c === 45 && d === 32 ? 10 : 0;
}

/**
 * A lone run that no number recognizer can use is dropped at once (keeps pathological inputs cheap):
 * 1-2 digits not followed by a space (house numbers need "12 Main"), or fewer than 6 digits glued to an
 * ASCII letter on the left (only USCC / passport tokens, which need 6+ digits, start that way).
 */
function uselessRun(t: string, s: number, e: number): boolean {
  const n = e - s;
  if (n <= 2) {
    const a = t.charCodeAt(e);
    const b = t.charCodeAt(e + 1);
    return !(a === 32 || (a >= 65 && a <= 90 && b === 32));
  }
  return n < 6 && s > 0 && isAsciiAlnum(t.charCodeAt(s - 1)) && t.charCodeAt(s - 2) !== 92;
}

/** Scratch for the cluster being built (grown on demand, reused across scans: lexing is synchronous). */
let scratchStart = new Int32Array(64);
let scratchEnd = new Int32Array(64);
let scratchSep = new Uint8Array(64);
const DIGIT = /\d/g;
/** After a run, the next digit is looked for by hand this far before handing over to the regex. */
const NEAR_SCAN = 12;

export function lexClusters(t: string): Cluster[] {
  const out: Cluster[] = [];
  // Digits are found by a one-class regex (fast skip over digit-free text) or, right after a run, by a short
  // bounded hand scan (dense digit text pays no regex call per run). Each character is looked at a bounded
  // number of times: O(n). The cluster being built lives in scratch arrays; objects are made only for
  // clusters that are kept.
  const n = t.length;
  let ng = 0;
  let digits = 0;
  let lastEnd = -10;
  let s = -1;
  const flush = () => {
    if (ng === 1 && uselessRun(t, scratchStart[0], scratchEnd[0])) return;
    const groups: Group[] = new Array(ng);
    const seps: string[] = new Array(ng);
    for (let k = 0; k < ng; k++) {
      groups[k] = { start: scratchStart[k], end: scratchEnd[k] };
      seps[k] = SEP_STRINGS[scratchSep[k]];
    }
    out.push({ groups, seps, digits });
  };
  let from = 0;
  for (;;) {
    // next digit at or after `from`
    s = -1;
    const lim = Math.min(n, from + NEAR_SCAN);
    for (let k = from; k < lim; k++) {
      const c = t.charCodeAt(k);
      if (c >= 48 && c <= 57) {
        s = k;
        break;
      }
    }
    if (s < 0) {
      if (lim >= n) break;
      DIGIT.lastIndex = lim;
      if (!DIGIT.test(t)) break;
      s = DIGIT.lastIndex - 1;
    }
    let e = s + 1;
    while (e < n) {
      const c = t.charCodeAt(e);
      if (c < 48 || c > 57) break;
      e++;
    }
    const code = ng > 0 && s - lastEnd <= 2 ? sepCode(t, lastEnd, s) : 0;
    if (code === 0) {
      if (ng > 0) flush();
      ng = 0;
      digits = 0;
    } else if (ng === scratchStart.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
      scratchStart = grow(scratchStart, new Int32Array(ng * 2));
      scratchEnd = grow(scratchEnd, new Int32Array(ng * 2));
      scratchSep = grow(scratchSep, new Uint8Array(ng * 2));
    }
    scratchStart[ng] = s;
    scratchEnd[ng] = e;
    scratchSep[ng] = code;
    ng++;
    digits += e - s;
    lastEnd = e;
    from = e;
  }
  if (ng > 0) flush();
  return out;
}

export interface Window {
  i: number;
  j: number;
  digits: string;
  start: number;
  end: number;
  /** Separators used inside the window. */
  inner: string[];
}

export interface WindowOptions {
  allowDot?: boolean;
  /** Interior groups (all but the first and last) must have at least this many digits. */
  minInnerGroup?: number;
  /** Only windows of exactly this many groups. */
  exactGroups?: number;
  /** Cheap check on group indices before a window is built (e.g. "not inside a longer dotted run"). */
  pre?: (i: number, j: number) => boolean;
  /** Only windows with this many digits are offered to `accept`. */
  minDigits?: number;
  maxDigits?: number;
}

/**
 * Longest-first window search: for each start group, the longest window accepted by `accept` wins and the
 * search resumes after it. Work per group is bounded by MAX_WINDOW_GROUPS; `accept` sees only windows
 * within [minDigits, maxDigits], longest first.
 */
export function scanWindows(t: string, c: Cluster, accept: (w: Window) => boolean, opts: WindowOptions = {}): Window[] {
  const res: Window[] = [];
  const min = opts.minDigits ?? 1;
  const max = Math.min(opts.maxDigits ?? MAX_WINDOW_DIGITS, MAX_WINDOW_DIGITS);
  if (c.digits < min) return res;
  const g = c.groups;
  const n = g.length;
  let cum = c.cum;
  if (!cum) {
    cum = c.cum = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) cum[k + 1] = cum[k] + g[k].end - g[k].start;
  }
  const minInner = opts.minInnerGroup ?? 0;
  const span = opts.exactGroups ?? MAX_WINDOW_GROUPS;
  let i = 0;
  while (i < n) {
    // O(1) skip when even the longest window from i is too short
    if (cum[Math.min(n, i + span)] - cum[i] < min) {
      i++;
      continue;
    }
    // furthest j allowed by group count, digit budget, separators and interior group size
    let jmax = i;
    for (let j = i + 1; j < n && j - i < span; j++) {
      if (!opts.allowDot && c.seps[j].includes('.')) break;
      if (cum[j + 1] - cum[i] > max) break;
      if (j - 1 > i && g[j - 1].end - g[j - 1].start < minInner) break;
      jmax = j;
    }
    let best: Window | null = null;
    // longest first: the first accepted window wins
    for (let j = jmax; j >= i; j--) {
      if (opts.exactGroups && j - i + 1 !== opts.exactGroups) continue;
      const d = cum[j + 1] - cum[i];
      if (d > max) continue;
      if (d < min) break;
      if (opts.pre && !opts.pre(i, j)) continue;
      let digits = '';
      for (let k = i; k <= j; k++) digits += t.slice(g[k].start, g[k].end);
      const w: Window = { i, j, digits, start: g[i].start, end: g[j].end, inner: c.seps.slice(i + 1, j + 1) };
      if (accept(w)) {
        best = w;
        break;
      }
    }
    if (best) {
      res.push(best);
      i = best.j + 1;
    } else i++;
  }
  return res;
}
