/** Entity types the engine reports (GUIDE contract); organisation terms may add their own type names. */
export const ENTITY_TYPES = [
  'CN_ID_CARD',
  'CN_MOBILE',
  'PHONE',
  'BANK_CARD',
  'CN_USCC',
  'PASSPORT',
  'EMAIL',
  'IP_ADDRESS',
  'SECRET',
  'PERSON',
  'ADDRESS',
  'CN_LICENSE_PLATE',
] as const;

export type BuiltinEntityType = (typeof ENTITY_TYPES)[number];
/** A built-in type, or a type name given to organisation-defined terms in config. */
export type EntityType = BuiltinEntityType | (string & {});

/** One detected span. Offsets are JavaScript string indices into the ORIGINAL text, end exclusive. */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  /** 0..1 confidence after context boosts. */
  score: number;
  /** Name of the recognizer that produced it. */
  recognizer: string;
  /** Why it matched (never contains the value). */
  explanation: string;
}

/** A span proposed by a recognizer, in NORMALIZED text coordinates. */
export interface Candidate {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  /** Extra reason appended to the recognizer's explanation (e.g. "context: 身份证"). */
  why?: string;
  /** Canonical form of the value (digits only, lower-case e-mail ...) used for stable pseudonyms. */
  canonical?: string;
}

/** Positive examples: text plus the exact value that must be found; negatives: text with no finding of that type. */
export interface RecognizerExamples {
  positive: Array<{ text: string; value: string }>;
  negative: string[];
}

/**
 * A recognizer is data plus a small function: `find` proposes candidates over the normalized text
 * (already validated: checksums, dates, ranges), context words raise or gate the score.
 */
export interface Recognizer {
  name: string;
  /** Types this recognizer can emit. */
  types: readonly EntityType[];
  explanation: string;
  find(text: string, scan: ScanState): Candidate[];
  examples: RecognizerExamples;
}

/** Shared per-scan state: memoised lexing passes several recognizers use. */
export interface ScanState {
  /** Digit runs and clusters as flat arrays (cheapest to walk), computed once per scan. */
  readonly runs: import('./lexer.js').DigitRuns;
  /**
   * The text's UTF-16 code units (see codes.ts): hot loops read codes[i] rather than text.charCodeAt(i).
   * Made once per scan.
   */
  readonly codes: Uint16Array;
  /** Bitmaps of character classes of the code units (digits, capitals, CJK; see classes.ts), made once per scan. */
  readonly classes: import('./classes.js').CharClasses;
  /** Runs of CJK ideographs (U+4E00-U+9FFF), computed once per scan (see cjk.ts). */
  readonly cjk: import('./cjk.js').CjkRuns;
  /** The same clusters as objects (built from `runs` on first use). */
  readonly clusters: readonly import('./lexer.js').Cluster[];
  /**
   * Any other shared pass, computed once per scan: the first call with `key` (a module-level constant)
   * runs `compute` on the normalized text, later calls in the same scan get its result.
   */
  memo<T>(key: object, compute: (text: string) => T): T;
  /** Lower-cased normalized text (for case-insensitive context lookups), computed lazily. */
  readonly lower: string;
  /**
   * Records a candidate of the running recognizer (the cheap way to report: no object per candidate; the
   * engine applies the score and type filters). A recognizer may instead, or also, return candidates.
   */
  emit(type: EntityType, start: number, end: number, score: number, why?: string, canonical?: string): void;
}

export type Action = 'pseudonymize' | 'redact' | 'block' | 'allow';
