import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anySet, CJK_BASE, CJK_TRIGGERS, CLASS_DEFS, CLASS_TABLES, classesInJs, inPrefixBuckets, inWordClass, nextClear, nextSet, paddedLength, PREFIX_BUCKETS, WORD_CLASS_DEFS, type CharClasses } from '../../src/dlp/classes.js';
import '../../src/dlp/recognizers/index.js';
import { CLASSES_WASM_BASE64 } from '../../src/dlp/classes-wasm.js';
import { borrowUtf16, classesOf, giveBack, utf16 } from '../../src/dlp/codes.js';
import { MAYBE_SOURCE } from '../../src/dlp/normalize.js';
import { buildClassesWasm } from '../../scripts/gen-classes-wasm.js';
import { assertHoldsNoText } from './support/memory.js';

let seed = 0x5eed;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

/** Characters at and around every range edge of every class, plus ordinary text. */
const EDGES: number[] = [0, 9, 10, 32, 0x7f, 0x80, 0xff, 0xff80, 0xffff, 0xd800, 0xdc00, ...'aZ中，。ä'.split('').map((c) => c.charCodeAt(0))];
for (const d of CLASS_DEFS) for (const [a, b] of [...d.any, ...(d.not ?? [])]) EDGES.push(a - 1, a, a + 1, b - 1, b, b + 1);

function randomCodes(n: number, asciiShare: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = rnd() < asciiShare ? 32 + Math.floor(rnd() * 95) : EDGES[Math.floor(rnd() * EDGES.length)] & 0xffff;
    s += String.fromCharCode(c);
  }
  return s;
}

const bitsOf = (bits: Uint32Array, n: number) => {
  const out: number[] = [];
  for (let p = nextSet(bits, 0, n); p < n; p = nextSet(bits, p + 1, n)) out.push(p);
  return out;
};
const classOf = (cls: CharClasses, k: number) => [cls.digit, cls.capital, cls.cjkOrMaybe, cls.cjk, cls.wordy, cls.keywordHint, cls.nameIs][k];

test('the class bitmaps of the kernel and of the JavaScript path hold exactly the members of each class', () => {
  const lengths = [0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 4097];
  for (let r = 0; r < 300; r++) {
    const n = r < lengths.length ? lengths[r] : Math.floor(rnd() * 700);
    // runs of pure ASCII take the kernel's ASCII path, others its full one
    const t = randomCodes(n, r % 3 === 0 ? 1 : r % 3 === 1 ? 0.9 : 0.3);
    const u = borrowUtf16(t);
    try {
      const wasm = classesOf(u);
      const js = classesInJs(utf16(t));
      for (let k = 0; k < CLASS_DEFS.length; k++) {
        const want: number[] = [];
        for (let i = 0; i < n; i++) if (CLASS_TABLES[k][t.charCodeAt(i)] === 1) want.push(i);
        assert.deepEqual(bitsOf(classOf(wasm, k), n), want, `${CLASS_DEFS[k].name} (kernel) of ${JSON.stringify(t)}`);
        assert.deepEqual(bitsOf(classOf(js, k), n), want, `${CLASS_DEFS[k].name} (JavaScript) of ${JSON.stringify(t)}`);
        assert.equal(classOf(wasm, k).length, paddedLength(n) >> 5);
      }
    } finally {
      giveBack(u);
    }
  }
});

test('the word classes of the kernel and of the JavaScript path hold exactly the positions where a word starts, in any case', () => {
  // the words in mixed case, their pieces, letters that fold onto them only with bit 0x20 (Ű U+0170 narrows to
  // 0xff, ｐ U+FF50), CJK: at lengths around the 32-unit padding, where the kernel's shifted reads pass the end
  const pieces = ['pas', 'PWD', 'Pin', 'kEy', 'SEC', 'tok', 'Bea', 'nam', 'NAM', 'nAm', 'p', 'a', 'ss', 'e', 'y', 'x', ' ', '中', 'Ű', '\uff50', '\u0150', '\u8070', '@'];
  const lengths = [0, 1, 2, 3, 30, 31, 32, 33, 34, 62, 63, 64, 65, 66, 96];
  let hits = 0;
  for (let r = 0; r < 1500; r++) {
    const n = r < lengths.length * 40 ? lengths[r % lengths.length] : Math.floor(rnd() * 300);
    let t = '';
    while (t.length < n) t += pieces[Math.floor(rnd() * pieces.length)];
    t = t.slice(0, n);
    const units = utf16(t);
    const u = borrowUtf16(t);
    try {
      const wasm = classesOf(u);
      const js = classesInJs(units);
      for (let w = 0; w < WORD_CLASS_DEFS.length; w++) {
        const k = CLASS_DEFS.length + w;
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          const lower = t.slice(i, i + 3).replace(/[A-Z]/g, (c) => c.toLowerCase());
          if (WORD_CLASS_DEFS[w].words.includes(lower)) want.push(i);
        }
        hits += want.length;
        assert.deepEqual(bitsOf(classOf(wasm, k), n), want, `${WORD_CLASS_DEFS[w].name} (kernel) of ${JSON.stringify(t)}`);
        assert.deepEqual(bitsOf(classOf(js, k), n), want, `${WORD_CLASS_DEFS[w].name} (JavaScript) of ${JSON.stringify(t)}`);
        for (const i of want) assert.ok(inWordClass(units, i, w));
      }
    } finally {
      giveBack(u);
    }
  }
  assert.ok(hits > 5000, `the samples hold words (${hits})`);
});

test('the token-prefix bitmaps of the kernel and of the JavaScript path mark exactly the positions the prefix buckets hold', () => {
  // a set at a position matches the characters whose two hexadecimal digits both occur in it (classes.ts)
  const inSet = (set: string, c: number) => c < 128 && [...set].some((a) => (a.charCodeAt(0) & 15) === (c & 15)) && [...set].some((a) => a.charCodeAt(0) >> 4 === c >> 4);
  const want = (t: string, i: number) => PREFIX_BUCKETS.some((b) => [0, 1, 2].every((k) => inSet(b[k], i + k < t.length ? t.charCodeAt(i + k) : 0)));
  // the prefixes, their pieces, other combinations of the buckets' sets (ghe, rk-, eyA), case changes, and
  // code units whose low byte is a bucket character (U+0173 's', U+6B2D, Latin-1 and full-width letters)
  const pieces = ['sk-', 'sk_', 'rk_', 'rk-', 'ghp', 'ghe', 'git', 'glp', 'AKI', 'ASI', 'AIz', 'xox', 'LTA', 'eyJ', 'eyA', '---', '://', 'npm', 'whs', 'SK-', 'Eyj'];
  const singles = ['s', 'k', '-', 'g', 'h', 'A', 'x', 'o', 'e', 'y', 'J', ':', '/', 'n', 'w', ' ', '中', '\u0173', '\u6b2d', '\u00e9', '\uff53', '\u2d2f'];
  const lengths = [0, 1, 2, 3, 30, 31, 32, 33, 34, 62, 63, 64, 65, 66, 96];
  let hits = 0;
  for (let r = 0; r < 1500; r++) {
    const n = r < lengths.length * 40 ? lengths[r % lengths.length] : Math.floor(rnd() * 300);
    let t = '';
    while (t.length < n) t += rnd() < 0.3 ? pieces[Math.floor(rnd() * pieces.length)] : singles[Math.floor(rnd() * singles.length)];
    t = t.slice(0, n);
    const units = utf16(t);
    const expected: number[] = [];
    for (let i = 0; i < n; i++) if (want(t, i)) expected.push(i);
    hits += expected.length;
    const u = borrowUtf16(t);
    try {
      assert.deepEqual(bitsOf(classesOf(u).tokenPrefix, n), expected, `kernel: ${JSON.stringify(t)}`);
    } finally {
      giveBack(u);
    }
    assert.deepEqual(bitsOf(classesInJs(units).tokenPrefix, n), expected, `JavaScript: ${JSON.stringify(t)}`);
    for (let i = 0; i < n; i++) assert.equal(inPrefixBuckets(units, i), expected.includes(i));
  }
  assert.ok(hits > 5000, `the samples hold prefixes (${hits})`);
});

test('the CJK trigger bitmaps of the kernel and of the JavaScript path mark exactly the registered ideographs', () => {
  const registered: number[] = [];
  const plain: number[] = [];
  for (let c = CJK_BASE; c <= 0x9fff; c++) (CJK_TRIGGERS[c - CJK_BASE] === 1 ? registered : plain).push(c);
  assert.ok(registered.length > 50 && plain.length > 10000, 'the recognizers registered their characters');
  // ideographs of both kinds and the edges of the block, in blocks of 16 mixed with ASCII and other non-ASCII
  const pool = [...registered.slice(0, 40), ...plain.slice(0, 40), CJK_BASE, 0x9fff, CJK_BASE - 1, 0xa000, 0x41, 0x31, 0x20, 0xff0c];
  let marked = 0;
  for (let r = 0; r < 400; r++) {
    const n = Math.floor(rnd() * 200);
    let t = '';
    for (let i = 0; i < n; i++) t += String.fromCharCode(pool[Math.floor(rnd() * pool.length)]);
    const want: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c >= CJK_BASE && c <= 0x9fff && CJK_TRIGGERS[c - CJK_BASE] === 1) want.push(i);
    }
    marked += want.length;
    const u = borrowUtf16(t);
    try {
      assert.deepEqual(bitsOf(classesOf(u).cjkTrigger, n), want, `kernel: ${JSON.stringify(t)}`);
      assert.deepEqual(bitsOf(classesInJs(utf16(t)).cjkTrigger, n), want, `JavaScript: ${JSON.stringify(t)}`);
    } finally {
      giveBack(u);
    }
  }
  assert.ok(marked > 1000, `the samples hold registered characters (${marked})`);
});

test('nextClear finds the next position outside a class from any position, and the length when there is none', () => {
  for (let r = 0; r < 200; r++) {
    const n = Math.floor(rnd() * 140);
    let t = '';
    for (let i = 0; i < n; i++) t += rnd() < 0.8 ? '7' : 'x';
    const digit = classesInJs(utf16(t)).digit;
    for (let p = 0; p <= n + 2; p++) {
      let want = n;
      for (let i = p; i < n; i++)
        if (t[i] !== '7') {
          want = i;
          break;
        }
      assert.equal(nextClear(digit, p, n), want, `${JSON.stringify(t)} from ${p}`);
    }
  }
});

test('anySet tells whether a range holds a set bit, reading only the words the range covers', () => {
  for (let r = 0; r < 300; r++) {
    const n = Math.floor(rnd() * 200);
    let t = '';
    const share = rnd();
    for (let i = 0; i < n; i++) t += rnd() < share ? '7' : 'x';
    const digit = classesInJs(utf16(t)).digit;
    for (let k = 0; k < 40; k++) {
      const a = Math.floor(rnd() * (n + 2));
      const b = Math.min(n, a + Math.floor(rnd() * 80));
      assert.equal(anySet(digit, a, b), t.slice(a, b).includes('7'), `${JSON.stringify(t)} [${a}, ${b})`);
    }
  }
});

test('the classes are the ranges the engine searched with regexes before', () => {
  const capitals = /[\u0041-\u005a\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]/;
  const cjkOrMaybe = new RegExp(`[\\u4e00-\\u9fff${MAYBE_SOURCE}]`);
  for (let c = 0; c < 65536; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(CLASS_TABLES[0][c] === 1, /\d/.test(ch), `digit ${c}`);
    assert.equal(CLASS_TABLES[1][c] === 1, capitals.test(ch), `capital ${c}`);
    // a superset of the pre-check class: its other members are stepped over one by one
    if (cjkOrMaybe.test(ch)) assert.equal(CLASS_TABLES[2][c], 1, `cjkOrMaybe ${c}`);
    // what context.ts's window check looked for character by character
    const l = c | 0x20;
    assert.equal(CLASS_TABLES[4][c] === 1, (l >= 97 && l <= 122) || c >= 0x80, `wordy ${c}`);
  }
});

test('nextSet finds the next member from any position, and the length when there is none', () => {
  const t = 'a1b22c   3' + 'x'.repeat(40) + '4';
  const cls = classesInJs(utf16(t));
  const n = t.length;
  for (let p = 0; p <= n + 3; p++) {
    let want = n;
    for (let i = p; i < n; i++)
      if (t[i] >= '0' && t[i] <= '9') {
        want = i;
        break;
      }
    assert.equal(nextSet(cls.digit, p, n), want, `from ${p}`);
  }
});

test('a second loan and a text too long for the kept memory get memory of their own, classified all the same', () => {
  const a = borrowUtf16('Alice 42');
  const b = borrowUtf16('Bob 7 中');
  try {
    assert.notEqual(a.buffer, b.buffer);
    assert.deepEqual(bitsOf(classesOf(a).capital, a.length), [0]);
    assert.deepEqual(bitsOf(classesOf(b).digit, b.length), [4]);
    assert.deepEqual(bitsOf(classesOf(b).cjkOrMaybe, b.length), [6]);
  } finally {
    giveBack(b);
    giveBack(a);
  }
  // the kept memory is all zero again: code units, padding and bitmaps
  assertHoldsNoText(a.buffer);
});

test('a text longer than the kept memory gets a larger memory; no memory is grown, so no buffer is ever detached', () => {
  // growing a WebAssembly memory detaches its old buffer, and one detached buffer makes V8 check every
  // typed-array access of all optimized code from then on (codes.ts, newKernel)
  const small = borrowUtf16('Alice 42');
  const before = small.buffer;
  const size = before.byteLength;
  giveBack(small);
  const t = 'Bob 7 中 '.repeat(40_000); // 360 K code units: more than the first kept memory holds
  const big = borrowUtf16(t);
  try {
    assert.notEqual(big.buffer, before, 'a memory of its own size');
    assert.equal(before.byteLength, size, 'the earlier memory was not grown (its buffer is not detached)');
    assert.deepEqual(bitsOf(classesOf(big).digit, big.length).slice(0, 2), [4, 12]);
  } finally {
    giveBack(big);
  }
  // the larger memory is kept for the next loan, zeroed
  const again = borrowUtf16('x');
  try {
    assert.equal(again.buffer, big.buffer);
    assertHoldsNoText(again.buffer, 2);
  } finally {
    giveBack(again);
  }
});

test('the committed kernel is the one scripts/gen-classes-wasm.ts builds from the class definitions', async () => {
  const fresh = await buildClassesWasm();
  assert.equal(Buffer.from(fresh).toString('base64'), CLASSES_WASM_BASE64, 'run: npx tsx scripts/gen-classes-wasm.ts');
});
