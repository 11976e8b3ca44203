import { nextClear, nextSet, type CharClasses } from './classes.js';
import { classesOf, GROUPS_CAP, kernelDigitGroups, utf16, type DigitGroups } from './codes.js';
import { grownCap, growI32, growU8, Spare } from './grow.js';
import { unitAt } from './unit.js';

/**
 * Digit-cluster lexer shared by the number recognizers. Digit runs start at the set bits of the scan's digit
 * bitmap (classes.ts) and are extended by hand; runs separated by a short separator (' ', '-', '.', '(',
 * ')') join a cluster. Each character is looked at a bounded number of times: O(n). The result is flat
 * typed arrays (DigitRuns): recognizers walk them sequentially, with no object per run or cluster
 * (cache-friendly on large texts). Recognizers then try windows of consecutive groups
 * (bounded: at most MAX_WINDOW_GROUPS groups / MAX_WINDOW_DIGITS digits), so total work is linear.
 * `Cluster` objects are still offered (ScanState.clusters, built from the flat form on first use).
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
}

export const MAX_WINDOW_GROUPS = 8;
export const MAX_WINDOW_DIGITS = 20;

/** 1 for the code units isAsciiAlnum accepts (one read instead of four range tests). */
const ASCII_ALNUM = new Uint8Array(65536);
for (let c = 0; c < 128; c++) ASCII_ALNUM[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;

/** 0-9, A-Z, a-z or '_' (c: a code unit, 0-65535). */
export function isAsciiAlnum(c: number): boolean {
  return ASCII_ALNUM[c] === 1;
}

/** A-Z or a-z. */
export const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

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

/** boundaryBefore over code units (codes.ts). */
function boundaryBeforeU(u: Uint16Array, i: number): boolean {
  if (i <= 0) return true;
  const c = u[i - 1];
  if (!isAsciiAlnum(c)) return true;
  return i >= 2 && u[i - 2] === 92 && c >= 97 && c <= 122;
}

/** boundaryAfter over code units (codes.ts). */
function boundaryAfterU(u: Uint16Array, i: number): boolean {
  return i >= u.length || !isAsciiAlnum(u[i]);
}

/** Separator strings by code (see sepCode). */
export const SEP_STRINGS = ['', ' ', '-', '.', '(', ')', ') ', ')-', ' (', ' -', '- '];
export const SEP_SPACE = 1;
export const SEP_DASH = 2;
export const SEP_DOT = 3;

/**
 * Code of the separator text t[a, b) joining two digit runs (1 or 2 chars: one of ' ', '-', '.', '(', ')',
 * or ') ', ')-', ' (', ' -', '- '), or 0 when the gap does not join them.
 */
function sepCode(u: Uint16Array, a: number, b: number): number {
  const c = u[a];
  if (b - a === 1) return c === 32 ? 1 : c === 45 ? 2 : c === 46 ? 3 : c === 40 ? 4 : c === 41 ? 5 : 0;
  const d = u[a + 1];
  if (c === 41) return d === 32 ? 6 : d === 45 ? 7 : 0;
  if (c === 32) return d === 40 ? 8 : d === 45 ? 9 : 0;
  return c === 45 && d === 32 ? 10 : 0;
}

/**
 * A lone run that no number recognizer can use is dropped at once (keeps pathological inputs cheap):
 * 1-2 digits not followed by a space (house numbers need "12 Main"), or fewer than 6 digits glued to an
 * ASCII letter on the left (only USCC / passport tokens, which need 6+ digits, start that way).
 */
function uselessRun(u: Uint16Array, s: number, e: number): boolean {
  const n = e - s;
  if (n <= 2) {
    const a = unitAt(u, e);
    const b = unitAt(u, e + 1);
    return !(a === 32 || (a >= 65 && a <= 90 && b === 32));
  }
  return n < 6 && s > 0 && isAsciiAlnum(u[s - 1]) && unitAt(u, s - 2) !== 92;
}

/**
 * Digit runs ("groups") and clusters of one text, as flat arrays. Groups are in text order; the groups of
 * cluster k are first[k]..last[k] (inclusive), contiguous.
 */
export interface DigitRuns {
  /** Number of groups. */
  readonly groups: number;
  readonly start: Int32Array<ArrayBuffer>;
  readonly end: Int32Array<ArrayBuffer>;
  /** Separator code before each group (index into SEP_STRINGS); 0 for the first group of a cluster. */
  readonly sep: Uint8Array<ArrayBuffer>;
  /** Number of clusters. */
  readonly clusters: number;
  readonly first: Int32Array<ArrayBuffer>;
  readonly last: Int32Array<ArrayBuffer>;
  /** Digits in each cluster. */
  readonly digits: Int32Array<ArrayBuffer>;
  /** Digits in each cluster's longest group (lets window searches skip clusters of short groups at once). */
  readonly longest: Int32Array<ArrayBuffer>;
  /**
   * For a one-group cluster, its edges, read here while that stretch of the text is in cache (the number
   * recognizers would read them back at random): LONE_START_OK, LONE_END_OK, LONE_AFTER_PLUS (see below);
   * 0 for other clusters.
   */
  readonly loneEdges: Uint8Array<ArrayBuffer>;
  /**
   * Starts of the runs of 1-2 digits that follow a letter or a dot and a space and are not followed by a
   * space ("Main St 7." / "Road 12" ending a sentence: house numbers ADDRESS looks at, most of them dropped
   * above as lone runs), in text order. The characters before are read here, where that stretch of the text
   * is in cache, rather than by ADDRESS later.
   */
  readonly shortAfterSpace: Int32Array<ArrayBuffer>;
  readonly shorts: number;
}

/** DigitRuns.loneEdges: the start is a word boundary or follows '+' or '('. */
export const LONE_START_OK = 1;
/** DigitRuns.loneEdges: the end is a word boundary or an extension follows ('x' and a digit). */
export const LONE_END_OK = 2;
/** DigitRuns.loneEdges: the run follows '+' or '('. */
export const LONE_AFTER_PLUS = 4;

/** The loneEdges flags of the run [s, e) of code units u. */
function edgesOf(u: Uint16Array, s: number, e: number): number {
  const p = unitAt(u, s - 1);
  const plus = p === 43 || p === 40;
  const startOk = plus || boundaryBeforeU(u, s);
  const endOk = boundaryAfterU(u, e) || (u[e] === 120 && unitAt(u, e + 1) >= 48 && unitAt(u, e + 1) <= 57);
  return (startOk ? LONE_START_OK : 0) | (endOk ? LONE_END_OK : 0) | (plus ? LONE_AFTER_PLUS : 0);
}

/** What may come before the space of a short run listed in shortAfterSpace: a Latin letter (ASCII, Latin-1, Extended-A/B, combining marks) or '.'. */
const SHORT_LEAD = new Uint8Array(65536);
for (let c = 0; c < 0x370; c++) SHORT_LEAD[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x300 && c <= 0x36f) || c === 46 ? 1 : 0;


/** The runs of a text without digits (most chat messages): shared, nothing allocated. */
const NO_RUNS: DigitRuns = Object.freeze({
  groups: 0, start: new Int32Array(0), end: new Int32Array(0), sep: new Uint8Array(0),
  clusters: 0, first: new Int32Array(0), last: new Int32Array(0), digits: new Int32Array(0), longest: new Int32Array(0), loneEdges: new Uint8Array(0),
  shortAfterSpace: new Int32Array(0), shorts: 0,
});

/**
 * The arrays of earlier scans' runs, reused by the next scans (ScanState hands them back when its scan is
 * over, see `spareRuns`): creating a typed array means a backing store of its own, which cost a scan of a
 * few KB (what a gateway scans per message part) more than its lexing. Runs with room for more than 256 K
 * groups are kept weakly (grow.ts, Spare): arrays made afresh for every scan of a megabyte of dense numbers
 * were what filled V8's external-memory budget and forced extra collections into the next scans (~30 ms
 * each), and remaking them cost a fifth of such a scan.
 */
const SPARE = new Spare<DigitRuns>(1 << 18, (r) => Math.min(r.start.length, r.first.length * 2));
/** Texts at least this long take the weakly kept (large) runs first. */
const LARGE_TEXT = 1 << 17;

/** Keeps the arrays of `r`, whose scan is over, for a later lexDigits call with `reuse` (they hold positions only). */
export function spareRuns(r: DigitRuns): void {
  if (r !== NO_RUNS) SPARE.put(r);
}

/** Runs with nothing in them yet, room for `cap` groups and `ccap` clusters. */
function emptyRuns(cap: number, ccap: number): DigitRuns {
  return {
    groups: 0, start: new Int32Array(cap), end: new Int32Array(cap), sep: new Uint8Array(cap),
    clusters: 0, first: new Int32Array(ccap), last: new Int32Array(ccap), digits: new Int32Array(ccap), longest: new Int32Array(ccap), loneEdges: new Uint8Array(ccap),
    shortAfterSpace: new Int32Array(16), shorts: 0,
  };
}

/**
 * The digit runs and clusters of t. With `reuse`, the arrays of the runs last given to `spareRuns` are
 * written over (the caller guarantees nothing reads those runs any more).
 */
export function lexDigits(t: string, reuse = false, u?: Uint16Array, classes?: CharClasses): DigitRuns {
  const codes = u ?? utf16(t);
  return lexDigitsIn(t, reuse, codes, classes ?? classesOf(codes));
}

/**
 * lexDigits over t's code units `u` (codes.ts) and their class bitmaps, in two passes. The first lists the
 * digit runs with the separator joining each to the one before, in chunks of up to GROUPS_CAP runs: in the
 * character-class kernel when u is in its memory (codes.ts, kernelDigitGroups), else in JavaScript
 * (jsDigitGroups, the same steps). The second joins the runs into clusters and drops the useless lone runs
 * (clustersIn). One JavaScript loop doing both cost about 440 instructions per digit run in V8's optimized
 * code (every counter kept on the stack, a map check at every typed-array access), measured.
 */
function lexDigitsIn(t: string, reuse: boolean, u: Uint16Array, classes: CharClasses): DigitRuns {
  const n = t.length;
  const digitBits = classes.digit;
  if (nextSet(digitBits, 0, n) >= n) return NO_RUNS;
  // initial capacity from the length (digit-heavy text has about one kept run per 40 chars): few
  // regrowths; small for short texts, which a gateway scans per message part
  const want = Math.max(16, Math.min(n >> 6, 1 << 20));
  const r = (reuse ? SPARE.take(want, n >= LARGE_TEXT) : null) ?? emptyRuns(want, want >> 1);
  let { start, end, sep, shortAfterSpace } = r;
  const pass = kernelDigitGroups(u, digitBits) ?? jsDigitGroups;
  let ng = 0;
  let ns = 0;
  let from = 0;
  let lastEnd = -10;
  while (from < n) {
    const count = pass.run(u, digitBits, from, lastEnd);
    const shorts = pass.state[2];
    if (ng + count > start.length) {
      // (runs are at least one digit and one separator apart: at most (n + 1) / 2 of them)
      const cap = grownCap(start.length, ng + count, pass.state[0], n, (n + 2) >> 1);
      start = growI32(start, cap);
      end = growI32(end, cap);
      sep = growU8(sep, cap);
    }
    if (ns + shorts > shortAfterSpace.length) shortAfterSpace = growI32(shortAfterSpace, Math.max(shortAfterSpace.length * 2, ns + shorts));
    if (count + shorts <= 32) {
      // a few: copied one by one (a view for set() costs more than that)
      for (let k = 0; k < count; k++) {
        start[ng + k] = pass.start[k];
        end[ng + k] = pass.end[k];
        sep[ng + k] = pass.sep[k];
      }
      for (let k = 0; k < shorts; k++) shortAfterSpace[ns + k] = pass.shorts[k];
    } else {
      start.set(pass.start.subarray(0, count), ng);
      end.set(pass.end.subarray(0, count), ng);
      sep.set(pass.sep.subarray(0, count), ng);
      shortAfterSpace.set(pass.shorts.subarray(0, shorts), ns);
    }
    ng += count;
    ns += shorts;
    from = pass.state[0];
    lastEnd = pass.state[1];
  }
  let { first, last, digits, longest, loneEdges } = r;
  if (first.length < ng) {
    // one cluster per run at most
    const ccap = Math.max(first.length * 4, ng);
    first = growI32(first, ccap);
    last = growI32(last, ccap);
    digits = growI32(digits, ccap);
    longest = growI32(longest, ccap);
    loneEdges = growU8(loneEdges, ccap);
  }
  const nc = clustersIn(u, ng, start, end, sep, first, last, digits, longest, loneEdges);
  return { groups: kept[0], start, end, sep, clusters: nc, first, last, digits, longest, loneEdges, shortAfterSpace, shorts: ns };
}

/** The groups clustersIn kept. */
const kept = new Int32Array(1);

/** The chunk arrays of jsDigitGroups. */
const JS_GROUPS = {
  start: new Int32Array(GROUPS_CAP),
  end: new Int32Array(GROUPS_CAP),
  sep: new Uint8Array(GROUPS_CAP),
  shorts: new Int32Array(GROUPS_CAP),
  state: new Int32Array(4),
};

/**
 * The first pass of the digit lexer in JavaScript (where the kernel does not hold the code units): the steps
 * of the kernel's `groups` (scripts/gen-classes-wasm.ts), which a test holds equal to this.
 */
export const jsDigitGroups: DigitGroups = {
  ...JS_GROUPS,
  run(u: Uint16Array, bits: Uint32Array, from: number, lastEnd: number): number {
    const { start, end, sep, shorts, state } = JS_GROUPS;
    const n = u.length;
    let ng = 0;
    let ns = 0;
    let p = from;
    let le = lastEnd;
    while (ng < GROUPS_CAP && p < n) {
      const s = nextSet(bits, p, n);
      if (s >= n) {
        p = n;
        break;
      }
      const e = nextClear(bits, s + 1, n);
      if (e - s <= 2 && s > 1 && u[s - 1] === 32 && unitAt(u, e) !== 32 && SHORT_LEAD[u[s - 2]] === 1) shorts[ns++] = s;
      start[ng] = s;
      end[ng] = e;
      // the first run has lastEnd -10: no separator before it
      sep[ng++] = s - le <= 2 ? sepCode(u, le, s) : 0;
      le = e;
      p = e;
    }
    state[0] = p;
    state[1] = le;
    state[2] = ns;
    return ng;
  },
};

/**
 * Joins the runs into clusters (a run whose separator code is 0 starts one) and drops the clusters that are
 * useless lone runs, moving the runs after them down. Returns the number of clusters; the runs kept are left
 * in kept[0]. Returns from inside its loop.
 */
function clustersIn(u: Uint16Array, groups: number, start: Int32Array, end: Int32Array, sep: Uint8Array, first: Int32Array, last: Int32Array, digits: Int32Array, longest: Int32Array, loneEdges: Uint8Array): number {
  let nc = 0;
  let ng = 0; // runs kept
  for (let g = 0; ; ) {
    if (g >= groups) {
      kept[0] = ng;
      return nc;
    }
    // the cluster of runs g .. h - 1
    let h = g + 1;
    while (h < groups && sep[h] !== 0) h++;
    const s = start[g];
    const e = end[g];
    if (h - g === 1) {
      // a lone run (most of them): kept with its edges, or dropped
      if (!uselessRun(u, s, e)) {
        start[ng] = s;
        end[ng] = e;
        sep[ng] = 0;
        loneEdges[nc] = edgesOf(u, s, e);
        first[nc] = ng;
        last[nc] = ng++;
        longest[nc] = e - s;
        digits[nc++] = e - s;
      }
      g = h;
      continue;
    }
    let cd = 0;
    let cm = 0;
    const cf = ng;
    for (let k = g; k < h; k++) {
      const gs = start[k];
      const ge = end[k];
      start[ng] = gs;
      end[ng] = ge;
      sep[ng++] = k === g ? 0 : sep[k];
      cd += ge - gs;
      if (ge - gs > cm) cm = ge - gs;
    }
    loneEdges[nc] = 0;
    first[nc] = cf;
    last[nc] = ng - 1;
    longest[nc] = cm;
    digits[nc++] = cd;
    g = h;
  }
}

/** The separators of every one-group cluster (shared, frozen: clusters are read-only). */
const LONE_SEPS = Object.freeze(['']) as string[];

/** Cluster objects from the flat form (for recognizers written against `Cluster`). */
export function toClusters(r: DigitRuns): Cluster[] {
  const out: Cluster[] = new Array(r.clusters);
  for (let k = 0; k < r.clusters; k++) {
    const f = r.first[k];
    const m = r.last[k] - f + 1;
    if (m === 1) {
      out[k] = { groups: [{ start: r.start[f], end: r.end[f] }], seps: LONE_SEPS, digits: r.digits[k] };
      continue;
    }
    const groups: Group[] = new Array(m);
    const seps: string[] = new Array(m);
    for (let q = 0; q < m; q++) {
      groups[q] = { start: r.start[f + q], end: r.end[f + q] };
      seps[q] = SEP_STRINGS[q === 0 ? 0 : r.sep[f + q]];
    }
    out[k] = { groups, seps, digits: r.digits[k] };
  }
  return out;
}

export function lexClusters(t: string): Cluster[] {
  return toClusters(lexDigits(t));
}

/**
 * A window of consecutive groups i..j (indices into DigitRuns) inside the cluster whose groups are cf..cl.
 * The digit string is built only when a recognizer reads it (most windows are rejected on length, edges or
 * separators first).
 */
export class Window {
  start: number;
  end: number;
  private _digits: string | null = null;
  constructor(
    readonly t: string,
    readonly r: DigitRuns,
    /** First and last group of the cluster. */
    public cf: number,
    public cl: number,
    public i: number,
    public j: number,
    /** Number of digits in the window. */
    public n: number,
  ) {
    this.start = r.start[i];
    this.end = r.end[j];
  }
  /** Points this window at other groups (scanWindows offers one reused window to `accept`). */
  set(cf: number, cl: number, i: number, j: number, n: number): this {
    this.cf = cf;
    this.cl = cl;
    this.i = i;
    this.j = j;
    this.n = n;
    this.start = this.r.start[i];
    this.end = this.r.end[j];
    this._digits = null;
    return this;
  }
  /** A copy that keeps its groups (what scanWindows hands back for an accepted window). */
  copy(): Window {
    const w = new Window(this.t, this.r, this.cf, this.cl, this.i, this.j, this.n);
    w._digits = this._digits;
    return w;
  }
  /** Char code of the window's k-th digit (from 0), read in place; -1 past the last. */
  digitAt(k: number): number {
    const r = this.r;
    for (let g = this.i; g <= this.j; g++) {
      const len = r.end[g] - r.start[g];
      if (k < len) return this.t.charCodeAt(r.start[g] + k);
      k -= len;
    }
    return -1;
  }
  /** The window's digits without separators. */
  get digits(): string {
    if (this._digits === null) {
      const r = this.r;
      let d = this.t.slice(r.start[this.i], r.end[this.i]);
      for (let k = this.i + 1; k <= this.j; k++) d += this.t.slice(r.start[k], r.end[k]);
      this._digits = d;
    }
    return this._digits;
  }
  /** Number of separators inside the window. */
  get seps(): number {
    return this.j - this.i;
  }
  /** True when every separator inside the window is ' ' or '-' (or, with dot, '.'). */
  sepsSpaceDash(): boolean {
    const sep = this.r.sep;
    for (let k = this.i + 1; k <= this.j; k++) if (sep[k] !== SEP_SPACE && sep[k] !== SEP_DASH) return false;
    return true;
  }
  /** First digit's char code. */
  get first(): number {
    return this.t.charCodeAt(this.start);
  }
}

/** Luhn (mod 10) over the digits of a window, read in place (no string is built). */
export function luhnWindow(w: Window): boolean {
  const { t, r } = w;
  let sum = 0;
  let dbl = false;
  for (let k = w.j; k >= w.i; k--) {
    for (let p = r.end[k] - 1; p >= r.start[k]; p--) {
      let d = t.charCodeAt(p) - 48;
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      dbl = !dbl;
    }
  }
  return sum % 10 === 0;
}

export interface WindowOptions {
  allowDot?: boolean;
  /** Interior groups (all but the first and last) must have at least this many digits. */
  minInnerGroup?: number;
  /** Only windows of exactly this many groups. */
  exactGroups?: number;
  /** Cheap check on group indices (into DigitRuns) before a window is built (e.g. "not inside a longer dotted run"). */
  pre?: (i: number, j: number) => boolean;
  /** Only windows with this many digits are offered to `accept`. */
  minDigits?: number;
  maxDigits?: number;
}

/** Prefix sums of group lengths for the cluster being windowed (scratch: scanWindows is not re-entered). */
let cumScratch = new Int32Array(64);
const NO_OPTS: WindowOptions = {};

/**
 * Longest-first window search in cluster k: for each start group, the longest window accepted by `accept`
 * wins and the search resumes after it. Work per group is bounded by MAX_WINDOW_GROUPS; `accept` sees only
 * windows within [minDigits, maxDigits], longest first (one reused object: `accept` must not keep it).
 * Accepted windows are appended to `res` (as copies).
 */
export function scanWindows(t: string, r: DigitRuns, k: number, accept: (w: Window) => boolean, opts: WindowOptions = NO_OPTS, res: Window[] = []): Window[] {
  visitWindows(t, r, k, accept, opts, (w) => res.push(w.copy()));
  return res;
}

/**
 * The one window of lone run k (a cluster of one group: a quarter of the window searches on mixed text), as
 * visitWindows finds it, without its sums, barriers or search. The callers that loop over clusters call this
 * for lone runs themselves rather than through visitWindows: a call site V8 compiles before it ever ran
 * (`visit` before any lone window was accepted) deoptimizes the function holding it on first use, and
 * visitWindows, large and called only for some clusters, then took the rest of a bench run to be compiled
 * again (its scans up to 1.6 times as long, in about one process of four); a loop over clusters is compiled
 * again at once.
 */
export function visitLone(t: string, r: DigitRuns, k: number, accept: (w: Window) => boolean, opts: WindowOptions, visit: (w: Window) => void): void {
  const d = r.digits[k];
  if (d < (opts.minDigits ?? 1) || d > Math.min(opts.maxDigits ?? MAX_WINDOW_DIGITS, MAX_WINDOW_DIGITS) || (opts.exactGroups ?? 0) > 1) return;
  const cf = r.first[k];
  const pre = opts.pre;
  if (pre && !pre(cf, cf)) return;
  const probe = spareProbe.r === r ? spareProbe : new Window(t, r, cf, cf, cf, cf, 0);
  spareProbe = NO_PROBE; // a nested call (none today) makes its own
  if (accept(probe.set(cf, cf, cf, cf, d))) visit(probe);
  spareProbe = probe;
}

/**
 * scanWindows without the copies: `visit` sees each accepted window (the reused probe, valid only during
 * the call) as soon as it is accepted. For recognizers that turn windows into candidates on the spot.
 */
export function visitWindows(t: string, r: DigitRuns, k: number, accept: (w: Window) => boolean, opts: WindowOptions, visit: (w: Window) => void): void {
  const min = opts.minDigits ?? 1;
  const max = Math.min(opts.maxDigits ?? MAX_WINDOW_DIGITS, MAX_WINDOW_DIGITS);
  if (r.digits[k] < min) return;
  const minInner = opts.minInnerGroup ?? 0;
  // every group shorter than minInnerGroup: no group can be inside a window, so windows have at most two
  // groups (dense short groups, "10.0.0.1 10.0.0.1 ...", then cost nothing per group). Both tests always run
  // (as the larger of two differences): a test V8 compiled before it ever ran deoptimized this function on
  // first use, and it is called too seldom to be compiled again soon (docs/DLP.md, "Slow re-optimization
  // after one deoptimization")
  const longest = r.longest[k];
  if (Math.max(longest - minInner, 2 * longest - min) < 0) return;
  const cf = r.first[k];
  const cl = r.last[k];
  const gs = r.start;
  const ge = r.end;
  const sep = r.sep;
  const n = cl - cf + 1;
  const exact = opts.exactGroups ?? 0;
  const span = exact || MAX_WINDOW_GROUPS;
  const allowDot = opts.allowDot === true;
  const pre = opts.pre;
  // one probe window, re-pointed for each try (`accept` must not keep it), reused from call to call for the
  // same runs (dense input has a cluster, hence a call, every few characters). Runs are compared as objects:
  // they belong to one text, and comparing texts would compare their contents
  const probe = spareProbe.r === r ? spareProbe : new Window(t, r, cf, cl, cf, cf, 0);
  spareProbe = NO_PROBE; // a nested call (none today) makes its own
  // cum[q] = digits in groups cf..cf+q-1, summed in a function of its own: a loop that may run long must not
  // be followed by other code in the same function (docs/DLP.md, "Long loops and V8's on-stack replacement")
  const cum = prefixSums(gs, ge, cf, n);
  // the nearest barrier after i: a dot separator before group q (no window from i reaches q) or a short
  // group q (it can only end a window: reach q + 1). Found by a forward pointer, each group looked at once.
  const barriers = !allowDot || minInner > 0;
  let q = 0;
  let reach = n;
  let i = 0;
  while (i < n) {
    if (barriers && q <= i) {
      reach = n;
      for (q = i + 1; q < n; q++) {
        if (!allowDot && sep[cf + q] === SEP_DOT) {
          reach = q;
          break;
        }
        if (ge[cf + q] - gs[cf + q] < minInner) {
          reach = q + 1;
          break;
        }
      }
    }
    // O(1) skip when even the longest window from i is too short
    if (cum[Math.min(reach, i + span)] - cum[i] < min) {
      i++;
      continue;
    }
    // furthest j allowed by group count, digit budget, separators and interior group size
    let jmax = i;
    for (let j = i + 1; j < n && j - i < span; j++) {
      if (!allowDot && sep[cf + j] === SEP_DOT) break;
      if (cum[j + 1] - cum[i] > max) break;
      if (j - 1 > i && ge[cf + j - 1] - gs[cf + j - 1] < minInner) break;
      jmax = j;
    }
    let next = i + 1;
    // longest first: the first accepted window wins
    for (let j = jmax; j >= i; j--) {
      if (exact && j - i + 1 !== exact) continue;
      const d = cum[j + 1] - cum[i];
      if (d > max) continue;
      if (d < min) break;
      if (pre && !pre(cf + i, cf + j)) continue;
      if (accept(probe.set(cf, cl, cf + i, cf + j, d))) {
        visit(probe);
        next = j + 1;
        break;
      }
    }
    i = next;
  }
  spareProbe = probe;
}

/**
 * Prefix sums of the lengths of groups cf..cf+n-1 (cum[0] = 0), in a scratch array reused from call to call
 * (visitWindows is not re-entered).
 */
function prefixSums(gs: Int32Array, ge: Int32Array, cf: number, n: number): Int32Array {
  if (cumScratch.length <= n) cumScratch = new Int32Array(2 * n + 2);
  const cum = cumScratch;
  cum[0] = 0;
  for (let q = 0; q < n; q++) cum[q + 1] = cum[q] + ge[cf + q] - gs[cf + q];
  return cum;
}

/** A probe pointing at nothing (no text is kept referenced between scans); never handed to a recognizer. */
const NO_PROBE = new Window('', emptyRuns(1, 1), 0, 0, 0, 0, 0);
/** The probe visitWindows left (see there). */
let spareProbe: Window = NO_PROBE;

/** Drops the spare probe window (and with it the text it points into): the engine calls this after a scan. */
export function releaseProbe(): void {
  spareProbe = NO_PROBE;
}
