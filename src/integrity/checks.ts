/**
 * Check evaluation for an audit: turns the recorded probe exchanges into pass / fail / skip / info
 * results, each with the statistic and the threshold it used.
 */
import type { CallOptions, CallResult, Endpoint } from './client.js';
import { InflationTest } from './inflation.js';
import type { Observation } from './observation.js';
import { matchesAnswer, type Probe } from './probes.js';
import { featureAnalyzer, modelNameAnalyzer, protocolAnalyzer, streamingAnalyzer, usageComparison } from './signals.js';
import { binomialLowerTail, logprobPermutationTest, mmdTwoSampleTest, quantile, type LogprobSample, type TextSample } from './stats.js';
import { countChatPrompt, familyForModel, TOKENIZER_FAMILIES, type TokenizerFamily } from './tokenizer.js';

export interface Exchange {
  role: 'target' | 'reference';
  probe: Probe;
  opts: CallOptions;
  result: CallResult;
  observation: Observation;
}

export interface CheckResult {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip' | 'info';
  detail: string;
  /** Responses the check looked at. */
  n?: number;
  statistic?: number;
  pValue?: number;
  alpha?: number;
}

interface Ctx {
  target: Endpoint;
  reference?: Endpoint;
  alpha: number;
  seed: string;
}

const ok = (e: Exchange) => e.result.status >= 200 && e.result.status < 300 && !e.result.error;
const promptKey = (p: Probe) => JSON.stringify(p.messages);

/** A rate-type rule shared by the per-response checks: fail when at least 2 responses (and 10%) are flagged. */
function rateCheck(id: string, title: string, obs: Observation[], flag: (o: Observation) => { flagged: boolean; detail: string } | undefined, minFlags = 2): CheckResult {
  const judged = obs.map(flag).filter((x): x is { flagged: boolean; detail: string } => x !== undefined);
  if (!judged.length) return { id, title, status: 'skip', detail: 'no applicable responses' };
  const bad = judged.filter((j) => j.flagged);
  const fail = bad.length >= Math.min(minFlags, judged.length) && bad.length / judged.length >= 0.1;
  return { id, title, status: fail ? 'fail' : 'pass', n: judged.length, detail: bad.length ? `${bad.length}/${judged.length} flagged: ${bad[0].detail}` : `${judged.length}/${judged.length} consistent` };
}

export function evaluateChecks(all: Exchange[], ctx: Ctx): CheckResult[] {
  const tgt = all.filter((e) => e.role === 'target');
  const ref = all.filter((e) => e.role === 'reference');
  const good = tgt.filter(ok);
  const checks: CheckResult[] = [];
  const errors = tgt.length - good.length;
  checks.push({ id: 'availability', title: 'Requests answered', status: good.length === 0 ? 'fail' : 'info', n: tgt.length, detail: errors ? `${errors}/${tgt.length} requests failed (${tgt.find((e) => !ok(e))?.result.error?.slice(0, 120) ?? ''})` : `${tgt.length}/${tgt.length} answered` });
  if (!good.length) return checks;

  checks.push(rateCheck('model-name', 'Served model name', good.map((e) => e.observation), (o) => modelNameAnalyzer.analyze(o)[0]));
  checks.push(rateCheck('protocol', 'Protocol fingerprint (ids, stream grammar)', good.map((e) => e.observation), (o) => protocolAnalyzer.analyze(o)[0]));
  checks.push(usageCheck(good, ref.filter(ok), ctx));
  checks.push(tokenizerCheck(good, ref.filter(ok), ctx));
  checks.push(knownAnswerCheck(good, ref.filter(ok), ctx));
  const feature = (kind: string) => (o: Observation) => featureAnalyzer.analyze(o).find((s) => s.kind === kind);
  checks.push(rateCheck('tool-calls', 'Forced tool calls honoured', good.filter((e) => e.probe.kind === 'tool').map((e) => e.observation), feature('tool-dropped'), 1));
  checks.push(ctx.target.protocol === 'openai' ? rateCheck('json-mode', 'JSON mode honoured', good.filter((e) => e.opts.jsonMode).map((e) => e.observation), feature('json-ignored'), 1) : { id: 'json-mode', title: 'JSON mode honoured', status: 'skip', detail: 'protocol has no JSON mode' });
  // The permutation tests against the reference share alpha (Bonferroni), so an honest relay fails the
  // statistical part of an audit with probability <= alpha overall, not alpha per test.
  const permutationTests = ctx.reference ? (ctx.target.protocol === 'openai' ? 2 : 1) : 1;
  const shared = { ...ctx, alpha: ctx.alpha / permutationTests };
  checks.push(logprobCheck(good, ref.filter(ok), shared));
  checks.push(rateCheck('streaming', 'Real streaming (not one delayed chunk)', good.filter((e) => e.opts.stream).map((e) => e.observation), (o) => streamingAnalyzer.analyze(o)[0], 1));
  checks.push(twoSampleCheck(good, ref.filter(ok), shared));
  checks.push(performanceInfo(good));
  return checks;
}

function usageCheck(good: Exchange[], ref: Exchange[], ctx: Ctx): CheckResult {
  const id = 'token-usage';
  const title = 'Token counts (inflation, sequential test)';
  const missing = good.filter((e) => !e.result.usage || e.result.usage.promptTokens === undefined);
  if (missing.length >= 2 && missing.length / good.length >= 0.1) return { id, title, status: 'fail', n: good.length, detail: `${missing.length}/${good.length} responses report no usage` };
  const refPrompt = new Map<string, number>();
  for (const e of ref) if (e.result.usage?.promptTokens !== undefined) refPrompt.set(promptKey(e.probe), e.result.usage.promptTokens);
  const test = new InflationTest({ alpha: 0.01 });
  let source = '';
  for (const e of good) {
    const obs: Observation = { ...e.observation, referenceUsage: refPrompt.has(promptKey(e.probe)) ? { promptTokens: refPrompt.get(promptKey(e.probe)) } : undefined };
    const c = usageComparison(obs);
    if (!c) continue;
    source = c.source;
    test.add(c.reported, c.expected);
  }
  const s = test.summary();
  if (s.n === 0) return { id, title, status: 'skip', detail: 'tokenizer not public and no reference to compare with' };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const against = source === 'tokenizer' ? `local ${familyForModel(ctx.target.model)} counts` : 'reference counts';
  return {
    id, title, status: s.flagged ? 'fail' : 'pass', n: s.n, statistic: s.meanExcess, alpha: test.alpha,
    detail: `mean excess ${pct(s.meanExcess)} over ${against} (bound ${pct(s.lowerBound)}..${pct(s.upperBound)}; flag when lower bound > ${pct(test.tolerance)})${s.flagged ? `, flagged at response ${s.flaggedAt}` : ''}`,
  };
}

function tokenizerCheck(good: Exchange[], ref: Exchange[], ctx: Ctx): CheckResult {
  const id = 'tokenizer';
  const title = 'Tokenizer fingerprint';
  const probes = good.filter((e) => e.probe.kind === 'tokenizer' && e.result.usage?.promptTokens !== undefined);
  if (!probes.length) return { id, title, status: 'skip', detail: 'no tokenizer probe answered with usage' };
  const family = ctx.target.protocol === 'openai' ? familyForModel(ctx.target.model) : undefined;
  if (family) {
    const fits: Record<string, number> = {};
    let decisive = 0;
    for (const e of probes) {
      const counts = Object.fromEntries(TOKENIZER_FAMILIES.map((f) => [f, countChatPrompt(e.probe.messages, f)])) as Record<TokenizerFamily, number>;
      if (new Set(Object.values(counts)).size > 1) decisive++;
      for (const f of TOKENIZER_FAMILIES) if (Math.abs(e.result.usage!.promptTokens! - counts[f]) <= 1) fits[f] = (fits[f] ?? 0) + 1;
    }
    const own = fits[family] ?? 0;
    const best = TOKENIZER_FAMILIES.reduce((a, b) => ((fits[b] ?? 0) > (fits[a] ?? 0) ? b : a));
    if (own >= Math.ceil(0.75 * probes.length)) return { id, title, status: 'pass', n: probes.length, detail: `prompt counts match ${family} on ${own}/${probes.length} probes (${decisive} distinguish families)` };
    const other = best !== family && (fits[best] ?? 0) >= Math.ceil(0.75 * probes.length);
    return { id, title, status: 'fail', n: probes.length, detail: other ? `prompt counts match ${best} (${fits[best]}/${probes.length}), not ${family} that ${ctx.target.model} uses` : `prompt counts match no known tokenizer (${family}: ${own}/${probes.length})` };
  }
  const refCount = new Map<string, number>();
  for (const e of ref) if (e.probe.kind === 'tokenizer' && e.result.usage?.promptTokens !== undefined) refCount.set(promptKey(e.probe), e.result.usage.promptTokens);
  const paired = probes.filter((e) => refCount.has(promptKey(e.probe)));
  if (!paired.length) return { id, title, status: 'skip', detail: 'tokenizer of this model is not public; give --reference-url to compare counts' };
  const same = paired.filter((e) => Math.abs(e.result.usage!.promptTokens! - refCount.get(promptKey(e.probe))!) <= 1).length;
  return { id, title, status: same >= Math.ceil(0.75 * paired.length) ? 'pass' : 'fail', n: paired.length, detail: `prompt counts equal the reference's on ${same}/${paired.length} probes` };
}

function knownAnswerCheck(good: Exchange[], ref: Exchange[], ctx: Ctx): CheckResult {
  const id = 'known-answers';
  const title = 'Known-answer prompts';
  const ka = good.filter((e) => e.probe.kind === 'known-answer');
  if (!ka.length) return { id, title, status: 'skip', detail: 'none answered' };
  const right = ka.filter((e) => matchesAnswer(e.result.text, e.probe.answer!)).length;
  // H0: the model answers these at >= 95% (any premium model does); fail when P[X <= right] < alpha.
  const p = binomialLowerTail(right, ka.length, 0.95);
  const refKa = ref.filter((e) => e.probe.kind === 'known-answer');
  const refRight = refKa.filter((e) => matchesAnswer(e.result.text, e.probe.answer!)).length;
  const refWeak = refKa.length > 0 && binomialLowerTail(refRight, refKa.length, 0.95) < ctx.alpha;
  const fail = p < ctx.alpha && !refWeak;
  return { id, title, status: fail ? 'fail' : 'pass', n: ka.length, pValue: p, alpha: ctx.alpha, detail: `${right}/${ka.length} correct${refKa.length ? ` (reference ${refRight}/${refKa.length})` : ''}; H0 accuracy >= 95%` };
}

function logprobCheck(good: Exchange[], ref: Exchange[], ctx: Ctx): CheckResult {
  const id = 'logprobs';
  const title = 'Logprobs present and tracking';
  if (ctx.target.protocol !== 'openai') return { id, title, status: 'skip', detail: 'protocol has no logprobs' };
  const asked = good.filter((e) => e.opts.topLogprobs !== undefined);
  if (!asked.length) return { id, title, status: 'skip', detail: 'no logprob probe answered' };
  const missing = asked.filter((e) => !e.result.logprobs?.length).length;
  if (missing > 0) return { id, title, status: 'fail', n: asked.length, detail: `${missing}/${asked.length} responses omit logprobs that were requested (no error returned)` };
  const toSample = (e: Exchange): LogprobSample => ({ stratum: e.probe.id, top: e.result.logprobs![0] });
  const refAsked = ref.filter((e) => e.opts.topLogprobs !== undefined && e.result.logprobs?.length);
  if (!refAsked.length) return { id, title, status: 'pass', n: asked.length, detail: `logprobs present in ${asked.length}/${asked.length}; no reference to compare against` };
  const r = logprobPermutationTest(asked.map(toSample), refAsked.map(toSample), { alpha: ctx.alpha, seed: `${ctx.seed}:lp`, permutations: 2000 });
  return { id, title, status: r.reject ? 'fail' : 'pass', n: asked.length, statistic: r.statistic, pValue: r.pValue, alpha: ctx.alpha, detail: `top-logprob vectors vs reference: L1 ${r.statistic.toFixed(3)}, permutation p = ${r.pValue.toFixed(4)} (alpha ${ctx.alpha}) over ${r.strata} prompts` };
}

function twoSampleCheck(good: Exchange[], ref: Exchange[], ctx: Ctx): CheckResult {
  const id = 'two-sample';
  const title = 'Output distribution vs reference (MMD, Hamming kernel)';
  if (!ctx.reference) return { id, title, status: 'skip', detail: 'needs --reference-url' };
  const toSample = (e: Exchange): TextSample => ({ stratum: e.probe.id, text: e.result.text });
  const a = good.filter((e) => e.probe.kind === 'sample').map(toSample);
  const b = ref.filter((e) => e.probe.kind === 'sample').map(toSample);
  const r = mmdTwoSampleTest(a, b, { alpha: ctx.alpha, seed: `${ctx.seed}:mmd`, permutations: 1000 });
  if (!r.strata) return { id, title, status: 'skip', detail: 'not enough samples per prompt (raise --budget)' };
  return { id, title, status: r.reject ? 'fail' : 'pass', n: a.length, statistic: r.statistic, pValue: r.pValue, alpha: ctx.alpha, detail: `MMD² ${r.statistic.toFixed(4)}, permutation p = ${r.pValue.toFixed(4)} (alpha ${ctx.alpha}; ${a.length} vs ${b.length} samples over ${r.strata} prompts)` };
}

function performanceInfo(good: Exchange[]): CheckResult {
  const ttft = good.filter((e) => e.opts.stream && e.result.ttftMs !== undefined).map((e) => e.result.ttftMs!);
  const total = good.map((e) => e.result.totalMs);
  const tps = good.filter((e) => e.opts.stream && e.result.usage?.completionTokens && e.result.ttftMs !== undefined && e.result.totalMs > e.result.ttftMs).map((e) => (e.result.usage!.completionTokens! / (e.result.totalMs - e.result.ttftMs!)) * 1000);
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  return { id: 'performance', title: 'Latency', status: 'info', n: good.length, detail: `median latency ${f(quantile(total, 0.5))} ms, median TTFT ${f(quantile(ttft, 0.5))} ms, median ${f(quantile(tps, 0.5))} tokens/s (streams)` };
}
