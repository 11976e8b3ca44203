import fs from 'node:fs';
import { scan } from '../../../src/dlp/scan.js';
import { PATHOLOGICAL } from '../pathological.js';

// Run by jit.test.ts in a child process (with --trace-deopt): scans the pathological inputs named in
// TRUSTRELAY_JIT_INPUTS ("name,name@size") first, three times each, then ordinary messages of 4 K and 64 K
// characters. Does nothing without that variable (the test runner loads every file under test/).

/** Deoptimizations per place ("function @bytecode offset: reason") in the output of --trace-deopt. */
export function deoptsByPlace(trace: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of trace.matchAll(/\[bailout \(kind: [^,]*, reason: ([^)]*)\).*?<JSFunction (\S*?)[ >].*?bytecode offset (\d+)/g)) {
    const key = `${m[2] || '(anonymous)'} @${m[3]}: ${m[1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const spec = process.env.TRUSTRELAY_JIT_INPUTS;
if (spec) {
  const [names, size] = spec.split('@');
  for (const name of names.split(',')) {
    const text = PATHOLOGICAL[name](Number(size));
    for (let i = 0; i < 3; i++) scan(text);
  }
  const cases = fs
    .readFileSync(new URL('../../../../eval/dlp/cases.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  let all = '';
  for (let i = 0; all.length < 1 << 19; i++) all += cases[(i * 7) % cases.length] + '\n';
  for (const [size, rounds] of [
    [4096, 2],
    [65536, 4],
  ]) {
    for (let r = 0; r < rounds; r++) for (let i = 0; i < all.length; i += size) scan(all.slice(i, i + size));
  }
}
