/**
 * Builds the WebAssembly kernel that computes the DLP engine's character-class bitmaps (src/dlp/classes.ts)
 * and writes it to src/dlp/classes-wasm.ts. Run after changing CLASS_DEFS:
 *
 *   npx tsx scripts/gen-classes-wasm.ts
 *
 * The kernel is generated as WebAssembly text from the class definitions and assembled with wabt (a
 * development dependency; the gateway only loads the bytes). test/dlp/classes.test.ts holds the committed
 * bytes equal to a fresh build.
 *
 * The memory is imported (env.memory): codes.ts makes each kernel's memory to the size it needs, and never
 * grows one (see newKernel there).
 *
 * classify(src, n, dst, stride, table): for the n code units at byte offset src (n a multiple of 32; the caller
 * pads with zeros), writes class k's bitmap at dst + k * stride, 16 bits per block of 16 code units. Each block is
 * loaded as two vectors of 8 code units; a class is an OR of range tests ((c - lo) < width, unsigned, done as
 * a signed compare with both sides biased by 0x8000) less its excluded ranges; the two 8-lane results are narrowed to 16 bytes whose sign bits form the 16-bit mask.
 * Blocks of ASCII only (most of any text) test only the classes' ranges below 0x80.
 *
 * Word classes (WORD_CLASS_DEFS: positions where a three-letter word starts, ASCII case folded) come after the
 * range classes: the block and the same block shifted by one and two code units are narrowed to bytes
 * (unsigned saturation: no code unit above 0xff can equal a letter) and folded (| 0x20); each word owns one
 * bit of a byte, and for each of the three positions two 16-entry tables (by low and by high nibble, read with
 * i8x16.swizzle) give the words whose letter there has those nibbles, so the AND of the six look-ups is the
 * set of words starting at each of the 16 positions (the nibble technique of Hyperscan's "Teddy" matcher).
 * The shifted loads read up to two code units past the block; the caller leaves a zero gap after the padded
 * code units (see codes.ts), so units past the text read as 0.
 *
 * The CJK triggers' bitmap follows: in a block holding ideographs (the `cjk` class's mask), each ideograph
 * is looked up in the byte table at `table` (CJK_TRIGGERS, indexed from U+4E00), one set bit of the mask at a
 * time. The token prefixes' bitmap comes last (PREFIX_BUCKETS): the same nibble look-ups as the word classes,
 * on the same narrowed bytes before folding, with one bit per bucket.
 *
 * Every vector constant (range bounds, nibble tables, masks) is a mutable global read into a local before
 * the loop: V8 rebuilds a v128.const at each of its uses inside a loop (three or four instructions each),
 * which was half of the loop's instructions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CJK_BASE, CJK_CLASS, CLASS_DEFS, PREFIX_MAP, PREFIX_NIBBLES, TRIGGER_MAP, WORD_CLASS_DEFS, type ClassDef } from '../src/dlp/classes.js';

export function classesWat(): string {
  // Vector constants live in mutable globals, read into locals before the loop. A v128.const (or a local
  // holding one) is rematerialized by V8's compiler at each use inside the loop, three or four instructions
  // each (half of the loop's instructions, measured); a value read from a global is an ordinary value, kept
  // in a register or read from the stack as an operand.
  const consts = new Map<string, string>();
  const vk = (literal: string) => {
    let name = consts.get(literal);
    if (!name) consts.set(literal, (name = `$c${consts.size}`));
    return `(local.get ${name})`;
  };
  const splat = (v: number) => `(v128.const i16x8 ${Array(8).fill(v).join(' ')})`;
  const bytes = (v: ArrayLike<number>) => `(v128.const i8x16 ${Array.from(v, (x) => (x > 127 ? x - 256 : x)).join(' ')})`;
  const k = (v: number) => vk(splat(v));
  // a range test (c - a) < width, unsigned, as a signed compare of the difference biased by 0x8000 (one
  // instruction on x64, where an unsigned 16-bit compare takes three or four)
  const range = (x: string, [a, b]: readonly [number, number]) =>
    a === b ? `(i16x8.eq (local.get ${x}) ${k(a)})` : `(i16x8.lt_s (i16x8.sub (local.get ${x}) ${k((a + 0x8000) & 0xffff)}) ${k(b - a + 1 - 0x8000)})`;
  const or = (parts: string[]) => parts.reduce((acc, p) => `(v128.or ${acc} ${p})`);
  const test = (x: string, d: ClassDef, asciiOnly: boolean): string | null => {
    const any = asciiOnly ? d.any.filter(([a]) => a < 0x80) : d.any;
    if (any.length === 0) return null;
    let e = or(any.map((r) => range(x, r)));
    for (const r of d.not ?? []) if (!asciiOnly || r[0] < 0x80) e = `(v128.andnot ${e} ${range(x, r)})`;
    return e;
  };
  const at = (i: number) => `(i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const ${i})))`;
  const stores = (asciiOnly: boolean) =>
    CLASS_DEFS.map((d, i) => {
      const a = test('$a', d, asciiOnly);
      const mask = a === null ? '(i32.const 0)' : `(i8x16.bitmask (i8x16.narrow_i16x8_s ${a} ${test('$b', d, asciiOnly)}))`;
      // the cjk class's mask is kept for the trigger look-up below
      if (i === CJK_CLASS && !asciiOnly) return `          (local.set $m ${mask})\n          (i32.store16 ${at(i)} (local.get $m))`;
      return `          (i32.store16 ${at(i)} ${mask})`;
    }).join('\n');
  // the CJK triggers of a block with ideographs: one table read per set bit of the cjk mask
  const triggers = `          (local.set $tm (i32.const 0))
          (block $tdone
            (loop $tnext
              (br_if $tdone (i32.eqz (local.get $m)))
              (local.set $l (i32.ctz (local.get $m)))
              (local.set $tm (i32.or (local.get $tm)
                (i32.shl
                  (i32.load8_u (i32.add (local.get $table)
                    (i32.sub (i32.load16_u (i32.add (local.get $p) (i32.shl (local.get $l) (i32.const 1)))) (i32.const ${CJK_BASE}))))
                  (local.get $l))))
              (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
              (br $tnext)))
          (i32.store16 ${at(TRIGGER_MAP)} (local.get $tm))`;
  const full = stores(false);
  const ascii = stores(true);
  const high = k(0xff80);
  // word classes: each word gets a bit; per position 0-2 of the words, tables by low and high nibble
  const wordBit: number[][] = [];
  let bit = 0;
  for (const d of WORD_CLASS_DEFS) wordBit.push(d.words.map(() => 1 << bit++));
  const nibbleTables: { lo: number[]; hi: number[] }[] = [0, 1, 2].map((pos) => {
    const lo = Array<number>(16).fill(0);
    const hi = Array<number>(16).fill(0);
    WORD_CLASS_DEFS.forEach((d, c) =>
      d.words.forEach((w, j) => {
        const ch = w.charCodeAt(pos);
        lo[ch & 15] |= wordBit[c][j];
        hi[ch >> 4] |= wordBit[c][j];
      }),
    );
    return { lo, hi };
  });
  const nib = vk(bytes(Array(16).fill(15)));
  const zero = vk('(v128.const i64x2 0 0)');
  // code units i + pos of the block narrowed to bytes (unsigned saturation: none above 0xff equals an ASCII
  // character), split into nibbles (the high one by a 16-bit shift and the mask: i8x16.shr_u would rebuild
  // its own mask at each use); a folded byte (| 0x20) has the same low nibble and its high nibble | 2
  const nibbles = (pos: number) => `        (local.set $x (i8x16.narrow_i16x8_u (v128.load offset=${2 * pos} (local.get $p)) (v128.load offset=${16 + 2 * pos} (local.get $p))))
        (local.set $ln (v128.and (local.get $x) ${nib}))
        (local.set $hn (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) ${nib}))`;
  const lookup = (pos: number) =>
    `(v128.and (i8x16.swizzle ${vk(bytes(nibbleTables[pos].lo))} (local.get $ln)) (i8x16.swizzle ${vk(bytes(nibbleTables[pos].hi))} (v128.or (local.get $hn) ${vk(bytes(Array(16).fill(2)))})))`;
  // the token prefixes' buckets (PREFIX_NIBBLES): the same look-ups, on the code units as they are
  const tokenLookup = (pos: number) =>
    `(v128.and (i8x16.swizzle ${vk(bytes(PREFIX_NIBBLES[pos].lo))} (local.get $ln)) (i8x16.swizzle ${vk(bytes(PREFIX_NIBBLES[pos].hi))} (local.get $hn)))`;
  // lanes of x that are not zero, as a 16-bit mask (the complement of the zero lanes' mask: x64 has no
  // vector "not equal")
  const nonZeroMask = (x: string) => `(i32.xor (i8x16.bitmask (i8x16.eq ${x} ${zero})) (i32.const 0xffff))`;
  const wordSteps = [0, 1, 2]
    .map(
      (pos) =>
        `${nibbles(pos)}\n        (local.set $w ${pos === 0 ? lookup(0) : `(v128.and (local.get $w) ${lookup(pos)})`})\n` +
        `        (local.set $v ${pos === 0 ? tokenLookup(0) : `(v128.and (local.get $v) ${tokenLookup(pos)})`})`,
    )
    .join('\n');
  const wordStores = WORD_CLASS_DEFS.map((d, c) => {
    const mask = wordBit[c].reduce((a, b) => a | b, 0);
    return `        (i32.store16 (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const ${CLASS_DEFS.length + c}))) ${nonZeroMask(`(v128.and (local.get $w) ${vk(bytes(Array(16).fill(mask)))})`)})`;
  }).join('\n');
  const tokenStore = `        (i32.store16 ${at(PREFIX_MAP)} ${nonZeroMask('(local.get $v)')})`;
  const decl = [...consts.values()].map((n) => `(local ${n} v128)`).join(' ');
  const globals = [...consts].map(([literal, n]) => `  (global ${n.replace('$c', '$g')} (mut v128) ${literal})`).join('\n');
  const init = [...consts.values()].map((n) => `    (local.set ${n} (global.get ${n.replace('$c', '$g')}))`).join('\n');
  return `(module
  (import "env" "memory" (memory 1))
${globals}
  (func (export "classify") (param $src i32) (param $n i32) (param $dst i32) (param $stride i32) (param $table i32)
    (local $i i32) (local $p i32) (local $o i32) (local $m i32) (local $l i32) (local $tm i32) (local $a v128) (local $b v128) ${decl}
    (local $x v128) (local $w v128) (local $v v128) (local $ln v128) (local $hn v128)
${init}
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 1))))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load offset=16 (local.get $p)))
        (local.set $o (i32.add (local.get $dst) (i32.shr_u (local.get $i) (i32.const 3))))
        (if (v128.any_true (v128.and (v128.or (local.get $a) (local.get $b)) ${high}))
          (then
${full}
${triggers})
          (else
${ascii}
          (i32.store16 ${at(TRIGGER_MAP)} (i32.const 0))))
${wordSteps}
${wordStores}
${tokenStore}
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
${GROUPS_WAT}
${CONTEXT_WAT})
`;
}

/**
 * groups(src, n, bits, words, from, lastEnd, out, cap): the digit runs of the n code units at src, from
 * position `from` on, as the set bits of the digit bitmap at `bits` (`words` 32-bit words) show them; the
 * first pass of the digit lexer (src/dlp/lexer.ts, where `groupsChunk` is the same in JavaScript). Writes up
 * to `cap` runs: starts at out, ends at out + 4 cap, the separator code joining each run to the one before
 * at out + 12 cap (a byte each; 0 when the gap is not one of the separators of lexer.ts's sepCode, or the run
 * is the first), and the starts of the short runs ADDRESS looks at (1-2 digits after a letter or '.' and a
 * space, no space after) at out + 8 cap. Returns the number of runs; leaves at out - 16 the position to go on
 * from (n or more: done), the end of the last run, and the number of short runs. Code units past n read as 0
 * (the caller's padding).
 */
const unit = (i: string) => `(i32.load16_u (i32.add (local.get $src) (i32.shl ${i} (i32.const 1))))`;
const word = (w: string) => `(i32.load (i32.add (local.get $bits) (i32.shl ${w} (i32.const 2))))`;
const eq = (x: string, v: number) => `(i32.eq (local.get ${x}) (i32.const ${v}))`;
const pick = (pairs: Array<[string, number]>) => pairs.reduceRight((acc, [cond, v]) => `(select (i32.const ${v}) ${acc} ${cond})`, '(i32.const 0)');
const GROUPS_WAT = `  (func (export "groups") (param $src i32) (param $n i32) (param $bits i32) (param $words i32)
    (param $from i32) (param $lastEnd i32) (param $out i32) (param $cap i32) (result i32)
    (local $s i32) (local $e i32) (local $w i32) (local $word i32) (local $ng i32) (local $ns i32) (local $c i32) (local $d i32) (local $code i32) (local $gap i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ng) (local.get $cap)))
        (br_if $done (i32.ge_u (local.get $from) (local.get $n)))
        ;; s: the next set bit at or after from
        (local.set $w (i32.shr_u (local.get $from) (i32.const 5)))
        (local.set $word (i32.and ${word('(local.get $w)')} (i32.shl (i32.const -1) (local.get $from))))
        (block $found
          (loop $skip
            (br_if $found (local.get $word))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (if (i32.ge_u (local.get $w) (local.get $words)) (then (local.set $from (local.get $n)) (br $done)))
            (local.set $word ${word('(local.get $w)')})
            (br $skip)))
        (local.set $s (i32.add (i32.shl (local.get $w) (i32.const 5)) (i32.ctz (local.get $word))))
        (if (i32.ge_u (local.get $s) (local.get $n)) (then (local.set $from (local.get $n)) (br $done)))
        ;; e: the next clear bit after s (n at most)
        (local.set $e (i32.add (local.get $s) (i32.const 1)))
        (local.set $w (i32.shr_u (local.get $e) (i32.const 5)))
        (block $ended
          (if (i32.ge_u (local.get $w) (local.get $words)) (then (local.set $e (local.get $n)) (br $ended)))
          (local.set $word (i32.and (i32.xor ${word('(local.get $w)')} (i32.const -1)) (i32.shl (i32.const -1) (local.get $e))))
          (loop $more
            (if (local.get $word) (then (local.set $e (i32.add (i32.shl (local.get $w) (i32.const 5)) (i32.ctz (local.get $word)))) (br $ended)))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (if (i32.ge_u (local.get $w) (local.get $words)) (then (local.set $e (local.get $n)) (br $ended)))
            (local.set $word (i32.xor ${word('(local.get $w)')} (i32.const -1)))
            (br $more)))
        (if (i32.gt_u (local.get $e) (local.get $n)) (then (local.set $e (local.get $n))))
        ;; a short run: 1-2 digits, a space before, no space after, a Latin letter, combining mark or '.' before the space
        (if (i32.and (i32.le_u (i32.sub (local.get $e) (local.get $s)) (i32.const 2)) (i32.gt_u (local.get $s) (i32.const 1)))
          (then
            (if (i32.and (i32.eq ${unit('(i32.sub (local.get $s) (i32.const 1))')} (i32.const 32)) (i32.ne ${unit('(local.get $e)')} (i32.const 32)))
              (then
                (local.set $c ${unit('(i32.sub (local.get $s) (i32.const 2))')})
                (if (i32.or
                      (i32.or (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26)) ${eq('$c', 46)})
                      (i32.or
                        (i32.lt_u (i32.sub (local.get $c) (i32.const 0x300)) (i32.const 0x70))
                        (i32.and (i32.lt_u (i32.sub (local.get $c) (i32.const 0xc0)) (i32.const 0x190))
                          (i32.and (i32.ne (local.get $c) (i32.const 0xd7)) (i32.ne (local.get $c) (i32.const 0xf7))))))
                  (then
                    (i32.store (i32.add (local.get $out) (i32.add (i32.shl (local.get $cap) (i32.const 3)) (i32.shl (local.get $ns) (i32.const 2)))) (local.get $s))
                    (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))))))
        ;; the separator joining the run to the one before (the first run has lastEnd -10: gap > 2)
        (local.set $code (i32.const 0))
        (local.set $gap (i32.sub (local.get $s) (local.get $lastEnd)))
        (if (i32.le_s (local.get $gap) (i32.const 2))
          (then
            (local.set $c ${unit('(local.get $lastEnd)')})
            (if (i32.eq (local.get $gap) (i32.const 1))
              (then (local.set $code ${pick([[eq('$c', 32), 1], [eq('$c', 45), 2], [eq('$c', 46), 3], [eq('$c', 40), 4], [eq('$c', 41), 5]])}))
              (else
                (local.set $d ${unit('(i32.add (local.get $lastEnd) (i32.const 1))')})
                (local.set $code ${pick([
                  [`(i32.and ${eq('$c', 41)} ${eq('$d', 32)})`, 6],
                  [`(i32.and ${eq('$c', 41)} ${eq('$d', 45)})`, 7],
                  [`(i32.and ${eq('$c', 32)} ${eq('$d', 40)})`, 8],
                  [`(i32.and ${eq('$c', 32)} ${eq('$d', 45)})`, 9],
                  [`(i32.and ${eq('$c', 45)} ${eq('$d', 32)})`, 10],
                ])})))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $ng) (i32.const 2))) (local.get $s))
        (i32.store (i32.add (local.get $out) (i32.add (i32.shl (local.get $cap) (i32.const 2)) (i32.shl (local.get $ng) (i32.const 2)))) (local.get $e))
        (i32.store8 (i32.add (local.get $out) (i32.add (i32.mul (local.get $cap) (i32.const 12)) (local.get $ng))) (local.get $code))
        (local.set $ng (i32.add (local.get $ng) (i32.const 1)))
        (local.set $lastEnd (local.get $e))
        (local.set $from (local.get $e))
        (br $next)))
    (i32.store (i32.sub (local.get $out) (i32.const 16)) (local.get $from))
    (i32.store (i32.sub (local.get $out) (i32.const 12)) (local.get $lastEnd))
    (i32.store (i32.sub (local.get $out) (i32.const 8)) (local.get $ns))
    (local.get $ng))
`;

/**
 * contextWord(src, a, b, list, base, best): the lowest index below `best` of a word of one context-word
 * list lying wholly inside code units [a, b) of the code units at src (ASCII letters folded to lower
 * case), `best` when there is none, or -1 when the window holds U+0130 or U+212A; src/dlp/context.ts's
 * firstWordIn is the same in JavaScript. The list's tables are at `list` (codes.ts, addContextList): a
 * 4096-entry table of 16-bit entries by the key of a position's code unit and the next one (6 low bits each,
 * as they are: the table holds every case), each 0 or the offset in 4-byte units from `list` of a bucket:
 * a count, then per word (ascending index) its index, the byte offset from `base` of its code units, and its
 * length. The code unit after the window is read as it is: b is at most the text's length, and the code units
 * past the text are zero (the caller's padding).
 */
const fold = (x: string) => `(select (i32.or (local.get ${x}) (i32.const 32)) (local.get ${x}) (i32.lt_u (i32.sub (local.get ${x}) (i32.const 65)) (i32.const 26)))`;
const CONTEXT_WAT = `  (func (export "contextWord") (param $src i32) (param $a i32) (param $b i32) (param $list i32) (param $base i32) (param $best i32) (result i32)
    (local $p i32) (local $c i32) (local $e i32) (local $end i32) (local $wl i32) (local $wo i32) (local $k i32) (local $x i32)
    (local.set $p (local.get $a))
    (if (i32.ge_u (local.get $p) (local.get $b)) (then (return (local.get $best))))
    (block $bad
    (loop $next
      (local.set $c ${unit('(local.get $p)')})
      (br_if $bad (i32.eq (local.get $c) (i32.const 0x130)))
      (br_if $bad (i32.eq (local.get $c) (i32.const 0x212a)))
      (local.set $e (i32.load16_u (i32.add (local.get $list) (i32.shl
        (i32.or (i32.shl (i32.and (local.get $c) (i32.const 63)) (i32.const 6)) (i32.and ${unit('(i32.add (local.get $p) (i32.const 1))')} (i32.const 63)))
        (i32.const 1)))))
      (if (local.get $e)
        (then
          ;; the bucket's words, in ascending index order: the first below best that matches is the answer here
          (local.set $e (i32.add (local.get $list) (i32.shl (local.get $e) (i32.const 2))))
          (local.set $end (i32.add (i32.add (local.get $e) (i32.const 4)) (i32.mul (i32.load (local.get $e)) (i32.const 12))))
          (local.set $e (i32.add (local.get $e) (i32.const 4)))
          (block $found
            (loop $word
              (br_if $found (i32.ge_u (local.get $e) (local.get $end)))
              (br_if $found (i32.ge_s (i32.load (local.get $e)) (local.get $best)))
              (local.set $wl (i32.load offset=8 (local.get $e)))
              (if (i32.le_s (i32.add (local.get $p) (local.get $wl)) (local.get $b))
                (then
                  (local.set $wo (i32.add (local.get $base) (i32.load offset=4 (local.get $e))))
                  (local.set $k (i32.const 0))
                  (block $differs
                    (loop $char
                      (br_if $differs (i32.ge_u (local.get $k) (local.get $wl)))
                      (local.set $x ${unit('(i32.add (local.get $p) (local.get $k))')})
                      (br_if $differs (i32.ne ${fold('$x')} (i32.load16_u (i32.add (local.get $wo) (i32.shl (local.get $k) (i32.const 1))))))
                      (local.set $k (i32.add (local.get $k) (i32.const 1)))
                      (br $char)))
                  (if (i32.eq (local.get $k) (local.get $wl))
                    (then
                      (local.set $best (i32.load (local.get $e)))
                      (br $found)))))
              (local.set $e (i32.add (local.get $e) (i32.const 12)))
              (br $word)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $p) (local.get $b)))
      (return (local.get $best))))
    ;; U+0130 or U+212A
    (i32.const -1))
`;

/** The kernel's bytes. */
export async function buildClassesWasm(): Promise<Uint8Array> {
  const { default: init } = await import('wabt');
  const wabt = await init();
  const mod = wabt.parseWat('classes.wat', classesWat(), { simd: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** The TypeScript module holding the bytes. */
export function classesModuleSource(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 100) lines.push(`  '${b64.slice(i, i + 100)}'`);
  return `// Generated by scripts/gen-classes-wasm.ts from CLASS_DEFS in classes.ts: do not edit.
/** The character-class kernel (WebAssembly, SIMD), base64. */
export const CLASSES_WASM_BASE64 =
${lines.join(' +\n')};
`;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const out = path.join(path.dirname(self), '..', 'src', 'dlp', 'classes-wasm.ts');
  const src = classesModuleSource(await buildClassesWasm());
  fs.writeFileSync(out, src);
  console.log(`wrote ${out}`);
}
