import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { declareLocal, MARGIN, STRETCH, STRETCHED_ABOVE, scan, scanDetailed, scanWhole, stretchStats, type DetailedFinding, type ScanOptions } from '../../src/dlp/scan.js';
import { builtinRecognizers } from '../../src/dlp/recognizers/index.js';
import { termRecognizer } from '../../src/dlp/recognizers/terms.js';
import type { Recognizer } from '../../src/dlp/types.js';
import { PATHOLOGICAL } from './pathological.js';

// A text longer than STRETCHED_ABOVE is scanned in stretches (scan.ts); its findings must be exactly those of
// one pass over the whole text, wherever the cuts fall and whatever crosses them.

const EVAL_TEXTS = fs
  .readFileSync(new URL('../../../eval/dlp/cases.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { text: string }).text);

/** The evaluation texts, joined by `sep` over and over until `size` code units. */
function joined(size: number, sep: string): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const t = EVAL_TEXTS[(i * 7) % EVAL_TEXTS.length] + sep;
    parts.push(t);
    n += t.length;
  }
  return parts.join('');
}

/** Deterministic pseudo-random base64 characters (inert filler shaped like key material). */
function base64(n: number, seed: number): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += A[(x >>> 16) & 63];
  }
  return s;
}

/** Where the stretched scan cuts a text of n code units (the cuts between windows). */
function cuts(n: number): number[] {
  const k = Math.ceil(n / STRETCH);
  const out: number[] = [];
  for (let i = 1; i < k; i++) out.push(Math.round((i * n) / k));
  return out;
}

const FIELDS = ['type', 'start', 'end', 'score', 'recognizer', 'explanation', 'canonical'] as const;

/** Whether two lists of findings are equal in every field (a loop: deepEqual on tens of thousands is slow). */
function same(a: readonly DetailedFinding[], b: readonly DetailedFinding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (Object.keys(a[i]).length !== Object.keys(b[i]).length) return false;
    for (const k of FIELDS) if (a[i][k] !== b[i][k]) return false;
  }
  return true;
}

/** Asserts that `text` is scanned in stretches with the findings of one pass; returns them. */
function assertSameAsWhole(text: string, label: string, opts: ScanOptions = {}): DetailedFinding[] {
  assert.ok(text.length > STRETCHED_ABOVE, `${label}: long enough to be stretched`);
  const before = stretchStats.stretched;
  const got = scanDetailed(text, opts);
  assert.equal(stretchStats.stretched, before + 1, `${label}: scanned in stretches`);
  const whole = scanWhole(text, opts, true) as DetailedFinding[];
  // (deepEqual only to show a difference)
  if (!same(got, whole)) assert.deepEqual(got, whole, `${label}: stretched scan = one pass`);
  return whole;
}

test('a long text scanned in stretches has the findings of one pass (no fallback on ordinary text)', () => {
  const fellBack = stretchStats.fellBack;
  for (const sep of ['\n', ' ', '']) {
    const t = joined(STRETCHED_ABOVE + 150_000, sep);
    assertSameAsWhole(t, `evaluation texts joined by ${JSON.stringify(sep)}`);
    assert.ok(scan(t).length > 10_000, 'many findings, some of them at the cuts');
  }
  assert.equal(stretchStats.fellBack, fellBack, 'ordinary text never needs the one-pass fallback');
});

test('findings crossing a cut, long ones and chains, are found as in one pass', () => {
  const items: Array<[string, string, boolean]> = [
    // [label, text inserted, whether one pass finds a span starting in the inserted text]
    ['PEM key, 5 K', `-----BEGIN RSA PRIVATE KEY-----\n${base64(4800, 1).replace(/(.{64})/g, '$1\n')}\n-----END RSA PRIVATE KEY-----`, true],
    ['JWT, 7 K', `eyJhbGciOiJIUzI1NiJ9.eyJ${base64(7000, 2).replace(/[+/]/g, 'x')}.${base64(43, 3).replace(/[+/]/g, 'y')}`, true],
    ['e-mail', 'zhang.wei@example.com', true],
    ['mobile', '手机 13812345678', true],
    ['address', '浙江省杭州市西湖区文三路 90 号 5 栋', true],
    ['digits run on', '1 2 '.repeat(5000), false],
    ['list of names', 'Alice Brown, Carol Davis, '.repeat(800), false],
  ];
  const base = joined(STRETCHED_ABOVE + 120_000, '\n');
  const inBase = scanWhole(base);
  // each text holds one item at each of these offsets from a cut, one offset per cut; a finding starting
  // before the window after the cut sees, as a long one at the first offset does, makes that text fall back
  // (the other offsets are then not tested in stretches), so that offset gets a text of its own
  for (const offsets of [[-(MARGIN >> 1) - 5, -20, -1, 3, MARGIN >> 1], [-MARGIN - 40]]) {
    for (const [label, item, found] of items) {
      const n = base.length + offsets.length * (item.length + 2);
      const c = cuts(n);
      assert.ok(c.length >= offsets.length);
      // item j starts (after a line break) at c[j] + offsets[j] + 1 of the final text
      const at = offsets.map((off, j) => c[j] + off);
      let text = '';
      let from = 0;
      at.forEach((a, j) => {
        const p = a - j * (item.length + 2); // where in the base it goes
        text += `${base.slice(from, p)}\n${item}\n`;
        from = p;
      });
      text += base.slice(from);
      assert.equal(text.length, n);
      const fellBack = stretchStats.fellBack;
      const whole = assertSameAsWhole(text, `${label} at ${offsets.join(', ')} from the cuts`);
      // around the cuts the windows agree on the values (so the stitching, not the fallback, gave the result);
      // a chain 20 K long, cut off by a window's end, may make them disagree and fall back
      if (offsets.length > 1 && found) assert.equal(stretchStats.fellBack, fellBack, `${label}: stitched`);
      at.forEach((a, j) => {
        // (unless the item went into a value of the text around it, a key in the evaluation texts say)
        const p = a - j * (item.length + 2);
        const inside = inBase.some((f) => f.start < p && p < f.end);
        if (found && !inside) assert.ok(whole.some((f) => f.start > a && f.start <= a + item.length), `${label} at ${offsets[j]}: found by one pass`);
      });
    }
  }
});

test('every pathological input, long enough to be stretched, has the findings of one pass', () => {
  for (const [name, gen] of Object.entries(PATHOLOGICAL)) assertSameAsWhole(gen(Math.round(STRETCHED_ABOVE * 1.15)), name);
});

test('windows that disagree around a cut fall back to one pass', () => {
  // one address running over the whole text: longer than any window, the windows cannot agree on it
  const t = PATHOLOGICAL['road-numbers'](STRETCHED_ABOVE + 60_000);
  const fellBack = stretchStats.fellBack;
  assertSameAsWhole(t, 'road-numbers');
  assert.equal(stretchStats.fellBack, fellBack + 1);
  assert.equal(scanWhole(t).length, 1);
});

// one X per 1000 code units: the zone checked around a cut holds a few, a narrower one might hold none
const MARKS = Math.ceil((STRETCHED_ABOVE + 100_000) / 1000);

/**
 * A recognizer whose findings depend on the whole text before them: each X after the first Y anywhere, or
 * with `scored`, each X, scored higher after a Y.
 */
function afterMarker(scored = false): Recognizer {
  return {
    name: 'after-marker',
    types: ['MARKED'],
    explanation: 'an X somewhere after a Y',
    find(t, scan) {
      const y = t.indexOf('Y');
      for (let p = t.indexOf('X'); p >= 0; p = t.indexOf('X', p + 1)) if (scored || (y >= 0 && y < p)) scan.emit('MARKED', p, p + 1, y >= 0 && y < p ? 0.9 : 0.6);
      return [];
    },
    examples: { positive: [], negative: [] },
  };
}

test('organisation terms are scanned in stretches too, runs of overlapping matches included', () => {
  const terms = termRecognizer({ name: 'codes', values: ['Project Falcon', '=='], patterns: ['ACME-[0-9]{4}'] });
  const recognizers = [...builtinRecognizers, terms];
  const base = joined(STRETCHED_ABOVE + 100_000, ' ');
  const at = cuts(base.length + 30_000)[0] - 9_000;
  // '==' matches a run of ='s in pairs, from the run's start: a window starting inside the run pairs them differently
  const text = `${base.slice(0, at)} ${'='.repeat(29_998)} ${base.slice(at)}`.replace(/report/g, 'Project Falcon ACME-1234');
  const f = assertSameAsWhole(text, 'terms', { recognizers });
  assert.ok(f.filter((x) => x.canonical === 'project falcon').length > 100);
  assert.ok(f.filter((x) => x.canonical === 'ACME-1234').length > 100);
  assert.equal(f.filter((x) => x.canonical === '==').length, 14_999);
});

test('a recognizer that may look further than the cut margin runs in one pass', () => {
  const text = 'Y' + '.'.repeat(500) + `${'.'.repeat(999)}X`.repeat(MARKS);
  const before = { ...stretchStats };
  const f = scan(text, { recognizers: [afterMarker()] });
  assert.equal(stretchStats.stretched, before.stretched, 'not stretched');
  assert.equal(f.length, MARKS);
});

test('the check around each cut catches state carried further than the margin', () => {
  // declared local although it is not: the windows after the first see no Y and disagree with the one before
  const text = 'Y' + '.'.repeat(500) + `${'.'.repeat(999)}X`.repeat(MARKS);
  for (const scored of [false, true]) {
    // scored: both windows find the same Xs around the cut, with different scores
    const rec = declareLocal(afterMarker(scored));
    const fellBack = stretchStats.fellBack;
    const f = assertSameAsWhole(text, `after-marker${scored ? ', scored' : ''}`, { recognizers: [rec] });
    assert.equal(stretchStats.fellBack, fellBack + 1);
    assert.equal(f.length, MARKS);
    assert.ok(f.every((x) => x.score === 0.9));
  }
});
