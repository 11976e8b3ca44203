import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/integrity/rng.js';
import { binomialUpperTail, hammingKernel, logprobPermutationTest, mmdTwoSampleTest, normalQuantile, toSequence } from '../../src/integrity/stats.js';
import { baseModel, quantizedModel, substituteModel } from './support/ngram.js';
import { sampleCompletions } from './support/sampling.js';

test('the seeded generator is reproducible and roughly uniform', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(m - 0.5) < 0.05);
  assert.notDeepEqual(new Rng(1).next(), new Rng(2).next());
});

test('Hamming kernel counts agreeing positions of fixed-length sequences', () => {
  const vocab = new Map<string, number>();
  const x = toSequence('abcd', 6, 'char', vocab);
  const y = toSequence('abzd', 6, 'char', vocab);
  assert.equal(hammingKernel(x, y), 5 / 6); // a,b,d agree and both pads agree
  assert.equal(hammingKernel(x, x), 1);
});

test('distribution helpers', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-5);
  assert.ok(Math.abs(binomialUpperTail(1, 10, 0.1) - (1 - 0.9 ** 10)) < 1e-12);
  assert.equal(binomialUpperTail(0, 10, 0.3), 1);
});

const base = baseModel('stats-base');

test('MMD test: false-positive rate under the null is at most alpha over 200 seeded runs', () => {
  const runs = 200;
  const alpha = 0.05;
  let rejections = 0;
  for (let r = 0; r < runs; r++) {
    const rng = new Rng(`null-${r}`);
    const a = sampleCompletions(base, 40, rng, { perPrompt: 10, promptOffset: r });
    const b = sampleCompletions(base, 40, rng, { perPrompt: 10, promptOffset: r });
    if (mmdTwoSampleTest(a, b, { alpha, permutations: 99, seed: r }).reject) rejections++;
  }
  // Under H0 rejections ~ Binomial(200, <= 0.05); P[X >= 18] = 0.026, so this fails for a test that is
  // materially anti-conservative while a valid test passes.
  assert.ok(binomialUpperTail(18, runs, alpha) < 0.03);
  assert.ok(rejections < 18, `rejected ${rejections}/${runs} null runs`);
});

test('MMD test: full substitution is detected with 100 queries (power >= 0.9)', () => {
  const sub = substituteModel(base, 'stats-sub', { correlation: 0.5 });
  let rejections = 0;
  const runs = 20;
  for (let r = 0; r < runs; r++) {
    const rng = new Rng(`alt-${r}`);
    const a = sampleCompletions(sub, 100, rng, { promptOffset: r });
    const b = sampleCompletions(base, 100, rng, { promptOffset: r });
    const res = mmdTwoSampleTest(a, b, { alpha: 0.05, permutations: 199, seed: r });
    if (res.reject) rejections++;
  }
  assert.ok(rejections >= 18, `detected ${rejections}/${runs}`);
});

test('MMD test is deterministic for a seed and rejects nothing when there is no stratum to compare', () => {
  const rng = new Rng(3);
  const a = sampleCompletions(base, 20, rng);
  const b = sampleCompletions(quantizedModel(base), 20, rng);
  assert.deepEqual(mmdTwoSampleTest(a, b, { seed: 9, permutations: 50 }), mmdTwoSampleTest(a, b, { seed: 9, permutations: 50 }));
  const r = mmdTwoSampleTest([{ stratum: 'x', text: 'a' }], [{ stratum: 'y', text: 'b' }]);
  assert.equal(r.pValue, 1);
  assert.equal(r.reject, false);
});

test('logprob permutation test: identical vectors give p = 1, a systematic shift is detected', () => {
  const vec = (shift: number, noise: number, rng: Rng) => ({ the: -0.5 + shift + noise * rng.normal(), a: -1.2 + noise * rng.normal(), one: -2.5 - shift + noise * rng.normal() });
  const rng = new Rng(5);
  const mk = (shift: number, noise: number) => ['p1', 'p2', 'p3'].flatMap((s) => [0, 1, 2].map(() => ({ stratum: s, top: vec(shift, noise, rng) })));
  assert.equal(logprobPermutationTest(mk(0, 0), mk(0, 0)).pValue, 1);
  const shifted = logprobPermutationTest(mk(0.05, 0.001), mk(0, 0.001), { seed: 1 });
  assert.ok(shifted.reject && shifted.pValue < 0.01, `p = ${shifted.pValue}`);
  let rejections = 0;
  for (let r = 0; r < 100; r++) if (logprobPermutationTest(mk(0, 0.01), mk(0, 0.01), { seed: r, permutations: 199 }).reject) rejections++;
  assert.ok(rejections < 11, `null rejections ${rejections}/100`); // P[Binomial(100, 0.05) >= 11] = 0.011
});
