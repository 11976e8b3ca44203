import { lexDigits, toClusters, type Cluster, type DigitRuns } from './lexer.js';
import { normalize, type Normalized } from './normalize.js';
import { builtinRecognizers } from './recognizers/index.js';
import { Cand } from './candidate.js';
import { cjkRuns, cjkRunsIfNormal, type CjkRuns } from './cjk.js';
import type { Candidate, EntityType, Finding, Recognizer, ScanState } from './types.js';

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
  private _clusters: Cluster[] | null = null;
  private _lower: string | null = null;
  private _memo: Map<unknown, unknown> | null = null;
  /** `timings`: when given (bench/dlp.ts), each memo computation's CPU ms is recorded under its key. */
  constructor(
    private readonly text: string,
    private readonly timings?: Map<object, number>,
    /** CJK runs already found (by the scan's first pass, see cjkRunsIfNormal). */
    cjk: CjkRuns | null = null,
  ) {
    this._cjk = cjk;
  }
  get runs(): DigitRuns {
    return (this._runs ??= lexDigits(this.text));
  }
  get cjk(): CjkRuns {
    return (this._cjk ??= cjkRuns(this.text));
  }
  get clusters(): Cluster[] {
    return (this._clusters ??= toClusters(this.runs));
  }
  memo<T>(key: object, compute: (text: string) => T): T {
    const m = (this._memo ??= new Map());
    if (m.has(key)) return m.get(key) as T;
    const c = this.timings ? process.cpuUsage() : null;
    const v = compute(this.text);
    if (c) {
      const d = process.cpuUsage(c);
      this.timings!.set(key, (d.user + d.system) / 1000);
    }
    m.set(key, v);
    return v;
  }
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

/** A candidate with its recognizer (the engine's one candidate shape: see candidate.ts). */
export { Cand };

/** The candidate as the engine keeps it: built-in recognizers' `cand` objects as they are, others copied. */
export function toCand(c: Candidate, rec: Recognizer): Cand {
  const k = c instanceof Cand ? c : new Cand(c.type, c.start, c.end, c.score, c.why, c.canonical);
  k.rec = rec;
  return k;
}

/** The original order: highest score first, then longer span, then type priority, then earlier start, then type name. */
const byPriority = (a: Cand, b: Cand): number =>
  b.score - a.score || b.end - b.start - (a.end - a.start) || (PRIORITY[b.type] ?? 0) - (PRIORITY[a.type] ?? 0) || a.start - b.start || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);

/** Claimed-position bitmap for large overlap groups, reused across scans (only the ranges set are cleared again). */
let claimed = new Uint8Array(1 << 16);

/**
 * Overlap resolution: highest score first, then longer span, then type priority, then earlier start;
 * a candidate overlapping an accepted one is dropped. Deterministic for a given input.
 *
 * Whether a candidate is kept depends only on the candidates it overlaps, so candidates are first sorted by
 * position and split into groups of transitively overlapping spans; most groups hold one candidate and are
 * kept as they are, the others are resolved by the priority order on their own (a short list check, or a
 * bitmap of claimed positions for large groups). O(k log k + total candidate length).
 */
export function resolve(cands: Cand[], textLength: number): Cand[] {
  const n = cands.length;
  if (n <= 1) return cands;
  // one recognizer's candidates usually come in text order: sort only when they do not (stable: equal
  // spans keep their order either way)
  for (let k = 1; k < n; k++) {
    const a = cands[k - 1];
    const b = cands[k];
    if (a.start > b.start || (a.start === b.start && a.end > b.end)) {
      cands.sort((x, y) => x.start - y.start || x.end - y.end);
      break;
    }
  }
  // the kept list is built from the first overlap on: with none (dense single-type input), `cands` is the answer
  let kept: Cand[] | null = null;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    let maxEnd = cands[i].end;
    while (j < n && cands[j].start < maxEnd) {
      if (cands[j].end > maxEnd) maxEnd = cands[j].end;
      j++;
    }
    if (j === i + 1) {
      if (kept) kept.push(cands[i]);
    } else {
      kept ??= cands.slice(0, i);
      resolveGroup(cands.slice(i, j), kept, textLength);
    }
    i = j;
  }
  return kept ?? cands;
}

/** Greedy resolution of one group of overlapping candidates; appends the kept ones to `out` by start. */
function resolveGroup(group: Cand[], out: Cand[], textLength: number): void {
  group.sort(byPriority);
  const kept: Cand[] = [];
  if (group.length <= 32) {
    outer: for (const c of group) {
      for (const k of kept) if (c.start < k.end && k.start < c.end) continue outer;
      kept.push(c);
    }
  } else {
    // keep at most 4 MB around between scans; a bigger text gets a bitmap of its own
    const bits = textLength <= claimed.length ? claimed : textLength <= 1 << 22 ? (claimed = new Uint8Array(Math.max(textLength, claimed.length * 2))) : new Uint8Array(textLength);
    outer: for (const c of group) {
      for (let k = c.start; k < c.end; k++) if (bits[k]) continue outer;
      bits.fill(1, c.start, c.end);
      kept.push(c);
    }
    if (bits === claimed) for (const c of kept) bits.fill(0, c.start, c.end);
  }
  kept.sort((a, b) => a.start - b.start);
  for (const c of kept) out.push(c);
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
 * Maps resolved candidates back to original offsets (the last stage of a scan). With `canonical`, each
 * finding also carries its canonical value (for the pseudonymizer; never for reports).
 */
export function toFindings(norm: Normalized, kept: readonly Cand[]): DetailedFinding[];
export function toFindings(norm: Normalized, kept: readonly Cand[], canonical: false): Finding[];
export function toFindings(norm: Normalized, kept: readonly Cand[], canonical = true): Finding[] {
  const m = norm.map;
  const out: Finding[] = new Array(kept.length);
  for (let k = 0; k < kept.length; k++) {
    const c = kept[k];
    const f: Finding = {
      type: c.type,
      start: m ? m[c.start] : c.start,
      end: m ? (c.end > c.start ? m[c.end - 1] + 1 : m[c.start]) : c.end,
      score: Math.round(c.score * 100) / 100,
      recognizer: c.rec!.name,
      explanation: explain(c.rec!, c.why),
    };
    if (canonical) (f as DetailedFinding).canonical = c.canonical ?? norm.text.slice(c.start, c.end);
    out[k] = f;
  }
  return out;
}

/** True when every candidate is a `Cand` that passes the score, span and type filters (the list can be used as it is). */
function usable(found: Candidate[], min: number, types: Set<EntityType> | null): boolean {
  for (let k = 0; k < found.length; k++) {
    const c = found[k];
    if (!(c instanceof Cand) || c.score < min || c.end <= c.start || (types && !types.has(c.type))) return false;
  }
  return true;
}

/** Normalizes, runs the recognizers and resolves overlaps: candidates in normalized coordinates. */
function collect(text: string, opts: ScanOptions): { norm: Normalized; kept: Cand[] } {
  // one first pass answers both "does it need normalizing" and "where are the CJK runs"
  const cjk = cjkRunsIfNormal(text);
  const norm: Normalized = cjk ? { text, map: null } : normalize(text);
  const state = new State(norm.text, undefined, cjk);
  const min = opts.minScore ?? 0.5;
  const types = opts.types ? new Set(opts.types) : null;
  // candidates of all recognizers in one list; while only one recognizer has any, its own array is the list
  // (no copy: dense single-type input, a long list of IPs or numbers, is the costly case)
  let cands: Cand[] = [];
  let own = false;
  for (const rec of opts.recognizers ?? builtinRecognizers) {
    if (types && !rec.types.some((ty) => types.has(ty))) continue;
    const found = rec.find(norm.text, state);
    if (found.length === 0) continue;
    if (cands.length === 0 && usable(found, min, types)) {
      for (let k = 0; k < found.length; k++) (found[k] as Cand).rec = rec;
      cands = found as Cand[];
      continue;
    }
    if (!own) {
      cands = cands.slice();
      own = true;
    }
    for (const c of found) {
      if (c.score < min || c.end <= c.start) continue;
      if (types && !types.has(c.type)) continue;
      cands.push(toCand(c, rec));
    }
  }
  return { norm, kept: resolve(cands, norm.text.length) };
}

/** Full scan returning canonical values too: for the pseudonymizer, never for reports. */
export function scanDetailed(text: string, opts: ScanOptions = {}): DetailedFinding[] {
  if (text.length === 0) return [];
  const { norm, kept } = collect(text, opts);
  return toFindings(norm, kept);
}

/** Detects sensitive spans. Offsets index the ORIGINAL text (JavaScript string indices, end exclusive). */
export function scan(text: string, opts: ScanOptions = {}): Finding[] {
  if (text.length === 0) return [];
  const { norm, kept } = collect(text, opts);
  return toFindings(norm, kept, false);
}
