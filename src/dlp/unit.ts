/**
 * Reads of the scanned text that may fall outside it.
 *
 * The recognizers look at the neighbours of a span (the character right after it, the one before it) and
 * look ahead past a run, so they read one or two positions past either end of the text whenever a span
 * touches one. The first such read in V8's optimized code makes V8 throw that code away and compile the
 * function again with the read handling out-of-range positions (an undefined or NaN result, checked wherever
 * it is used): twice as slow in a loop that reads characters, measured. Short messages touch their ends far
 * more often than long texts: before these helpers, 4 KB messages cost 269 M instructions per 1 M chars where
 * one 1 MB text cost 183 M, and after a run of the pathological inputs a 1 MB text cost 6% more.
 *
 * codeAt and unitAt check the position themselves, so the read is always in range and the result stays a
 * small integer. Reads inside a range already checked (a loop bounded by the text's length, a position taken
 * from an earlier in-range read) stay plain `t.charCodeAt(i)` / `u[i]`: one check fewer, and checking every
 * read cost 7% more instructions on long texts. Which reads can fall outside was found by counting every
 * read's positions over both evaluation sets, every recognizer's examples, mixed text cut at six message
 * sizes and every pathological input (docs/DLP.md).
 *
 * 0 (NUL) past the ends acts like NaN or undefined did wherever the code tests for a character or a range of
 * characters (`c === 32`, `c >= 48 && c <= 57`, `TABLE[c] === 1`): it is none of the characters a
 * recognizer looks for.
 */

/** `t.charCodeAt(i)`, or 0 where i is outside t. */
export const codeAt = (t: string, i: number): number => (i >>> 0 < t.length ? t.charCodeAt(i) : 0);

/** `u[i]`, or 0 where i is outside u (the scan's code units, codes.ts). */
export const unitAt = (u: Uint16Array, i: number): number => (i >>> 0 < u.length ? u[i] : 0);
