import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError, generateText, stepCountIs, streamText, tool, type JSONValue, type LanguageModel } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * The Vercel AI SDK (ai v5) as a client: the OpenAI provider over Chat Completions (`.chat`) and over
 * the Responses API (its default), and the Anthropic provider, each against several upstream families.
 */

let t: TestGateway;
before(async () => {
  t = await startTestGateway();
});
after(async () => t.close());

/** Per-call provider options: the Responses model must not rely on server-side storage (see below). */
type Client = { name: string; model: (id: string) => LanguageModel; providerOptions?: Record<string, Record<string, JSONValue>> };

const clients = (): Client[] => {
  const openai = createOpenAI({ baseURL: `${t.url}/v1`, apiKey: t.key });
  const anthropic = createAnthropic({ baseURL: `${t.url}/v1`, apiKey: t.key });
  return [
    { name: 'openai.chat', model: (id) => openai.chat(id) },
    { name: 'openai (responses)', model: (id) => openai(id), providerOptions: { openai: { store: false } } },
    { name: 'anthropic', model: (id) => anthropic(id) },
  ];
};

const weather = tool({
  description: 'Current weather in a city',
  inputSchema: z.object({ city: z.string().describe('the city name') }),
  execute: async ({ city }) => ({ city, tempC: 18 }),
});

for (const name of ['openai.chat', 'openai (responses)', 'anthropic']) {
  describe(`AI SDK ${name}`, () => {
    const pick = () => clients().find((c) => c.name === name)!;
    for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash']) {
      test(`generateText via ${model}`, async () => {
        const r = await generateText({ model: pick().model(model), system: 'be brief', prompt: 'hello from the ai sdk', maxRetries: 0 });
        assert.equal(r.text, 'echo: hello from the ai sdk');
        assert.equal(r.finishReason, 'stop');
        assert.ok((r.usage.inputTokens ?? 0) > 0 && (r.usage.outputTokens ?? 0) > 0, `usage ${JSON.stringify(r.usage)}`);
      });

      test(`streamText via ${model}`, async () => {
        const r = streamText({ model: pick().model(model), prompt: 'stream from the ai sdk', maxRetries: 0, onError: () => undefined });
        const parts: string[] = [];
        for await (const d of r.textStream) parts.push(d);
        assert.equal(parts.join(''), 'echo: stream from the ai sdk');
        assert.ok(parts.length > 1, 'several text deltas');
        assert.equal(await r.finishReason, 'stop');
        const usage = await r.usage;
        assert.ok((usage.outputTokens ?? 0) > 0, `usage ${JSON.stringify(usage)}`);
      });

      test(`tool call with a zod tool via ${model}`, async () => {
        const before = t.mock.received.length;
        const r = await generateText({ model: pick().model(model), prompt: 'What is the weather in Paris?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0, providerOptions: pick().providerOptions });
        const calls = r.steps[0].toolCalls;
        assert.equal(calls.length, 1);
        assert.equal(calls[0].toolName, 'weather');
        assert.deepEqual(calls[0].input, { city: 'Paris' });
        assert.deepEqual(r.steps[0].toolResults[0].output, { city: 'Paris', tempC: 18 });
        assert.equal(r.steps.length, 2, 'the SDK sent the tool result back for a second step');
        const second = t.mock.received.slice(before)[1];
        assert.ok(second && JSON.stringify(second.body).includes('tempC'), 'the tool result reached the upstream');
        // The zod description became JSON Schema the upstream received.
        assert.ok(JSON.stringify(t.mock.received[before].body).includes('the city name'));
      });

      test(`streamed tool call and second step via ${model}`, async () => {
        const r = streamText({ model: pick().model(model), prompt: 'What is the weather in Paris?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0, providerOptions: pick().providerOptions, onError: () => undefined });
        const kinds: string[] = [];
        let input: unknown;
        for await (const part of r.fullStream) {
          kinds.push(part.type);
          if (part.type === 'error') throw part.error;
          if (part.type === 'tool-call') input = part.input;
        }
        assert.deepEqual(input, { city: 'Paris' });
        assert.ok(kinds.includes('tool-result'), kinds.join(','));
        const steps = await r.steps;
        assert.equal(steps.length, 2);
        assert.ok(JSON.stringify(t.mock.received[t.mock.received.length - 1].body).includes('tempC'), 'the tool result reached the upstream');
        // The mock's OpenAI dialect calls the tool again (its last user text still asks for weather).
        if (model !== 'gpt-4o') {
          assert.equal(await r.finishReason, 'stop');
          assert.ok((await r.text).startsWith('echo: '), 'the second step answered with text');
        }
      });
    }
  });
}

test('Responses model with server-side storage assumed: a clear 400 naming the fix', async () => {
  // With store left at its default the SDK refers to earlier output by item_reference, which a
  // zero-retention gateway cannot resolve; the client is told exactly what to change.
  const openai = createOpenAI({ baseURL: `${t.url}/v1`, apiKey: t.key });
  await assert.rejects(generateText({ model: openai('gpt-4o'), prompt: 'What is the weather in Paris?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0 }), (err: unknown) => {
    assert.ok(APICallError.isInstance(err), String(err));
    assert.equal(err.statusCode, 400);
    assert.match(err.message, /item_reference/);
    assert.match(err.message, /store/);
    return true;
  });
});
