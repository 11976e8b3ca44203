/**
 * Power and false-positive figures for docs/INTEGRITY.md, from the seeded n-gram models (no network
 * except loopback mock relays for the end-to-end audit rows).
 *
 *   npm run build && node dist/scripts/integrity-power.js [--runs 200] [--audits 30]
 *
 * Prints Markdown tables. Every number is reproducible: each run's generator is seeded by its index.
 */
import { parseArgs } from 'node:util';
import { runAudit } from '../src/integrity/audit.js';
import { InflationTest } from '../src/integrity/inflation.js';
import { PROBE_POOLS } from '../src/integrity/probes.js';
import { Rng } from '../src/integrity/rng.js';
import { logprobPermutationTest, mmdTwoSampleTest, type LogprobSample } from '../src/integrity/stats.js';
import { countChatPrompt, countTokens } from '../src/integrity/tokenizer.js';
import { startMockRelay, type RelayBehaviour } from '../test/integrity/support/mock-relay.js';
import { baseModel, generate, quantizedModel, substituteModel, textOf, type LanguageModel } from '../test/integrity/support/ngram.js';
import { sampleCompletions, SAMPLE_PROMPTS } from '../test/integrity/support/sampling.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, audits: { type: 'string' }, alpha: { type: 'string' } } });
const RUNS = Number(values.runs ?? 100);
const AUDITS = Number(values.audits ?? 10);
const ALPHA = Number(values.alpha ?? 0.05);
const started = Date.now();

function wilson(k: number, n: number): string {
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return `${p.toFixed(3)} [${Math.max(0, c - h).toFixed(3)}, ${Math.min(1, c + h).toFixed(3)}]`;
}
const rate = (k: number, n: number) => (k / n).toFixed(2);

const base = baseModel('power-base');
const scenarios: { name: string; other: LanguageModel; mixP?: number }[] = [
  { name: 'full substitution (unrelated model)', other: substituteModel(base, 'power-unrelated', { correlation: 0 }) },
  { name: 'full substitution (related model, logit corr. 0.5)', other: substituteModel(base, 'power-sub', { correlation: 0.5 }) },
  { name: 'full substitution (close model, logit corr. 0.9)', other: substituteModel(base, 'power-close', { correlation: 0.9 }) },
  { name: 'quantization-like (logit noise sd 0.3)', other: quantizedModel(base, 0.3) },
  { name: 'quantization-like (logit noise sd 0.15)', other: quantizedModel(base, 0.15) },
  { name: 'mixed: 50% related substitute', other: substituteModel(base, 'power-sub', { correlation: 0.5 }), mixP: 0.5 },
  { name: 'mixed: 25% related substitute', other: substituteModel(base, 'power-sub', { correlation: 0.5 }), mixP: 0.25 },
  { name: 'mixed: 10% related substitute', other: substituteModel(base, 'power-sub', { correlation: 0.5 }), mixP: 0.1 },
];
const SIZES = [20, 50, 100, 200];

function mmdRun(target: LanguageModel, n: number, seed: string, mixP?: number, length = 32): boolean {
  const rng = new Rng(seed);
  const offset = rng.int(SAMPLE_PROMPTS.length);
  const a = mixP ? sampleCompletions(base, n, rng, { promptOffset: offset, mix: { model: target, p: mixP } }) : sampleCompletions(target, n, rng, { promptOffset: offset });
  const b = sampleCompletions(base, n, rng, { promptOffset: offset });
  return mmdTwoSampleTest(a, b, { alpha: ALPHA, permutations: 200, seed, length }).reject;
}

console.log(`# Integrity power figures (runs per cell: ${RUNS}, alpha ${ALPHA}, 200 permutations, 10 samples per prompt)\n`);
console.log('## Two-sample MMD test (Hamming kernel, first 32 characters): detection rate vs queries to the audited endpoint\n');
console.log(`| scenario | ${SIZES.map((n) => `N=${n}`).join(' | ')} |`);
console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
for (const sc of scenarios) {
  const cells = SIZES.map((n) => {
    let k = 0;
    for (let r = 0; r < RUNS; r++) if (mmdRun(sc.other, n, `${sc.name}|${n}|${r}`, sc.mixP)) k++;
    return rate(k, RUNS);
  });
  console.log(`| ${sc.name} | ${cells.join(' | ')} |`);
}

console.log('\n## False-positive rate of the MMD test under the null (same model behind both endpoints)\n');
const NULL_RUNS = RUNS * 5;

console.log(`| N | rejections / runs | rate [95% Wilson CI] |\n|---|---|---|`);
for (const n of SIZES) {
  let k = 0;
  for (let r = 0; r < NULL_RUNS; r++) if (mmdRun(base, n, `null|${n}|${r}`)) k++;
  console.log(`| ${n} | ${k} / ${NULL_RUNS} | ${wilson(k, NULL_RUNS)} |`);
}

console.log('\n## Sensitivity to the sequence length L (N = 100)\n');
const LENGTHS = [16, 32, 64];
console.log(`| scenario | ${LENGTHS.map((l) => `L=${l}`).join(' | ')} |\n|---|${LENGTHS.map(() => '---').join('|')}|`);
for (const sc of [{ name: 'null (same model)', other: base } as (typeof scenarios)[number], scenarios[2], scenarios[3], scenarios[5]]) {
  const cells = LENGTHS.map((l) => {
    let k = 0;
    for (let r = 0; r < RUNS; r++) if (mmdRun(sc.other, 100, `len|${sc.name}|${l}|${r}`, sc.mixP, l)) k++;
    return rate(k, RUNS);
  });
  console.log(`| ${sc.name} | ${cells.join(' | ')} |`);
}

// Logprob tracking: 3 one-word prompts x 3 requests per side, top-5 logprobs of the first token, noise sd 0.001.
function lpSamples(model: LanguageModel, rng: Rng, noise: number): LogprobSample[] {
  const out: LogprobSample[] = [];
  for (const p of PROBE_POOLS.logprob.slice(0, 3)) {
    const prompt = p.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    for (let i = 0; i < 3; i++) {
      const g = generate(model, prompt, { maxWords: 1, temperature: 0, rng, topK: 5 });
      out.push({ stratum: p.id, top: Object.fromEntries(g.tokens[0].top.map((t) => [t.word, t.logprob + noise * rng.normal()])) });
    }
  }
  return out;
}
console.log('\n## Logprob tracking (3 prompts x 3 requests per side, top-5 logprobs, per-request noise sd 0.001)\n');
console.log('| scenario | rejection rate [95% CI] |\n|---|---|');
for (const [name, model] of [['null (same model)', base], ['quantization-like sd 0.15', quantizedModel(base, 0.15)], ['quantization-like sd 0.05', quantizedModel(base, 0.05, 'q05')], ['related substitute', substituteModel(base, 'power-sub', { correlation: 0.5 })]] as const) {
  let k = 0;
  const runs = RUNS * 2;
  for (let r = 0; r < runs; r++) {
    const rng = new Rng(`lp|${name}|${r}`);
    if (logprobPermutationTest(lpSamples(model, rng, 0.001), lpSamples(base, rng, 0.001), { alpha: ALPHA, permutations: 500, seed: r }).reject) k++;
  }
  console.log(`| ${name} | ${wilson(k, runs)} |`);
}

// Token inflation: honest counts (exact o200k with OpenAI chat overhead, +-jitter tokens) vs inflated.
console.log('\n## Token inflation: sequential test (alpha 0.01, tolerance 2%) on realistic prompts and completions\n');
console.log('| inflation | flagged within 50 requests | median requests to flag | flagged within 200 requests |\n|---|---|---|---|');
const infRuns = RUNS * 2;
// The last row compares honest counts with raw content tokens (no chat-overhead calibration).
for (const [inflate, jitter, uncalibrated] of [[0, 0, false], [0, 1, false], [0, 2, false], [0.02, 0, false], [0.03, 0, false], [0.05, 0, false], [0.05, 1, false], [0.1, 0, false], [0.2, 0, false], [0, 0, true]] as const) {
  let within50 = 0;
  let within200 = 0;
  const at: number[] = [];
  for (let r = 0; r < infRuns; r++) {
    const rng = new Rng(`infl|${inflate}|${jitter}|${r}`);
    const t = new InflationTest({ alpha: 0.01 });
    for (let i = 1; i <= 200; i++) {
      const p = SAMPLE_PROMPTS[rng.int(SAMPLE_PROMPTS.length)];
      const msgs = [{ role: 'user', content: p.text.slice('user: '.length) }];
      const text = textOf(generate(base, p.text, { maxWords: 24, temperature: 1, rng }).tokens);
      const raw = countTokens(msgs[0].content, 'o200k_base') + countTokens(text, 'o200k_base');
      const honest = uncalibrated ? raw : countChatPrompt(msgs, 'o200k_base') + countTokens(text, 'o200k_base');
      const reported = Math.round(countChatPrompt(msgs, 'o200k_base') * (1 + inflate)) + Math.round(countTokens(text, 'o200k_base') * (1 + inflate)) + (jitter ? rng.int(2 * jitter + 1) - jitter : 0);
      if (t.add(reported, honest).flagged && t.state.flaggedAt === i) {
        at.push(i);
        break;
      }
    }
    const f = t.state.flaggedAt;
    if (f !== null && f <= 50) within50++;
    if (f !== null) within200++;
  }
  at.sort((a, b) => a - b);
  const label = uncalibrated ? '0%, expected counts without the chat overhead (uncalibrated)' : `${(inflate * 100).toFixed(0)}%${jitter ? ` (honest counts +-${jitter} token${jitter > 1 ? 's' : ''} noise)` : ''}`;
  console.log(`| ${label} | ${wilson(within50, infRuns)} | ${at.length ? at[Math.floor(at.length / 2)] : '-'} | ${rate(within200, infRuns)} |`);
}

// End-to-end audits over loopback mock relays.
console.log(`\n## trustrelay audit end to end (budget 60, with reference, ${AUDITS} seeds per row): share of audits exiting 1\n`);
console.log('| relay | exit 1 rate | checks that failed (count) |\n|---|---|---|');
const rows: [string, Partial<RelayBehaviour>][] = [
  ['honest', {}],
  ['related substitute (same name and tokenizer)', { model: substituteModel(base, 'power-sub', { correlation: 0.5, accuracy: 1 }) }],
  ['quantization-like sd 0.3', { model: quantizedModel(base, 0.3) }],
  ['mixed 50% substitute', { mix: { model: substituteModel(base, 'power-sub', { correlation: 0.5, accuracy: 1 }), p: 0.5 } }],
  ['tokens inflated 5%', { inflate: 0.05 }],
  ['tool calls dropped', { dropTools: true }],
  ['fake streaming', { fakeStreamDelayMs: 50 }],
];
for (const [name, b] of rows) {
  let fails = 0;
  const byCheck = new Map<string, number>();
  for (let s = 0; s < AUDITS; s++) {
    const relay = await startMockRelay({ model: base, seed: `relay-${s}`, ...b });
    const ref = await startMockRelay({ model: base, seed: `ref-${s}` });
    try {
      const rep = await runAudit({ target: { baseUrl: relay.url, apiKey: 'k', model: 'gpt-4o', protocol: 'openai' }, reference: { baseUrl: ref.url, apiKey: 'k', model: 'gpt-4o', protocol: 'openai' }, budget: 60, seed: s, alpha: ALPHA });
      if (!rep.passed) fails++;
      for (const c of rep.checks) if (c.status === 'fail') byCheck.set(c.id, (byCheck.get(c.id) ?? 0) + 1);
    } finally {
      await relay.close();
      await ref.close();
    }
  }
  console.log(`| ${name} | ${rate(fails, AUDITS)} | ${[...byCheck].map(([k, v]) => `${k} (${v})`).join(', ') || '-'} |`);
}
console.log(`\n_Generated in ${((Date.now() - started) / 1000).toFixed(0)} s._`);
