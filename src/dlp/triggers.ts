/**
 * Shared presence pass for literal prefixes: which of a set of prefixes (secret prefixes, '://',
 * '-----BEGIN ' ...) occur in the text at all, found in one pass for all recognizers that start from a
 * literal. Recognizers then search only for prefixes that are present (usually none), instead of one
 * indexOf pass per prefix and recognizer over every text.
 *
 * The pass runs a literal-alternation regex (V8 compiles it to a fast first-character scan; literals only,
 * so no backtracking into the text). Each hit marks the prefixes found and the scan resumes, from just
 * before the hit, with a regex over the prefixes still missing, so dense input ("sk-sk-sk-...") costs a
 * handful of regex calls, not one per occurrence. At most one resumption per prefix: O(n + prefixes x maxLen).
 */
/** Most regexes (prefix subsets) kept per TriggerSet. */
const MAX_CACHED = 64;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class TriggerSet {
  private readonly maxLen: number;
  /** Regex over a subset of the prefixes, by the subset's bit mask. */
  private readonly regexes = new Map<number, RegExp>();

  constructor(
    readonly prefixes: readonly string[],
    /** Shown in bench breakdowns. */
    readonly name = 'triggers',
  ) {
    if (prefixes.length === 0 || prefixes.length > 30 || prefixes.some((p) => p.length === 0)) throw new Error('TriggerSet needs 1-30 non-empty prefixes');
    this.maxLen = Math.max(...prefixes.map((p) => p.length));
  }

  private regexFor(mask: number): RegExp {
    let re = this.regexes.get(mask);
    if (!re) {
      const alts = this.prefixes.filter((_, i) => mask & (1 << i));
      re = new RegExp(alts.sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
      // subsets seen in real traffic are few; the cache is bounded all the same (2^n subsets exist)
      if (this.regexes.size < MAX_CACHED) this.regexes.set(mask, re);
    }
    return re;
  }

  /** present[i] === 1 when prefixes[i] occurs in t. */
  present(t: string): Uint8Array {
    const found = new Uint8Array(this.prefixes.length);
    let missing = (1 << this.prefixes.length) - 1;
    let from = 0;
    while (missing !== 0) {
      const re = this.regexFor(missing);
      re.lastIndex = from;
      if (!re.test(t)) break;
      // the hit ends at lastIndex; mark every missing prefix ending there (the matched one at least)
      const end = re.lastIndex;
      for (let i = 0; i < this.prefixes.length; i++) {
        const w = this.prefixes[i];
        if (missing & (1 << i) && end >= w.length && t.startsWith(w, end - w.length)) {
          found[i] = 1;
          missing &= ~(1 << i);
        }
      }
      // no missing prefix starts before the hit's start (>= end - maxLen): resume there
      from = Math.max(from, end - this.maxLen);
    }
    return found;
  }
}
