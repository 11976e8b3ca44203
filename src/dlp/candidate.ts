import { growF64, growI32, growU16 } from './grow.js';
import type { Candidate, EntityType, Recognizer } from './types.js';

/**
 * A candidate object of one shape (made by `cand`), for recognizers that return candidates instead of
 * emitting them (ADDRESS edits its own while it works). The engine copies returned candidates into the
 * scan's CandidateStore as soon as their recognizer returns.
 */
export class Cand implements Candidate {
  constructor(
    public type: EntityType,
    public start: number,
    public end: number,
    public score: number,
    public why: string | undefined,
    /** Canonical value; undefined means the span's own (normalized) text, sliced only when needed. */
    public canonical: string | undefined,
  ) {}
}

/** A candidate span in normalized coordinates; leave `canonical` out when it is the span's text. */
export function cand(type: EntityType, start: number, end: number, score: number, why?: string, canonical?: string): Cand {
  return new Cand(type, start, end, score, why, canonical);
}

const NO_I32 = new Int32Array(0);
const NO_U16 = new Uint16Array(0);
const NO_F64 = new Float64Array(0);

/**
 * The candidates of one scan in flat arrays, one entry per candidate: recognizers emit into it
 * (ScanState.emit) or return objects that the engine copies in as soon as their recognizer returns. Flat
 * arrays instead of one object per candidate keep dense inputs (a megabyte of IP addresses or card numbers,
 * ~100 K candidates) from filling the young generation with long-lived objects the collector must copy.
 */
export class CandidateStore {
  n = 0;
  // shared empty arrays until the first candidate (most texts a gateway scans have none): nothing is
  // allocated for a text without candidates
  start = NO_I32;
  end = NO_I32;
  score = NO_F64;
  /** Index into `recs`. */
  rec = NO_U16;
  /** Index into `types`. */
  typeIndex = NO_U16;
  /** Index of the reason: into the shared table (`whyId`), or past its bound into this store's own. */
  whyIndex = NO_I32;
  /** Distinct types of this scan (a few: candidates hold their index, not a pointer). */
  readonly types: EntityType[] = [];
  /** Reasons beyond the shared table's bound (see `whyId`), and their ids. */
  private ownWhys: Array<string | undefined> | null = null;
  private ownWhyIds: Map<string | undefined, number> | null = null;
  /** Reason and id of the last candidate added (none yet: undefined, whose id is 0). */
  private lastWhy: string | undefined = undefined;
  private lastWhyId = 0;
  /** Canonical values where given (holes elsewhere: most candidates' canonical value is their text). */
  readonly canonical: Array<string | undefined> = [];
  /** The recognizers of this scan, by index. */
  readonly recs: Recognizer[] = [];

  add(type: EntityType, start: number, end: number, score: number, why: string | undefined, canonical: string | undefined, rec: number): void {
    const i = this.n;
    if (i === this.start.length) this.grow();
    this.start[i] = start;
    this.end[i] = end;
    this.score[i] = score;
    this.rec[i] = rec;
    let ti = this.types.length - 1;
    if (ti < 0 || this.types[ti] !== type) {
      ti = this.types.indexOf(type);
      if (ti < 0) ti = this.types.push(type) - 1;
    }
    this.typeIndex[i] = ti;
    // a recognizer usually gives the same reason many times in a row: the last one is checked first
    if (why !== this.lastWhy) {
      this.lastWhy = why;
      this.lastWhyId = whyId(why);
      if (this.lastWhyId < 0) {
        const own = (this.ownWhyIds ??= new Map());
        let k = own.get(why);
        if (k === undefined) own.set(why, (k = (this.ownWhys ??= []).push(why) - 1));
        this.lastWhyId = MAX_WHYS + k;
      }
    }
    this.whyIndex[i] = this.lastWhyId;
    if (canonical !== undefined) this.canonical[i] = canonical;
    this.n = i + 1;
  }

  type(i: number): EntityType {
    return this.types[this.typeIndex[i]];
  }
  why(i: number): string | undefined {
    const k = this.whyIndex[i];
    return k < MAX_WHYS ? WHYS[k] : this.ownWhys![k - MAX_WHYS];
  }

  /**
   * The scan is over (its findings are made): the arrays are kept for the next scan's store, which would
   * otherwise allocate six fresh typed arrays (each with a backing store of its own, a cost that shows on
   * gateway-sized texts of a few KB). Nothing may read this store afterwards.
   */
  release(): void {
    // only the numeric arrays are kept (positions, scores, indices): never a value, a reason or a recognizer
    if (this.start.length > 0 && this.start.length <= MAX_SPARE) {
      spare = { start: this.start, end: this.end, score: this.score, rec: this.rec, typeIndex: this.typeIndex, whyIndex: this.whyIndex };
      this.start = this.end = this.whyIndex = NO_I32;
      this.score = NO_F64;
      this.rec = this.typeIndex = NO_U16;
      this.n = 0;
    }
  }

  private grow(): void {
    if (this.start.length === 0 && spare !== null) {
      // the arrays of an earlier, released store (their contents are written before they are read)
      ({ start: this.start, end: this.end, score: this.score, rec: this.rec, typeIndex: this.typeIndex, whyIndex: this.whyIndex } = spare);
      spare = null;
      return;
    }
    const cap = Math.max(64, this.start.length * 2);
    this.start = growI32(this.start, cap);
    this.end = growI32(this.end, cap);
    this.score = growF64(this.score, cap);
    this.rec = growU16(this.rec, cap);
    this.typeIndex = growU16(this.typeIndex, cap);
    this.whyIndex = growI32(this.whyIndex, cap);
  }
}

/**
 * The reasons candidates give, shared by all scans: a store keeps each candidate's reason as an index into
 * this table, without a map of its own to build per scan. Reasons come from the recognizers' fixed wording
 * and vocabularies (a context word, a keyword, an honorific; never a value), a few hundred at most; the table
 * is bounded all the same, and a store keeps reasons beyond the bound itself.
 */
const WHYS: Array<string | undefined> = [undefined];
const WHY_IDS = new Map<string | undefined, number>([[undefined, 0]]);
const MAX_WHYS = 4096;

/** The shared id of a reason, -1 when the table is full. */
function whyId(why: string | undefined): number {
  let k = WHY_IDS.get(why);
  if (k === undefined) {
    if (WHYS.length >= MAX_WHYS) return -1;
    WHY_IDS.set(why, (k = WHYS.push(why) - 1));
  }
  return k;
}

/**
 * A reason made of fixed wording and a vocabulary word ("context 联系人", "label 姓名"), as one string
 * object per pair: a recognizer that built it per candidate made a new string each time, which the store
 * then had to flatten and hash to find its id. Both parts come from the recognizers' own lists, never from
 * a value; pairs past the bound are joined afresh (still correct, only not shared).
 */
export function reason(lead: string, word: string): string {
  let m = REASONS.get(lead);
  if (m === undefined) REASONS.set(lead, (m = new Map()));
  let r = m.get(word);
  if (r === undefined) {
    r = `${lead}${word}`;
    if (reasonCount < MAX_REASONS) {
      m.set(word, r);
      reasonCount++;
    }
  }
  return r;
}
const REASONS = new Map<string, Map<string, string>>();
let reasonCount = 0;
const MAX_REASONS = 4096;

/** The arrays of a released store, which the next store takes over (see CandidateStore.release). */
let spare: Pick<CandidateStore, 'start' | 'end' | 'score' | 'rec' | 'typeIndex' | 'whyIndex'> | null = null;
/** Stores with more room than this are not kept between scans. */
const MAX_SPARE = 1 << 18;

/** What a recognizer that reports through ScanState.emit returns: nothing (shared, frozen). */
export const EMITTED: Candidate[] = Object.freeze([]) as unknown as Candidate[];
