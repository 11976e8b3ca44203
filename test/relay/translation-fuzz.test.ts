import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * The other half of the fuzz test: valid requests of random shape (content parts, tool-call round
 * trips, parameters, streaming or not) in each client protocol, to each upstream family. Every one
 * must come back as a well-formed success in the client's protocol: translation never crashes.
 */

type Obj = Record<string, unknown>;

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const COUNT = Number(process.env.FUZZ_VALID_COUNT ?? 450);
const CONCURRENCY = 6;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;

const TEXTS = ['hello', 'ünïcödé 你好 مرحبا', '😀 emoji 🔥', 'line\nbreaks\r\nand\ttabs', '"quotes" and \\backslashes\\', 'the quick brown fox jumps. '.repeat(80), ' ', '{"looks":"like json"}', '\u0000 nul and \u202e bidi', 'weather in Paris?'];
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const MODELS = ['gpt-4o', 'claude-sonnet', 'gemini-flash', 'deepseek-chat'];
const schema = () => ({ type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } }, required: ['city'] });
const toolNames = ['get_weather', 'lookup', 'do_thing_2'];
let callSeq = 0;
const callId = () => `call_${(callSeq++).toString(36)}`;

function openaiChat(model: string): Obj {
  const messages: Obj[] = [];
  if (chance(0.5)) messages.push({ role: pick(['system', 'developer']), content: chance(0.7) ? pick(TEXTS) : [{ type: 'text', text: pick(TEXTS) }] });
  for (let turn = int(3); turn >= 0; turn--) {
    messages.push({
      role: 'user',
      content: chance(0.5)
        ? pick(TEXTS)
        : [{ type: 'text', text: pick(TEXTS) }, ...(chance(0.4) ? [{ type: 'image_url', image_url: chance(0.5) ? { url: `data:image/png;base64,${PNG}`, detail: pick(['low', 'high', 'auto']) } : { url: 'https://images.example.invalid/a.png' } }] : [])],
      ...(chance(0.2) ? { name: 'alice' } : {}),
    });
    if (turn === 0) break;
    if (chance(0.5)) {
      const calls = Array.from({ length: 1 + int(2) }, () => ({ id: callId(), type: 'function', function: { name: pick(toolNames), arguments: JSON.stringify({ city: pick(TEXTS).slice(0, 20) }) } }));
      messages.push({ role: 'assistant', content: chance(0.5) ? null : pick(TEXTS), tool_calls: calls });
      for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: chance(0.7) ? pick(TEXTS) : [{ type: 'text', text: pick(TEXTS) }] });
    } else messages.push({ role: 'assistant', content: pick(TEXTS) });
  }
  const body: Obj = { model, messages };
  if (chance(0.4)) body.tools = toolNames.slice(0, 1 + int(3)).map((name) => ({ type: 'function', function: { name, description: pick(TEXTS).slice(0, 50), ...(chance(0.8) ? { parameters: schema() } : {}) } }));
  if (body.tools && chance(0.5)) body.tool_choice = pick<unknown>(['auto', 'none', 'required', { type: 'function', function: { name: 'get_weather' } }]);
  if (body.tools && chance(0.3)) body.parallel_tool_calls = chance(0.5);
  if (chance(0.3)) body.temperature = Math.round(rand() * 200) / 100;
  if (chance(0.3)) body.top_p = Math.round(rand() * 100) / 100;
  if (chance(0.3)) body[pick(['max_tokens', 'max_completion_tokens'])] = 1 + int(4000);
  if (chance(0.2)) body.stop = chance(0.5) ? 'END' : ['END', 'STOP'];
  if (chance(0.2)) body.seed = int(1e9) - 5e8;
  if (chance(0.2)) body.response_format = pick<unknown>([{ type: 'text' }, { type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'r', schema: schema(), strict: chance(0.5) } }]);
  if (chance(0.2) && model !== 'claude-sonnet') body.n = 1 + int(2);
  if (chance(0.2)) body.logprobs = chance(0.5);
  if (chance(0.1)) body.user = 'user-123';
  if (chance(0.1)) body.metadata = { tag: 'x' };
  if (chance(0.1)) body.reasoning_effort = pick(['low', 'medium', 'high']);
  if (chance(0.5)) {
    body.stream = true;
    if (chance(0.5)) body.stream_options = { include_usage: chance(0.7) };
  }
  return body;
}

function anthropicMessages(model: string): Obj {
  const messages: Obj[] = [];
  for (let turn = int(3); turn >= 0; turn--) {
    const blocks: Obj[] = [{ type: 'text', text: pick(TEXTS) }];
    if (chance(0.3)) blocks.push(chance(0.5) ? { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } } : { type: 'image', source: { type: 'url', url: 'https://images.example.invalid/b.png' } });
    messages.push({ role: 'user', content: chance(0.4) ? pick(TEXTS) : blocks });
    if (turn === 0) break;
    if (chance(0.5)) {
      const uses = Array.from({ length: 1 + int(2) }, () => ({ type: 'tool_use', id: `toolu_${callId()}`, name: pick(toolNames), input: { city: 'Paris' } }));
      messages.push({ role: 'assistant', content: [...(chance(0.5) ? [{ type: 'text', text: pick(TEXTS) }] : []), ...uses] });
      messages.push({
        role: 'user',
        content: [
          ...uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id, content: chance(0.5) ? pick(TEXTS) : [{ type: 'text', text: pick(TEXTS) }], ...(chance(0.2) ? { is_error: true } : {}) })),
          ...(chance(0.3) ? [{ type: 'text', text: pick(TEXTS) }] : []),
        ],
      });
      messages.push({ role: 'assistant', content: pick(TEXTS) });
    } else messages.push({ role: 'assistant', content: [{ type: 'text', text: pick(TEXTS) }] });
  }
  const body: Obj = { model, max_tokens: 1 + int(4000), messages };
  if (chance(0.5)) body.system = chance(0.5) ? pick(TEXTS) : [{ type: 'text', text: pick(TEXTS) }];
  if (chance(0.4)) body.tools = toolNames.slice(0, 1 + int(3)).map((name) => ({ name, description: pick(TEXTS).slice(0, 50), input_schema: schema() }));
  if (body.tools && chance(0.5)) body.tool_choice = pick<unknown>([{ type: 'auto' }, { type: 'any' }, { type: 'none' }, { type: 'tool', name: 'get_weather' }, { type: 'auto', disable_parallel_tool_use: true }]);
  if (chance(0.3)) body.temperature = Math.round(rand() * 100) / 100;
  if (chance(0.2)) body.top_p = Math.round(rand() * 100) / 100;
  if (chance(0.2)) body.top_k = int(100);
  if (chance(0.2)) body.stop_sequences = ['END'];
  if (chance(0.2)) body.metadata = { user_id: 'u-1' };
  if (chance(0.2)) {
    body.thinking = { type: 'enabled', budget_tokens: 1024 };
    body.max_tokens = 2048 + int(2000);
  }
  if (chance(0.5)) body.stream = true;
  return body;
}

function openaiResponses(model: string): Obj {
  const input: Obj[] = [];
  for (let turn = int(3); turn >= 0; turn--) {
    input.push({ role: 'user', content: chance(0.5) ? pick(TEXTS) : [{ type: 'input_text', text: pick(TEXTS) }, ...(chance(0.3) ? [{ type: 'input_image', image_url: `data:image/png;base64,${PNG}` }] : [])] });
    if (turn === 0) break;
    if (chance(0.5)) {
      const id = callId();
      input.push({ type: 'function_call', call_id: id, name: pick(toolNames), arguments: '{"city":"Paris"}' });
      input.push({ type: 'function_call_output', call_id: id, output: pick(TEXTS) });
    } else input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: pick(TEXTS) }] });
  }
  const body: Obj = { model, input: chance(0.3) ? pick(TEXTS) : input };
  if (chance(0.5)) body.instructions = pick(TEXTS);
  if (chance(0.4)) body.tools = toolNames.slice(0, 1 + int(3)).map((name) => ({ type: 'function', name, description: 'd', parameters: schema(), strict: false }));
  if (body.tools && chance(0.5)) body.tool_choice = pick<unknown>(['auto', 'none', 'required', { type: 'function', name: 'lookup' }]);
  if (chance(0.3)) body.max_output_tokens = 16 + int(4000);
  if (chance(0.3)) body.temperature = Math.round(rand() * 100) / 100;
  if (chance(0.2)) body.text = { format: pick<unknown>([{ type: 'text' }, { type: 'json_object' }, { type: 'json_schema', name: 'r', schema: schema() }]) };
  if (chance(0.2)) body.reasoning = { effort: pick(['low', 'medium', 'high']) };
  if (chance(0.2)) body.store = false;
  if (chance(0.5)) body.stream = true;
  return body;
}

const PROTOCOLS = [
  { path: '/v1/chat/completions', make: openaiChat },
  { path: '/v1/messages', make: anthropicMessages },
  { path: '/v1/responses', make: openaiResponses },
] as const;

let t: TestGateway;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
before(async () => {
  // Integrity monitoring would judge the mock upstream by this unnatural traffic (its token counts
  // are a rough chars/4) and could quarantine it; this test is about the relay core.
  t = await startTestGateway({ extraYaml: 'integrity: { enabled: false }' });
});
after(async () => {
  agent.destroy();
  await t.close();
});

function send(path: string, body: Obj): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(t.url + path, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A problem with the answer, or undefined when it is a complete, well-formed success. */
function problem(path: string, body: Obj, a: { status: number; type: string; text: string }): string | undefined {
  if (a.status !== 200) return `status ${a.status}`;
  const stream = body.stream === true;
  if (stream !== a.type.includes('text/event-stream')) return `content-type ${a.type}`;
  if (!stream) {
    const j = JSON.parse(a.text) as Obj;
    if (path === '/v1/chat/completions') return Array.isArray(j.choices) && j.choices.length === ((body.n as number | undefined) ?? 1) ? undefined : 'choices';
    if (path === '/v1/messages') return j.type === 'message' && Array.isArray(j.content) && j.content.length > 0 ? undefined : 'content';
    return j.object === 'response' && j.status === 'completed' && Array.isArray(j.output) && j.output.length > 0 ? undefined : 'output';
  }
  const data = a.text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
  const events = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Obj);
  if (events.some((e) => e.type === 'error' || (e.error !== undefined && e.error !== null))) return 'error event in stream';
  if (path === '/v1/chat/completions') {
    if (data[data.length - 1] !== '[DONE]') return 'no [DONE]';
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { finish_reason: string | null }[]; usage?: unknown });
    if (!chunks.some((c) => c.choices.some((ch) => ch.finish_reason))) return 'no finish_reason';
    const wantsUsage = (body.stream_options as Obj | undefined)?.include_usage === true;
    if (wantsUsage !== chunks.some((c) => c.usage)) return 'usage chunk presence';
    return undefined;
  }
  const types = data.map((d) => (JSON.parse(d) as { type: string }).type);
  if (path === '/v1/messages') return types[0] === 'message_start' && types[types.length - 1] === 'message_stop' ? undefined : `grammar ${types.join(',')}`;
  return types[0] === 'response.created' && types[types.length - 1] === 'response.completed' ? undefined : `grammar ${types.join(',')}`;
}

test(`translation fuzz: ${COUNT} valid requests of random shape, seed ${SEED}, all complete successes`, async () => {
  rand = prng(SEED);
  const cases = Array.from({ length: COUNT }, () => {
    const p = pick(PROTOCOLS);
    const model = pick(MODELS);
    return { path: p.path, body: p.make(model) };
  });
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      try {
        const a = await send(c.path, c.body);
        const p = problem(c.path, c.body, a);
        if (p) failures.push(`${c.path} ${String(c.body.model)} ${p}: ${a.text.slice(0, 300)} ← ${JSON.stringify(c.body).slice(0, 400)}`);
      } catch (err) {
        failures.push(`${c.path} ${String(c.body.model)}: ${String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${COUNT} valid requests failed`);
});
