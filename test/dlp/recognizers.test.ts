import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRecognizers } from '../../src/dlp/recognizers/index.js';
import { scan } from '../../src/dlp/scan.js';

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
