import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Throws thousands of malformed requests (seeded, so a failure replays) at the chat endpoints,
 * embeddings and count_tokens, and checks that every answer is a well-formed 4xx JSON error in the
 * protocol of the path, never a 5xx, and that the server still serves afterwards.
 */

type Obj = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const CONCURRENCY = 8;

/** mulberry32: small, fast, seeded. */
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

const WEIRD_STRINGS = ['', ' ', '\u0000', '\ud800', '😀🔥', 'ﷺ', '\u202e\u2066', 'null', 'undefined', '__proto__', 'constructor', '{}', '[]', '"', '\\', 'a'.repeat(3000), '𝕏'.repeat(200), 'gpt-4o\n', ' gpt-4o', '../../etc/passwd', '%00', '<script>'];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 1.5e300, 4.9e-324, -0.5, 1.0000001, 123456789012345680000];

function randomScalar(): Json {
  switch (int(5)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return chance(0.5) ? pick(HUGE_NUMBERS) : int(1000) - 500;
    case 3:
      return pick(WEIRD_STRINGS);
    default:
      return String.fromCodePoint(...Array.from({ length: int(12) }, () => (chance(0.7) ? 32 + int(95) : 0x80 + int(0x2ff00))).filter((c) => c < 0xd800 || c > 0xdfff));
  }
}

function randomJson(depth = 0): Json {
  if (depth > 3 || chance(0.4)) return randomScalar();
  if (chance(0.5)) return Array.from({ length: int(4) }, () => randomJson(depth + 1));
  const o: { [k: string]: Json } = {};
  for (let i = int(5); i > 0; i--) o[chance(0.3) ? pick(WEIRD_STRINGS) : pick(['model', 'messages', 'input', 'role', 'content', 'type', 'text', 'tools', 'stream'])] = randomJson(depth + 1);
  return o;
}

/** Values of the wrong type for a field of the given kind (never null for optional fields: null means absent). */
function wrongValue(kind: string): Json {
  const notString = () => pick<Json>([1, true, {}, [], ['a'], { a: 1 }, pick(HUGE_NUMBERS)]);
  switch (kind) {
    case 'string':
      return notString();
    case 'reqstring':
      return pick<Json>([null, '', 1, true, {}, [], ['gpt-4o']]);
    case 'bool':
      return pick<Json>(['true', 'false', 1, 0, {}, [], 'yes']);
    case 'object':
      return pick<Json>(['x', 1, true, [], [{}], 'null']);
    case 'array':
      return pick<Json>(['x', 1, true, { 0: 'a' }]);
    case 'reqarray':
      return pick<Json>([null, 'x', 1, true, {}, []]);
    case 'posint':
      return pick<Json>(['1', 1.5, -1, 0, true, [], {}, 1e308, 2 ** 53 + 2, -(2 ** 60)]);
    case 'natint':
      return pick<Json>(['1', 1.5, -1, true, [], {}, 1e308, 2 ** 53 + 2]);
    case 'anyint':
      return pick<Json>(['1', 1.5, true, [], {}, 1e308, 2 ** 53 + 2, -(2 ** 60)]);
    case 'input':
      return pick<Json>([null, 1, true, {}, []]);
    case 'system':
      return pick<Json>([1, true, {}, [1], [{}], [{ type: 'text' }], [{ type: 'image', source: { type: 'url', url: 'http://example.invalid/x.png' } }]]);
    case 'temperature':
      return pick<Json>(['0.5', -0.1, 2.5, 1e308, -1e308, true, [], {}]);
    case 'unit':
      return pick<Json>(['0.5', -0.1, 1.5, 1e308, true, [], {}]);
    case 'stop':
      return pick<Json>([1, true, {}, [1], ['a', 2], [null], [{}]]);
    default:
      throw new Error(kind);
  }
}

interface Endpoint {
  path: string;
  family: 'openai' | 'anthropic';
  valid: () => Obj;
  /** field → kind of wrong value; every listed field is required to reject any wrong value. */
  fields: Record<string, string>;
  /** Structurally broken bodies, each must be refused. */
  broken: (() => Json)[];
}

const msg = (content: Json = 'hi') => ({ role: 'user', content });

const ENDPOINTS: Endpoint[] = [
  {
    path: '/v1/chat/completions',
    family: 'openai',
    valid: () => ({ model: pick(['gpt-4o', 'claude-sonnet', 'gemini-flash', 'deepseek-chat']), messages: [msg()] }),
    fields: { model: 'reqstring', messages: 'reqarray', temperature: 'temperature', top_p: 'unit', max_tokens: 'posint', max_completion_tokens: 'posint', n: 'posint', seed: 'anyint', stream: 'bool', logprobs: 'bool', top_logprobs: 'natint', stop: 'stop', tools: 'array', user: 'string', metadata: 'object', stream_options: 'object', response_format: 'object', parallel_tool_calls: 'bool', reasoning_effort: 'string' },
    broken: [
      () => ({ model: 'gpt-4o', messages: [pick<Json>([1, 'hi', null, [], true])] }),
      () => ({ model: 'gpt-4o', messages: [{ role: pick<Json>(['wizard', '', 1, null, 'USER', '😀']), content: 'x' }] }),
      () => ({ model: 'gpt-4o', messages: [{ role: 'user', content: pick<Json>([1, true, { text: 'x' }, [1], [{ type: 'audio' }], [{ type: 'text', text: 5 }], [{ type: 'image_url', image_url: 5 }], [{ type: 'image_url', image_url: {} }], [{}]]) }] }),
      () => ({ model: 'gpt-4o', messages: [{ role: 'tool', content: 'x' }] }),
      () => ({ model: 'gpt-4o', messages: [{ role: 'assistant', tool_calls: pick<Json>(['x', [1], [{ id: 'a' }], [{ id: 'a', function: { name: 5 } }], [{ function: { name: 'f' } }]]) }] }),
      () => ({ model: 'gpt-4o', messages: [msg()], tools: [pick<Json>([1, {}, { type: 'retrieval' }, { type: 'function' }, { type: 'function', function: { name: '' } }, { type: 'function', function: { name: 'f', parameters: 'x' } }])] }),
      () => ({ model: 'gpt-4o', messages: [msg()], tool_choice: pick<Json>(['sometimes', 5, {}, { type: 'function' }, { function: {} }, []]) }),
      () => ({ model: 'gpt-4o', messages: [msg()], response_format: pick<Json>([{}, { type: 'xml' }, { type: 'json_schema' }, { type: 'json_schema', json_schema: 'x' }, { type: 5 }]) }),
      () => ({ model: 'gpt-4o', messages: [msg()], stream: true, stream_options: { include_usage: pick<Json>(['yes', 1, {}]) } }),
    ],
  },
  {
    path: '/v1/responses',
    family: 'openai',
    valid: () => ({ model: pick(['gpt-4o', 'claude-sonnet', 'gemini-flash']), input: 'hi' }),
    fields: { model: 'reqstring', input: 'input', instructions: 'string', temperature: 'temperature', top_p: 'unit', max_output_tokens: 'posint', stream: 'bool', tools: 'array', user: 'string', metadata: 'object', parallel_tool_calls: 'bool', reasoning: 'object', text: 'object' },
    broken: [
      () => ({ model: 'gpt-4o', input: [pick<Json>([1, 'x', null, [], { type: 'message' }, { type: 'message', role: 'x', content: 'a' }, { type: 'wat' }, { type: 'function_call' }, { type: 'function_call_output', output: 'x' }])] }),
      () => ({ model: 'gpt-4o', input: [{ role: 'user', content: pick<Json>([1, [{ type: 'input_audio' }], [{ type: 'input_text' }], [{ type: 'input_image' }], [null]]) }] }),
      () => ({ model: 'gpt-4o', input: 'x', tools: [pick<Json>([{ type: 'web_search' }, { type: 'function' }, { type: 'function', name: 1 }, 'x'])] }),
      () => ({ model: 'gpt-4o', input: 'x', tool_choice: pick<Json>(['maybe', 1, { type: 'function' }]) }),
      () => ({ model: 'gpt-4o', input: 'x', text: { format: pick<Json>(['json', { type: 'yaml' }, {}, 1]) } }),
      () => ({ model: 'gpt-4o', input: 'x', reasoning: { effort: pick<Json>([1, true, {}]) } }),
      () => ({ model: 'gpt-4o', input: 'x', previous_response_id: 'resp_abc' }),
      () => ({ model: 'gpt-4o', input: [{ type: 'item_reference', id: 'msg_1' }] }),
    ],
  },
  {
    path: '/v1/messages',
    family: 'anthropic',
    valid: () => ({ model: pick(['claude-sonnet', 'gpt-4o', 'gemini-flash', 'deepseek-chat']), max_tokens: 64, messages: [msg()] }),
    fields: { model: 'reqstring', max_tokens: 'posint', messages: 'reqarray', system: 'system', temperature: 'unit', top_p: 'unit', top_k: 'natint', stream: 'bool', stop_sequences: 'stop', tools: 'array', metadata: 'object', thinking: 'object', tool_choice: 'object' },
    broken: [
      () => ({ model: 'claude-sonnet', messages: [msg()] }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: pick<Json>(['system', 'tool', '', 1, 'developer']), content: 'x' }] }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [{ role: 'user', content: pick<Json>([1, null, {}, [1], [{ type: 'document' }], [{ type: 'text' }], [{ type: 'image', source: 'x' }], [{ type: 'image', source: { type: 'file' } }], [{ type: 'tool_use' }], [{ type: 'tool_result' }]]) }] }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [msg()], system: pick<Json>([1, true, {}, [{ type: 'image', source: { type: 'url', url: 'http://example.invalid/x.png' } }], [1]]) }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [msg()], tools: [pick<Json>([1, {}, { name: 'x' }, { name: 'x', input_schema: 'y' }, { type: 'web_search_20250305', name: 'web_search' }])] }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [msg()], tool_choice: pick<Json>([{}, { type: 'sometimes' }, { type: 'tool' }, { type: 'tool', name: 5 }]) }),
      () => ({ model: 'claude-sonnet', max_tokens: 10, messages: [msg()], thinking: { type: 'enabled', budget_tokens: pick<Json>(['x', -5, 0, 1.5, 1e308]) } }),
    ],
  },
  {
    path: '/v1/embeddings',
    family: 'openai',
    valid: () => ({ model: 'text-embedding-3-small', input: 'hi' }),
    fields: { model: 'reqstring', input: 'input', dimensions: 'posint', user: 'string', encoding_format: 'string' },
    broken: [
      () => ({ model: 'text-embedding-3-small', input: pick<Json>([[], [1, 'a'], [[1.5]], [null], [{}], [[]], 5, { a: 1 }]) }),
      () => ({ model: 'text-embedding-3-small', input: 'x', encoding_format: pick<Json>(['hex', 'FLOAT', '']) }),
      () => ({ model: 'text-embedding-3-small', input: Array.from({ length: 2049 }, () => 'x') }),
    ],
  },
  {
    path: '/v1/messages/count_tokens',
    family: 'anthropic',
    valid: () => ({ model: 'claude-sonnet', messages: [msg()] }),
    fields: { model: 'reqstring', messages: 'reqarray', system: 'system', tools: 'array', tool_choice: 'object', thinking: 'object' },
    broken: [
      () => ({ model: 'claude-sonnet', messages: [pick<Json>([1, 'x', { role: 'user' }, { role: 'user', content: 5 }, { role: 'user', content: [{ type: 'nope' }] }])] }),
      () => ({ model: 'gpt-4o', messages: [msg()] }),
    ],
  },
];

interface Case {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** The protocol whose error format the answer must use. */
  family: 'openai' | 'anthropic';
}

const enc = new TextEncoder();

let t: TestGateway;
before(async () => {
  // Integrity monitoring would judge the mock upstream by this unnatural traffic (its token counts
  // are a rough chars/4) and could quarantine it; this test is about the relay core.
  t = await startTestGateway({ extraYaml: 'integrity: { enabled: false }' });
});
after(async () => {
  agent.destroy();
  await t.close();
});

function familyOf(path: string): 'openai' | 'anthropic' {
  return path === '/v1/messages' || path.startsWith('/v1/messages/') ? 'anthropic' : 'openai';
}

function makeCase(key: string): Case {
  const e = pick(ENDPOINTS);
  const auth = { authorization: `Bearer ${key}` };
  const json = { 'content-type': 'application/json', ...auth };
  const mk = (label: string, body: Json | string, headers: Record<string, string> = json, method = 'POST', path = e.path): Case => ({
    label,
    method,
    path,
    headers,
    body: typeof body === 'string' ? enc.encode(body) : enc.encode(JSON.stringify(body)),
    family: familyOf(path),
  });
  switch (int(11)) {
    case 0: {
      // Truncated JSON: a strict prefix of an object is never valid JSON.
      const s = JSON.stringify({ ...e.valid(), extra: randomJson() });
      return mk('truncated', s.slice(0, int(s.length - 1)));
    }
    case 1:
      return mk('non-object body', pick<Json>([randomScalar(), [randomJson()], []]));
    case 2: {
      // A random object: it lacks the required fields (or has them wrong).
      const o = randomJson(1);
      const body = o && typeof o === 'object' && !Array.isArray(o) ? o : {};
      delete body.model;
      return mk('random object', body);
    }
    case 3:
    case 4:
    case 5: {
      const field = pick(Object.keys(e.fields));
      const body = e.valid();
      body[field] = wrongValue(e.fields[field]);
      // Sometimes add noise elsewhere that is valid on its own.
      if (chance(0.3)) body[pick(WEIRD_STRINGS)] = randomJson();
      return mk(`wrong ${field}`, body as Json);
    }
    case 6:
      return mk('broken structure', pick(e.broken)());
    case 7: {
      // Bytes that are not JSON, or JSON with garbage around it.
      const raw = pick([
        '',
        '   ',
        'model=gpt-4o&messages=hi',
        '<xml/>',
        `${JSON.stringify(e.valid())}}`,
        `${JSON.stringify(e.valid())} trailing`,
        `{"model": "gpt-4o", "messages": [${'['.repeat(int(5000))}`,
        '{"model": NaN}',
        "{'model': 'gpt-4o'}",
        '{"model": "gpt-4o",}',
        '\ufeff{"model"',
        '{"a":1e999999}',
        `{"model":"\\ud800\\udc00\\u0000${'x'.repeat(int(100))}`,
      ]);
      const bytes = chance(0.2) ? Uint8Array.from([0x7b, 0xff, 0xfe, 0x22, 0x80, 0x7d]) : enc.encode(raw);
      return { label: 'not JSON', method: 'POST', path: e.path, headers: json, body: bytes, family: e.family };
    }
    case 8: {
      // Wrong content-type with an otherwise valid body, or a non-JSON body under a JSON type.
      const ct = pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png', 'text/html; charset=utf-8', 'application/jsonx', 'json']);
      return mk(`content-type ${ct}`, e.valid() as Json, { 'content-type': ct, ...auth });
    }
    case 9: {
      // Auth problems.
      const headers = pick<Record<string, string>>([
        { 'content-type': 'application/json' },
        { 'content-type': 'application/json', authorization: 'Bearer ' },
        { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { 'content-type': 'application/json', authorization: `Bearer ${key.slice(0, -1)}` },
        { 'content-type': 'application/json', authorization: `Bearer ${key}x` },
        { 'content-type': 'application/json', 'x-api-key': 'sk-ant-api03-xxxxxxxx' },
        { 'content-type': 'application/json', authorization: `Bearer trk_${'a'.repeat(300)}` },
      ]);
      return mk('auth', e.valid() as Json, headers);
    }
    default: {
      // Random paths and methods.
      const method = pick(['GET', 'PUT', 'DELETE', 'PATCH', 'POST', 'OPTIONS']);
      const path = pick([
        e.path,
        `${e.path}/extra`,
        `/v1/${[...enc.encode(pick(WEIRD_STRINGS).slice(0, 40))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`,
        '/v2/chat/completions',
        '/v1/models/not-a-model',
        '/v1/messages/batches',
        '/v1/messagesx',
        '/v1/models/%E0%A4%A',
        '/v1/models/gpt-4o/extra',
        '/V1/CHAT/COMPLETIONS',
        '/v1/chat/completions%00',
        '/',
        '/admin/keys',
        '/v1/completions',
        '/v1/files',
      ]);
      const known = ENDPOINTS.some((x) => x.path === path);
      if (known && method === 'POST') return mk('random path (kept POST, broken body)', '{', json, method, path);
      return mk(`${method} ${path}`, e.valid() as Json, json, method, path);
    }
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** node:http rather than fetch: lighter per request, and it sends exactly the headers given. */
function send(c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(t.url + c.path, { method: c.method, headers: c.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.method === 'GET' ? undefined : c.body);
  });
}

/** Returns a problem description, or undefined when the answer is a well-formed 4xx in the right format. */
function problem(c: Case, a: Answer): string | undefined {
  if (a.status < 400 || a.status > 499) return `status ${a.status}`;
  if (!/application\/json/.test(a.contentType)) return `content-type ${a.contentType}`;
  let j: Obj;
  try {
    j = JSON.parse(a.text) as Obj;
  } catch {
    return 'body is not JSON';
  }
  if (/\n\s+at |node_modules|\.ts:\d+/.test(a.text)) return 'stack trace in body';
  if (c.family === 'anthropic') {
    const e = j.error as Obj | undefined;
    if (j.type !== 'error' || !e || typeof e.type !== 'string' || typeof e.message !== 'string' || !e.message) return 'not an Anthropic error object';
  } else {
    const e = j.error as Obj | undefined;
    if (!e || typeof e.type !== 'string' || typeof e.message !== 'string' || !e.message || 'type' in j) return 'not an OpenAI error object';
  }
  return undefined;
}

test(`fuzz: ${COUNT} malformed requests, seed ${SEED}, all well-formed 4xx`, async () => {
  rand = prng(SEED);
  const cases = Array.from({ length: COUNT }, () => makeCase(t.key));
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      let a: Answer;
      try {
        a = await send(c);
      } catch (err) {
        failures.push(`#${i} ${c.label} ${c.method} ${c.path}: request failed: ${String(err)}`);
        continue;
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const p = problem(c, a);
      if (p) failures.push(`#${i} ${c.label} ${c.method} ${c.path} ${Buffer.from(c.body ?? []).toString('utf8').slice(0, 200)} → ${p}: ${a.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const byKind = new Map<string, number>();
  for (const f of failures) {
    const kind = / (wrong \S+|[^#]+?) (?:POST|GET|PUT|DELETE|PATCH|OPTIONS) (\S+)/.exec(f);
    const k = kind ? `${kind[1]} ${kind[2]}` : f.slice(0, 40);
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${COUNT} answers were not well-formed 4xx (statuses ${JSON.stringify([...statuses])}; by kind ${JSON.stringify([...byKind])})`);
  // The mix exercised more than one kind of refusal.
  if (COUNT >= 1000) for (const s of [400, 401, 404, 405, 415]) assert.ok((statuses.get(s) ?? 0) > 0, `some ${s} answers in ${JSON.stringify([...statuses])}`);

  // The server still answers valid requests on every endpoint.
  const post = (path: string, body: Obj) => fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, body: JSON.stringify(body) });
  const chat = (await (await post('/v1/chat/completions', { model: 'gpt-4o', messages: [msg('still alive')] })).json()) as { choices: { message: { content: string } }[] };
  assert.equal(chat.choices[0].message.content, 'echo: still alive');
  const resp = (await (await post('/v1/responses', { model: 'claude-sonnet', input: 'still alive' })).json()) as { output: { content: { text: string }[] }[] };
  assert.equal(resp.output[0].content[0].text, 'echo: still alive');
  const m = (await (await post('/v1/messages', { model: 'claude-sonnet', max_tokens: 10, messages: [msg('still alive')] })).json()) as { content: { text: string }[] };
  assert.equal(m.content[0].text, 'echo: still alive');
  const emb = await post('/v1/embeddings', { model: 'text-embedding-3-small', input: 'x' });
  assert.equal(emb.status, 200);
  const ct = await post('/v1/messages/count_tokens', { model: 'claude-sonnet', messages: [msg('x')] });
  assert.equal(ct.status, 200);
});

test('malformed HTTP on a raw socket gets a 400 JSON answer and the server stays up', async () => {
  rand = prng(SEED + 1);
  const port = Number(new URL(t.url).port);
  const garbage = [
    'GARBAGE\r\n\r\n',
    'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}',
    'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}',
    `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    'POST /v1/chat/completions HTTP/9.9\r\n\r\n',
    'POST /v1/chat/completions HTTP/1.1\r\nBad Header Name: x\r\n\r\n',
    '\u0000\u0001\u0002\r\n\r\n',
  ];
  for (let i = 0; i < 12; i++) garbage.push(Array.from({ length: 1 + int(200) }, () => String.fromCharCode(int(256))).join('') + '\r\n\r\n');
  /** Sends raw bytes and reads the whole answer until the server closes (or 10 s pass). */
  const raw = (g: string) =>
    new Promise<string>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      let out = '';
      sock.setEncoding('latin1');
      sock.on('data', (d: string) => (out += d));
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
      sock.setTimeout(10_000, () => sock.destroy());
      sock.end(Buffer.from(g, 'latin1'));
    });
  for (const g of garbage) {
    const answer = await raw(g);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
    assert.ok(status >= 400 && status < 500, `${JSON.stringify(g.slice(0, 60))} → ${JSON.stringify(answer.slice(0, 120))}`);
    // The first answer (an auth failure may come before the broken body is even read, then a 400).
    const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
    const rest = answer.slice(head.length + 4);
    const body = Number.isFinite(length) ? rest.slice(0, length) : rest;
    if (body) assert.equal(typeof (JSON.parse(body) as { error: { message: string } }).error.message, 'string', answer);
  }
  // The request line, when readable, picks the error format; oversized headers get 431.
  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { type?: string; error: { type: string; message: string } };
  const anthropic = await raw('POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}');
  assert.match(anthropic, /^HTTP\/1\.1 400 /);
  assert.equal(bodyOf(anthropic).type, 'error', 'Anthropic error shape: {"type":"error","error":{...}}');
  assert.equal(bodyOf(anthropic).error.type, 'invalid_request_error');
  const openai = await raw('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}');
  assert.equal(bodyOf(openai).type, undefined);
  assert.match(bodyOf(openai).error.message, /Content-Length/);
  const big = await raw(`GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(big, /^HTTP\/1\.1 431 /);
  const ok = await fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [msg('alive')] }) });
  assert.equal(ok.status, 200);
});
