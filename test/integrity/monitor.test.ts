import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InflationTest } from '../../src/integrity/inflation.js';
import { IntegrityMonitor, type UpstreamStatusKind } from '../../src/integrity/monitor.js';
import type { Observation } from '../../src/integrity/observation.js';
import { Rng } from '../../src/integrity/rng.js';
import type { AuditReport } from '../../src/integrity/audit.js';
import { ProbeScheduler, probeResultsFromAudit } from '../../src/integrity/schedule.js';
import { formatStatus } from '../../src/integrity/report.js';
import { countChatPrompt, countTokens } from '../../src/integrity/tokenizer.js';
import { baseModel, generate, privateTokenCount, textOf } from './support/ngram.js';
import { SAMPLE_PROMPTS } from './support/sampling.js';

const model = baseModel('monitor');

/** An observation of a relay answering a sample prompt, with usage inflated by `inflate` and +-`jitter` tokens. */
function observation(rng: Rng, opts: { inflate?: number; jitter?: number; patch?: Partial<Observation> } = {}): Observation {
  const p = SAMPLE_PROMPTS[rng.int(SAMPLE_PROMPTS.length)];
  const messages = [{ role: 'user', content: p.text.replace(/^user: /, '') }];
  const text = textOf(generate(model, p.text, { maxWords: 24, temperature: 1, rng }).tokens);
  const j = () => (opts.jitter ? rng.int(2 * opts.jitter + 1) - opts.jitter : 0);
  const f = 1 + (opts.inflate ?? 0);
  return {
    protocol: 'openai', requestedModel: 'gpt-4o', servedModel: 'gpt-4o-2024-08-06', responseId: `chatcmpl-${rng.nextU32().toString(36)}abcdefgh`, objectType: 'chat.completion',
    status: 200, stream: false, totalMs: 200 + rng.int(50), usage: { promptTokens: Math.round(countChatPrompt(messages, 'o200k_base') * f) + j(), completionTokens: Math.round(countTokens(text, 'o200k_base') * f) + j() },
    promptMessages: messages, requested: {}, honoured: {}, text, ...opts.patch,
  };
}

test('one request is never a verdict; a pattern over many is', () => {
  const m = new IntegrityMonitor();
  const rng = new Rng(1);
  const dropped: Partial<Observation> = { requested: { tools: true, toolChoiceForced: true }, honoured: { toolCalls: false } };
  m.observe('u1', observation(rng, { patch: dropped }));
  assert.equal(m.statusOf('u1').status, 'trusted');
  m.observe('u1', observation(rng, { patch: { servedModel: 'gpt-3.5-turbo' } }));
  assert.equal(m.statusOf('u1').status, 'trusted');
  for (let i = 0; i < 8; i++) m.observe('u1', observation(rng, { patch: dropped }));
  const s = m.statusOf('u1');
  assert.equal(s.status, 'failed');
  assert.match(formatStatus(s), /^u1: FAILED \(10 responses observed\)\n[^]*\[failed\] tool-dropped: \d+ of the last \d+ responses flagged/);
  assert.ok(s.evidence.some((e) => e.kind === 'tool-dropped' && e.level === 'failed'), JSON.stringify(s.evidence));
});

test('an honest upstream stays trusted over many observations, with latency statistics', () => {
  const m = new IntegrityMonitor();
  const rng = new Rng(2);
  for (let i = 0; i < 300; i++) m.observe('honest', observation(rng, { jitter: 1 }));
  const s = m.statusOf('honest');
  assert.equal(s.status, 'trusted', JSON.stringify(s.evidence));
  assert.ok(s.performance.totalMs! > 190 && s.performance.totalMs! < 260);
  assert.equal(s.windows['model-name'].observed, 100);
});

test('token inflation of 5% fails the upstream within 50 requests', () => {
  for (let seed = 0; seed < 20; seed++) {
    const m = new IntegrityMonitor();
    const rng = new Rng(`infl-${seed}`);
    let at = -1;
    for (let i = 1; i <= 50 && at < 0; i++) {
      m.observe('x', observation(rng, { inflate: 0.05 }));
      if (m.statusOf('x').status === 'failed') at = i;
    }
    assert.ok(at > 0, `seed ${seed}: not flagged within 50`);
    assert.ok(m.statusOf('x').evidence.some((e) => e.kind === 'usage-inflation'));
  }
});

test('sequential inflation test: false alarms on honest counts (+-1 token) stay under alpha', () => {
  let alarms = 0;
  const runs = 200;
  for (let r = 0; r < runs; r++) {
    const rng = new Rng(`honest-${r}`);
    const t = new InflationTest({ alpha: 0.01 });
    for (let i = 0; i < 200; i++) {
      const expected = 20 + rng.int(60);
      t.add(expected + rng.int(3) - 1, expected);
    }
    if (t.summary().flagged) alarms++;
  }
  assert.ok(alarms <= 4, `${alarms}/${runs} false alarms`); // P[Binomial(200, 0.01) >= 5] = 0.05
});

test('snapshot and restore round-trip through JSON; failed is sticky until reset', () => {
  // A fixed clock: statusOf stamps evidence with "now", and the two monitors are read at different instants.
  const clock = { now: () => 1_795_000_000_000 };
  const m = new IntegrityMonitor(clock);
  const changes: [string, UpstreamStatusKind, UpstreamStatusKind][] = [];
  m.onStatusChange((id, s, prev) => changes.push([id, s.status, prev]));
  const rng = new Rng(3);
  for (let i = 0; i < 30; i++) m.observe('a', observation(rng, { inflate: 0.1 }));
  for (let i = 0; i < 30; i++) m.observe('b', observation(rng));
  m.recordProbe('b', { check: 'two-sample', passed: false, pValue: 0.02, detail: 'MMD p = 0.02' });
  const json = JSON.stringify(m.snapshot());
  const r = IntegrityMonitor.restore(JSON.parse(json), clock);
  assert.deepEqual(r.statusOf('a'), m.statusOf('a'));
  assert.equal(r.statusOf('a').status, 'failed');
  assert.equal(r.statusOf('b').status, 'suspect');
  assert.deepEqual(changes, [['a', 'failed', 'trusted'], ['b', 'suspect', 'trusted']]);
  // Honest traffic afterwards does not clear a failure; reset() does.
  for (let i = 0; i < 200; i++) r.observe('a', observation(rng));
  assert.equal(r.statusOf('a').status, 'failed');
  r.reset('a');
  assert.equal(r.statusOf('a').status, 'trusted');
  r.recordProbe('b', { check: 'two-sample', passed: true, detail: 'MMD p = 0.4' });
  assert.equal(r.statusOf('b').status, 'trusted');
  assert.throws(() => IntegrityMonitor.restore({ version: 2 } as never), /unsupported format/);
});

test('logprob tracking over time: the first batch is the baseline, a shifted batch is drift', () => {
  const m = new IntegrityMonitor();
  const rng = new Rng(8);
  const batch = (shift: number) => ['p1', 'p2', 'p3'].flatMap((s) => [0, 1, 2].map(() => ({ stratum: s, top: { yes: -0.2 + shift + 0.001 * rng.normal(), no: -1.8 - shift + 0.001 * rng.normal() } })));
  assert.equal(m.trackLogprobs('u', batch(0)), undefined);
  assert.equal(m.trackLogprobs('u', batch(0), { seed: 1 })!.passed, true);
  assert.equal(m.statusOf('u').status, 'trusted');
  const drift = m.trackLogprobs('u', batch(0.05), { seed: 2 })!;
  assert.equal(drift.passed, false);
  assert.notEqual(m.statusOf('u').status, 'trusted');
  assert.ok(m.statusOf('u').evidence.some((e) => e.kind === 'logprob-drift'));
  assert.ok(IntegrityMonitor.restore(JSON.parse(JSON.stringify(m.snapshot()))).trackLogprobs('u', batch(0), { seed: 3 })!.passed);
});

test('probe scheduler: bounded requests per upstream, minimum interval between runs', () => {
  let now = 0;
  const s = new ProbeScheduler({ requestsPerDay: 240, maxBurst: 60, minIntervalMs: 3_600_000, now: () => now });
  assert.equal(s.due('u'), 60);
  s.spend('u', 60);
  assert.equal(s.due('u'), 0);
  now += 3_600_000; // one hour refills 10 requests: below the 30 a run needs
  assert.equal(s.due('u'), 0);
  now += 3 * 3_600_000;
  assert.equal(s.due('u'), 40);
  const copy = new ProbeScheduler({ requestsPerDay: 240, now: () => now });
  copy.restore(JSON.parse(JSON.stringify(s.snapshot())));
  assert.equal(copy.due('u'), 40);
});

test('audit reports feed the monitor as probe results', () => {
  const m = new IntegrityMonitor();
  const report = { checks: [{ id: 'two-sample', title: '', status: 'fail', detail: 'p = 0.001', pValue: 0.001, alpha: 0.05 }, { id: 'tool-calls', title: '', status: 'pass', detail: 'ok' }, { id: 'performance', title: '', status: 'info', detail: '' }] } as unknown as AuditReport;
  const results = probeResultsFromAudit(report, 5);
  assert.deepEqual(results.map((r) => [r.check, r.passed, r.level]), [['audit:two-sample', false, 'failed'], ['audit:tool-calls', true, undefined]]);
  for (const r of results) m.recordProbe('u', r);
  assert.equal(m.statusOf('u').status, 'failed');
});

test('usage can be verified on a sample of responses only', () => {
  const m = new IntegrityMonitor({ usageEvery: 5 });
  const rng = new Rng(9);
  for (let i = 0; i < 100; i++) m.observe('u', observation(rng));
  assert.equal(m.statusOf('u').inflation.n, 20);
});

test('streamed vs non-streamed usage: inflating only streamed counts is evidence, honest counts are not', () => {
  for (const [inflateStream, expected] of [[0, 'trusted'], [0.15, 'suspect']] as const) {
    const m = new IntegrityMonitor();
    const rng = new Rng(`su-${inflateStream}`);
    for (let i = 0; i < 120; i++) {
      const stream = i % 2 === 0;
      const p = SAMPLE_PROMPTS[rng.int(SAMPLE_PROMPTS.length)];
      const text = textOf(generate(model, p.text, { maxWords: 24, temperature: 1, rng }).tokens);
      const honest = privateTokenCount(text);
      m.observe('a', { protocol: 'anthropic', requestedModel: 'claude-x', servedModel: 'claude-x', stream, requested: {}, honoured: {}, text, usage: { promptTokens: 20, completionTokens: stream ? Math.round(honest * (1 + inflateStream)) : honest } });
    }
    const s = m.statusOf('a');
    assert.equal(s.status, expected, JSON.stringify(s.streamUsage));
    if (expected === 'suspect') assert.ok(s.evidence.some((e) => e.kind === 'stream-usage'));
  }
});
