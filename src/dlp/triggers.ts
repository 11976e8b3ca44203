/**
 * Shared trigger pass: every occurrence of a set of literal prefixes, found in one pass over the text for all
 * recognizers that start from a literal (secret prefixes, '://', '-----BEGIN ' ...), instead of one indexOf
 * pass per prefix and recognizer.
 *
 * Sparse text is skipped by one literal-alternation regex (V8 compiles it to a fast first-character scan,
 * no backtracking into the text); after a hit the next few characters are checked by hand against a
 * first-character table, so dense runs of prefixes ("sk-sk-sk-...") pay no regex call per hit. Every
 * position is examined once: O(n + hits x prefixes sharing a first character).
 */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Characters checked by hand after a hit before handing back to the regex. */
const HAND_SCAN = 16;

export class TriggerSet {
  private readonly re: RegExp;
  /** First char -> indices of the prefixes starting with it. */
  private readonly byFirst = new Map<number, number[]>();
  private readonly firstTable = new Uint8Array(65536);

  constructor(readonly prefixes: readonly string[]) {
    if (prefixes.length === 0 || prefixes.some((p) => p.length === 0)) throw new Error('TriggerSet needs non-empty prefixes');
    this.re = new RegExp([...prefixes].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
    prefixes.forEach((p, i) => {
      const c = p.charCodeAt(0);
      this.firstTable[c] = 1;
      const list = this.byFirst.get(c);
      if (list) list.push(i);
      else this.byFirst.set(c, [i]);
    });
  }

  /** Ascending start positions of every occurrence (overlapping ones too) of each prefix, by prefix index. */
  positions(t: string): number[][] {
    const hits: number[][] = this.prefixes.map(() => []);
    const n = t.length;
    const re = this.re;
    const record = (p: number): boolean => {
      let any = false;
      for (const i of this.byFirst.get(t.charCodeAt(p))!) {
        if (t.startsWith(this.prefixes[i], p)) {
          hits[i].push(p);
          any = true;
        }
      }
      return any;
    };
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t)) !== null) {
      const p = m.index;
      record(p);
      let q = p + 1;
      let lim = Math.min(n, q + HAND_SCAN);
      for (; q < lim; q++) {
        if (this.firstTable[t.charCodeAt(q)] === 1 && record(q)) lim = Math.min(n, q + 1 + HAND_SCAN);
      }
      re.lastIndex = q;
    }
    return hits;
  }
}

/** Index of the first position in ascending `list` that is >= `from` (binary search), or list.length. */
export function firstAtOrAfter(list: readonly number[], from: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
