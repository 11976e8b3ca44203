import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRecognizers } from '../../src/dlp/recognizers/index.js';
import { scan } from '../../src/dlp/scan.js';
import { lexDigits, Window } from '../../src/dlp/lexer.js';
import { mobileDigits } from '../../src/dlp/recognizers/numbers.js';

// Every recognizer carries its own positive and negative examples; this runs all of them.
for (const rec of builtinRecognizers) {
  test(`recognizer ${rec.name}: examples`, () => {
    assert.ok(rec.examples.positive.length > 0, 'has positive examples');
    assert.ok(rec.examples.negative.length > 0, 'has negative examples');
    for (const ex of rec.examples.positive) {
      const start = ex.text.indexOf(ex.value);
      assert.ok(start >= 0, `example value is inside its text: ${ex.text}`);
      const found = scan(ex.text);
      const hit = found.find((f) => rec.types.includes(f.type) && f.start === start && f.end === start + ex.value.length);
      assert.ok(hit, `${rec.name} finds ${JSON.stringify(ex.value)} in ${JSON.stringify(ex.text)}; got ${JSON.stringify(found.map((f) => [f.type, ex.text.slice(f.start, f.end)]))}`);
      assert.ok(hit.explanation.length > 0);
    }
    for (const text of rec.examples.negative) {
      const found = scan(text).filter((f) => rec.types.includes(f.type) && f.recognizer === rec.name);
      assert.deepEqual(found.map((f) => text.slice(f.start, f.end)), [], `${rec.name} finds nothing in ${JSON.stringify(text)}`);
    }
  });
}

test('the mobile shape read in place equals the pattern over the digit string, on every window', () => {
  // every window of consecutive groups, over random digit strings biased towards mobile-like starts (1, 86, 0086)
  let seed = 7;
  // high bits of a 31-bit LCG (its low bits repeat with short periods)
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) % n;
  const pattern = /^(?:0086|86)?1[3-9]\d{9}$/;
  let checked = 0;
  let matched = 0;
  for (let round = 0; round < 6000; round++) {
    const lead = ['', '86', '0086', '8', '00', '1'][rnd(6)];
    let digits = lead + '1' + String(rnd(10));
    // half of them exactly as long as a mobile with that lead
    const len = rnd(2) ? lead.length + 11 : 8 + rnd(10);
    while (digits.length < len) digits += String(rnd(10));
    // cut into groups joined by spaces or dashes
    let text = '';
    for (let k = 0; k < digits.length; k++) text += (k > 0 && rnd(5) === 0 ? (rnd(2) ? ' ' : '-') : '') + digits[k];
    const r = lexDigits(text);
    for (let c = 0; c < r.clusters; c++) {
      const cf = r.first[c];
      const cl = r.last[c];
      for (let i = cf; i <= cl; i++) {
        let n = 0;
        for (let j = i; j <= cl; j++) {
          n += r.end[j] - r.start[j];
          const w = new Window(text, r, cf, cl, i, j, n);
          const want = pattern.test(w.digits);
          assert.equal(mobileDigits(w), want, `${text} groups ${i}-${j}`);
          for (let k = 0; k < n; k++) assert.equal(w.digitAt(k), w.digits.charCodeAt(k));
          assert.equal(w.digitAt(n), -1);
          checked++;
          if (want) matched++;
        }
      }
    }
  }
  assert.ok(checked > 10_000 && matched > 150, `${checked} windows, ${matched} mobiles`);
});
