import { codeAt } from './unit.js';

/**
 * Shared presence pass for literal prefixes: which of a set of prefixes (secret prefixes, '://',
 * '-----BEGIN ' ...) occur in the text at all, found once for all recognizers that start from a literal.
 * Recognizers then search only for prefixes that are present (usually none), instead of one indexOf pass
 * per prefix and recognizer over every text.
 *
 * Each prefix is looked for through its rarest character (its anchor: '_' in "ghp_", 'J' in "eyJ", 'z' in
 * "AIza"), found with indexOf, which V8 runs as a native single-character search several times faster than
 * any regex pass over the same text (a regex of many literals starting with common letters cannot skip
 * ahead). Prefixes sharing an anchor character share its search; at each hit only the prefixes still missing
 * are compared in place. When an anchor turns out to be dense (a text made of dashes), its search hands over,
 * after a bounded number of hits, to a literal-alternation regex over its missing prefixes, which resumes
 * after each hit from just before it, so dense input costs a handful of regex calls, not one per occurrence.
 * O(n + prefixes x maxLen) either way.
 */
/** Most regexes (prefix subsets) kept per TriggerSet. */
const MAX_CACHED = 64;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Rough frequency, per mille, of lower-case letters in English text (for picking anchors). */
const LETTER_FREQUENCY: Record<string, number> = {
  e: 100, t: 72, a: 65, o: 60, i: 57, n: 55, s: 50, r: 48, h: 40, d: 33, l: 32, c: 25, u: 22, m: 20, f: 18, g: 16, p: 16, w: 15, y: 15, b: 12, v: 8, k: 5, x: 1.5, j: 1, q: 1, z: 0.7,
};
const PUNCT_FREQUENCY: Record<string, number> = { ' ': 150, '\n': 15, '.': 10, ',': 9, '"': 6, ':': 6, '-': 6, _: 3, '/': 2.5 };

/**
 * Rough frequency of a character in the text a gateway scans (prose, code, logs): lower is rarer. Only
 * used to pick anchors; any choice is correct, a rare one is fast.
 */
function commonness(c: string): number {
  if (c >= 'a' && c <= 'z') return LETTER_FREQUENCY[c];
  // capitals: sentence starts, "I", "A" and acronyms make some more common than others
  if (c >= 'A' && c <= 'Z') return c === 'I' ? 4 : 'AT'.includes(c) ? 3 : 'SC'.includes(c) ? 2.5 : 'JKQXZ'.includes(c) ? 0.5 : 1.5;
  if (c >= '0' && c <= '9') return 8;
  if (c.charCodeAt(0) >= 0x80) return 5;
  return PUNCT_FREQUENCY[c] ?? 3;
}

interface AnchorGroup {
  /** The anchor character. */
  ch: string;
  /** Indices of the prefixes anchored on it, and the anchor's offset in each. */
  members: number[];
  offsets: number[];
  /**
   * Per member, the code unit right after the anchor in the prefix (-1 when the anchor ends it): compared
   * before the prefix itself, it rejects almost every hit of a common anchor ('k' in prose is followed by a
   * letter, never by the '-' of "sk-") without a call.
   */
  after: number[];
}

/** Anchor hits searched with indexOf before a group hands its missing prefixes over to the regex. */
const MAX_ANCHOR_HITS = 64;

/** Where the regex pass of `present` starts (set by `anchors`). */
const DENSE_FROM = new Int32Array(1);

export class TriggerSet {
  private readonly maxLen: number;
  private readonly groups: AnchorGroup[] = [];
  /** Regex over a subset of the prefixes, by the subset's bit mask. */
  private readonly regexes = new Map<number, RegExp>();

  constructor(
    readonly prefixes: readonly string[],
    /** Shown in bench breakdowns. */
    readonly name = 'triggers',
  ) {
    if (prefixes.length === 0 || prefixes.length > 30 || prefixes.some((p) => p.length === 0)) throw new Error('TriggerSet needs 1-30 non-empty prefixes');
    this.maxLen = Math.max(...prefixes.map((p) => p.length));
    const byChar = new Map<string, AnchorGroup>();
    prefixes.forEach((p, i) => {
      let best = 0;
      for (let k = 1; k < p.length; k++) if (commonness(p[k]) < commonness(p[best])) best = k;
      const ch = p[best];
      let g = byChar.get(ch);
      if (!g) byChar.set(ch, (g = { ch, members: [], offsets: [], after: [] }));
      g.members.push(i);
      g.offsets.push(best);
      g.after.push(best + 1 < p.length ? p.charCodeAt(best + 1) : -1);
    });
    this.groups = [...byChar.values()];
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
    const dense = this.anchors(t, found);
    if (dense !== 0) this.regexPass(t, found, dense, DENSE_FROM[0]);
    return found;
  }

  /**
   * Marks in `found` the prefixes found from their anchor characters, and returns the mask of those whose
   * anchors turned out dense (left to the regex pass, from DENSE_FROM[0]). Nothing follows the loop: code
   * after a loop that may run long is what V8's on-stack replacement leaves stale (docs/DLP.md, "Long loops
   * and V8's on-stack replacement").
   */
  private anchors(t: string, found: Uint8Array): number {
    let dense = 0; // prefixes of groups whose anchors turned out dense
    DENSE_FROM[0] = t.length; // where the regex pass starts
    for (const g of this.groups) {
      const { ch, members, offsets, after } = g;
      let missing = members.length;
      let hits = 0;
      for (let a = t.indexOf(ch); a >= 0 && missing > 0; a = t.indexOf(ch, a + 1)) {
        if (++hits > MAX_ANCHOR_HITS && hits > t.length >> 6) {
          // every occurrence of a missing prefix before a - maxLen has its anchor before a: it would have been found
          for (const i of members) if (found[i] === 0) dense |= 1 << i;
          DENSE_FROM[0] = Math.min(DENSE_FROM[0], Math.max(0, a - this.maxLen));
          break;
        }
        const next = codeAt(t, a + 1);
        for (let m = 0; m < members.length; m++) {
          const i = members[m];
          const s = a - offsets[m];
          if (found[i] === 0 && (after[m] === next || after[m] < 0) && s >= 0 && t.startsWith(this.prefixes[i], s)) {
            found[i] = 1;
            missing--;
          }
        }
      }
    }
    return dense;
  }

  /** Marks which of the prefixes in `missing` (a bit mask) occur in t[from..], with literal-alternation regexes. */
  private regexPass(t: string, found: Uint8Array, missing: number, from: number): void {
    while (missing !== 0) {
      if ((missing & (missing - 1)) === 0) {
        // one prefix left: V8's own substring search
        const i = 31 - Math.clz32(missing);
        if (t.indexOf(this.prefixes[i], from) >= 0) found[i] = 1;
        return;
      }
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
  }
}
