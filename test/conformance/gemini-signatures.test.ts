import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { GEMINI_MOCK_SIGNATURE } from '../support/mock-upstream.js';
import { SKIP_SIGNATURE } from '../../src/providers/gemini.js';

/**
 * Gemini thinking models attach a thought signature to function calls and (Gemini 3) refuse a replayed
 * call without it. The mock upstream does the same. Through TrustRelay an OpenAI client gets the
 * signature in `extra_content.google.thought_signature` (the field Gemini's own OpenAI endpoint uses)
 * and sends it back by keeping the assistant message; history Gemini did not sign gets Gemini's
 * documented stand-in.
 */

type Obj = Record<string, unknown>;
let t: TestGateway;
before(async () => {
  t = await startTestGateway();
});
after(async () => t.close());

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const replayedCall = () => {
  const r = t.mock.received[t.mock.received.length - 1];
  const model = (r.body.contents as Obj[]).find((c) => c.role === 'model')!;
  return (model.parts as Obj[]).find((p) => p.functionCall)!;
};

for (const stream of [false, true]) {
  test(`an OpenAI client keeps Gemini's thought signature across a tool round trip (${stream ? 'streamed' : 'JSON'})`, async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: t.key, maxRetries: 0 });
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    let assistant: OpenAI.Chat.ChatCompletionMessageParam;
    if (!stream) {
      const r = await client.chat.completions.create({ model: 'gemini-flash', messages, tools: [weatherTool] });
      const call = r.choices[0].message.tool_calls![0] as unknown as Obj;
      assert.deepEqual(call.extra_content, { google: { thought_signature: GEMINI_MOCK_SIGNATURE } });
      assistant = r.choices[0].message;
    } else {
      const s = await client.chat.completions.create({ model: 'gemini-flash', messages, tools: [weatherTool], stream: true });
      const calls: Obj[] = [];
      for await (const c of s) for (const tc of c.choices[0]?.delta.tool_calls ?? []) calls.push(tc as unknown as Obj);
      const first = calls.find((c) => c.id)!;
      assert.deepEqual(first.extra_content, { google: { thought_signature: GEMINI_MOCK_SIGNATURE } });
      const args = calls.map((c) => (c.function as Obj | undefined)?.arguments ?? '').join('');
      assistant = { role: 'assistant', content: null, tool_calls: [{ id: first.id as string, type: 'function', function: { name: 'get_weather', arguments: args } }] };
      (assistant.tool_calls![0] as unknown as Obj).extra_content = first.extra_content;
    }
    const id = (assistant as OpenAI.Chat.ChatCompletionAssistantMessageParam).tool_calls![0].id;
    const next = await client.chat.completions.create({ model: 'gemini-flash', tools: [weatherTool], messages: [...messages, assistant, { role: 'tool', tool_call_id: id, content: '18 degrees' }] });
    assert.equal(next.choices[0].finish_reason, 'stop');
    assert.equal(replayedCall().thoughtSignature, GEMINI_MOCK_SIGNATURE, 'the upstream got the signature back on the replayed call');
  });
}

test('history Gemini did not sign (another client protocol, another provider) gets the documented stand-in, so the turn is not refused', async () => {
  const client = new Anthropic({ baseURL: t.url, apiKey: t.key, maxRetries: 0 });
  const r = await client.messages.create({
    model: 'gemini-flash',
    max_tokens: 100,
    tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    messages: [
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }, { type: 'tool_use', id: 'toolu_02', name: 'get_weather', input: { city: 'Lyon' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18 degrees' }, { type: 'tool_result', tool_use_id: 'toolu_02', content: '20 degrees' }] },
    ],
  });
  assert.equal(r.stop_reason, 'end_turn');
  const model = (t.mock.received[t.mock.received.length - 1].body.contents as Obj[]).find((c) => c.role === 'model')!;
  const sigs = (model.parts as Obj[]).filter((p) => p.functionCall).map((p) => p.thoughtSignature);
  assert.deepEqual(sigs, [SKIP_SIGNATURE, undefined], 'only the first call of the turn needs one');
});
