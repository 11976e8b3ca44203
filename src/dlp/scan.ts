import { lexDigits, toClusters, type Cluster, type DigitRuns } from './lexer.js';
import { normalize, toOriginal, type Normalized } from './normalize.js';
import { builtinRecognizers } from './recognizers/index.js';
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
  private _clusters: Cluster[] | null = null;
  private _lower: string | null = null;
  private _memo: Map<unknown, unknown> | null = null;
  /** `timings`: when given (bench/dlp.ts), each memo computation's CPU ms is recorded under its key. */
  constructor(
    private readonly text: string,
    private readonly timings?: Map<object, number>,
  ) {}
  get runs(): DigitRuns {
    return (this._runs ??= lexDigits(this.text));
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

export type Cand = Candidate & { rec: Recognizer };

/**
 * Overlap resolution: highest score first, then longer span, then type priority, then earlier start;
 * a candidate overlapping an accepted one is dropped. Deterministic for a given input. Overlap checks use
 * a bitmap of claimed positions, so the cost is O(k log k + total candidate length).
 */
/** Claimed-position bitmap, reused across scans (only the ranges set are cleared again): no per-scan allocation. */
let claimed = new Uint8Array(1 << 16);

export function resolve(cands: Cand[], textLength: number): Cand[] {
  if (cands.length <= 1) return cands;
  const sorted = cands.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || (PRIORITY[b.type] ?? 0) - (PRIORITY[a.type] ?? 0) || a.start - b.start || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  // keep at most 4 MB around between scans; a bigger text gets a bitmap of its own
  const bits = textLength <= claimed.length ? claimed : textLength <= 1 << 22 ? (claimed = new Uint8Array(Math.max(textLength, claimed.length * 2))) : new Uint8Array(textLength);
  const kept: Cand[] = [];
  outer: for (const c of sorted) {
    for (let k = c.start; k < c.end; k++) if (bits[k]) continue outer;
    bits.fill(1, c.start, c.end);
    kept.push(c);
  }
  if (bits === claimed) for (const c of kept) bits.fill(0, c.start, c.end);
  return kept.sort((a, b) => a.start - b.start);
}

/** Maps resolved candidates back to original offsets (the last stage of a scan). */
export function toFindings(norm: Normalized, kept: readonly Cand[]): DetailedFinding[] {
  return kept.map((c) => {
    const [start, end] = toOriginal(norm, c.start, c.end);
    return {
      type: c.type,
      start,
      end,
      score: Math.round(c.score * 100) / 100,
      recognizer: c.rec.name,
      explanation: c.why ? `${c.rec.explanation} (${c.why})` : c.rec.explanation,
      canonical: c.canonical ?? norm.text.slice(c.start, c.end),
    };
  });
}

/** Full scan returning canonical values too: for the pseudonymizer, never for reports. */
export function scanDetailed(text: string, opts: ScanOptions = {}): DetailedFinding[] {
  if (text.length === 0) return [];
  const norm = normalize(text);
  const state = new State(norm.text);
  const min = opts.minScore ?? 0.5;
  const types = opts.types ? new Set(opts.types) : null;
  const cands: Cand[] = [];
  for (const rec of opts.recognizers ?? builtinRecognizers) {
    if (types && !rec.types.some((ty) => types.has(ty))) continue;
    for (const c of rec.find(norm.text, state)) {
      if (c.score < min || c.end <= c.start) continue;
      if (types && !types.has(c.type)) continue;
      (c as Cand).rec = rec;
      cands.push(c as Cand);
    }
  }
  return toFindings(norm, resolve(cands, norm.text.length));
}

/** Detects sensitive spans. Offsets index the ORIGINAL text (JavaScript string indices, end exclusive). */
export function scan(text: string, opts: ScanOptions = {}): Finding[] {
  return scanDetailed(text, opts).map(({ canonical: _c, ...f }) => f);
}
