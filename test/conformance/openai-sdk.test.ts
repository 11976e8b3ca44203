import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { GEMINI_MOCK_SIGNATURE } from '../support/mock-upstream.js';

/**
 * The official `openai` package as a client of the gateway, changing only baseURL and apiKey. Each
 * feature runs against an OpenAI upstream and at least one other family, so translation through
 * the canonical form is exercised, not just pass-through.
 */

type Obj = Record<string, unknown>;

let t: TestGateway;
let client: OpenAI;
before(async () => {
  t = await startTestGateway();
  client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: t.key, maxRetries: 0 });
});
after(async () => t.close());

/** The body the mock upstream received for the last request. */
const lastReceived = (): { path: string; body: Obj } => {
  const r = t.mock.received[t.mock.received.length - 1];
  assert.ok(r, 'the upstream received a request');
  return r;
};

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const CHAT_MODELS = ['gpt-4o', 'claude-sonnet', 'gemini-flash', 'deepseek-chat'];

describe('chat completions', () => {
  for (const model of CHAT_MODELS) {
    test(`non-streaming and streaming text via ${model}`, async () => {
      const r = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello from the SDK' }] });
      assert.equal(r.object, 'chat.completion');
      assert.equal(r.choices[0].message.role, 'assistant');
      assert.equal(r.choices[0].message.content, 'echo: hello from the SDK');
      assert.equal(r.choices[0].finish_reason, 'stop');
      assert.ok(r.usage && r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0);
      assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);

      const stream = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream to me' }] });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined | null;
      let chunks = 0;
      for await (const c of stream) {
        chunks++;
        assert.equal(c.object, 'chat.completion.chunk');
        for (const ch of c.choices) {
          text += ch.delta.content ?? '';
          finish = ch.finish_reason ?? finish;
        }
        if (c.usage) {
          assert.equal(c.choices.length, 0, 'the usage chunk has no choices');
          usage = c.usage;
        }
      }
      assert.equal(text, 'echo: stream to me');
      assert.equal(finish, 'stop');
      assert.ok(chunks > 2, 'answer arrived in several chunks');
      assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, 'usage chunk at the end');

      // Without include_usage there is no usage chunk.
      const plain = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'no usage' }] });
      for await (const c of plain) assert.equal(c.usage ?? undefined, undefined);
    });

    test(`stream helper builds a final completion via ${model}`, async () => {
      const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'helper stream' }] });
      const final = await runner.finalChatCompletion();
      assert.equal(final.choices[0].message.content, 'echo: helper stream');
    });
  }

  for (const model of CHAT_MODELS) {
    test(`tools, tool_choice and a tool-call round trip via ${model}`, async () => {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const r = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
      const sent = lastReceived().body;
      const msg = r.choices[0].message;
      assert.equal(r.choices[0].finish_reason, 'tool_calls');
      assert.equal(msg.tool_calls?.length, 1);
      const call = msg.tool_calls![0];
      assert.equal(call.type, 'function');
      assert.ok(call.id, 'tool call has an id');
      assert.equal(call.type === 'function' && call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.type === 'function' ? call.function.arguments : ''), { city: 'Paris' });

      // The tool definition and the forced choice reached the upstream in its own dialect.
      if (model === 'claude-sonnet') {
        assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'get_weather' });
        assert.equal((sent.tools as Obj[])[0].name, 'get_weather');
        assert.deepEqual((sent.tools as Obj[])[0].input_schema, weatherTool.function.parameters);
      } else if (model === 'gemini-flash') {
        assert.deepEqual(sent.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
      } else {
        assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'get_weather' } });
        assert.deepEqual((sent.tools as Obj[])[0], weatherTool);
      }

      // Round trip: the assistant's tool call and the tool's answer go back.
      messages.push(msg as OpenAI.Chat.ChatCompletionMessageParam, { role: 'tool', tool_call_id: call.id, content: '{"temp_c":18}' });
      const r2 = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
      assert.equal(r2.choices[0].message.role, 'assistant');
      const back = lastReceived().body;
      if (model === 'claude-sonnet') {
        const ms = back.messages as { role: string; content: Obj[] }[];
        assert.deepEqual(ms[1].content[0], { type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Paris' } });
        assert.deepEqual(ms[2].content[0], { type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: '{"temp_c":18}' }] });
        assert.equal(r2.choices[0].message.content, 'echo: tool result received');
      } else if (model === 'gemini-flash') {
        const cs = back.contents as { role: string; parts: Obj[] }[];
        // The thought signature Gemini put on the call came back with it (the SDK kept extra_content).
        assert.deepEqual(cs[1], { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: GEMINI_MOCK_SIGNATURE }] });
        assert.deepEqual(cs[2].parts[0], { functionResponse: { name: 'get_weather', response: { content: '{"temp_c":18}' } } });
      } else {
        const ms = back.messages as Obj[];
        assert.deepEqual(ms[1], { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
        assert.deepEqual(ms[2], { role: 'tool', tool_call_id: call.id, content: '{"temp_c":18}' });
      }
    });

    test(`streamed tool call via ${model}`, async () => {
      const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'weather in Paris?' }], tools: [weatherTool], tool_choice: 'required' });
      const final = await runner.finalChatCompletion();
      const call = final.choices[0].message.tool_calls?.[0];
      assert.ok(call && call.type === 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
      assert.equal(final.choices[0].finish_reason, 'tool_calls');
    });
  }

  test('parallel_tool_calls: false maps to each dialect', async () => {
    await client.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool], tool_choice: 'auto', parallel_tool_calls: false });
    assert.deepEqual(lastReceived().body.tool_choice, { type: 'auto', disable_parallel_tool_use: true });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'weather?' }], tools: [weatherTool], parallel_tool_calls: false });
    assert.equal(lastReceived().body.parallel_tool_calls, false);
  });

  test('JSON mode and json_schema response_format reach the upstream', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } });
    assert.deepEqual(lastReceived().body.response_format, { type: 'json_object' });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } } });
    assert.deepEqual(lastReceived().body.response_format, { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } });
    await client.chat.completions.create({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } });
    assert.deepEqual(lastReceived().body.response_format, { type: 'json_object' });

    // Anthropic has no response_format: the schema becomes an instruction in the system prompt.
    await client.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } });
    const sys = String(lastReceived().body.system);
    assert.match(sys, /JSON Schema/);
    assert.ok(sys.includes(JSON.stringify(schema)), 'the schema itself is in the system prompt');
    // Gemini: native JSON mode with the schema.
    await client.chat.completions.create({ model: 'gemini-flash', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } });
    const gc = lastReceived().body.generationConfig as Obj;
    assert.equal(gc.responseMimeType, 'application/json');
    assert.deepEqual(gc.responseJsonSchema, schema);
  });

  test('multi-part content with images is translated per upstream', async () => {
    const content: OpenAI.Chat.ChatCompletionContentPart[] = [
      { type: 'text', text: 'what is in these images' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
      { type: 'image_url', image_url: { url: 'https://images.example.invalid/cat.jpg' } },
    ];
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content }] });
    assert.equal(r.choices[0].message.content, 'echo: what is in these images');
    assert.deepEqual((lastReceived().body.messages as Obj[])[0].content, content);

    await client.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content }] });
    assert.deepEqual((lastReceived().body.messages as Obj[])[0].content, [
      { type: 'text', text: 'what is in these images' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://images.example.invalid/cat.jpg' } },
    ]);

    await client.chat.completions.create({ model: 'gemini-flash', messages: [{ role: 'user', content }] });
    const parts = (lastReceived().body.contents as { parts: Obj[] }[])[0].parts;
    assert.deepEqual(parts[1], { inlineData: { mimeType: 'image/png', data: PNG } });
  });

  test('n: 2 returns two choices (OpenAI, Gemini); Anthropic refuses it clearly', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-4o', n: 2, messages: [{ role: 'user', content: 'two answers' }] });
    assert.equal(r.choices.length, 2);
    assert.deepEqual(r.choices.map((c) => c.index), [0, 1]);
    assert.equal(lastReceived().body.n, 2);

    const g = await client.chat.completions.create({ model: 'gemini-flash', n: 2, messages: [{ role: 'user', content: 'two answers' }] });
    assert.equal((lastReceived().body.generationConfig as Obj).candidateCount, 2);
    assert.equal(g.choices.length, 2);
    assert.equal(g.choices[1].message.content, 'echo: two answers');

    // Streamed n=2: both choices come back, each with its own text.
    const s = await client.chat.completions.create({ model: 'gpt-4o', n: 2, stream: true, messages: [{ role: 'user', content: 'two streams' }] });
    const texts = ['', ''];
    for await (const c of s) for (const ch of c.choices) texts[ch.index] += ch.delta.content ?? '';
    assert.deepEqual(texts, ['echo: two streams', 'echo: two streams']);

    await assert.rejects(client.chat.completions.create({ model: 'claude-sonnet', n: 2, messages: [{ role: 'user', content: 'two answers' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${String(err)}`);
      assert.equal(err.status, 400);
      assert.match(err.message, /n=2/);
      return true;
    });
  });

  test('stop, seed and logprobs pass through', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'with options' }], stop: ['END', 'STOP'], seed: 42, logprobs: true, top_logprobs: 2, temperature: 0.3 });
    const sent = lastReceived().body;
    assert.deepEqual(sent.stop, ['END', 'STOP']);
    assert.equal(sent.seed, 42);
    assert.equal(sent.logprobs, true);
    assert.equal(sent.top_logprobs, 2);
    assert.equal(sent.temperature, 0.3);
    assert.deepEqual(r.choices[0].logprobs, { content: [{ token: 'echo', logprob: -0.1, bytes: [101], top_logprobs: [] }] });
    assert.equal(r.system_fingerprint, 'fp_mock');

    await client.chat.completions.create({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'with options' }], stop: 'END', seed: 7, logprobs: true });
    const ds = lastReceived().body;
    assert.deepEqual(ds.stop, ['END']);
    assert.equal(ds.seed, 7);
    assert.equal(ds.logprobs, true);

    await client.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'with options' }], stop: ['END'], seed: 7, max_tokens: 50 });
    const an = lastReceived().body;
    assert.deepEqual(an.stop_sequences, ['END']);
    assert.equal(an.max_tokens, 50);
    assert.equal(an.seed, undefined, 'Anthropic has no seed; it is not sent');

    await client.chat.completions.create({ model: 'gemini-flash', messages: [{ role: 'user', content: 'with options' }], stop: ['END'], seed: 9 });
    const gc = lastReceived().body.generationConfig as Obj;
    assert.deepEqual(gc.stopSequences, ['END']);
    assert.equal(gc.seed, 9);
  });
});

describe('responses API', () => {
  for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash']) {
    test(`text, non-streaming via ${model}`, async () => {
      const r = await client.responses.create({ model, instructions: 'be brief', input: 'hello responses' });
      assert.equal(r.object, 'response');
      assert.equal(r.status, 'completed');
      assert.match(r.id, /^resp_/);
      assert.equal(r.output_text, 'echo: hello responses');
      assert.ok(r.usage && r.usage.input_tokens > 0 && r.usage.output_tokens > 0);
      const sent = lastReceived().body;
      if (model === 'claude-sonnet') assert.equal(sent.system, 'be brief');
      if (model === 'gpt-4o') assert.deepEqual((sent.messages as Obj[])[0], { role: 'system', content: 'be brief' });
    });

    test(`streaming event grammar via ${model}`, async () => {
      const stream = await client.responses.create({ model, input: [{ role: 'user', content: 'stream the response' }], stream: true });
      const types: string[] = [];
      let deltas = '';
      let seq = -1;
      let completed: OpenAI.Responses.Response | undefined;
      for await (const ev of stream) {
        types.push(ev.type);
        assert.ok(ev.sequence_number > seq, 'sequence numbers increase');
        seq = ev.sequence_number;
        if (ev.type === 'response.output_text.delta') deltas += ev.delta;
        if (ev.type === 'response.completed') completed = ev.response;
      }
      assert.equal(types[0], 'response.created');
      assert.equal(types[1], 'response.in_progress');
      assert.equal(types[types.length - 1], 'response.completed');
      const order = ['response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'];
      let at = 0;
      for (const ty of order) {
        const i = types.indexOf(ty, at);
        assert.ok(i >= at, `${ty} appears after ${order[order.indexOf(ty) - 1] ?? 'start'} in ${types.join(',')}`);
        at = i;
      }
      assert.ok(types.filter((x) => x === 'response.output_text.delta').length > 1, 'text arrived in several deltas');
      assert.equal(deltas, 'echo: stream the response');
      assert.ok(completed);
      assert.equal(completed.status, 'completed');
      const msg = completed.output[0];
      assert.equal(msg.type, 'message');
      assert.deepEqual(msg.type === 'message' && msg.content[0], { type: 'output_text', text: 'echo: stream the response', annotations: [] });
      assert.ok(completed.usage && completed.usage.output_tokens > 0);
    });

    test(`stream helper finalResponse() via ${model}`, async () => {
      const s = client.responses.stream({ model, input: 'final please' });
      let deltas = '';
      s.on('response.output_text.delta', (e) => (deltas += e.delta));
      const final = await s.finalResponse();
      assert.equal(final.output_text, 'echo: final please');
      assert.equal(deltas, 'echo: final please');
    });

    test(`function tools and a round trip via ${model}`, async () => {
      const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }];
      const r = await client.responses.create({ model, input: 'weather in Paris?', tools, tool_choice: 'required' });
      const call = r.output.find((o) => o.type === 'function_call');
      assert.ok(call && call.type === 'function_call', `a function_call item in ${JSON.stringify(r.output)}`);
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
      assert.ok(call.call_id);

      const r2 = await client.responses.create({
        model,
        tools,
        input: [
          { role: 'user', content: 'weather in Paris?' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":18}' },
        ],
      });
      assert.equal(r2.status, 'completed');
      const back = lastReceived().body;
      const wire = JSON.stringify(back);
      assert.ok(wire.includes('temp_c'), 'the tool output reached the upstream');

      // Streamed tool call.
      const s = await client.responses.create({ model, input: 'weather in Paris?', tools, stream: true });
      const types: string[] = [];
      let args = '';
      let done: OpenAI.Responses.ResponseOutputItem | undefined;
      for await (const ev of s) {
        types.push(ev.type);
        if (ev.type === 'response.function_call_arguments.delta') args += ev.delta;
        if (ev.type === 'response.output_item.done') done = ev.item;
      }
      assert.ok(types.includes('response.function_call_arguments.done'));
      assert.deepEqual(JSON.parse(args), { city: 'Paris' });
      assert.ok(done && done.type === 'function_call' && done.name === 'get_weather');
      assert.equal(types[types.length - 1], 'response.completed');
    });
  }
});

describe('structured output and mid-stream failures', () => {
  for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash']) {
    test(`chat.completions.parse with a zod schema via ${model}`, async () => {
      const Reply = z.object({ city: z.string(), temp_c: z.number() });
      t.mock.enqueue({ text: '{"city":"Paris","temp_c":18}' });
      const r = await client.chat.completions.parse({ model, messages: [{ role: 'user', content: 'weather as json' }], response_format: zodResponseFormat(Reply, 'reply') });
      assert.deepEqual(r.choices[0].message.parsed, { city: 'Paris', temp_c: 18 });
    });
  }

  for (const model of ['gpt-4o', 'claude-sonnet']) {
    test(`an upstream that answers a stream request with JSON still streams to the SDK via ${model}`, async () => {
      t.mock.enqueue({ noStream: true });
      const final = await client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'json instead of sse' }] }).finalChatCompletion();
      assert.equal(final.choices[0].message.content, 'echo: json instead of sse');
      t.mock.enqueue({ noStream: true });
      const r = await client.responses.stream({ model, input: 'json instead of sse' }).finalResponse();
      assert.equal(r.output_text, 'echo: json instead of sse');
    });

    test(`a stream cut after content surfaces as an error in the SDK, not a silent truncation, via ${model}`, async () => {
      t.mock.chunkDelayMs = 10;
      try {
        t.mock.enqueue({ cutAfterEvents: 4, text: 'a fairly long answer that will be cut' });
        const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'x' }] });
        let text = '';
        await assert.rejects(
          (async () => {
            for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
          })(),
          (err: unknown) => err instanceof OpenAI.APIError && /upstream/.test(err.message),
        );
        assert.ok(text.length > 0 && 'a fairly long answer that will be cut'.startsWith(text), `partial text ${JSON.stringify(text)}`);

        t.mock.enqueue({ cutAfterEvents: 4, text: 'a fairly long answer that will be cut' });
        const rs = await client.responses.create({ model, stream: true, input: 'x' });
        const types: string[] = [];
        let error: { message?: string } | undefined;
        for await (const ev of rs) {
          types.push(ev.type);
          if (ev.type === 'error') error = ev;
        }
        assert.ok(error && /upstream/.test(String(error.message)), `an error event in ${types.join(',')}`);
        assert.ok(!types.includes('response.completed'), 'never claims completion');
      } finally {
        t.mock.chunkDelayMs = 0;
      }
    });
  }
});

test('embeddings', async () => {
  const one = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world', encoding_format: 'float' });
  assert.equal(one.object, 'list');
  assert.equal(one.data.length, 1);
  assert.deepEqual(one.data[0].embedding, [0.11, 0.5, -0.25]);
  assert.ok(one.usage.prompt_tokens > 0);
  const many = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'bb', 'ccc'], encoding_format: 'float' });
  assert.deepEqual(many.data.map((d) => d.index), [0, 1, 2]);
  assert.deepEqual(many.data.map((d) => d.embedding[0]), [0.01, 0.02, 0.03]);
  assert.deepEqual(lastReceived().body.input, ['a', 'bb', 'ccc']);
  // The SDK's default asks for base64 and decodes it; the upstream honours it here.
  const dflt = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world' });
  assert.equal(lastReceived().body.encoding_format, 'base64');
  assert.deepEqual(dflt.data[0].embedding.map((x) => Math.round(x * 1e6) / 1e6), [0.11, 0.5, -0.25]);
  // An upstream that ignores encoding_format (some compatible servers do): the gateway still answers
  // in the encoding the client asked for, both ways.
  t.mock.enqueue({ body: { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [0.25, -1, 2] }], usage: { prompt_tokens: 1, total_tokens: 1 } } });
  const viaFloats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
  assert.deepEqual(viaFloats.data[0].embedding, [0.25, -1, 2]);
  const b64 = Buffer.from(new Float32Array([0.5, -0.5]).buffer).toString('base64');
  t.mock.enqueue({ body: { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: b64 }], usage: { prompt_tokens: 1, total_tokens: 1 } } });
  const viaB64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', encoding_format: 'float' });
  assert.deepEqual(viaB64.data[0].embedding, [0.5, -0.5]);
  // A chat-only upstream refuses embeddings clearly.
  await assert.rejects(client.embeddings.create({ model: 'claude-sonnet', input: 'x' }), (err: unknown) => err instanceof OpenAI.BadRequestError && /embeddings/.test(err.message));
});

test('models.list shows only the models the key may use', async () => {
  const all: string[] = [];
  for await (const m of client.models.list()) all.push(m.id);
  assert.deepEqual(all.sort(), ['claude-sonnet', 'deepseek-chat', 'gemini-flash', 'gpt-4o', 'text-embedding-3-small']);

  const { key } = t.gw.keys.create({ name: 'gpt-only', models: ['gpt-*'] });
  const limited = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: key, maxRetries: 0 });
  const seen: string[] = [];
  for await (const m of limited.models.list()) {
    assert.equal(m.object, 'model');
    seen.push(m.id);
  }
  assert.deepEqual(seen, ['gpt-4o']);
  const one = await limited.models.retrieve('gpt-4o');
  assert.deepEqual([one.id, one.object], ['gpt-4o', 'model']);
  await assert.rejects(limited.models.retrieve('claude-sonnet'), (err: unknown) => err instanceof OpenAI.NotFoundError);
  await assert.rejects(client.models.retrieve('no-such-model'), (err: unknown) => err instanceof OpenAI.NotFoundError);
  // And the restriction is enforced, not only listed.
  await assert.rejects(limited.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => err instanceof OpenAI.PermissionDeniedError && err.status === 403);
  const ok = await limited.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'allowed' }] });
  assert.equal(ok.choices[0].message.content, 'echo: allowed');
});

test('errors surface as the SDK typed errors', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.NotFoundError);
    assert.equal(err.status, 404);
    assert.equal((err.error as Obj).type, 'not_found_error');
    assert.equal(err.code, 'model_not_found');
    return true;
  });
  const bad = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'trk_not-a-real-key', maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => err instanceof OpenAI.AuthenticationError && err.status === 401);
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 7 }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.param, 'temperature');
    return true;
  });
});
