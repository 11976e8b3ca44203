import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { SKIP_SIGNATURE } from '../../src/providers/gemini.js';

/**
 * The official `@anthropic-ai/sdk` as a client of the gateway, changing only baseURL and apiKey,
 * against an Anthropic upstream and against OpenAI-protocol and Gemini upstreams (translation).
 */

type Obj = Record<string, unknown>;

let t: TestGateway;
let client: Anthropic;
before(async () => {
  t = await startTestGateway();
  client = new Anthropic({ baseURL: t.url, apiKey: t.key, maxRetries: 0 });
});
after(async () => t.close());

const lastReceived = (): { path: string; body: Obj; headers: Record<string, unknown> } => {
  const r = t.mock.received[t.mock.received.length - 1];
  assert.ok(r, 'the upstream received a request');
  return r;
};

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const MODELS = ['claude-sonnet', 'gpt-4o', 'deepseek-chat', 'gemini-flash'];

const textOf = (m: Anthropic.Message) =>
  m.content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('');

describe('messages', () => {
  for (const model of MODELS) {
    test(`create with system via ${model}`, async () => {
      const m = await client.messages.create({ model, max_tokens: 256, system: 'You are terse.', messages: [{ role: 'user', content: 'hello from claude sdk' }] });
      assert.equal(m.type, 'message');
      assert.equal(m.role, 'assistant');
      assert.match(m.id, /^msg_/);
      assert.equal(textOf(m), 'echo: hello from claude sdk');
      assert.equal(m.stop_reason, 'end_turn');
      assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0);
      const sent = lastReceived();
      // The system prompt reached the upstream in its own dialect.
      if (model === 'claude-sonnet') {
        assert.equal(sent.body.system, 'You are terse.');
        assert.equal(sent.body.max_tokens, 256);
        assert.equal(sent.headers['x-api-key'], 'sk-ant-mock-upstream-secret-123456', 'the provider key, never the client key, goes upstream');
      } else if (model === 'gemini-flash') {
        assert.deepEqual(sent.body.systemInstruction, { parts: [{ text: 'You are terse.' }] });
        assert.equal((sent.body.generationConfig as Obj).maxOutputTokens, 256);
      } else {
        assert.deepEqual((sent.body.messages as Obj[])[0], { role: 'system', content: 'You are terse.' });
        assert.ok(sent.body.max_tokens === 256 || sent.body.max_completion_tokens === 256);
        assert.ok(!String(sent.headers.authorization).includes(t.key), 'the client key never goes upstream');
      }
    });

    test(`stream() and finalMessage() via ${model}`, async () => {
      const stream = client.messages.stream({ model, max_tokens: 256, system: [{ type: 'text', text: 'terse' }], messages: [{ role: 'user', content: 'stream from claude sdk' }] });
      const events: string[] = [];
      let text = '';
      stream.on('streamEvent', (e) => events.push(e.type));
      stream.on('text', (d) => (text += d));
      const final = await stream.finalMessage();
      assert.equal(textOf(final), 'echo: stream from claude sdk');
      assert.equal(text, 'echo: stream from claude sdk');
      assert.equal(final.stop_reason, 'end_turn');
      assert.ok(final.usage.output_tokens > 0);
      assert.equal(events[0], 'message_start');
      assert.equal(events[events.length - 1], 'message_stop');
      assert.equal(events[events.length - 2], 'message_delta');
      assert.ok(events.includes('content_block_start') && events.includes('content_block_stop'));
      assert.ok(events.filter((e) => e === 'content_block_delta').length > 1, 'text arrives in several deltas');
    });

    test(`tools and a tool_use / tool_result round trip via ${model}`, async () => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const m = await client.messages.create({ model, max_tokens: 256, messages, tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' } });
      assert.equal(m.stop_reason, 'tool_use');
      const use = m.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      assert.ok(use, `tool_use block in ${JSON.stringify(m.content)}`);
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, { city: 'Paris' });
      assert.ok(use.id);
      const sent = lastReceived().body;
      if (model === 'claude-sonnet') assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'get_weather' });
      else if (model === 'gemini-flash') assert.deepEqual(sent.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
      else {
        assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'get_weather' } });
        assert.deepEqual(sent.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Current weather in a city', parameters: weatherTool.input_schema } }]);
      }

      messages.push({ role: 'assistant', content: m.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '{"temp_c":18}' }] });
      const m2 = await client.messages.create({ model, max_tokens: 256, messages, tools: [weatherTool] });
      assert.equal(m2.role, 'assistant');
      const back = lastReceived().body;
      if (model === 'claude-sonnet') {
        assert.equal(textOf(m2), 'echo: tool result received');
        assert.deepEqual((back.messages as { content: Obj[] }[])[2].content[0], { type: 'tool_result', tool_use_id: use.id, content: '{"temp_c":18}' });
      } else if (model === 'gemini-flash') {
        const cs = back.contents as { role: string; parts: Obj[] }[];
        // An Anthropic client has no field for Gemini's thought signature: Gemini's documented stand-in goes instead.
        assert.deepEqual(cs[1].parts[0], { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SKIP_SIGNATURE });
        assert.deepEqual(cs[2].parts[0], { functionResponse: { name: 'get_weather', response: { content: '{"temp_c":18}' } } });
      } else {
        const ms = back.messages as Obj[];
        assert.deepEqual(ms[1], { role: 'assistant', content: null, tool_calls: [{ id: use.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
        assert.deepEqual(ms[2], { role: 'tool', tool_call_id: use.id, content: '{"temp_c":18}' });
      }
    });

    test(`streamed tool use via ${model}`, async () => {
      const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'weather in Paris?' }], tools: [weatherTool] });
      let json = '';
      stream.on('inputJson', (delta) => (json += delta));
      const final = await stream.finalMessage();
      const use = final.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      assert.ok(use);
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, { city: 'Paris' });
      assert.deepEqual(JSON.parse(json), { city: 'Paris' });
      assert.equal(final.stop_reason, 'tool_use');
    });
  }

  for (const model of ['gpt-4o', 'gemini-flash']) {
    test(`image blocks reach an ${model} upstream in its dialect`, async () => {
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
      const m = await client.messages.create({
        model,
        max_tokens: 64,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'describe' }] }],
      });
      assert.equal(textOf(m), 'echo: describe');
      const sent = lastReceived().body;
      if (model === 'gpt-4o') assert.deepEqual((sent.messages as { content: Obj[] }[])[0].content[0], { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } });
      else assert.deepEqual((sent.contents as { parts: Obj[] }[])[0].parts[0], { inlineData: { mimeType: 'image/png', data: png } });
    });
  }

  for (const model of ['claude-sonnet', 'gpt-4o']) {
    test(`an upstream that answers a stream request with JSON still streams via ${model}`, async () => {
      t.mock.enqueue({ noStream: true });
      const final = await client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'json instead of sse' }] }).finalMessage();
      assert.equal(textOf(final), 'echo: json instead of sse');
      assert.ok(final.usage.output_tokens > 0);
    });

    test(`a stream cut after content rejects finalMessage() via ${model}`, async () => {
      t.mock.chunkDelayMs = 10;
      try {
        t.mock.enqueue({ cutAfterEvents: 5, text: 'a fairly long answer that will be cut' });
        const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
        let text = '';
        stream.on('text', (d) => (text += d));
        stream.on('error', () => undefined);
        await assert.rejects(stream.finalMessage(), (err: unknown) => err instanceof Anthropic.APIError && /upstream/.test(err.message));
        assert.ok(text.length > 0, 'partial text arrived first');
      } finally {
        t.mock.chunkDelayMs = 0;
      }
    });
  }

  test('thinking blocks pass through from an Anthropic upstream, JSON and stream', async () => {
    const params = { model: 'claude-sonnet', max_tokens: 2048, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, messages: [{ role: 'user' as const, content: 'think first' }] };
    const m = await client.messages.create(params);
    assert.deepEqual(lastReceived().body.thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.deepEqual(m.content[0], { type: 'thinking', thinking: 'Let me think.', signature: 'sig_mock' });
    assert.equal(textOf(m), 'echo: think first');

    const stream = client.messages.stream(params);
    let thinking = '';
    let signature = '';
    stream.on('thinking', (d) => (thinking += d));
    stream.on('signature', (s) => (signature += s));
    const final = await stream.finalMessage();
    assert.equal(thinking, 'Let me think.');
    assert.equal(signature, 'sig_mock');
    assert.deepEqual(final.content[0], { type: 'thinking', thinking: 'Let me think.', signature: 'sig_mock' });
    assert.equal(final.content[1].type, 'text');

    // The signed thinking block goes back upstream unchanged on the next turn.
    await client.messages.create({ ...params, messages: [...params.messages, { role: 'assistant', content: final.content }, { role: 'user', content: 'go on' }] });
    const back = (lastReceived().body.messages as { content: Obj[] }[])[1].content[0];
    assert.deepEqual(back, { type: 'thinking', thinking: 'Let me think.', signature: 'sig_mock' });
  });

  test('DeepSeek reasoning_content becomes an Anthropic thinking block, JSON and stream', async () => {
    const chunk = (delta: Obj, finish: string | null = null) => `data: ${JSON.stringify({ id: 'ds1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    t.mock.enqueue({
      rawSse: [chunk({ role: 'assistant', content: null, reasoning_content: '' }), chunk({ reasoning_content: 'First, ' }), chunk({ reasoning_content: 'think.' }), chunk({ content: 'The answer.' }), chunk({}, 'stop'), 'data: [DONE]\n\n'],
    });
    const final = await client.messages.stream({ model: 'deepseek-chat', max_tokens: 64, messages: [{ role: 'user', content: 'reason' }] }).finalMessage();
    assert.equal(final.content[0].type, 'thinking');
    assert.equal(final.content[0].type === 'thinking' && final.content[0].thinking, 'First, think.');
    assert.equal(textOf(final), 'The answer.');
    t.mock.enqueue({ body: { id: 'ds2', object: 'chat.completion', created: 1, model: 'deepseek-reasoner', choices: [{ index: 0, message: { role: 'assistant', content: 'Done.', reasoning_content: 'Hmm.' }, finish_reason: 'stop' }] } });
    const m = await client.messages.create({ model: 'deepseek-chat', max_tokens: 64, messages: [{ role: 'user', content: 'reason' }] });
    assert.equal(m.content[0].type === 'thinking' && m.content[0].thinking, 'Hmm.');
    assert.equal(textOf(m), 'Done.');
  });

  test('tool_choice any with parallel use disabled maps to each dialect', async () => {
    await client.messages.create({ model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool], tool_choice: { type: 'any', disable_parallel_tool_use: true } });
    let sent = lastReceived().body;
    assert.equal(sent.tool_choice, 'required');
    assert.equal(sent.parallel_tool_calls, false);
    await client.messages.create({ model: 'claude-sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool], tool_choice: { type: 'any', disable_parallel_tool_use: true } });
    sent = lastReceived().body;
    assert.deepEqual(sent.tool_choice, { type: 'any', disable_parallel_tool_use: true });
  });

  // Prompt caching and beta headers travel through the canonical form to Anthropic upstreams.
  test('prompt-caching hints (cache_control) reach an Anthropic upstream', async () => {
    await client.messages.create({
      model: 'claude-sonnet',
      max_tokens: 64,
      system: [{ type: 'text', text: 'long stable prefix', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }],
    });
    const sent = lastReceived().body;
    assert.ok(JSON.stringify(sent.system).includes('cache_control'), `system sent as ${JSON.stringify(sent.system)}`);
  });

  test('anthropic-beta headers reach an Anthropic upstream', async () => {
    await client.beta.messages.create({ model: 'claude-sonnet', max_tokens: 64, betas: ['interleaved-thinking-2025-05-14'], messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(lastReceived().headers['anthropic-beta'], 'interleaved-thinking-2025-05-14');
  });

  test('count_tokens against an Anthropic upstream', async () => {
    const r = await client.messages.countTokens({ model: 'claude-sonnet', system: 'terse', messages: [{ role: 'user', content: 'count these tokens please' }], tools: [weatherTool] });
    assert.equal(typeof r.input_tokens, 'number');
    assert.ok(r.input_tokens > 0);
    const sent = lastReceived();
    assert.equal(sent.path, '/v1/messages/count_tokens');
    assert.equal(sent.body.model, 'claude-sonnet-4-5', 'the upstream model name is sent');
    assert.deepEqual(sent.body.messages, [{ role: 'user', content: 'count these tokens please' }]);
    // An upstream without count_tokens answers a clear 404.
    await assert.rejects(client.messages.countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => err instanceof Anthropic.NotFoundError && /count_tokens/.test(err.message));
  });

  test('models.list in the Anthropic shape', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      assert.equal(m.type, 'model');
      ids.push(m.id);
    }
    assert.ok(ids.includes('claude-sonnet') && ids.includes('gpt-4o'));
    const one = await client.models.retrieve('claude-sonnet');
    assert.deepEqual([one.type, one.id], ['model', 'claude-sonnet']);
    await assert.rejects(client.models.retrieve('no-such-model'), (err: unknown) => err instanceof Anthropic.NotFoundError);
  });
});

describe('errors are typed SDK errors', () => {
  const rejectsWith = async (p: Promise<unknown>, cls: new (...a: never[]) => APIError, status: number, type: string, message?: RegExp) =>
    assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
      assert.equal(err.status, status);
      const body = err.error as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, type);
      if (message) assert.match(body.error.message, message);
      return true;
    });

  test('bad request, authentication, not found', async () => {
    await rejectsWith(client.messages.create({ model: 'claude-sonnet', max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }), Anthropic.BadRequestError, 400, 'invalid_request_error', /max_tokens/);
    await rejectsWith(client.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [] }), Anthropic.BadRequestError, 400, 'invalid_request_error', /messages/);
    await rejectsWith(
      client.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'system' as 'user', content: 'x' }] }),
      Anthropic.BadRequestError,
      400,
      'invalid_request_error',
      /messages\[0\]\.role/,
    );
    await rejectsWith(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.NotFoundError, 404, 'not_found_error', /no-such-model/);
    const bad = new Anthropic({ baseURL: t.url, apiKey: 'trk_wrong', maxRetries: 0 });
    await rejectsWith(bad.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.AuthenticationError, 401, 'authentication_error');
    const { key } = t.gw.keys.create({ name: 'claude-only', models: ['claude-*'] });
    const limited = new Anthropic({ baseURL: t.url, apiKey: key, maxRetries: 0 });
    await rejectsWith(limited.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.PermissionDeniedError, 403, 'permission_error');
  });

  test('upstream failures reach the Anthropic client in its format', async () => {
    t.mock.enqueue({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } } });
    await rejectsWith(client.messages.create({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.BadRequestError, 400, 'invalid_request_error', /prompt is too long/);
    t.mock.enqueue({ status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': '7' } });
    await assert.rejects(client.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.RateLimitError);
      assert.equal(err.headers?.get('retry-after'), '7');
      assert.equal((err.error as { error: { type: string } }).error.type, 'rate_limit_error');
      return true;
    });
  });
});
