import { utf16 } from '../codes.js';
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

/**
 * Hash of the code units u[s..e) from its length and its first two and last two characters (folded):
 * constant time whatever the length. Words that share these five values only share a probe chain; the
 * character-by-character check still decides.
 */
function edgeHash(u: Uint16Array, s: number, e: number): number {
  const a = u[s];
  const b = u[s + 1 < e ? s + 1 : s];
  const c = u[e - 2 > s ? e - 2 : s];
  const d = u[e - 1];
  const fa = a < 0x250 ? FOLD[a] : a;
  const fb = b < 0x250 ? FOLD[b] : b;
  const fc = c < 0x250 ? FOLD[c] : c;
  const fd = d < 0x250 ? FOLD[d] : d;
  let h = Math.imul(fa ^ (fd << 16), 0x9e3779b1) ^ Math.imul(fb ^ (fc << 16) ^ ((e - s) << 27), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h & 0x3fffffff;
}

/** Whether the code units u[s..e), folded, spell the lower-case word w. */
function same(u: Uint16Array, s: number, e: number, w: string): boolean {
  if (w.length !== e - s) return false;
  for (let i = 0; i < w.length; i++) {
    const c = u[s + i];
    if ((c < 0x250 ? FOLD[c] : c) !== w.charCodeAt(i)) return false;
  }
  return true;
}

/** The lower-case words of a whitespace-separated list (WordFlags and ADDRESS's lexicon are built from these). */
export const words = (s: string): string[] => s.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());

/**
 * Case-insensitive word -> flags map (flags OR-ed over the lists a word is in): one hash per word answers
 * every membership question a recognizer asks about it.
 *
 * Lookups go through an open-addressing table in typed arrays (hash, then entry index), built once after the
 * last `add`: a probe is a few integer reads, with no Map lookup and no per-entry array to walk, which
 * matters because the PERSON recognizer looks up several words around every capitalized word it reads.
 */
export class WordFlags {
  /** Lower-case words and their flags, by entry index. */
  private readonly words: string[] = [];
  private readonly flags: number[] = [];
  private readonly index = new Map<string, number>();
  private lens = 0;
  /** Hash table: hash + 1 per slot (0 = empty) and the entry index; rebuilt lazily after `add`. */
  private keys = new Int32Array(0);
  private vals = new Int32Array(0);
  private mask = -1;

  add(list: Iterable<string>, flag: number): this {
    for (const raw of list) {
      const w = raw.toLowerCase();
      if (!w) continue;
      const at = this.index.get(w);
      if (at !== undefined) this.flags[at] |= flag;
      else {
        this.index.set(w, this.words.length);
        this.words.push(w);
        this.flags.push(flag);
      }
      this.lens |= 1 << Math.min(w.length, 31);
    }
    this.mask = -1;
    return this;
  }

  addWords(s: string, flag: number): this {
    return this.add(s.split(/\s+/).filter(Boolean), flag);
  }

  /** Builds the hash table: at most a quarter full, so a miss usually ends at the first probe. */
  private build(): void {
    let size = 16;
    while (size < this.words.length * 4) size *= 2;
    this.keys = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < this.words.length; i++) {
      const w = this.words[i];
      const h = edgeHash(utf16(w), 0, w.length);
      let slot = h & this.mask;
      while (this.keys[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = h + 1;
      this.vals[slot] = i;
    }
  }

  /**
   * Flags of the word u[s..e) (0 when it is in no list), read from the scanned text's code units
   * (ScanState.codes): no string read per character.
   */
  get(u: Uint16Array, s: number, e: number): number {
    const len = e - s;
    if (len <= 0 || !(this.lens & (1 << Math.min(len, 31)))) return 0;
    if (this.mask < 0) this.build();
    const h = edgeHash(u, s, e);
    const keys = this.keys;
    for (let slot = h & this.mask; keys[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (keys[slot] === h + 1) {
        const i = this.vals[slot];
        if (same(u, s, e, this.words[i])) return this.flags[i];
      }
    }
    return 0;
  }
}
