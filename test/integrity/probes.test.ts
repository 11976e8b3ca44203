import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl, planAudit } from '../../src/integrity/audit.js';
import { endpointUrl } from '../../src/integrity/client.js';
import { drawProbes, knownAnswerFor, matchesAnswer, PROBE_POOLS, TOKENIZER_TEXTS } from '../../src/integrity/probes.js';
import { Rng } from '../../src/integrity/rng.js';
import { countChatPrompt, countTokens } from '../../src/integrity/tokenizer.js';

test('pools are large enough to vary and ids are unique', () => {
  const all = Object.values(PROBE_POOLS).flat();
  assert.equal(new Set(all.map((p) => p.id)).size, all.length);
  assert.ok(PROBE_POOLS['known-answer'].length >= 30);
  assert.ok(PROBE_POOLS.sample.length >= 30);
  const rng = new Rng(1);
  const drawn = drawProbes('sample', 10, rng);
  assert.equal(new Set(drawn.map((p) => p.id)).size, 10);
  assert.notDeepEqual(drawn.map((p) => p.id), drawProbes('sample', 10, new Rng(2)).map((p) => p.id));
  assert.equal(drawProbes('logprob', 20, rng).length, 20); // cycles when more are asked than the pool holds
});

test('known answers are right and matched as whole words', () => {
  for (const p of PROBE_POOLS['known-answer']) {
    const m = /what is (\d+) (plus|minus|times) (\d+)\?/.exec(p.messages[0].content);
    if (m) {
      const [a, b] = [Number(m[1]), Number(m[3])];
      assert.equal(p.answer, String(m[2] === 'plus' ? a + b : m[2] === 'minus' ? a - b : a * b));
    }
    assert.equal(knownAnswerFor(p.messages[p.messages.length - 1].content), p.answer);
  }
  assert.ok(matchesAnswer('The answer is 42.', '42'));
  assert.ok(!matchesAnswer('The answer is 142.', '42'));
  assert.ok(matchesAnswer('paris', 'Paris'));
  assert.ok(!matchesAnswer('Parisian', 'Paris'));
});

test('tokenizer fingerprint texts separate cl100k_base from o200k_base', () => {
  const distinct = TOKENIZER_TEXTS.filter((t) => countTokens(t, 'cl100k_base') !== countTokens(t, 'o200k_base'));
  assert.ok(distinct.length >= TOKENIZER_TEXTS.length - 1, `only ${distinct.length}/${TOKENIZER_TEXTS.length} differ`);
  const probes = PROBE_POOLS.tokenizer.filter((p) => countChatPrompt(p.messages, 'cl100k_base') !== countChatPrompt(p.messages, 'o200k_base'));
  assert.ok(probes.length >= 0.9 * PROBE_POOLS.tokenizer.length);
});

test('audit plan spends exactly the budget and covers every check', () => {
  for (const [budget, protocol, ref] of [[30, 'openai', false], [150, 'openai', true], [40, 'anthropic', true]] as const) {
    const plan = planAudit(budget, protocol, ref, new Rng(budget));
    assert.equal(plan.length, budget);
    const kinds = new Set(plan.map((p) => p.probe.kind));
    for (const k of ['stream', 'tool', 'known-answer', 'tokenizer', 'sample']) assert.ok(kinds.has(k as never), `${k} in ${budget}/${protocol}`);
    assert.equal(kinds.has('logprob'), protocol === 'openai');
    assert.ok(plan.filter((p) => p.probe.kind === 'sample').every((p) => p.both === ref));
  }
});

test('endpoint URLs and redaction', () => {
  assert.equal(endpointUrl({ baseUrl: 'https://relay.example/v1/', apiKey: 'k', model: 'm', protocol: 'openai' }), 'https://relay.example/v1/chat/completions');
  assert.equal(endpointUrl({ baseUrl: 'https://relay.example', apiKey: 'k', model: 'm', protocol: 'openai' }), 'https://relay.example/v1/chat/completions');
  assert.equal(endpointUrl({ baseUrl: 'https://relay.example', apiKey: 'k', model: 'm', protocol: 'anthropic' }), 'https://relay.example/v1/messages');
  assert.equal(redactUrl('https://user:pw@relay.example/v1?key=abc'), 'https://relay.example/v1');
});
