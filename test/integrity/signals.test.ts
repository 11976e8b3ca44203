import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation } from '../../src/integrity/observation.js';
import { ANALYZERS, analyze, expectedUsage, sameModelName } from '../../src/integrity/signals.js';
import { countChatPrompt, countTokens, familyForModel } from '../../src/integrity/tokenizer.js';

for (const a of ANALYZERS) {
  test(`analyzer ${a.id}: positive examples flag, negative examples do not`, () => {
    for (const ex of a.examples.positive) assert.ok(a.analyze(ex).some((s) => s.flagged), `${a.id} should flag ${JSON.stringify(ex)}`);
    for (const ex of a.examples.negative) assert.ok(!a.analyze(ex).some((s) => s.flagged), `${a.id} should not flag ${JSON.stringify(ex)}: ${JSON.stringify(a.analyze(ex))}`);
  });
}

test('model names: dated snapshots and provider prefixes match, other models do not', () => {
  assert.ok(sameModelName('gpt-4o', 'gpt-4o-2024-08-06'));
  assert.ok(sameModelName('openai/gpt-4o', 'gpt-4o'));
  assert.ok(sameModelName('claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022'));
  assert.ok(!sameModelName('gpt-4o', 'gpt-4o-mini'));
  assert.ok(!sameModelName('gpt-4o', 'gpt-4'));
});

test('tokenizer families: public OpenAI families only', () => {
  assert.equal(familyForModel('gpt-4o-mini'), 'o200k_base');
  assert.equal(familyForModel('gpt-4-turbo'), 'cl100k_base');
  assert.equal(familyForModel('gpt-3.5-turbo'), 'cl100k_base');
  assert.equal(familyForModel('claude-sonnet-4-5'), undefined);
  assert.equal(familyForModel('qwen2.5-72b'), undefined);
  // The fingerprint relies on texts the two families count differently.
  assert.notEqual(countTokens('你好，世界！今天天气很好。', 'cl100k_base'), countTokens('你好，世界！今天天气很好。', 'o200k_base'));
});

test('chat overhead is calibrated: 3 per message plus 3 for the reply', () => {
  const msgs = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there!' }];
  const content = countTokens('system', 'o200k_base') + countTokens('Be brief.', 'o200k_base') + countTokens('user', 'o200k_base') + countTokens('Hello there!', 'o200k_base');
  assert.equal(countChatPrompt(msgs, 'o200k_base'), content + 2 * 3 + 3);
});

test('expected usage comes from the local tokenizer, else from the reference, else nothing', () => {
  const obs: Observation = { protocol: 'openai', requestedModel: 'gpt-4o', stream: false, requested: {}, honoured: {}, text: 'Fine, thanks.', promptMessages: [{ role: 'user', content: 'How are you?' }] };
  const e = expectedUsage(obs)!;
  assert.equal(e.source, 'tokenizer');
  assert.equal(e.promptTokens, countChatPrompt(obs.promptMessages!, 'o200k_base'));
  assert.equal(e.completionTokens, countTokens('Fine, thanks.', 'o200k_base'));
  assert.equal(expectedUsage({ ...obs, requested: { tools: true } })!.promptTokens, undefined);
  assert.equal(expectedUsage({ ...obs, requestedModel: 'claude-x', protocol: 'anthropic' }), undefined);
  assert.deepEqual(expectedUsage({ ...obs, requestedModel: 'claude-x', protocol: 'anthropic', referenceUsage: { promptTokens: 12 } }), { promptTokens: 12, source: 'reference' });
});

test('analyze() returns the signals of every analyzer for one observation', () => {
  const obs: Observation = { protocol: 'openai', requestedModel: 'gpt-4o', servedModel: 'gpt-3.5-turbo', stream: false, requested: { logprobs: true }, honoured: { logprobs: false }, text: 'x', totalMs: 100 };
  const kinds = analyze(obs).filter((s) => s.flagged).map((s) => s.kind).sort();
  assert.deepEqual(kinds, ['logprobs-missing', 'model-name', 'usage']); // no usage reported
});
