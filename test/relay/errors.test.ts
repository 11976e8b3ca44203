import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors.js';
import type { Stage } from '../../src/core/pipeline.js';
import { withFallback } from '../../src/routing/execute.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Every error reaches the client in its own protocol's format with the right status, and the
 * routing guarantees (retries, fallback, breaker, no retry after bytes, abort on disconnect) hold.
 * Each scenario uses its own model name, so its circuit breaker is its own.
 */

type Obj = Record<string, unknown>;

const OPENAI_KEY = 'sk-mock-upstream-secret-1234567890';
// Shaped like no known key format: only exact-match scrubbing can catch it.
const PLAIN_KEY = 'plain-upstream-credential-value-42';
const LIMIT = 16 * 1024;

const yaml = (mock: string) => `
server: { body_limit_bytes: ${LIMIT} }
providers:
  - { id: mock-openai, type: openai, base_url: ${mock}/v1, api_key: ${OPENAI_KEY} }
  - { id: mock-anthropic, type: anthropic, base_url: ${mock}, api_key: sk-ant-mock-upstream-secret-123456 }
  - { id: mock-gemini, type: gemini, base_url: ${mock}/v1beta, api_key: AIzaMockUpstreamSecret1234567890123 }
  - { id: plain-openai, type: openai-compatible, base_url: ${mock}/v1, api_key: ${PLAIN_KEY} }
  - id: slow-openai
    type: openai
    base_url: ${mock}/v1
    api_key: ${OPENAI_KEY}
    timeouts: { first_byte_ms: 200 }
models:
  - { name: gpt-4o, targets: [{ provider: mock-openai, model: gpt-4o }] }
  - { name: claude-sonnet, targets: [{ provider: mock-anthropic, model: claude-sonnet-4-5 }] }
  - { name: gemini-flash, targets: [{ provider: mock-gemini, model: gemini-2.5-flash }] }
  - { name: plain, targets: [{ provider: plain-openai, model: plain-model }] }
  - { name: slow, targets: [{ provider: slow-openai, model: slow-model }] }
  - { name: slow-claude, targets: [{ provider: slow-openai, model: slow-model-2 }] }
  - { name: fail-500, targets: [{ provider: mock-openai, model: fail-500 }] }
  - { name: fail-500-claude, targets: [{ provider: mock-anthropic, model: fail-500-claude }] }
  - { name: limited, targets: [{ provider: mock-openai, model: limited }] }
  - { name: timeout-408, targets: [{ provider: mock-openai, model: timeout-408 }] }
  - { name: limited-claude, targets: [{ provider: mock-anthropic, model: limited-claude }] }
  - { name: leaky, targets: [{ provider: mock-openai, model: leaky }] }
  - { name: leaky-claude, targets: [{ provider: mock-anthropic, model: leaky-claude }] }
  - { name: cut, targets: [{ provider: mock-openai, model: cut }] }
  - { name: cut-claude, targets: [{ provider: mock-anthropic, model: cut-claude }] }
  - { name: abort, targets: [{ provider: mock-openai, model: abort }] }
  - { name: embed-abort, targets: [{ provider: mock-openai, model: embed-abort }] }
  - { name: count-abort, targets: [{ provider: mock-anthropic, model: count-abort }] }
  - name: fallback
    targets: [{ provider: mock-openai, model: primary }, { provider: mock-anthropic, model: backup, weight: 0 }]
  - name: fallback-stream
    targets: [{ provider: mock-openai, model: primary-stream }, { provider: mock-gemini, model: backup-stream, weight: 0 }]
  - name: fallback-stall
    targets: [{ provider: slow-openai, model: primary-stall }, { provider: mock-anthropic, model: backup-stall, weight: 0 }]
  - { name: resting, targets: [{ provider: mock-openai, model: resting }] }
  - name: resting-fb
    targets: [{ provider: mock-openai, model: resting }, { provider: mock-anthropic, model: resting-backup, weight: 0 }]
routing:
  retries: 2
  backoff_ms: 1
  max_backoff_ms: 5
  breaker: { failures: 3, cooldown_ms: 60000 }
`;

let t: TestGateway;
before(async () => {
  t = await startTestGateway({ yaml });
});
after(async () => t.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}`, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), signal });

/** Asserts an OpenAI-format error and returns its error object. */
async function openaiError(r: Response, status: number, type?: string): Promise<Obj> {
  const text = await r.text();
  assert.equal(r.status, status, text);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  const j = JSON.parse(text) as { error: Obj };
  assert.ok(j.error && typeof j.error.message === 'string' && j.error.message.length > 0, text);
  assert.equal(typeof j.error.type, 'string');
  if (type) assert.equal(j.error.type, type);
  assert.ok(!/\n\s+at /.test(text), 'no stack trace');
  return j.error;
}

/** Asserts an Anthropic-format error and returns its error object. */
async function anthropicError(r: Response, status: number, type?: string): Promise<Obj> {
  const text = await r.text();
  assert.equal(r.status, status, text);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  const j = JSON.parse(text) as { type: string; error: Obj };
  assert.equal(j.type, 'error', text);
  assert.ok(typeof j.error.message === 'string' && j.error.message.length > 0, text);
  if (type) assert.equal(j.error.type, type);
  return j.error;
}

interface Endpoint {
  path: string;
  family: 'openai' | 'anthropic';
  body: (model: string, extra?: Obj) => Obj;
}
const ENDPOINTS: Endpoint[] = [
  { path: '/v1/chat/completions', family: 'openai', body: (model, extra) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }) },
  { path: '/v1/responses', family: 'openai', body: (model, extra) => ({ model, input: 'hi', ...extra }) },
  { path: '/v1/messages', family: 'anthropic', body: (model, extra) => ({ model, max_tokens: 32, messages: [{ role: 'user', content: 'hi' }], ...extra }) },
];
const errorOf = (e: Endpoint, r: Response, status: number, type?: string) => (e.family === 'openai' ? openaiError(r, status, type) : anthropicError(r, status, type));

describe('client errors in each protocol', () => {
  for (const e of ENDPOINTS) {
    test(`malformed JSON and empty bodies → 400 on ${e.path}`, async () => {
      const m = await errorOf(e, await post(e.path, '{"model": "gpt-4o", "messages": ['), 400, 'invalid_request_error');
      assert.match(String(m.message), /not valid JSON/);
      await errorOf(e, await post(e.path, ''), 400, 'invalid_request_error');
      await errorOf(e, await post(e.path, '[1,2,3]'), 400, 'invalid_request_error');
      await errorOf(e, await post(e.path, 'null'), 400, 'invalid_request_error');
    });

    test(`wrong types → 400 naming the parameter on ${e.path}`, async () => {
      const cases: [Obj, string][] =
        e.path === '/v1/chat/completions'
          ? [
              [{ model: 'gpt-4o', messages: 'hi' }, 'messages'],
              [{ model: 42, messages: [{ role: 'user', content: 'x' }] }, 'model'],
              [e.body('gpt-4o', { temperature: 'hot' }), 'temperature'],
              [e.body('gpt-4o', { max_tokens: 1.5 }), 'max_tokens'],
              [e.body('gpt-4o', { stream: 'yes' }), 'stream'],
              [e.body('gpt-4o', { n: 0 }), 'n'],
              [{ model: 'gpt-4o', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
              [{ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] }, 'messages[0].content[0].text'],
              [e.body('gpt-4o', { tools: [{ type: 'function', function: { name: 7 } }] }), 'tools[0].function.name'],
              [e.body('gpt-4o', { functions: [{ name: 'legacy', parameters: {} }] }), 'functions'],
            ]
          : e.path === '/v1/responses'
            ? [
                [{ model: 'gpt-4o', input: 5 }, 'input'],
                [e.body('gpt-4o', { max_output_tokens: -1 }), 'max_output_tokens'],
                [e.body('gpt-4o', { tools: [{ type: 'web_search' }] }), 'tools[0].type'],
                [e.body('gpt-4o', { previous_response_id: 'resp_123' }), 'previous_response_id'],
                [e.body('gpt-4o', { conversation: 'conv_123' }), 'conversation'],
                [e.body('gpt-4o', { prompt: { id: 'pmpt_123' } }), 'prompt'],
                [e.body('gpt-4o', { background: true }), 'background'],
              ]
            : [
                [{ model: 'claude-sonnet', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
                [e.body('claude-sonnet', { max_tokens: 'ten' }), 'max_tokens'],
                [e.body('claude-sonnet', { temperature: 3 }), 'temperature'],
                [e.body('claude-sonnet', { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'ftp' } }] }] }), 'messages[0].content[0].source.type'],
                [e.body('claude-sonnet', { system: 12 }), 'system'],
                [e.body('claude-sonnet', { tool_choice: { type: 'maybe' } }), 'tool_choice.type'],
              ];
      for (const [body, param] of cases) {
        const err = await errorOf(e, await post(e.path, body), 400, 'invalid_request_error');
        if (e.family === 'openai') assert.equal(err.param, param, JSON.stringify(err));
        assert.ok(String(err.message).includes(param), `${JSON.stringify(err)} names ${param}`);
      }
    });

    test(`unknown model → 404 on ${e.path}`, async () => {
      const err = await errorOf(e, await post(e.path, e.body('no-such-model')), 404, 'not_found_error');
      assert.match(String(err.message), /no-such-model/);
    });

    test(`missing and invalid key → 401 on ${e.path}`, async () => {
      const body = JSON.stringify(e.body('gpt-4o'));
      const none = await fetch(t.url + e.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.match(String((await errorOf(e, none, 401, 'authentication_error')).message), /missing API key/);
      await errorOf(e, await post(e.path, body, { authorization: 'Bearer trk_invalid' }), 401, 'authentication_error');
      await errorOf(e, await post(e.path, body, { authorization: '', 'x-api-key': 'sk-not-ours' }), 401, 'authentication_error');
      const revoked = t.gw.keys.create({ name: 'revoked' });
      t.gw.keys.revoke(revoked.record.id);
      assert.match(String((await errorOf(e, await post(e.path, body, { authorization: `Bearer ${revoked.key}` }), 401, 'authentication_error')).message), /revoked/);
      assert.equal(t.mock.received.filter((r) => r.body.model === 'gpt-4o' && JSON.stringify(r.body).includes('"hi"')).length, 0, 'nothing reached the upstream');
    });

    test(`body too large → 413 on ${e.path}`, async () => {
      const big = e.body('gpt-4o', { user: 'x'.repeat(LIMIT) });
      await errorOf(e, await post(e.path, big), 413, e.family === 'openai' ? 'invalid_request_error' : 'request_too_large');
      // Without a content-length (chunked upload), the limit still holds while reading.
      const text = JSON.stringify(big);
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < text.length; i += 1024) c.enqueue(new TextEncoder().encode(text.slice(i, i + 1024)));
          c.close();
        },
      });
      const r = await fetch(t.url + e.path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, body: stream, duplex: 'half' } as RequestInit);
      await errorOf(e, r, 413);
    });

    test(`wrong method → 405 in ${e.family} format on ${e.path}`, async () => {
      const r = await fetch(t.url + e.path, { headers: { authorization: `Bearer ${t.key}` } });
      await errorOf(e, r, 405, 'invalid_request_error');
    });
  }

  test('unknown routes answer 404 in the path protocol format', async () => {
    await openaiError(await post('/v1/nope', {}), 404, 'not_found_error');
    await anthropicError(await post('/v1/messages/nope', {}), 404, 'not_found_error');
  });

  test('embeddings and count_tokens errors', async () => {
    const err = await openaiError(await post('/v1/embeddings', { model: 'gpt-4o', input: 42 }), 400, 'invalid_request_error');
    assert.equal(err.param, 'input');
    await openaiError(await post('/v1/embeddings', { model: 'nope', input: 'x' }), 404, 'not_found_error');
    await anthropicError(await post('/v1/messages/count_tokens', { model: 'claude-sonnet' }), 400, 'invalid_request_error');
    await anthropicError(await post('/v1/messages/count_tokens', { model: 'nope', messages: [{ role: 'user', content: 'x' }] }), 404, 'not_found_error');
  });
});

describe('upstream failures', () => {
  test('upstream 500 after retries → 502, each protocol', async () => {
    const before = t.mock.received.length;
    t.mock.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const err = await openaiError(await post('/v1/chat/completions', { model: 'fail-500', messages: [{ role: 'user', content: 'x' }] }), 502);
    assert.match(String(err.message), /500/);
    assert.equal(t.mock.received.length - before, 3, 'one try and two retries');

    t.mock.enqueue({ status: 503 }, { status: 502 }, { status: 500 });
    await anthropicError(await post('/v1/messages', { model: 'fail-500-claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), 502, 'api_error');
  });

  test('a retry after a 500 succeeds transparently', async () => {
    t.mock.enqueue({ status: 500 });
    const r = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'second time lucky' }] });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, 'echo: second time lucky');
  });

  test('upstream 429 → 429 with Retry-After, each protocol', async () => {
    t.mock.enqueue(...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after': '7' } })));
    const r = await post('/v1/chat/completions', { model: 'limited', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.headers.get('retry-after'), '7');
    await openaiError(r, 429, 'rate_limit_error');
    t.mock.enqueue(...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after': '3' } })));
    const a = await post('/v1/messages', { model: 'limited-claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(a.headers.get('retry-after'), '3');
    await anthropicError(a, 429, 'rate_limit_error');
  });

  test('upstream 4xx passes on as a 4xx with the upstream message; an upstream 408 is a 504', async () => {
    t.mock.enqueue({ status: 400, body: { error: { message: 'context_length_exceeded: too many tokens', type: 'invalid_request_error' } } });
    const err = await openaiError(await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }), 400, 'invalid_request_error');
    assert.match(String(err.message), /context_length_exceeded/);
    t.mock.enqueue({ status: 408 });
    await openaiError(await post('/v1/chat/completions', { model: 'timeout-408', messages: [{ role: 'user', content: 'x' }] }), 504, 'timeout_error');
  });

  test('upstream timeout → 504, JSON and stream, each protocol', async () => {
    const t0 = Date.now();
    t.mock.enqueue({ hang: true });
    const err = await openaiError(await post('/v1/chat/completions', { model: 'slow', messages: [{ role: 'user', content: 'x' }] }), 504, 'timeout_error');
    assert.match(String(err.message), /first-byte|in time/);
    t.mock.enqueue({ hang: true });
    await openaiError(await post('/v1/chat/completions', { model: 'slow', stream: true, messages: [{ role: 'user', content: 'x' }] }), 504);
    t.mock.enqueue({ hang: true });
    await anthropicError(await post('/v1/messages', { model: 'slow-claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), 504, 'timeout_error');
    assert.ok(Date.now() - t0 < 30_000, 'the configured first-byte timeout applied, not the 60 s default');
  });

  test('a stream that stalls after content ends with an in-stream timeout error', async () => {
    t.mock.enqueue({ stallAfterEvents: 3 });
    const r = await post('/v1/chat/completions', { model: 'slow', stream: true, messages: [{ role: 'user', content: 'stall after a while please' }] });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.match(text, /"content":"echo: "/);
    const last = text.trim().split('\n').filter((l) => l.startsWith('data: ')).pop() ?? '';
    const err = (JSON.parse(last.slice(6)) as { error: Obj }).error;
    assert.equal(err.type, 'timeout_error');
    t.mock.enqueue({ stallAfterEvents: 3 });
    const a = await post('/v1/messages', { model: 'slow-claude', stream: true, max_tokens: 50, messages: [{ role: 'user', content: 'stall after a while please' }] });
    const at = await a.text();
    assert.match(at, /event: error\ndata: \{"type":"error","error":\{"type":"timeout_error"/);
  });

  test('upstream error bodies never leak the provider key', async () => {
    const leaks = (s: string) => s.includes(OPENAI_KEY) || s.includes(PLAIN_KEY) || s.includes('sk-mock') || s.includes('sk-ant-mock');
    const cases: [string, Obj][] = [
      ['leaky', { status: 400, body: { error: { message: `Incorrect API key provided: ${OPENAI_KEY}. Authorization: Bearer ${OPENAI_KEY}` } } }],
      ['leaky', { status: 401, body: { error: { message: `bad key ${OPENAI_KEY}` } } }],
      ['plain', { status: 400, body: { error: { message: `key ${PLAIN_KEY} is not valid for this project` } } }],
      ['plain', { status: 422, body: `raw text error with ${PLAIN_KEY} inside` }],
      ['leaky-claude', { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'x-api-key sk-ant-mock-upstream-secret-123456 is bad' } } }],
    ];
    for (const [model, b] of cases) {
      // None of these statuses is retried, so one queued answer each.
      t.mock.enqueue(b);
      const r = await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'x' }] });
      const text = await r.text();
      assert.ok(r.status === 400 || r.status === 422 || r.status === 502, text);
      assert.ok(!leaks(text), `leaked: ${text}`);
      assert.match(text, /\[redacted\]|provider credentials/, 'the message is still passed on, minus the key');
      assert.ok(!leaks(JSON.stringify([...r.headers])), 'not in headers either');
    }
  });

  test('error events inside an upstream stream never leak the provider key', async () => {
    const leakyFrame = `data: ${JSON.stringify({ error: { message: `stream failed for key ${PLAIN_KEY}`, type: 'server_error' } })}\n\n`;
    // Before any content: the target failed (the next one would be tried), reported as a JSON error.
    t.mock.enqueue({ rawSse: [leakyFrame] });
    const r = await post('/v1/chat/completions', { model: 'plain', stream: true, messages: [{ role: 'user', content: 'x' }] });
    const text = await r.text();
    assert.equal(r.status, 502, text);
    assert.ok(!text.includes(PLAIN_KEY), `leaked: ${text}`);
    // After content: reported in-stream.
    const content = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] })}\n\n`;
    t.mock.enqueue({ rawSse: [content, leakyFrame] });
    const s = await post('/v1/chat/completions', { model: 'plain', stream: true, messages: [{ role: 'user', content: 'x' }] });
    const st = await s.text();
    assert.equal(s.status, 200);
    assert.ok(st.includes('partial'));
    assert.ok(st.includes('"error"'), 'the failure is reported in-stream');
    assert.ok(!st.includes(PLAIN_KEY), `leaked: ${st}`);
  });
});

describe('fallback, breaker, streaming guarantees', () => {
  test('a failing first target falls over to the second (other family)', async () => {
    const before = t.mock.received.length;
    t.mock.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const r = await post('/v1/chat/completions', { model: 'fallback', messages: [{ role: 'user', content: 'fall over' }] });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-trustrelay-upstream'), 'mock-anthropic');
    assert.equal(((await r.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, 'echo: fall over');
    const paths = t.mock.received.slice(before).map((x) => `${x.path} ${String(x.body.model)}`);
    assert.deepEqual(paths, ['/v1/chat/completions primary', '/v1/chat/completions primary', '/v1/chat/completions primary', '/v1/messages backup']);
  });

  test('a stream that fails before any content falls over too', async () => {
    t.mock.enqueue({ status: 503 }, { status: 503 }, { cutAfterEvents: 1 });
    const r = await post('/v1/chat/completions', { model: 'fallback-stream', stream: true, messages: [{ role: 'user', content: 'stream fall over' }] });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-trustrelay-upstream'), 'mock-gemini');
    let out = '';
    for (const line of (await r.text()).split('\n')) if (line.startsWith('data: {')) for (const c of (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices) out += c.delta.content ?? '';
    assert.equal(out, 'echo: stream fall over');
  });

  test('a stream that stalls before any content falls over to the next target', async () => {
    // Headers and the opening chunk arrive, then nothing: a body timeout, not an unreadable answer.
    t.mock.enqueue({ stallAfterEvents: 1 });
    const r = await post('/v1/chat/completions', { model: 'fallback-stall', stream: true, messages: [{ role: 'user', content: 'stalled then served' }] });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-trustrelay-upstream'), 'mock-anthropic');
    assert.match(await r.text(), /"content":"echo: "/);
  });

  test('the circuit breaker rests a failing upstream', async () => {
    t.mock.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    await openaiError(await post('/v1/chat/completions', { model: 'resting', messages: [{ role: 'user', content: 'x' }] }), 502);
    const before = t.mock.received.length;
    const r = await post('/v1/chat/completions', { model: 'resting', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(Number(r.headers.get('retry-after')) >= 1, 'tells the client when to come back');
    const err = await openaiError(r, 503);
    assert.match(String(err.message), /resting/);
    const a = await post('/v1/messages', { model: 'resting', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    await anthropicError(a, 503, 'overloaded_error');
    assert.equal(t.mock.received.length, before, 'the resting upstream was not called');
    // A model whose first target is resting goes straight to its fallback.
    const fb = await post('/v1/chat/completions', { model: 'resting-fb', messages: [{ role: 'user', content: 'skip the resting one' }] });
    assert.equal(fb.status, 200);
    assert.equal(fb.headers.get('x-trustrelay-upstream'), 'mock-anthropic');
    assert.deepEqual(t.mock.received.slice(before).map((x) => x.body.model), ['resting-backup']);
    const health = t.gw.router.health().find((h) => h.model === 'resting');
    assert.equal(health?.state, 'open');
  });

  test('after its rest a breaker lets one trial through, and a success closes it; weights split the load', async () => {
    const g = await startTestGateway({
      yaml: (mock) => `
providers:
  - { id: a, type: openai, base_url: ${mock}/v1, api_key: sk-mock-upstream-secret-1234567890 }
  - { id: b, type: openai, base_url: ${mock}/v1, api_key: sk-mock-upstream-secret-1234567890 }
models:
  - { name: flaky, targets: [{ provider: a, model: flaky }] }
  - { name: split, targets: [{ provider: a, model: split-a, weight: 1 }, { provider: b, model: split-b, weight: 3 }] }
routing: { retries: 0, backoff_ms: 1, max_backoff_ms: 5, breaker: { failures: 2, cooldown_ms: 300 } }
`,
    });
    try {
      const ask = (model: string) => fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${g.key}` }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }) });
      g.mock.enqueue({ status: 500 }, { status: 500 });
      assert.equal((await ask('flaky')).status, 502);
      assert.equal((await ask('flaky')).status, 502);
      assert.equal((await ask('flaky')).status, 503, 'resting');
      await new Promise((r) => setTimeout(r, 350));
      const calls = g.mock.received.length;
      assert.equal((await ask('flaky')).status, 200, 'the trial request went through');
      assert.equal(g.mock.received.length, calls + 1);
      assert.equal(g.gw.router.health().find((h) => h.model === 'flaky')?.state, 'closed');
      assert.equal((await ask('flaky')).status, 200);

      const before = g.mock.received.length;
      for (let i = 0; i < 60; i++) assert.equal((await ask('split')).status, 200);
      const models = g.mock.received.slice(before).map((r) => r.body.model);
      const a = models.filter((m) => m === 'split-a').length;
      assert.ok(a >= 3 && a <= 30, `weight 1:3 split, got ${a} of 60 on the lighter target`);
    } finally {
      await g.close();
    }
  });

  test('never retry after bytes were streamed (OpenAI and Anthropic clients)', async () => {
    // Spread the frames out so content reaches the client before the cut.
    t.mock.chunkDelayMs = 15;
    try {
    for (const [path, model, body] of [
      ['/v1/chat/completions', 'cut', { messages: [{ role: 'user', content: 'a long enough answer to cut in the middle' }] }],
      ['/v1/messages', 'cut-claude', { max_tokens: 100, messages: [{ role: 'user', content: 'a long enough answer to cut in the middle' }] }],
    ] as const) {
      const before = t.mock.received.length;
      // Only the first call is scripted to fail: a retry would get a full answer and show up below.
      t.mock.enqueue({ cutAfterEvents: 4 });
      const r = await post(path, { model, stream: true, ...body });
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.equal(t.mock.received.length - before, 1, 'exactly one upstream call: no retry after bytes reached the client');
      assert.ok(text.includes('echo'), 'the partial answer reached the client');
      if (path === '/v1/messages') {
        assert.match(text, /event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
        assert.ok(!text.includes('message_stop'), 'no pretend-complete ending');
      } else {
        assert.match(text, /data: \{"error":\{"message":/);
        assert.ok(!text.includes('[DONE]'), 'no pretend-complete ending');
      }
    }
    } finally {
      t.mock.chunkDelayMs = 0;
    }
  });

  test('a stream that closes cleanly without a finish reason is reported as cut short, in every protocol', async () => {
    const chunk = (c: Obj) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, ...c }] })}\n\n`;
    const cut = [chunk({ delta: { role: 'assistant', content: '' } }), chunk({ delta: { content: 'half an ans' } })];
    t.mock.enqueue({ rawSse: cut });
    const c = await (await post('/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] })).text();
    assert.ok(c.includes('half an ans'));
    assert.match(c, /data: \{"error":\{"message":"[^"]*ended before the answer was complete/);
    assert.ok(!c.includes('[DONE]'));
    t.mock.enqueue({ rawSse: cut });
    const a = await (await post('/v1/messages', { model: 'gpt-4o', stream: true, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).text();
    assert.match(a, /event: error\n/);
    assert.ok(!a.includes('message_stop') && !a.includes('end_turn'), 'no claim of a complete answer');
    t.mock.enqueue({ rawSse: cut });
    const r = await (await post('/v1/responses', { model: 'gpt-4o', stream: true, input: 'x' })).text();
    assert.match(r, /event: error\n/);
    assert.ok(!r.includes('response.completed'));
  });

  test('a client that disconnects while waiting for the first byte aborts the upstream request', async () => {
    for (const stream of [false, true]) {
      const abortedBefore = t.mock.aborted;
      const receivedBefore = t.mock.received.length;
      t.mock.enqueue({ hang: true });
      const ac = new AbortController();
      const pending = post('/v1/chat/completions', { model: 'abort', stream, messages: [{ role: 'user', content: 'x' }] }, {}, ac.signal).catch((e: unknown) => e);
      const deadline = Date.now() + 10_000;
      while (t.mock.received.length === receivedBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      ac.abort();
      assert.ok((await pending) instanceof Error);
      while (t.mock.aborted === abortedBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      assert.equal(t.mock.aborted, abortedBefore + 1, `the upstream saw the request aborted (stream: ${stream})`);
    }
  });

  test('streams pass through chunk by chunk: content arrives while the upstream is still sending', async () => {
    for (const [path, body, marker] of [
      ['/v1/chat/completions', { model: 'abort', stream: true, messages: [{ role: 'user', content: 'first words then silence' }] }, '"content":"echo: "'],
      ['/v1/messages', { model: 'abort', stream: true, max_tokens: 50, messages: [{ role: 'user', content: 'first words then silence' }] }, '"text":"echo: "'],
      ['/v1/responses', { model: 'abort', stream: true, input: 'first words then silence' }, '"delta":"echo: "'],
    ] as const) {
      // The upstream sends its opening and two pieces of text, then nothing more (but stays open).
      t.mock.enqueue({ stallAfterEvents: 3 });
      const ac = new AbortController();
      const r = await post(path, body, {}, ac.signal);
      const reader = r.body!.getReader();
      let got = '';
      while (!got.includes(marker)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `${path}: stream ended before the first content`);
        got += new TextDecoder().decode(value);
      }
      ac.abort();
      await reader.cancel().catch(() => undefined);
    }
  });

  test('a client that disconnects from embeddings or count_tokens aborts the upstream request', async () => {
    for (const [path, body] of [
      ['/v1/embeddings', { model: 'embed-abort', input: 'x' }],
      ['/v1/messages/count_tokens', { model: 'count-abort', messages: [{ role: 'user', content: 'x' }] }],
    ] as const) {
      const abortedBefore = t.mock.aborted;
      const receivedBefore = t.mock.received.length;
      t.mock.enqueue({ hang: true });
      const ac = new AbortController();
      const pending = post(path, body, {}, ac.signal).catch((e: unknown) => e);
      const deadline = Date.now() + 10_000;
      while (t.mock.received.length === receivedBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      ac.abort();
      assert.ok((await pending) instanceof Error);
      while (t.mock.aborted === abortedBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      assert.equal(t.mock.aborted, abortedBefore + 1, `the upstream saw ${path} aborted`);
    }
  });

  test('a client that disconnects mid-stream aborts the upstream request', async () => {
    t.mock.chunkDelayMs = 20;
    try {
      const abortedBefore = t.mock.aborted;
      t.mock.enqueue({ text: 'slow '.repeat(200) });
      const ac = new AbortController();
      const r = await post('/v1/chat/completions', { model: 'abort', stream: true, messages: [{ role: 'user', content: 'x' }] }, {}, ac.signal);
      assert.equal(r.status, 200);
      const reader = r.body!.getReader();
      const first = await reader.read();
      assert.ok(first.value && first.value.length > 0);
      ac.abort();
      await reader.cancel().catch(() => undefined);
      const deadline = Date.now() + 10_000;
      while (t.mock.aborted === abortedBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
      assert.equal(t.mock.aborted, abortedBefore + 1, 'the upstream saw the request aborted');
    } finally {
      t.mock.chunkDelayMs = 0;
    }
    // The gateway still serves.
    const ok = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'still here' }] });
    assert.equal(ok.status, 200);
  });
});

test('a bug in a pipeline stage is a 500 internal error, not blamed on the upstream, and never echoes internals', async () => {
  let mode: 'before' | 'after' = 'before';
  let seen = 0;
  const buggy: Stage = {
    name: 'buggy',
    onStreamEvent(_ctx, ev) {
      if (ev.type === 'text' && (mode === 'before' || ++seen > 1)) throw new TypeError('secret internal detail: cannot read x of undefined');
      return [ev];
    },
  };
  const g = await startTestGateway({ stages: [buggy] });
  try {
    const ask = (path: string, body: Obj) => fetch(g.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${g.key}` }, body: JSON.stringify(body) });
    // Before any byte reached the client: a 500 in the client's format.
    const r = await ask('/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello' }] });
    const text = await r.text();
    assert.equal(r.status, 500, text);
    assert.equal((JSON.parse(text) as { error: Obj }).error.type, 'server_error');
    assert.ok(!text.includes('secret internal detail') && !/upstream/i.test(text), text);
    const a = await ask('/v1/messages', { model: 'claude-sonnet', stream: true, max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] });
    const at = await a.text();
    assert.equal(a.status, 500, at);
    assert.equal((JSON.parse(at) as { error: Obj }).error.type, 'api_error');
    assert.equal(g.gw.router.health().find((h) => h.model === 'gpt-4o-2024-08-06')?.state ?? 'closed', 'closed', 'the upstream is not blamed');
    // After bytes were sent: an in-stream error that names no internals.
    mode = 'after';
    const s = await ask('/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'a long enough answer to have several chunks' }] });
    const st = await s.text();
    assert.equal(s.status, 200);
    assert.match(st, /"type":"server_error"/);
    assert.ok(!st.includes('secret internal detail'), st);
  } finally {
    await g.close();
  }
});

test('a model whose routing leaves no target answers 503 unavailable, not an internal error', async () => {
  await assert.rejects(
    withFallback([], { retries: 2, backoffMs: 1, maxBackoffMs: 5 }, new AbortController().signal, async () => 'never'),
    (err: unknown) => err instanceof GatewayError && err.kind === 'unavailable' && err.status === 503 && (err.retryAfterSeconds ?? 0) >= 1,
  );
});
