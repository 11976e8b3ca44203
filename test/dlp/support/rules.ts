import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../../src/dlp/scan.js';

/** Best of `runs`, in ms of CPU time (steadier than wall-clock time on a shared, busy machine). */
export function cpuMs(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/**
 * The tests every rule set of one entity type runs: exact spans of what it must find, silence on hard
 * negatives, and linear time on inputs flooded with its anchors (10x the input may cost at most 30x).
 */
export function ruleTests(type: string, o: { found: Array<[string, string[]]>; silent: string[]; floods: Record<string, (n: number) => string>; warmUp: string }): void {
  const label = type.toLowerCase();
  const spans = (text: string) => scan(text).filter((f) => f.type === type).map((f) => text.slice(f.start, f.end));
  test(`${label} rules: exact spans`, () => {
    for (const [text, want] of o.found) assert.deepEqual(spans(text), want, JSON.stringify(text));
  });
  test(`${label} rules: hard negatives`, () => {
    for (const text of o.silent) assert.deepEqual(spans(text), [], JSON.stringify(text));
  });
  test(`${label} rules: linear time on floods aimed at the new anchors`, () => {
    scan(o.warmUp);
    const bad: string[] = [];
    for (const [name, gen] of Object.entries(o.floods)) {
      const small = gen(40_000);
      const big = gen(400_000);
      let ts = cpuMs(() => scan(small));
      let tb = cpuMs(() => scan(big));
      for (let retry = 0; retry < 2 && tb / Math.max(ts, 8) > 30; retry++) {
        // shared machine: measure both again before calling it super-linear
        ts = Math.max(ts, cpuMs(() => scan(small)));
        tb = Math.min(tb, cpuMs(() => scan(big)));
      }
      if (tb / Math.max(ts, 8) > 30) bad.push(`${name}: ${ts.toFixed(1)} ms -> ${tb.toFixed(1)} ms`);
    }
    assert.deepEqual(bad, []);
  });
}
