import os from 'node:os';
import { CJK_TRIGGERS, cjkTriggerVersion, CLASS_COUNT, classesInJs, fromMaps, paddedLength, type CharClasses } from './classes.js';
import { CLASSES_WASM_BASE64 } from './classes-wasm.js';

/**
 * A scan's text as UTF-16 code units in a Uint16Array, made once per scan with one native copy. The hot
 * loops of the engine (walks over CJK runs, digit runs, context windows) read `u[i]` instead of
 * `t.charCodeAt(i)`: V8's optimized code checks the string's representation on every charCodeAt, a typed
 * array read is a plain load. Reads past the end give undefined (charCodeAt gives NaN): loops that read
 * there guard with the length, as they do for strings.
 *
 * The engine's own scans borrow the array from the memory of the character-class kernel (classes.ts, a
 * WebAssembly module): the kernel then reads the code units where they are, and writes the class bitmaps
 * right after them.
 */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Code units the kept kernel's memory holds at most (8 MB, and 2.5 MB of bitmaps); a longer text gets a kernel of its own. */
const POOL_MAX = 1 << 22;
/** Code units the kept kernel's first memory holds (a short message fits; the memory is replaced by a larger one as needed). */
const POOL_MIN = 1 << 14;

/**
 * The part of the WebAssembly API used here: the global exists in Node, its types come with TypeScript's DOM
 * library, which this project does not load.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

/**
 * Runs the digit lexer's first pass may write per call (lexer.ts, DigitGroups): the kernel's output area
 * holds this many, and the JavaScript twin's arrays as many.
 */
export const GROUPS_CAP = 4096;

/**
 * The first pass of the digit lexer, in the kernel or in JavaScript (lexer.ts): `run` lists up to GROUPS_CAP
 * digit runs of code units u from position `from` on (the runs are the set bits of `bits`, the digit
 * bitmap of u) into start / end / sep / shorts, and returns their number; `state` then holds where to go on
 * from (u's length or more: done), the end of the last run and the number of short runs listed.
 */
export interface DigitGroups {
  run(u: Uint16Array, bits: Uint32Array, from: number, lastEnd: number): number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly sep: Uint8Array;
  readonly shorts: Int32Array;
  readonly state: Int32Array;
}

/**
 * Bytes for the context-word tables (context.ts: every indexed word list, added by addContextList), copied
 * into each kernel's memory after its output area. A list that no longer fits is walked in JavaScript.
 */
const CONTEXT_AREA = 1 << 18;
/** The context-word tables, the bytes of them in use, and their version (bumped by each list added). */
const contextTables = { bytes: new Uint8Array(CONTEXT_AREA), used: 0, version: 0 };

/**
 * Adds a context-word list's tables (the words of one of context.ts's fast word lists: lower case, no
 * ASCII capitals) in the layout the kernel's contextWord reads (scripts/gen-classes-wasm.ts), and returns
 * where they start, or -1 when they do not fit. The pair table is keyed by the 6 low bits of a position's
 * code unit and of the next one as they are in the text: a word is entered under every ASCII case of its
 * first two characters (and a word of one character under every next one), so the walk folds nothing until
 * it compares a word.
 */
export function addContextList(words: readonly string[]): number {
  const cases = (c: number) => (c >= 97 && c <= 122 ? [c, c - 32] : [c]);
  const byKey = new Map<number, number[]>();
  words.forEach((w, i) => {
    const seconds = w.length >= 2 ? cases(w.charCodeAt(1)) : Array.from({ length: 64 }, (_, d) => d);
    for (const c of cases(w.charCodeAt(0))) {
      for (const d of seconds) {
        const key = ((c & 63) << 6) | (d & 63);
        const list = byKey.get(key) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        byKey.set(key, list);
      }
    }
  });
  // the pair table, then one bucket per distinct list of words (a count, then three numbers per word), then
  // the words' code units
  const at = (contextTables.used + 3) & ~3;
  let end = at + 2 * 4096;
  const buckets = new Map<string, number>();
  for (const list of byKey.values()) {
    const name = list.join(',');
    if (!buckets.has(name)) {
      buckets.set(name, end);
      end += 4 + 12 * list.length;
    }
  }
  if ((end - at) >> 2 > 0xffff) return -1;
  const wordAt = words.map((w) => {
    const o = end;
    end += 2 * w.length;
    return o;
  });
  if (end > CONTEXT_AREA) return -1;
  const view = new DataView(contextTables.bytes.buffer);
  for (const [key, list] of byKey) {
    const bucket = buckets.get(list.join(','))!;
    view.setUint16(at + 2 * key, (bucket - at) >> 2, true);
    view.setInt32(bucket, list.length, true);
    list.forEach((i, x) => {
      view.setInt32(bucket + 4 + 12 * x, i, true);
      view.setInt32(bucket + 8 + 12 * x, wordAt[i], true);
      view.setInt32(bucket + 12 + 12 * x, words[i].length, true);
    });
  }
  words.forEach((w, i) => {
    for (let k = 0; k < w.length; k++) view.setUint16(wordAt[i] + 2 * k, w.charCodeAt(k), true);
  });
  contextTables.used = end;
  contextTables.version++;
  return at;
}

/**
 * The kernel's walk of a context window (context.ts, firstWordIn) over code units u (where they are in a
 * kernel's memory), for the list whose tables addContextList put at `list`: the lowest index below `best` of
 * a word in [a, b), `best`, or -1 (U+0130 or U+212A in the window).
 */
export type ContextWalk = (u: Uint16Array, a: number, b: number, list: number, best: number) => number;

interface Kernel {
  readonly classify: (src: number, n: number, dst: number, stride: number, table: number) => void;
  /** The context-word walk over this memory's code units (its copy of the tables refreshed first when stale). */
  readonly contextWalk: ContextWalk;
  /** The first pass of the digit lexer over this memory's code units, writing into its output area (after the trigger table). */
  readonly digitGroups: DigitGroups;
  /** Runs written to the output area since the memory was last zeroed. */
  outUsed: number;
  /** The bitmap views of short texts, by padded length in 32-unit words (see classesOf). */
  readonly views: Array<CharClasses | undefined>;
  /** The memory's buffer (never grown: see newKernel) and a Buffer over it: writes and zeroing make no view per scan. */
  readonly buffer: ArrayBuffer;
  readonly bytes: Buffer;
  /** Code units the memory holds, with their bitmaps. */
  readonly units: number;
  /** Where its copy of CJK_TRIGGERS starts (after the bitmaps of `units` code units), and the copy's version (-1: none yet). */
  readonly table: number;
  tableVersion: number;
  /** Where its copy of the context-word tables starts (after the digit lexer's output area). */
  readonly ctx: number;
}

/** The compiled kernel; null where WebAssembly or its SIMD instructions are not available (the classes are then computed in JavaScript). */
let kernelModule: object | null | undefined;

/**
 * A kernel whose memory holds `units` code units and their bitmaps (null when WebAssembly is not available or
 * the memory cannot be had). The memory is made to size and never grown: growing a WebAssembly memory
 * detaches its old ArrayBuffer, and the first detached ArrayBuffer of a process makes V8 check, from then
 * on, at every typed-array access of all optimized code, whether the array's buffer has been detached (its
 * "array buffer detaching" protector is gone). Those checks made a 1 MB scan of street-like text count 12%
 * more instructions. A text too long for a kernel's memory gets a new kernel; the old one is left to the
 * garbage collector, which frees its memory without detaching it.
 */
function newKernel(units: number): Kernel | null {
  if (kernelModule === undefined) {
    try {
      kernelModule = new WebAssembly.Module(Buffer.from(CLASSES_WASM_BASE64, 'base64'));
    } catch {
      kernelModule = null;
    }
  }
  if (kernelModule === null) return null;
  try {
    const table = bytesFor(units);
    // after the trigger table: 16 bytes of state, then the output area of the digit lexer's first pass
    const out = (table + CJK_TRIGGERS.length + 16 + 15) & ~15;
    // then the copy of the context-word tables
    const ctx = (out + GROUPS_CAP * 13 + 15) & ~15;
    const memory = new WebAssembly.Memory({ initial: Math.ceil((ctx + CONTEXT_AREA) / 65536) });
    const e = new WebAssembly.Instance(kernelModule, { env: { memory } }).exports as {
      classify: Kernel['classify'];
      groups: (src: number, n: number, bits: number, words: number, from: number, lastEnd: number, out: number, cap: number) => number;
      contextWord: (src: number, a: number, b: number, list: number, base: number, best: number) => number;
    };
    const contextWord = e.contextWord;
    let ctxVersion = -1;
    const buffer = memory.buffer;
    const groups = e.groups;
    const k: Kernel = {
      classify: e.classify,
      contextWalk(u: Uint16Array, a: number, b: number, list: number, best: number): number {
        if (ctxVersion !== contextTables.version) {
          k.bytes.set(contextTables.bytes.subarray(0, contextTables.used), ctx);
          ctxVersion = contextTables.version;
        }
        return contextWord(0, a, b, ctx + list, ctx, best);
      },
      digitGroups: {
        run(u: Uint16Array, bits: Uint32Array, from: number, lastEnd: number): number {
          const count = groups(0, u.length, bits.byteOffset, bits.length, from, lastEnd, out, GROUPS_CAP);
          if (count > k.outUsed) k.outUsed = count;
          return count;
        },
        start: new Int32Array(buffer, out, GROUPS_CAP),
        end: new Int32Array(buffer, out + 4 * GROUPS_CAP, GROUPS_CAP),
        shorts: new Int32Array(buffer, out + 8 * GROUPS_CAP, GROUPS_CAP),
        sep: new Uint8Array(buffer, out + 12 * GROUPS_CAP, GROUPS_CAP),
        state: new Int32Array(buffer, out - 16, 4),
      },
      outUsed: 0,
      views: [],
      buffer,
      bytes: Buffer.from(buffer),
      units,
      table,
      tableVersion: -1,
      ctx,
    };
    kernels.set(buffer, k);
    return k;
  } catch {
    return null;
  }
}

/** The kernel kept between scans (its memory holds the code units of the text lent out). */
let pooled: Kernel | null | undefined;
let lent = false;
/** Kernels by the buffer of their memory: which arrays `classesOf` may hand to a kernel. */
const kernels = new WeakMap<ArrayBufferLike, Kernel>();

/**
 * Zero bytes between the padded code units and the bitmaps: the kernel's word classes read two code units
 * past each block (see scripts/gen-classes-wasm.ts), which past the last block must read as 0.
 */
const GAP = 32;
/**
 * Bytes the kernel's memory needs for n code units: the padded code units, the gap, then one bitmap per
 * class. (The kernel's copy of CJK_TRIGGERS follows, after those of its largest text.)
 */
function bytesFor(n: number): number {
  return paddedLength(n) * 2 + GAP + CLASS_COUNT * (paddedLength(n) >> 3);
}

function fill(u: Uint16Array, t: string): void {
  const n = t.length;
  if (LITTLE_ENDIAN) Buffer.from(u.buffer, u.byteOffset, n * 2).write(t, 0, 'utf16le');
  else for (let i = 0; i < n; i++) u[i] = t.charCodeAt(i);
}

/** The code units of t in a new array. */
export function utf16(t: string): Uint16Array {
  const u = new Uint16Array(t.length);
  fill(u, t);
  return u;
}

/** The code units of t in kernel k's memory, at offset 0 (t fits: t.length <= k.units). */
function inKernel(k: Kernel, t: string): Uint16Array {
  if (LITTLE_ENDIAN) {
    k.bytes.write(t, 0, t.length * 2, 'utf16le');
    return new Uint16Array(k.buffer, 0, t.length);
  }
  const u = new Uint16Array(k.buffer, 0, t.length);
  fill(u, t);
  return u;
}

/**
 * The code units of t in the memory kept between scans (no fresh memory to fault in per scan), or in memory
 * of their own when that is lent out or t is too long. Give them back with `giveBack` once the scan is over.
 */
export function borrowUtf16(t: string): Uint16Array {
  const n = t.length;
  if (lent || n > POOL_MAX) {
    // memory of its own (garbage after the scan); plain code units (classes in JavaScript) if even that fails
    const k = newKernel(n);
    return k ? inKernel(k, t) : utf16(t);
  }
  if (pooled === undefined || (pooled !== null && pooled.units < n)) {
    // a larger memory replaces the kept one (doubling, up to POOL_MAX): never grown in place (see newKernel)
    const units = Math.min(POOL_MAX, Math.max(n, POOL_MIN, pooled ? pooled.units * 2 : 0));
    const larger = newKernel(units);
    if (larger !== null) pooled = larger;
    else if (pooled === undefined) pooled = null;
    else return utf16(t); // no memory for it now: this text's classes in JavaScript
  }
  if (pooled === null) return utf16(t);
  lent = true;
  return inKernel(pooled, t);
}

/**
 * The class bitmaps of code units u: by the kernel when u was borrowed (borrowUtf16), in JavaScript
 * otherwise. Bitmaps made by the kernel live in its memory next to the code units, until `giveBack`.
 */
export function classesOf(u: Uint16Array): CharClasses {
  const k = u.byteOffset === 0 ? kernels.get(u.buffer) : undefined;
  if (k === undefined) return classesInJs(u);
  const n = u.length;
  const padded = paddedLength(n);
  const dst = padded * 2 + GAP;
  const stride = padded >> 3;
  // the code units past n up to the padded length are zero (fresh memory, or zeroed by giveBack)
  if (k.tableVersion !== cjkTriggerVersion[0]) {
    k.bytes.set(CJK_TRIGGERS, k.table);
    k.tableVersion = cjkTriggerVersion[0];
  }
  k.classify(0, padded, dst, stride, k.table);
  // the views depend on the padded length only: those of short texts are kept (making them cost more than
  // classifying a message of a few hundred characters)
  const slot = padded >> 5;
  const kept = slot < KEPT_VIEWS ? k.views[slot] : undefined;
  if (kept !== undefined) return kept;
  const maps: Uint32Array[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) maps.push(new Uint32Array(k.buffer, dst + c * stride, padded >> 5));
  const classes = fromMaps(maps);
  if (slot < KEPT_VIEWS) k.views[slot] = classes;
  return classes;
}

/** Texts padded to fewer than this many 32-unit words have their bitmap views kept per kernel (Kernel.views). */
const KEPT_VIEWS = 128;

/**
 * Ends a borrowUtf16 loan. The memory used is zeroed (code units and bitmaps: nothing of a scanned text
 * stays in memory between requests, and the padding stays zero for the next loan). The trigger table stays:
 * it holds the recognizers' characters, nothing of a text.
 */
export function giveBack(u: Uint16Array): void {
  if (pooled && u.buffer === pooled.buffer) {
    pooled.bytes.fill(0, 0, bytesFor(u.length));
    const used = pooled.outUsed;
    if (used > 0) {
      // the digit runs' positions written there
      const g = pooled.digitGroups;
      g.start.fill(0, 0, used);
      g.end.fill(0, 0, used);
      g.shorts.fill(0, 0, used);
      g.sep.fill(0, 0, used);
      g.state.fill(0);
      pooled.outUsed = 0;
    }
    lent = false;
  }
}

/**
 * The kernel's first pass of the digit lexer for code units u and their digit bitmap, when both are in a
 * kernel's memory (borrowUtf16, classesOf); null otherwise.
 */
export function kernelDigitGroups(u: Uint16Array, digit: Uint32Array): DigitGroups | null {
  if (u.byteOffset !== 0 || digit.buffer !== u.buffer) return null;
  const k = kernels.get(u.buffer);
  return k === undefined ? null : k.digitGroups;
}

/** The kernel's context-word walk for code units u when they are in a kernel's memory (borrowUtf16); null otherwise. */
export function kernelContextWalk(u: Uint16Array): ContextWalk | null {
  if (u.byteOffset !== 0) return null;
  const k = kernels.get(u.buffer);
  return k === undefined ? null : k.contextWalk;
}

/**
 * Where a kernel's copy of the context-word tables starts (-1 for a buffer that is not a kernel's), and the
 * tables as they are now: for the tests that check a given-back memory holds nothing of a text.
 */
export function contextTablesAt(buffer: ArrayBufferLike): { at: number; tables: Uint8Array } {
  return { at: kernels.get(buffer)?.ctx ?? -1, tables: contextTables.bytes.subarray(0, contextTables.used) };
}

/**
 * Where the copy of CJK_TRIGGERS starts in a kernel's memory (everything before it is text data: code units
 * and bitmaps), or -1 for a buffer that is not a kernel's. For the tests that check a given-back memory holds
 * nothing of a text.
 */
export function triggerTableAt(buffer: ArrayBufferLike): number {
  return kernels.get(buffer)?.table ?? -1;
}
