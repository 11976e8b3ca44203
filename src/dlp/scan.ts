import { lexDigits, releaseProbe, spareRuns, toClusters, type Cluster, type DigitRuns } from './lexer.js';
import { newContextScan } from './context.js';
import { normalize, type Normalized } from './normalize.js';
import { builtinRecognizers } from './recognizers/index.js';
import { CandidateStore } from './candidate.js';
import { borrowUtf16, classesOf, giveBack, utf16 } from './codes.js';
import type { CharClasses } from './classes.js';
import { cjkRuns, cjkRunsIfNormal, spareCjkRuns, type CjkRuns } from './cjk.js';
import type { EntityType, Finding, Recognizer, ScanState } from './types.js';

export interface ScanOptions {
  /** Recognizers to run (default: all built-in ones). Add organisation terms with `termRecognizer`. */
  recognizers?: readonly Recognizer[];
  /** Only report these types (default: all). */
  types?: readonly EntityType[];
  /** Minimum score to report (default 0.5). */
  minScore?: number;
}

/** A finding plus its canonical value; internal to the engine (values never leave through `scan`). */
export interface DetailedFinding extends Finding {
  canonical: string;
}

/** Per-scan memo of shared lexing passes (exported for bench/dlp.ts's per-stage breakdown). */
export class State implements ScanState {
  private _runs: DigitRuns | null = null;
  private _cjk: CjkRuns | null;
  private _codes: Uint16Array | null;
  private _classes: CharClasses | null;
  private _clusters: Cluster[] | null = null;
  private _lower: string | null = null;
  private _memo: { keys: object[]; values: unknown[] } | null = null;
  /** This scan's candidates. */
  readonly store = new CandidateStore();
  private recIndex = -1;
  /** `timings`: when given (bench/dlp.ts), each memo computation's CPU ms is recorded under its key. */
  constructor(
    readonly text: string,
    private readonly timings?: Map<object, number>,
    /** CJK runs already found (by the scan's first pass, see cjkRunsIfNormal). */
    cjk: CjkRuns | null = null,
    private readonly minScore = 0.5,
    private readonly types: ReadonlySet<EntityType> | null = null,
    /** The text's code units, when already made (codes.ts). */
    codes: Uint16Array | null = null,
    /** Their class bitmaps, when already made (codes.ts, classes.ts). */
    classes: CharClasses | null = null,
  ) {
    this._cjk = cjk;
    this._codes = codes;
    this._classes = classes;
    newContextScan(text, codes, classes?.wordy ?? null);
  }
  /**
   * Set by the engine for the state of one scan (`collect`): shared passes then reuse arrays kept from the
   * previous scan, and `release` keeps this scan's for the next one.
   */
  pooled = false;
  /** The scan is over: its arrays may be reused by the next scan (only for `pooled` states). */
  release(): void {
    if (!this.pooled) return;
    if (this._runs) spareRuns(this._runs);
    if (this._cjk) spareCjkRuns(this._cjk);
  }
  /** A state sharing this one's computed passes, with an empty candidate store (bench/dlp.ts's per-recognizer rows). */
  fork(): State {
    const f = new State(this.text, this.timings, this._cjk, this.minScore, this.types, this._codes, this._classes);
    f._runs = this._runs;
    f._clusters = this._clusters;
    f._lower = this._lower;
    f._memo = this._memo;
    return f;
  }
  /** The recognizer whose candidates `emit` records from now on. */
  begin(rec: Recognizer): void {
    const recs = this.store.recs;
    // a scan begins each recognizer once: a new one is appended without searching the list (a recognizer
    // listed twice costs nothing; the list is searched only once it is as long as a candidate's index allows)
    let i = recs.length > 0 && recs[recs.length - 1] === rec ? recs.length - 1 : -1;
    if (i < 0 && recs.length >= 0xffff) i = recs.indexOf(rec);
    if (i < 0) i = recs.push(rec) - 1;
    this.recIndex = i;
  }
  emit(type: EntityType, start: number, end: number, score: number, why?: string, canonical?: string): void {
    if (score < this.minScore || end <= start || (this.types !== null && !this.types.has(type))) return;
    if (this.recIndex < 0) throw new Error('ScanState.emit outside a recognizer run');
    this.store.add(type, start, end, score, why, canonical, this.recIndex);
  }
  get runs(): DigitRuns {
    // the scan's engine hands the arrays back once it is over (release), for the next scan to reuse
    return (this._runs ??= lexDigits(this.text, this.pooled, this.codes, this.classes));
  }
  get cjk(): CjkRuns {
    return (this._cjk ??= cjkRuns(this.text, this.codes, this.pooled, this.classes));
  }
  get codes(): Uint16Array {
    return (this._codes ??= utf16(this.text));
  }
  get classes(): CharClasses {
    return (this._classes ??= classesOf(this.codes));
  }
  get clusters(): Cluster[] {
    return (this._clusters ??= toClusters(this.runs));
  }
  memo<T>(key: object, compute: (text: string) => T): T {
    // the same pass is often asked for many times in a row (each token rule asks for the prefix pass)
    if (key === this.lastMemoKey) return this.lastMemoValue as T;
    // a scan has a handful of shared passes: a short list, searched in order, costs less than a map per scan
    const m = (this._memo ??= { keys: [], values: [] });
    const k = m.keys.indexOf(key);
    if (k >= 0) {
      this.lastMemoKey = key;
      this.lastMemoValue = m.values[k];
      return m.values[k] as T;
    }
    const c = this.timings ? process.cpuUsage() : null;
    const v = compute(this.text);
    if (c) {
      const d = process.cpuUsage(c);
      this.timings!.set(key, (d.user + d.system) / 1000);
    }
    m.keys.push(key);
    m.values.push(v);
    this.lastMemoKey = key;
    this.lastMemoValue = v;
    return v;
  }
  private lastMemoKey: object | null = null;
  private lastMemoValue: unknown = undefined;
  get lower(): string {
    return (this._lower ??= this.text.toLowerCase());
  }
}

/**
 * Tie-break order when two overlapping candidates have the same score: the more specific,
 * checksum-validated type wins.
 */
const PRIORITY: Record<string, number> = {
  SECRET: 12, CN_ID_CARD: 11, CN_USCC: 10, BANK_CARD: 9, EMAIL: 8, IP_ADDRESS: 7, CN_MOBILE: 6, PASSPORT: 5, CN_LICENSE_PLATE: 4, PHONE: 3, ADDRESS: 2, PERSON: 1,
};

/**
 * The array `resolve` returns its result in for the engine's own scans (`pooled`): the result is read before
 * the next scan begins. Not more than 256 K entries are kept between scans.
 */
let keptPool = new Int32Array(0);

/** What resolve returns for a text without candidates (shared, never written). */
const NOTHING = new Int32Array(0);

/** Claimed-position bitmap for large overlap groups, reused across scans (only the ranges set are cleared again). */
let claimed = new Uint8Array(1 << 16);

/**
 * Overlap resolution over a scan's candidates: highest score first, then longer span, then type priority,
 * then earlier start, then type name (and, all else equal, the candidate proposed first); a candidate
 * overlapping an accepted one is dropped. Deterministic for a given input. Returns the kept candidates'
 * indices in text order.
 *
 * Whether a candidate is kept depends only on the candidates it overlaps, so candidates are first ordered by
 * position (no sort when they already come in text order, as one recognizer's usually do) and split into
 * groups of transitively overlapping spans; most groups hold one candidate and are kept as they are, the
 * others are resolved by the priority order on their own (a short list check, or a bitmap of claimed
 * positions for large groups). O(k log k + total candidate length). With `pooled` (the engine's own scans)
 * the result is a view of an array kept between scans (see keptPool).
 */
export function resolve(c: CandidateStore, textLength: number, pooled = false): Int32Array {
  const n = c.n;
  if (n <= 1) return n === 0 ? NOTHING : Int32Array.of(0);
  const { start: st, end: en } = c;
  const order = positionOrder(c);
  let kept: Int32Array;
  if (pooled && n <= 1 << 18) kept = keptPool.length >= n ? keptPool : (keptPool = new Int32Array(Math.max(n, 256)));
  else kept = new Int32Array(n);
  let nk = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    let maxEnd = en[order[i]];
    while (j < n && st[order[j]] < maxEnd) {
      if (en[order[j]] > maxEnd) maxEnd = en[order[j]];
      j++;
    }
    if (j === i + 1) kept[nk++] = order[i];
    else nk = resolveGroup(c, order, i, j, kept, nk, textLength);
    i = j;
  }
  return kept.subarray(0, nk);
}

/** Before: by start, then end, then index (the order candidates were proposed in). */
function before(st: Int32Array, en: Int32Array, a: number, b: number): boolean {
  return st[a] < st[b] || (st[a] === st[b] && (en[a] < en[b] || (en[a] === en[b] && a < b)));
}

/** positionOrder's two working arrays, kept between calls (its result is read only by resolve, before the next call). */
let orderA = new Int32Array(0);
let orderB = new Int32Array(0);

/**
 * Candidate indices by (start, end, index), in the first c.n entries of the returned array. Each recognizer's
 * candidates usually come in that order already: the ascending runs of the proposal order are merged
 * pairwise (a natural merge sort), O(n log runs) integer comparisons instead of a comparator call per
 * comparison of a global sort.
 */
function positionOrder(c: CandidateStore): Int32Array {
  const n = c.n;
  if (orderA.length < n) {
    // a text's candidates may be many (a megabyte of numbers): not more than 256 K entries are kept between scans
    const cap = Math.max(n, 256);
    if (cap > 1 << 18) return positionOrderIn(c, new Int32Array(n), new Int32Array(n));
    orderA = new Int32Array(cap);
    orderB = new Int32Array(cap);
  }
  return positionOrderIn(c, orderA, orderB);
}

/** positionOrder with working arrays `a` and `b` (at least c.n long); returns one of them. */
function positionOrderIn(c: CandidateStore, a: Int32Array, b: Int32Array): Int32Array {
  const n = c.n;
  const { start: st, end: en } = c;
  // ascending runs of the proposal order [segs[s], segs[s + 1]): each recognizer's candidates make one run or
  // a few (PERSON gives its Chinese names, then its Latin ones), and the runs are merged pairwise
  let segs = ascendingRuns(st, en, a, n);
  segs.push(n);
  while (segs.length > 2) {
    const next: number[] = [];
    for (let s = 0; s + 1 < segs.length; s += 2) {
      const lo = segs[s];
      const mid = segs[s + 1];
      const hi = s + 2 < segs.length ? segs[s + 2] : mid;
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) b[o++] = before(st, en, a[j], a[i]) ? a[j++] : a[i++];
      while (i < mid) b[o++] = a[i++];
      while (j < hi) b[o++] = a[j++];
      next.push(lo);
    }
    next.push(n);
    const t = a;
    a = b;
    b = t;
    segs = next;
  }
  return a;
}

/**
 * Writes the proposal order 0..n-1 into `a` and returns where its ascending runs (by position) start. A
 * function of its own, with nothing after its loop: code after a loop that may run long is what V8's
 * on-stack replacement leaves stale (docs/DLP.md, "Long loops and V8's on-stack replacement").
 */
function ascendingRuns(st: Int32Array, en: Int32Array, a: Int32Array, n: number): number[] {
  const bounds: number[] = [0];
  a[0] = 0;
  for (let k = 1; k < n; k++) {
    a[k] = k;
    if (before(st, en, k, k - 1)) bounds.push(k);
  }
  return bounds;
}

/**
 * True when candidate a ranks before b in the resolution order: higher score, then longer span, then type
 * priority, then earlier start, then type name, then the one proposed first.
 */
function ranksBefore(c: CandidateStore, a: number, b: number): boolean {
  const { start: st, end: en, score: sc } = c;
  if (sc[a] !== sc[b]) return sc[a] > sc[b];
  const la = en[a] - st[a];
  const lb = en[b] - st[b];
  if (la !== lb) return la > lb;
  const ta = c.type(a);
  const tb = c.type(b);
  if (ta !== tb) {
    const pa = PRIORITY[ta] ?? 0;
    const pb = PRIORITY[tb] ?? 0;
    if (pa !== pb) return pa > pb;
  }
  if (st[a] !== st[b]) return st[a] < st[b];
  if (ta !== tb) return ta < tb;
  return a < b;
}

/**
 * Greedy resolution of one group of overlapping candidates: the indices order[i, j) (by position); appends
 * the kept ones to `out` (from `nk` on) by start and returns the new count. A group of two (a checksum type
 * and a phone on the same digits, the commonest overlap) is one comparison, with nothing allocated.
 */
function resolveGroup(c: CandidateStore, order: Int32Array, i: number, j: number, out: Int32Array, nk: number, textLength: number): number {
  if (j - i === 2) {
    // two candidates in one group overlap each other: the better one is kept
    out[nk++] = ranksBefore(c, order[i + 1], order[i]) ? order[i + 1] : order[i];
    return nk;
  }
  const { start: st, end: en } = c;
  const group = Array.from(order.subarray(i, j));
  group.sort((a, b) => (ranksBefore(c, a, b) ? -1 : ranksBefore(c, b, a) ? 1 : 0));
  const kept: number[] = [];
  if (group.length <= 32) {
    outer: for (const x of group) {
      for (const k of kept) if (st[x] < en[k] && st[k] < en[x]) continue outer;
      kept.push(x);
    }
  } else {
    // keep at most 4 MB around between scans; a bigger text gets a bitmap of its own
    const bits = textLength <= claimed.length ? claimed : textLength <= 1 << 22 ? (claimed = new Uint8Array(Math.max(textLength, claimed.length * 2))) : new Uint8Array(textLength);
    outer: for (const x of group) {
      for (let k = st[x]; k < en[x]; k++) if (bits[k]) continue outer;
      bits.fill(1, st[x], en[x]);
      kept.push(x);
    }
    if (bits === claimed) for (const x of kept) bits.fill(0, st[x], en[x]);
  }
  kept.sort((a, b) => st[a] - st[b]);
  for (const x of kept) out[nk++] = x;
  return nk;
}

/** "explanation (why)" strings, built once per recognizer and reason. */
const EXPLANATIONS = new WeakMap<Recognizer, Map<string, string>>();
function explain(rec: Recognizer, why: string | undefined): string {
  if (!why) return rec.explanation;
  let m = EXPLANATIONS.get(rec);
  if (!m) EXPLANATIONS.set(rec, (m = new Map()));
  let e = m.get(why);
  if (e === undefined) {
    e = `${rec.explanation} (${why})`;
    if (m.size < 256) m.set(why, e); // reasons are a small fixed set; bounded anyway
  }
  return e;
}

/**
 * Reported scores (two decimals), one number object per value, shared by all findings. A finding's score
 * field then points at one of these instead of holding a number box of its own: a megabyte of addresses
 * or card numbers (~100 K findings) allocates half as many objects (ipv4-quads: 8.9 MB per scan instead of
 * 10.8). Two things keep it so in V8: the table holds its numbers as references (it started with a
 * non-number), and the findings' score field is generalized to hold any value (the objects made below), so
 * that a store keeps the reference rather than boxing the number again. Neither changes a result; without
 * them each finding simply gets its own box again.
 */
const SCORES: unknown[] = [null];
for (let k = 0; k <= 100; k++) SCORES[k] = k / 100;
/**
 * The findings' shapes with a non-number score, made before any real finding (see SCORES). Exported only so
 * that they stay referenced: V8 keeps a generalized shape while some object has it.
 */
export const FINDING_SHAPE_PROBES: readonly object[] = Object.freeze([
  { type: '', start: 0, end: 0, score: null, recognizer: '', explanation: '' },
  { type: '', start: 0, end: 0, score: null, recognizer: '', explanation: '', canonical: '' },
]);

/** A score rounded to two decimals, as a shared number where it is in [0, 1]. */
function reportedScore(x: number): number {
  const k = Math.round(x * 100);
  return k >= 0 && k <= 100 ? (SCORES[k] as number) : k / 100;
}

/**
 * Maps resolved candidates back to original offsets (the last stage of a scan). With `canonical`, each
 * finding also carries its canonical value (for the pseudonymizer; never for reports).
 */
export function toFindings(norm: Normalized, c: CandidateStore, kept: Int32Array): DetailedFinding[];
export function toFindings(norm: Normalized, c: CandidateStore, kept: Int32Array, canonical: false): Finding[];
export function toFindings(norm: Normalized, c: CandidateStore, kept: Int32Array, canonical = true): Finding[] {
  const m = norm.map;
  // grown by push, not made with new Array(kept.length): V8's optimized code makes such an array only up to
  // about 16 K elements and deoptimizes beyond, and a function called once per scan then stayed unoptimized
  // for many scans after one text with more findings (docs/DLP.md, "Slow re-optimization after one
  // deoptimization")
  const out: Finding[] = [];
  // consecutive findings mostly come from the same recognizer with the same reason: their name and
  // explanation are looked up once per change
  let lastRec = -1;
  let lastWhy = -1;
  let name = '';
  let explanation = '';
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k];
    const s = c.start[i];
    const e = c.end[i];
    const ri = c.rec[i];
    const wi = c.whyIndex[i];
    if (ri !== lastRec || wi !== lastWhy) {
      const rec = c.recs[ri];
      name = rec.name;
      explanation = explain(rec, c.why(i));
      lastRec = ri;
      lastWhy = wi;
    }
    const type = c.type(i);
    const start = m ? m[s] : s;
    const end = m ? (e > s ? m[e - 1] + 1 : m[s]) : e;
    const score = reportedScore(c.score[i]);
    out.push(
      canonical
        ? ({ type, start, end, score, recognizer: name, explanation, canonical: (i < c.canonical.length ? c.canonical[i] : undefined) ?? norm.text.slice(s, e) } as DetailedFinding)
        : { type, start, end, score, recognizer: name, explanation },
    );
  }
  return out;
}

/**
 * Runs the recognizers over a normalized text into one candidate store: candidates emitted through the
 * state go straight in, returned ones are copied in as soon as their recognizer returns (and are garbage
 * from then on). Exported for bench/dlp.ts.
 */
export function runRecognizers(state: State, recognizers: readonly Recognizer[], types: ReadonlySet<EntityType> | null): void {
  for (const rec of recognizers) {
    if (types && !rec.types.some((ty) => types.has(ty))) continue;
    state.begin(rec);
    const found = rec.find(state.text, state);
    for (let k = 0; k < found.length; k++) {
      const x = found[k];
      state.emit(x.type, x.start, x.end, x.score, x.why, x.canonical);
    }
  }
}

/** Normalizes, runs the recognizers and resolves overlaps. */
function collect(text: string, opts: ScanOptions): { norm: Normalized; store: CandidateStore; kept: Int32Array } {
  // the text's code units, in memory kept between scans (given back below)
  let codes = borrowUtf16(text);
  let state: State | null = null;
  try {
    // the class bitmaps, then one first pass over them answers both "does it need normalizing" and "where are
    // the CJK runs"
    let classes = classesOf(codes);
    const cjk = cjkRunsIfNormal(text, codes, true, classes);
    let norm: Normalized = { text, map: null };
    if (!cjk) {
      // the normalized text's code units and classes take the place of the original's
      norm = normalize(text);
      giveBack(codes);
      codes = borrowUtf16(norm.text);
      classes = classesOf(codes);
    }
    const types = opts.types ? new Set(opts.types) : null;
    state = new State(norm.text, undefined, cjk, opts.minScore ?? 0.5, types, codes, classes);
    state.pooled = true;
    runRecognizers(state, opts.recognizers ?? builtinRecognizers, types);
    return { norm, store: state.store, kept: resolve(state.store, norm.text.length, true) };
  } finally {
    state?.release();
    giveBack(codes);
    // module-level caches point into the text: nothing of it stays referenced once the scan is over
    newContextScan();
    releaseProbe();
  }
}

/** One pass of the engine over the whole text (what `scan` does for texts up to STRETCHED_ABOVE code units). */
function scanInOnePass(text: string, opts: ScanOptions, canonical: boolean): Finding[] {
  if (text.length === 0) return [];
  const { norm, store, kept } = collect(text, opts);
  const out = canonical ? toFindings(norm, store, kept) : toFindings(norm, store, kept, false);
  store.release();
  return out;
}

/**
 * Long texts are scanned in stretches of about STRETCH code units: every recognizer then works on a stretch
 * whose code units, bitmaps and string stay in the processor's caches, where one pass over a text of several
 * megabytes waits on memory in each recognizer (a 4 M-char text took a fifth longer whole than cut in 256 K
 * parts, measured; see docs/DLP.md). Each stretch is scanned in a window reaching MARGIN code units into its
 * neighbours, and owns the findings that start inside it. Around each cut, the two windows overlapping
 * there must report exactly the same findings over the middle of their overlap (a zone of MARGIN around
 * the cut): a finding longer than the zone, or any state a recognizer carries further than that (a cluster
 * of digits running on for kilobytes), shows as a difference, and the text is then scanned in one pass
 * after all. The result equals the one-pass scan; tests hold them equal on long mixed texts, the evaluation
 * texts and every pathological input.
 */
export const STRETCH = 1 << 18;
export const MARGIN = 1 << 13;
/**
 * Texts up to this many code units are scanned in one pass: up to about this size a text's passes still
 * find it in the last-level cache, and stretches gained nothing (a 1.5 M-char text measured the same both
 * ways; 2 M and 3 M chars up to a fifth faster in stretches, 4 M about a fifth).
 */
export const STRETCHED_ABOVE = 3 << 19;

/**
 * Recognizers whose decisions depend on the text near the spans they report (within a few kilobytes), so
 * that a scan with only these may run in stretches: the built-in ones and organisation terms. A scan with
 * any other recognizer (ScanOptions.recognizers) runs in one pass.
 */
const LOCAL = new WeakSet<Recognizer>(builtinRecognizers);
/** Declares a recognizer local (see LOCAL): for recognizers made by the engine's own modules, and tests. */
export function declareLocal(rec: Recognizer): Recognizer {
  LOCAL.add(rec);
  return rec;
}

/** How often the stretched scan fell back to one pass (for tests and the bench). */
export const stretchStats = { stretched: 0, fellBack: 0 };

function sameFinding(a: Finding, b: Finding): boolean {
  return (
    a.start === b.start &&
    a.end === b.end &&
    a.type === b.type &&
    a.score === b.score &&
    a.recognizer === b.recognizer &&
    a.explanation === b.explanation &&
    (a as DetailedFinding).canonical === (b as DetailedFinding).canonical
  );
}

/** The findings of `f` that overlap [from, to), in order. */
function touching(f: readonly Finding[], from: number, to: number): Finding[] {
  const out: Finding[] = [];
  for (const x of f) if (x.end > from && x.start < to) out.push(x);
  return out;
}

/** The stretched scan (see STRETCH), or null when two windows disagree around a cut. */
function scanInStretches(text: string, opts: ScanOptions, canonical: boolean): Finding[] | null {
  const n = text.length;
  const k = Math.ceil(n / STRETCH);
  const half = MARGIN >> 1;
  const out: Finding[] = [];
  let prev: Finding[] = [];
  for (let i = 0; i < k; i++) {
    const a = Math.round((i * n) / k);
    const b = Math.round(((i + 1) * n) / k);
    const from = Math.max(0, a - MARGIN);
    const f = scanInOnePass(text.slice(from, Math.min(n, b + MARGIN)), opts, canonical);
    if (from > 0)
      for (const x of f) {
        x.start += from;
        x.end += from;
      }
    if (i > 0) {
      // the previous window and this one over the zone around the cut at a: the same findings, or no result
      const p = touching(prev, a - half, a + half);
      const q = touching(f, a - half, a + half);
      if (p.length !== q.length) return null;
      for (let j = 0; j < p.length; j++) if (!sameFinding(p[j], q[j])) return null;
      for (const x of prev) if (x.start < a) out.push(x);
    }
    // this window owns the findings from its cut on (the next window's cut ends its share, above)
    prev = i > 0 ? f.filter((x) => x.start >= a) : f;
  }
  for (const x of prev) out.push(x);
  return out;
}

function findings(text: string, opts: ScanOptions, canonical: boolean): Finding[] {
  if (text.length <= STRETCHED_ABOVE || (opts.recognizers && !opts.recognizers.every((r) => LOCAL.has(r)))) return scanInOnePass(text, opts, canonical);
  stretchStats.stretched++;
  const f = scanInStretches(text, opts, canonical);
  if (f !== null) return f;
  stretchStats.fellBack++;
  return scanInOnePass(text, opts, canonical);
}

/** Full scan returning canonical values too: for the pseudonymizer, never for reports. */
export function scanDetailed(text: string, opts: ScanOptions = {}): DetailedFinding[] {
  return findings(text, opts, true) as DetailedFinding[];
}

/** Detects sensitive spans. Offsets index the ORIGINAL text (JavaScript string indices, end exclusive). */
export function scan(text: string, opts: ScanOptions = {}): Finding[] {
  return findings(text, opts, false);
}

/** The scan of `text` in one pass over all of it, never in stretches (tests and bench/dlp.ts compare the two). */
export function scanWhole(text: string, opts: ScanOptions = {}, canonical = false): Finding[] {
  return scanInOnePass(text, opts, canonical);
}
