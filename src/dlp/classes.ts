/**
 * Character classes of a scan's text as bitmaps: bit i of a class is set when code unit i belongs to it. The
 * engine's searches for "the next digit", "the next capital", "the next Chinese character or character
 * normalization may change" read these instead of running a regex or a hand loop over the text each: one
 * pass makes all of them (a WebAssembly SIMD kernel over the scan's code units, see codes.ts and
 * scripts/gen-classes-wasm.ts; the same classes in plain JavaScript below where that kernel is not at hand),
 * and finding the next set bit is a word read per 32 characters.
 *
 * A class is a list of inclusive code unit ranges, less a few excluded ones. The WebAssembly kernel is
 * generated from these same definitions, and a test holds the committed kernel equal to a fresh build.
 */

export interface ClassDef {
  readonly name: string;
  /** Inclusive ranges of code units in the class. */
  readonly any: ReadonlyArray<readonly [number, number]>;
  /** Inclusive ranges taken out again. */
  readonly not?: ReadonlyArray<readonly [number, number]>;
}

/** The classes, in the order of their bitmaps. */
export const CLASS_DEFS: readonly ClassDef[] = [
  // the digit lexer's run starts (what \d finds without the u flag)
  { name: 'digit', any: [[0x30, 0x39]] },
  // PERSON's capitals: A-Z, Latin-1 capitals without ×, Latin Extended-A (its lower-case letters are
  // filtered out by PERSON)
  { name: 'capital', any: [[0x41, 0x5a], [0xc0, 0xde], [0x100, 0x17f]], not: [[0xd7, 0xd7]] },
  // the first pass: CJK ideographs and, as a superset of normalize.ts's pre-check class, the ranges holding
  // the characters normalization may change (soft hyphen, U+200B-U+3000, U+FEFF-U+FF5A); hits that are not
  // ideographs are checked one by one there
  { name: 'cjkOrMaybe', any: [[0x4e00, 0x9fff], [0xad, 0xad], [0x200b, 0x3000], [0xfeff, 0xff5a]] },
  // the ideographs alone: a run of them ends at the first clear bit (cjk.ts)
  { name: 'cjk', any: [[0x4e00, 0x9fff]] },
  // what a context word needs in its window (context.ts): an ASCII letter or any non-ASCII code unit
  { name: 'wordy', any: [[0x41, 0x5a], [0x61, 0x7a], [0x80, 0xffff]] },
];

/** First code unit of the CJK block the trigger table covers (U+4E00-U+9FFF). */
export const CJK_BASE = 0x4e00;
/**
 * Per character of the CJK block: 1 where some recognizer stops at it in Chinese text (PERSON's labels and
 * honorifics, ADDRESS's place names; cjk.ts, registerCjkTriggers). The `cjkTrigger` bitmap, after the word
 * classes, marks the positions of these characters: the kernel looks each ideograph of a block up in its
 * copy of this table, so no JavaScript loop walks the Chinese text to find them.
 */
export const CJK_TRIGGERS = new Uint8Array(0x9fff - CJK_BASE + 1);
/** Bumped whenever CJK_TRIGGERS changes: a kernel copies the table when its copy is of another version. */
export const cjkTriggerVersion = new Int32Array(1);

/**
 * Classes of positions where a word starts: bit i is set when code units i, i + 1, i + 2, each with bit 0x20
 * set (ASCII letters folded to lower case), spell one of the class's words. Code units past the text count
 * as 0. The recognizers' keyword searches start from these instead of a regex pass over the whole text (a
 * scan's costliest regexes were two such searches: about 18 and 9 instructions per character, against
 * about 5 for these classes in the kernel, measured). Words are three lower-case ASCII letters, at most
 * eight in all (the kernel gives each word one bit of a byte).
 */
export interface WordClassDef {
  readonly name: string;
  readonly words: readonly string[];
}

export const WORD_CLASS_DEFS: readonly WordClassDef[] = [
  // the stated-password keywords' hint words (pass, pwd, pin, key, secret, token, bearer; secrets.ts)
  { name: 'keywordHint', words: ['pas', 'pwd', 'pin', 'key', 'sec', 'tok', 'bea'] },
  // PERSON's self-introduction phrase "name is " (person.ts)
  { name: 'nameIs', words: ['nam'] },
];

/**
 * Positions where one of SECRET's token prefixes may start (secrets.ts: sk-, ghp_, AKIA, eyJ, ://, ...), as
 * they are written: no case folding. A bucket is three sets of ASCII characters, one per position; a set
 * matches every character whose low and high hexadecimal digits both occur among its characters ('pousr'
 * also matches 'e', 0x65: the kernel reads one table by low and one by high nibble, the nibble technique of
 * the word classes again, on the code units as they are, with one bit of a byte per bucket: at most eight).
 * Bit i of the `tokenPrefix` bitmap is set when code units i, i + 1 and i + 2 match the three sets of some
 * bucket (code units past the text count as 0). Every hit is checked against the prefixes themselves by
 * secrets.ts, which refuses to load when one of its prefixes is in no bucket. The buckets are chosen so that
 * English and Chinese text hit them rarely: the bench's mixed text has about one hit per 2,000 characters.
 */
export const PREFIX_BUCKETS: readonly (readonly [string, string, string])[] = [
  ['g', 'h', 'pousr'], // ghp_ gho_ ghu_ ghs_ ghr_
  ['g', 'il', 'tp'], // github_pat_ glpat-
  ['sr', 'k', '-_'], // sk- sk-ant- sk_live_ sk_test_ rk_live_ rk_test_
  ['A', 'KSI', 'Iz'], // AKIA ASIA AIza
  ['x', 'o', 'x'], // xoxb- xoxp- xoxa- xoxr- xoxs- xoxe-
  ['Le', 'Ty', 'AJ'], // LTAI eyJ
  ['-:', '-/', '-/'], // -----BEGIN ://
  ['nw', 'ph', 'ms'], // npm_ whsec_
];
if (PREFIX_BUCKETS.length > 8) throw new Error('at most eight prefix buckets');
for (const b of PREFIX_BUCKETS) if (b.some((set) => set.length === 0 || [...set].some((ch) => ch.charCodeAt(0) >= 0x80))) throw new Error(`prefix bucket ${b.join(' ')}: an empty set or a character outside ASCII`);

/** Per position 0-2 of the buckets, the bucket bits by low and by high nibble (the kernel's tables). */
export const PREFIX_NIBBLES: readonly { readonly lo: Uint8Array; readonly hi: Uint8Array }[] = [0, 1, 2].map((pos) => {
  const lo = new Uint8Array(16);
  const hi = new Uint8Array(16);
  PREFIX_BUCKETS.forEach((b, k) => {
    for (const ch of b[pos]) {
      lo[ch.charCodeAt(0) & 15] |= 1 << k;
      hi[ch.charCodeAt(0) >> 4] |= 1 << k;
    }
  });
  return { lo, hi };
});
/** The buckets of code unit c at position pos of a prefix (0 for any code unit outside ASCII). */
const prefixBucketsOf = (c: number, pos: number): number => (c < 128 ? PREFIX_NIBBLES[pos].lo[c & 15] & PREFIX_NIBBLES[pos].hi[c >> 4] : 0);

/** Whether a prefix bucket holds position i of u (the definition the kernel implements). */
export function inPrefixBuckets(u: ArrayLike<number>, i: number): boolean {
  const at = (j: number) => (j < u.length ? u[j] : 0);
  return (prefixBucketsOf(at(i), 0) & prefixBucketsOf(at(i + 1), 1) & prefixBucketsOf(at(i + 2), 2)) !== 0;
}

/**
 * Bitmaps per text: the range classes, then the word classes, then the CJK triggers, then the token
 * prefixes. (CharClasses, fromMaps and classesInJs name them in this order.)
 */
export const CLASS_COUNT = CLASS_DEFS.length + WORD_CLASS_DEFS.length + 2;
/** Index of the range class the trigger look-up starts from, of the CJK triggers' bitmap and of the token prefixes'. */
export const CJK_CLASS = CLASS_DEFS.findIndex((d) => d.name === 'cjk');
export const TRIGGER_MAP = CLASS_DEFS.length + WORD_CLASS_DEFS.length;
export const PREFIX_MAP = TRIGGER_MAP + 1;

/** Bitmaps of one text, one Uint32Array per class (`words` long each; bits past the text are 0). */
export interface CharClasses {
  readonly digit: Uint32Array;
  readonly capital: Uint32Array;
  readonly cjkOrMaybe: Uint32Array;
  readonly cjk: Uint32Array;
  readonly wordy: Uint32Array;
  readonly keywordHint: Uint32Array;
  readonly nameIs: Uint32Array;
  /** Positions of the ideographs marked in CJK_TRIGGERS. */
  readonly cjkTrigger: Uint32Array;
  /** Positions where a token prefix may start (PREFIX_BUCKETS). */
  readonly tokenPrefix: Uint32Array;
}

/**
 * Code units a bitmap covers: the text's length rounded up to whole 32-bit words of the bitmap (the kernel
 * writes 16 bits per 16 code units).
 */
export const paddedLength = (n: number): number => (n + 31) & ~31;

/** Membership table of each class (64 KB each), for the JavaScript path and the tests. */
export const CLASS_TABLES: readonly Uint8Array[] = CLASS_DEFS.map((d) => {
  const t = new Uint8Array(65536);
  for (const [a, b] of d.any) t.fill(1, a, b + 1);
  for (const [a, b] of d.not ?? []) t.fill(0, a, b + 1);
  return t;
});

/** Per code unit, bit k set when it belongs to class k (one lookup per character for the JavaScript path). */
const CLASS_MASK = new Uint8Array(65536);
CLASS_TABLES.forEach((t, k) => {
  for (let c = 0; c < 65536; c++) if (t[c] === 1) CLASS_MASK[c] |= 1 << k;
});

/** Word class k's words as numbers (three folded code units, 16 bits each), for the JavaScript path and the tests. */
export const WORD_KEYS: readonly (readonly number[])[] = WORD_CLASS_DEFS.map((d) =>
  d.words.map((w) => {
    if (!/^[a-z]{3}$/.test(w)) throw new Error(`word class ${d.name}: "${w}" is not three lower-case ASCII letters`);
    return w.charCodeAt(0) * 2 ** 32 + w.charCodeAt(1) * 2 ** 16 + w.charCodeAt(2);
  }),
);
if (WORD_CLASS_DEFS.reduce((k, d) => k + d.words.length, 0) > 8) throw new Error('at most eight words in all word classes');

/** Whether word class k holds position i of u (the definition the kernel implements). */
export function inWordClass(u: Uint16Array, i: number, k: number): boolean {
  const at = (j: number) => (j < u.length ? u[j] | 0x20 : 0x20);
  const key = at(i) * 2 ** 32 + at(i + 1) * 2 ** 16 + at(i + 2);
  return WORD_KEYS[k].includes(key);
}

/** Folded code units that may start a word of some word class. */
const WORD_FIRST = new Uint8Array(128);
for (const d of WORD_CLASS_DEFS) for (const w of d.words) WORD_FIRST[w.charCodeAt(0)] = 1;

/** The bitmaps of code units u, computed in JavaScript (where the WebAssembly kernel is not used). */
export function classesInJs(u: Uint16Array): CharClasses {
  const n = u.length;
  const words = paddedLength(n) >> 5;
  const digit = new Uint32Array(words);
  const capital = new Uint32Array(words);
  const cjkOrMaybe = new Uint32Array(words);
  const cjk = new Uint32Array(words);
  const wordy = new Uint32Array(words);
  const cjkTrigger = new Uint32Array(words);
  const wordMaps = WORD_CLASS_DEFS.map(() => new Uint32Array(words));
  const tokenPrefix = new Uint32Array(words);
  for (let i = 0; i < n; i++) {
    const c = u[i];
    const bit = 1 << (i & 31);
    const f = c | 0x20;
    if (f < 128 && WORD_FIRST[f] === 1) for (let k = 0; k < wordMaps.length; k++) if (inWordClass(u, i, k)) wordMaps[k][i >> 5] |= bit;
    if (prefixBucketsOf(c, 0) !== 0 && inPrefixBuckets(u, i)) tokenPrefix[i >> 5] |= bit;
    const m = CLASS_MASK[c];
    if (m === 0) continue;
    if (m & 1) digit[i >> 5] |= bit;
    if (m & 2) capital[i >> 5] |= bit;
    if (m & 4) cjkOrMaybe[i >> 5] |= bit;
    if (m & 8) {
      cjk[i >> 5] |= bit;
      if (CJK_TRIGGERS[c - CJK_BASE] !== 0) cjkTrigger[i >> 5] |= bit;
    }
    if (m & 16) wordy[i >> 5] |= bit;
  }
  return fromMaps([digit, capital, cjkOrMaybe, cjk, wordy, ...wordMaps, cjkTrigger, tokenPrefix]);
}

/** The CharClasses of bitmaps in CLASS_DEFS order, then WORD_CLASS_DEFS order, then the CJK triggers and the token prefixes. */
export function fromMaps(maps: readonly Uint32Array[]): CharClasses {
  return { digit: maps[0], capital: maps[1], cjkOrMaybe: maps[2], cjk: maps[3], wordy: maps[4], keywordHint: maps[5], nameIs: maps[6], cjkTrigger: maps[7], tokenPrefix: maps[8] };
}

/**
 * Whether any bit of [a, b) is set: the words covering the range only (nextSet reads on to the next set bit,
 * however far, which repeated lookups in a text without any would pay again and again).
 */
export function anySet(bits: Uint32Array, a: number, b: number): boolean {
  if (a >= b) return false;
  const first = a >>> 5;
  const last = (b - 1) >>> 5;
  const head = -1 << (a & 31);
  const tail = (b & 31) === 0 ? -1 : (1 << (b & 31)) - 1;
  if (first === last) return (bits[first] & head & tail) !== 0;
  if ((bits[first] & head) !== 0 || (bits[last] & tail) !== 0) return true;
  for (let w = first + 1; w < last; w++) if (bits[w] !== 0) return true;
  return false;
}

/**
 * The first position >= p whose bit is set, or n when none is before n (n: the text's length). Everything
 * after the first word is inside the loop: code after a loop that may run long is what V8's on-stack
 * replacement leaves stale (docs/DLP.md, "Long loops and V8's on-stack replacement").
 */
export function nextSet(bits: Uint32Array, p: number, n: number): number {
  if (p >= n) return n;
  let w = p >>> 5;
  let word = bits[w] & (-1 << (p & 31));
  const words = bits.length;
  for (;;) {
    if (word !== 0) {
      // | 0: typed as a small integer by the compiler (without it the sum may be typed as any number), so the
      // callers' positions stay integers (measured: 1.8% fewer instructions on a 1 M-char text)
      const r = ((w << 5) + 31 - Math.clz32(word & -word)) | 0;
      return r < n ? r : n;
    }
    if (++w >= words) return n;
    word = bits[w];
  }
}

/**
 * The first position >= p whose bit is clear, or n when every bit from p to n is set (n: the text's length;
 * bits past the text are 0). Returns from inside its loop, like nextSet.
 */
export function nextClear(bits: Uint32Array, p: number, n: number): number {
  if (p >= n) return n;
  let w = p >>> 5;
  let word = ~bits[w] & (-1 << (p & 31));
  const words = bits.length;
  for (;;) {
    if (word !== 0) {
      const r = ((w << 5) + 31 - Math.clz32(word & -word)) | 0;
      return r < n ? r : n;
    }
    if (++w >= words) return n;
    word = ~bits[w];
  }
}
