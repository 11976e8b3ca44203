import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { countChatPrompt, countTokens } from '../../src/integrity/tokenizer.js';
import { startMockRelay } from './support/mock-relay.js';
import { baseModel, logSoftmax, VOCAB } from './support/ngram.js';

const model = baseModel('relay-test');
const honest = await startMockRelay({ model, apiKey: 'sk-test', seed: 1 });
const openai = new OpenAI({ baseURL: `${honest.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: honest.url, apiKey: 'sk-test', maxRetries: 0 });
after(() => honest.close());

test('OpenAI SDK: JSON completion with exact usage and logprobs from the model distribution', async () => {
  const messages = [{ role: 'user' as const, content: 'Write one sentence about a quiet garden.' }];
  const r = await openai.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 1, temperature: 0, logprobs: true, top_logprobs: 3 });
  assert.match(r.id, /^chatcmpl-/);
  assert.equal(r.model, 'gpt-4o');
  assert.equal(r.usage!.prompt_tokens, countChatPrompt(messages, 'o200k_base'));
  assert.equal(r.usage!.completion_tokens, countTokens(r.choices[0].message.content!, 'o200k_base'));
  const top = r.choices[0].logprobs!.content![0].top_logprobs;
  assert.equal(top.length, 3);
  // Greedy answer is the most likely word, and its logprob is the model's exact one (+ tiny noise).
  const lp = logSoftmax(model.logits(`user: ${messages[0].content}`, -1));
  const best = [...lp.keys()].filter((i) => i !== VOCAB.length - 1).sort((a, b) => lp[b] - lp[a])[0];
  assert.equal(r.choices[0].message.content, VOCAB[best]);
  assert.ok(Math.abs(top[0].logprob - lp[best]) < 0.01);
});

test('OpenAI SDK: streaming with usage, tools and JSON mode', async () => {
  const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me a very short story about a lost dog.' }], max_tokens: 40, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let chunks = 0;
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const c of stream) {
    if (c.choices[0]?.delta?.content) {
      text += c.choices[0].delta.content;
      chunks++;
    }
    if (c.usage) usage = c.usage;
  }
  assert.ok(chunks > 1 && chunks === text.split(' ').length);
  assert.equal(usage!.completion_tokens, countTokens(text, 'o200k_base'));
  const tool = await openai.chat.completions.create({
    model: 'gpt-4o', messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  });
  const call = tool.choices[0].message.tool_calls![0] as { function: { name: string; arguments: string } };
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });
  const json = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
  assert.equal(typeof JSON.parse(json.choices[0].message.content!), 'object');
});

test('sampling honours seed and temperature', async () => {
  const ask = (extra: Record<string, unknown>) => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Describe in a few words a forest road.' }], max_tokens: 20, ...extra }).then((r) => r.choices[0].message.content);
  assert.equal(await ask({ seed: 7 }), await ask({ seed: 7 }));
  assert.equal(await ask({ temperature: 0 }), await ask({ temperature: 0 }));
  const free = new Set(await Promise.all(Array.from({ length: 6 }, () => ask({ temperature: 1 }))));
  assert.ok(free.size > 1, 'unseeded samples at temperature 1 vary');
});

test('Anthropic SDK: messages JSON and the SSE event grammar', async () => {
  const r = await anthropic.messages.create({ model: 'claude-x', max_tokens: 30, system: 'Be brief.', messages: [{ role: 'user', content: 'Write one sentence about a paper boat.' }] });
  assert.match(r.id, /^msg_/);
  assert.equal(r.type, 'message');
  assert.ok(r.usage.input_tokens > 0 && r.usage.output_tokens > 0);
  const events: string[] = [];
  const stream = anthropic.messages.stream({ model: 'claude-x', max_tokens: 30, messages: [{ role: 'user', content: 'Tell me a very short story about a lost dog.' }] });
  for await (const ev of stream) events.push(ev.type);
  const final = await stream.finalMessage();
  assert.equal(events[0], 'message_start');
  assert.equal(events[events.length - 1], 'message_stop');
  assert.ok(events.includes('content_block_delta'));
  assert.ok(final.content[0].type === 'text' && final.content[0].text.length > 0);
  const tool = await anthropic.messages.create({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'Time in Lima?' }], tools: [{ name: 'get_local_time', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }], tool_choice: { type: 'tool', name: 'get_local_time' } });
  assert.equal(tool.stop_reason, 'tool_use');
  assert.deepEqual(tool.content[0].type === 'tool_use' && tool.content[0].input, { city: 'Lima' });
});

test('dishonest modes: inflated usage, dropped tools, omitted logprobs, wrong name, ignored JSON', async () => {
  const bad = await startMockRelay({ model, inflate: 0.2, dropTools: true, omitLogprobs: true, servedModelName: 'cheap-model', ignoreJsonMode: true });
  try {
    const client = new OpenAI({ baseURL: `${bad.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'What time is it in Oslo? Use the tool.' }];
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages, logprobs: true, response_format: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'get_local_time', parameters: {} } }], tool_choice: 'required' });
    assert.equal(r.model, 'cheap-model');
    assert.equal(r.choices[0].message.tool_calls, undefined);
    assert.equal(r.choices[0].logprobs, null);
    assert.throws(() => JSON.parse(r.choices[0].message.content!));
    assert.ok(r.usage!.prompt_tokens > countChatPrompt(messages, 'o200k_base'));
  } finally {
    await bad.close();
  }
});

test('wrong API key is rejected in each protocol\'s error format', async () => {
  const bad = new OpenAI({ baseURL: `${honest.url}/v1`, apiKey: 'nope', maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }), (e: Error & { status?: number }) => e.status === 401);
  const badA = new Anthropic({ baseURL: honest.url, apiKey: 'nope', maxRetries: 0 });
  await assert.rejects(badA.messages.create({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (e: Error & { status?: number }) => e.status === 401);
});
