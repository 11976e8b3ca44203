import { CJK_BASE, CJK_TRIGGERS, cjkTriggerVersion, nextClear, nextSet, type CharClasses } from './classes.js';
import { classesOf, utf16 } from './codes.js';
import { grownCap, growI32, Spare } from './grow.js';
import { changes } from './normalize.js';

/**
 * Runs of CJK unified ideographs (U+4E00-U+9FFF), found once per scan and shared (ScanState.cjk): the
 * Chinese recognizers walk these runs instead of each running its own pass over the whole text. Runs and
 * their trigger characters are read off the scan's class bitmaps (classes.ts): a run starts at a set bit of
 * `cjkOrMaybe` that is an ideograph and ends at the next clear bit of `cjk`; the triggers are the set bits
 * of `cjkTrigger`. No loop here walks the characters one by one (walking each ideograph to extend its run
 * and look it up cost about 40 instructions per ideograph in V8's optimized code, measured): O(n / 32)
 * word reads, plus one step per run and per trigger.
 */
export interface CjkRuns {
  readonly count: number;
  /** Run k is [start[k], end[k]). */
  readonly start: Int32Array<ArrayBuffer>;
  readonly end: Int32Array<ArrayBuffer>;
  /**
   * Positions, in text order, of the characters inside the runs that some recognizer registered as one it
   * stops at (registerCjkTriggers): PERSON's labels and honorifics, ADDRESS's place names and 号. They are
   * recorded while the runs are extended, so those recognizers visit these positions instead of each
   * walking every Chinese character again.
   */
  readonly triggers: Int32Array<ArrayBuffer>;
  readonly triggerCount: number;
}

/**
 * Registers characters of the CJK block a recognizer stops at in Chinese text: every scan lists where they
 * occur (CjkRuns.triggers). Called when recognizer modules load; the list is shared, so a recognizer still
 * checks each position against its own table.
 */
export function registerCjkTriggers(isTrigger: (c: number) => boolean): void {
  for (let c = 0x4e00; c <= 0x9fff; c++) if (isTrigger(c)) CJK_TRIGGERS[c - CJK_BASE] = 1;
  cjkTriggerVersion[0]++;
}

/** Whether c was registered by registerCjkTriggers (for tests). */
export const isCjkTrigger = (c: number): boolean => isCjk(c) && CJK_TRIGGERS[c - CJK_BASE] === 1;

/** Never written: the first run replaces it with a grown copy. */
const EMPTY = new Int32Array(0);
const NONE: CjkRuns = Object.freeze({ count: 0, start: new Int32Array(0), end: new Int32Array(0), triggers: new Int32Array(0), triggerCount: 0 });

export const isCjk = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;

/**
 * The arrays of earlier scans' runs, reused by the next scans (see spareCjkRuns); those with room for more
 * than 256 K runs or triggers are kept weakly (grow.ts, Spare).
 */
const SPARE = new Spare<CjkRuns>(1 << 18, (r) => Math.min(r.start.length, r.triggers.length));
/** Texts at least this long take the weakly kept (large) runs first. */
const LARGE_TEXT = 1 << 17;

/** Keeps the arrays of `r`, whose scan is over, for a later call with `reuse` (they hold positions only). */
export function spareCjkRuns(r: CjkRuns): void {
  if (r !== NONE) SPARE.put(r);
}

/**
 * The CJK runs of a (normalized) text; `u`: its code units (codes.ts), `classes` their bitmaps. With `reuse`,
 * the arrays of the runs last given to spareCjkRuns are written over (the caller guarantees nothing reads
 * those runs any more).
 */
export function cjkRuns(t: string, u: Uint16Array = utf16(t), reuse = false, classes: CharClasses = classesOf(u)): CjkRuns {
  return findRuns(t, u, false, reuse, classes)!;
}

/**
 * The scan's first pass over the original text: its CJK runs, or null when the text needs normalizing (the
 * caller normalizes and computes the runs on the normalized text). The class bitmap it walks holds both the
 * ideographs and the ranges of the characters normalization may change, so the common case (nothing to
 * normalize) answers both questions in one walk; characters of those ranges that normalization keeps
 * (，：（）…) are stepped over.
 */
export function cjkRunsIfNormal(t: string, u: Uint16Array = utf16(t), reuse = false, classes: CharClasses = classesOf(u)): CjkRuns | null {
  return findRuns(t, u, true, reuse, classes);
}

/** The runs; with `checkNormal`, null as soon as a character normalization changes is met. */
function findRuns(t: string, u: Uint16Array, checkNormal: boolean, reuse: boolean, classes: CharClasses): CjkRuns | null {
  const bits = classes.cjkOrMaybe;
  const cjk = classes.cjk;
  const trig = classes.cjkTrigger;
  const n = t.length;
  let start = EMPTY;
  let end = EMPTY;
  let triggers = EMPTY;
  const old = reuse ? SPARE.take(16, n >= LARGE_TEXT) : null;
  if (old !== null) ({ start, end, triggers } = old);
  let cap = start.length;
  let tcap = triggers.length;
  let count = 0;
  let nt = 0;
  let from = 0;
  // the result is made inside the loop: code after a loop that may run long is what V8's on-stack replacement
  // leaves stale (docs/DLP.md, "Long loops and V8's on-stack replacement")
  for (;;) {
    const s = nextSet(bits, from, n);
    if (s >= n) return count === 0 ? NONE : { count, start, end, triggers, triggerCount: nt };
    if ((cjk[s >>> 5] & (1 << (s & 31))) === 0) {
      // the rest of the class: characters normalization may change, and neighbours it keeps
      if (checkNormal && changes(u[s])) return null;
      from = s + 1;
      continue;
    }
    const e = nextClear(cjk, s, n);
    // the run's triggers: the set bits of its words of the trigger bitmap (there are none outside runs)
    const room = nt + ((((e - 1) >>> 5) - (s >>> 5) + 1) << 5);
    if (room > tcap) {
      // (the room asked for is up to 32 more than the triggers listed so far)
      tcap = tcap === 0 ? Math.max(room, 16, Math.min(n >> 5, 1 << 20)) : grownCap(tcap, room, s, n, n + 32);
      triggers = growI32(triggers, tcap);
    }
    nt = listTriggers(trig, s, e, triggers, nt);
    if (count === cap) {
      // (runs are at least one character apart: at most (n + 1) / 2 of them)
      cap = cap === 0 ? Math.max(16, Math.min(n >> 5, 1 << 20)) : grownCap(cap, count + 1, s, n, (n + 2) >> 1);
      start = growI32(start, cap);
      end = growI32(end, cap);
    }
    start[count] = s;
    end[count++] = e;
    from = e;
  }
}

/**
 * Writes the positions of the set bits of `bits` in [s, e) into `out` from index k on (it has room for every
 * bit of the words spanned), in order; returns the new count. A word shared with the run before or after
 * holds that run's triggers too: the first and last words are masked to [s, e).
 */
function listTriggers(bits: Uint32Array, s: number, e: number, out: Int32Array, k: number): number {
  const first = s >>> 5;
  const last = (e - 1) >>> 5;
  let nk = k;
  for (let w = first; w <= last; w++) {
    let word = bits[w] | 0;
    if (w === first) word &= -1 << (s & 31);
    if (w === last && (e & 31) !== 0) word &= (1 << (e & 31)) - 1;
    while (word !== 0) {
      out[nk++] = (w << 5) + 31 - Math.clz32(word & -word);
      word &= word - 1;
    }
  }
  return nk;
}
