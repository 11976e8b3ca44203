import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pseudonymizer } from '../../src/dlp/pseudonymize.js';
import { scan } from '../../src/dlp/scan.js';
import { createStreamRestorer } from '../../src/dlp/stream.js';
import { PATHOLOGICAL } from './pathological.js';
import { cpuMs } from './support/rules.js';

/** Best of 2 runs, in ms of CPU time (a busy, shared machine does not stretch it as it does wall time). */
const time = (fn: () => void): number => cpuMs(fn, 2);

// Linear time means 10x the input costs about 10x the time; a quadratic scanner costs 100x.
// The bound is generous (shared, noisy machine); absolute timing goals live in bench/dlp.ts.
const MAX_RATIO = 30;
const FLOOR_MS = 4;

test('scan time grows linearly on pathological inputs (64 KB vs 640 KB)', () => {
  scan('warm up 13812345678 a@example.com 王小明先生');
  const bad: string[] = [];
  for (const [name, gen] of Object.entries(PATHOLOGICAL)) {
    const small = gen(64_000);
    const big = gen(640_000);
    let ts = time(() => scan(small));
    let tb = time(() => scan(big));
    if (tb / Math.max(ts, FLOOR_MS) > MAX_RATIO) {
      // the machine is shared: measure once more before calling it super-linear
      ts = Math.max(ts, time(() => scan(small)));
      tb = Math.min(tb, time(() => scan(big)));
    }
    const ratio = tb / Math.max(ts, FLOOR_MS);
    if (ratio > MAX_RATIO) bad.push(`${name}: ${ts.toFixed(1)} ms -> ${tb.toFixed(1)} ms (x${ratio.toFixed(1)})`);
  }
  assert.deepEqual(bad, []);
});

test('restore and stream restore are linear on bracket floods', () => {
  const p = new Pseudonymizer({ key: Buffer.alloc(32, 1), conversationId: 'lin' });
  const { text } = p.protect('手机13812345678');
  const tok = /\[CN_MOBILE_[0-9a-f]{8}\]/.exec(text)![0];
  for (const gen of [(n: number) => '['.repeat(n), (n: number) => '['.repeat(n) + ']', (n: number) => (tok.slice(0, 6) + ']').repeat(n / 7), (n: number) => tok.slice(0, 8).repeat(n / 8)]) {
    const run = (s: string) => () => {
      p.restore(s);
      const sr = createStreamRestorer(p);
      for (let i = 0; i < s.length; i += 1000) sr.push(s.slice(i, i + 1000));
      sr.flush();
    };
    const ts = time(run(gen(100_000)));
    const tb = time(run(gen(1_000_000)));
    assert.ok(tb / Math.max(ts, FLOOR_MS) < MAX_RATIO, `ratio ${tb / ts}`);
  }
});
