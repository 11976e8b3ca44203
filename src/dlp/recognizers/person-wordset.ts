/**
 * Allocation-free, case-insensitive word lookups for the PERSON and ADDRESS recognizers: a word is looked up
 * straight from the text by (start, end) without slicing or lower-casing it. Keys are hashed with Latin case
 * folding (ASCII, Latin-1 and Latin Extended-A/B), so "Straße", "STRASSE" and "straße" hash the same way as
 * their lower-case forms; a hit is confirmed character by character, so a collision never matches.
 */

/** Lower-case fold for codes below 0x250 (Latin); other codes fold to themselves. */
const FOLD = new Uint16Array(0x250);
for (let c = 0; c < FOLD.length; c++) {
  const l = String.fromCharCode(c).toLowerCase();
  FOLD[c] = l.length === 1 ? l.charCodeAt(0) : c;
}
export const fold = (c: number): number => (c < 0x250 ? FOLD[c] : c);

/** Hash of t[s..e) with folding (FNV-1a, kept in small-integer range). */
function hashRange(t: string, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    h = Math.imul(h ^ (c < 0x250 ? FOLD[c] : c), 16777619);
  }
  return h & 0x3fffffff;
}

export class WordSet {
  private readonly map = new Map<number, string | string[]>();
  /** Lengths present, as a bit mask (1 << len, lengths capped at 31): most misses are rejected without hashing. */
  private lens = 0;
  readonly size: number;
  /** The (lower-case) words, for building combined maps. */
  readonly list: string[] = [];
  constructor(words: Iterable<string>) {
    let n = 0;
    for (const raw of words) {
      this.list.push(raw.toLowerCase());
      const w = raw.toLowerCase();
      if (!w) continue;
      const h = hashRange(w, 0, w.length);
      const cur = this.map.get(h);
      if (cur === undefined) this.map.set(h, w);
      else if (typeof cur === 'string') {
        if (cur !== w) this.map.set(h, [cur, w]);
      } else if (!cur.includes(w)) cur.push(w);
      this.lens |= 1 << Math.min(w.length, 31);
      n++;
    }
    this.size = n;
  }

  /** True when t[s..e) equals (case-insensitively) one of the words. */
  hasRange(t: string, s: number, e: number): boolean {
    const len = e - s;
    if (len <= 0 || !(this.lens & (1 << Math.min(len, 31)))) return false;
    const cur = this.map.get(hashRange(t, s, e));
    if (cur === undefined) return false;
    if (typeof cur === 'string') return same(t, s, e, cur);
    for (const w of cur) if (same(t, s, e, w)) return true;
    return false;
  }

  has(w: string): boolean {
    return this.hasRange(w, 0, w.length);
  }
}

function same(t: string, s: number, e: number, w: string): boolean {
  if (w.length !== e - s) return false;
  for (let i = 0; i < w.length; i++) if (fold(t.charCodeAt(s + i)) !== w.charCodeAt(i)) return false;
  return true;
}

/** Set from a whitespace-separated word list. */
export const words = (s: string): WordSet => new WordSet(s.split(/\s+/).filter(Boolean));

/**
 * Case-insensitive word -> flags map (flags OR-ed over the lists a word is in): one hash per word answers
 * every membership question a recognizer asks about it.
 */
export class WordFlags {
  private readonly map = new Map<number, Array<[string, number]>>();
  private lens = 0;
  add(list: Iterable<string>, flag: number): this {
    for (const raw of list) {
      const w = raw.toLowerCase();
      if (!w) continue;
      const h = hashRange(w, 0, w.length);
      let cur = this.map.get(h);
      if (!cur) this.map.set(h, (cur = []));
      const hit = cur.find((x) => x[0] === w);
      if (hit) hit[1] |= flag;
      else cur.push([w, flag]);
      this.lens |= 1 << Math.min(w.length, 31);
    }
    return this;
  }

  addWords(s: string, flag: number): this {
    return this.add(s.split(/\s+/).filter(Boolean), flag);
  }

  /** Flags of t[s..e) (0 when it is in no list). */
  get(t: string, s: number, e: number): number {
    const len = e - s;
    if (len <= 0 || !(this.lens & (1 << Math.min(len, 31)))) return 0;
    const cur = this.map.get(hashRange(t, s, e));
    if (cur === undefined) return 0;
    for (const [w, f] of cur) if (same(t, s, e, w)) return f;
    return 0;
  }
}
