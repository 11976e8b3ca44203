import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway();
});
after(async () => t.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}`, ...headers }, body: JSON.stringify(body) });

for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash', 'deepseek-chat']) {
  test(`OpenAI chat client reaches ${model}, JSON and SSE`, async () => {
    const r = await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(r.status, 200);
    const j = (await r.json()) as { choices: { message: { content: string } }[]; usage: { prompt_tokens: number } };
    assert.equal(j.choices[0].message.content, 'echo: hello there');
    assert.ok(j.usage.prompt_tokens > 0);
    const s = await post('/v1/chat/completions', { model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] });
    assert.equal(s.status, 200);
    assert.match(s.headers.get('content-type') ?? '', /text\/event-stream/);
    const text = await s.text();
    let out = '';
    let usage = false;
    for (const line of text.split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const c = JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[]; usage?: unknown };
      for (const ch of c.choices) out += ch.delta.content ?? '';
      if (c.usage) usage = true;
    }
    assert.equal(out, 'echo: stream me please');
    assert.ok(usage, 'usage chunk present when include_usage was asked');
    assert.match(text, /data: \[DONE\]\n\n: x-trustrelay-receipt trr1\.[\w-]+\.[\w-]+\.[\w-]+\n\n$/, 'ends with [DONE], then the receipt comment');
  });
}

test('Anthropic stream from an Anthropic upstream reports prompt usage in message_start, as the upstream did', async () => {
  const s = await post('/v1/messages', { model: 'claude-sonnet', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'count my prompt' }] });
  const events = (await s.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { type: string; message?: { usage: { input_tokens: number } }; usage?: { input_tokens: number } });
  const start = events.find((e) => e.type === 'message_start')!;
  const delta = events.find((e) => e.type === 'message_delta')!;
  assert.ok(start.message!.usage.input_tokens > 0);
  assert.equal(start.message!.usage.input_tokens, delta.usage!.input_tokens);
});
