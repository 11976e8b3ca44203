import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { builtinRecognizers } from '../../src/dlp/recognizers/index.js';
import { defaultStages } from '../../src/server/stages.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import type { MockUpstream } from '../support/mock-upstream.js';

// Under the default policy, no original value of any type reaches the upstream, whatever client protocol
// carries it and wherever in the request it sits (system prompt, instructions, user text, tool-call
// arguments, tool results, embeddings input), and the client reads the originals back: in whole answers,
// in streams, and in tool-call arguments the model streams back. The values are the first positive
// example of every built-in recognizer (one per recognizer, every entity type: fake, checksum-valid) and
// an organisation term from the config.

const TERM = 'Project Bluefin';
const examples = builtinRecognizers.map((r) => ({ rec: r.name, types: r.types, ...r.examples.positive[0] }));
/** Personal data and the term: pseudonymized by default, so the answer gives them back. */
const personal = examples.filter((e) => !e.types.includes('SECRET'));
/** Secrets: redacted by default, never sent and never given back. */
const secrets = examples.filter((e) => e.types.includes('SECRET'));
const PERSONAL = [...personal.map((e) => e.text), `The code name is ${TERM}.`].join('\n');
const SECRETS = secrets.map((e) => e.text).join('\n');
const ALL = `${SECRETS}\n${PERSONAL}`;
/** Every value, as written and as the engine reads it (full-width and zero-width forms folded). */
const VALUES = [...examples.map((e) => e.value), TERM].flatMap((v) => [v, v.normalize('NFKC').replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, '')]);

/** Every line the gateway logged, at debug level. */
const logLines: string[] = [];
let t: TestGateway;
let mock: MockUpstream;
let url: string;
let key: string;
let dataDir: string;

before(async () => {
  const extraYaml = `dlp:\n  terms:\n    - { name: code names, type: CODE_NAME, values: ["${TERM}"] }\nintegrity: { enabled: false }\n`;
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  t = await startTestGateway({ extraYaml, stagesFor: defaultStages, logger });
  ({ mock, url, key, dataDir } = t);
});
after(() => t.close());

const post = (p: string, body: unknown) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

/** Sends one request and returns what reached the upstream (one request, asserted) and the client's answer. */
async function send(p: string, body: unknown): Promise<{ seen: string; answer: string; status: number }> {
  const before = mock.received.length;
  const r = await post(p, body);
  const answer = await r.text();
  assert.equal(mock.received.length, before + 1, `one request reached the upstream (${r.status}: ${answer.slice(0, 200)})`);
  return { seen: JSON.stringify(mock.received[before].body), answer, status: r.status };
}

function assertNoValue(seen: string, where: string) {
  // the upstream body as JSON: a value with characters JSON escapes would show escaped, so check both
  for (const v of VALUES) assert.ok(!seen.includes(v) && !seen.includes(JSON.stringify(v).slice(1, -1)), `${where}: the upstream saw ${JSON.stringify(v)}`);
  assert.match(seen, /\[PERSON_[0-9a-f]+\]/, `${where}: pseudonyms went instead`);
}

/** The text of an SSE answer: the concatenated `field` of every data event's JSON, found by `pick`. */
function sseText(body: string, pick: (event: Record<string, unknown>) => string | undefined): string {
  let out = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    out += pick(JSON.parse(line.slice(6)) as Record<string, unknown>) ?? '';
  }
  return out;
}

test('the values are one example of every recognizer, every entity type among them', () => {
  const types = new Set(examples.flatMap((e) => e.types));
  for (const t of ['CN_ID_CARD', 'CN_MOBILE', 'PHONE', 'BANK_CARD', 'CN_USCC', 'PASSPORT', 'EMAIL', 'IP_ADDRESS', 'SECRET', 'PERSON', 'ADDRESS', 'CN_LICENSE_PLATE']) assert.ok(types.has(t), t);
  assert.ok(secrets.length >= 10 && personal.length >= 10);
});

for (const stream of [false, true]) {
  test(`OpenAI chat client (${stream ? 'SSE' : 'JSON'}): system, user, tool-call arguments and tool results; the answer restored`, async () => {
    const { seen, answer, status } = await send('/v1/chat/completions', {
      model: 'gpt-4o',
      stream,
      messages: [
        { role: 'system', content: ALL },
        { role: 'user', content: ALL },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'crm', arguments: JSON.stringify({ note: ALL }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: ALL },
        { role: 'user', content: PERSONAL },
      ],
    });
    assert.equal(status, 200);
    assertNoValue(seen, 'chat');
    const text = stream
      ? sseText(answer, (e) => ((e.choices as { delta: { content?: string } }[] | undefined)?.[0]?.delta.content))
      : (JSON.parse(answer) as { choices: { message: { content: string } }[] }).choices[0].message.content;
    assert.equal(text, `echo: ${PERSONAL}`);
  });

  test(`OpenAI Responses client (${stream ? 'SSE' : 'JSON'}): instructions, input text, function calls and their outputs; the answer restored`, async () => {
    const { seen, answer, status } = await send('/v1/responses', {
      model: 'gpt-4o',
      stream,
      instructions: ALL,
      input: [
        { role: 'user', content: [{ type: 'input_text', text: ALL }] },
        { type: 'function_call', call_id: 'call_1', name: 'crm', arguments: JSON.stringify({ note: ALL }) },
        { type: 'function_call_output', call_id: 'call_1', output: ALL },
        { role: 'user', content: PERSONAL },
      ],
    });
    assert.equal(status, 200);
    assertNoValue(seen, 'responses');
    const text = stream
      ? sseText(answer, (e) => (e.type === 'response.output_text.delta' ? (e.delta as string) : undefined))
      : (JSON.parse(answer) as { output: { type: string; content: { text: string }[] }[] }).output.find((o) => o.type === 'message')!.content[0].text;
    assert.equal(text, `echo: ${PERSONAL}`);
  });

  test(`Anthropic client (${stream ? 'SSE' : 'JSON'}): system, text, tool_use input and tool results; the answer restored`, async () => {
    const { seen, answer, status } = await send('/v1/messages', {
      model: 'claude-sonnet',
      max_tokens: 1000,
      stream,
      system: [{ type: 'text', text: ALL }],
      messages: [
        { role: 'user', content: ALL },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'crm', input: { note: ALL } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: ALL }] }] },
        { role: 'assistant', content: 'noted' },
        { role: 'user', content: [{ type: 'text', text: PERSONAL }] },
      ],
    });
    assert.equal(status, 200);
    assertNoValue(seen, 'messages');
    const text = stream
      ? sseText(answer, (e) => (e.type === 'content_block_delta' ? ((e.delta as { text?: string }).text) : undefined))
      : (JSON.parse(answer) as { content: { text: string }[] }).content[0].text;
    assert.equal(text, `echo: ${PERSONAL}`);
  });
}

test('embeddings input: every value replaced before it leaves', async () => {
  const { seen, status } = await send('/v1/embeddings', { model: 'text-embedding-3-small', input: [ALL, PERSONAL] });
  assert.equal(status, 200);
  assertNoValue(seen, 'embeddings');
});

test('tool-call arguments the model streams back hold the originals again (chat, Anthropic and Responses streams, 5-char deltas)', async () => {
  const tools = [{ type: 'function', function: { name: 'crm', parameters: { type: 'object', properties: { text: { type: 'string' } } } } }];
  mock.enqueue({ callTool: 'crm', echoToolArgs: true });
  const chat = await send('/v1/chat/completions', { model: 'gpt-4o', stream: true, tools, messages: [{ role: 'user', content: PERSONAL }] });
  assertNoValue(chat.seen, 'chat tool call');
  const args = sseText(chat.answer, (e) => (e.choices as { delta: { tool_calls?: { function: { arguments?: string } }[] } }[] | undefined)?.[0]?.delta.tool_calls?.[0]?.function.arguments);
  assert.deepEqual(JSON.parse(args), { text: PERSONAL });

  mock.enqueue({ callTool: 'crm', echoToolArgs: true });
  const anthropicTools = [{ name: 'crm', input_schema: { type: 'object', properties: { text: { type: 'string' } } } }];
  const msg = await send('/v1/messages', { model: 'claude-sonnet', max_tokens: 1000, stream: true, tools: anthropicTools, messages: [{ role: 'user', content: PERSONAL }] });
  assertNoValue(msg.seen, 'anthropic tool call');
  const json = sseText(msg.answer, (e) => (e.type === 'content_block_delta' ? (e.delta as { partial_json?: string }).partial_json : undefined));
  assert.deepEqual(JSON.parse(json), { text: PERSONAL });

  mock.enqueue({ callTool: 'crm', echoToolArgs: true });
  const responsesTools = [{ type: 'function', name: 'crm', parameters: { type: 'object', properties: { text: { type: 'string' } } } }];
  const resp = await send('/v1/responses', { model: 'gpt-4o', stream: true, tools: responsesTools, input: PERSONAL });
  assertNoValue(resp.seen, 'responses tool call');
  const deltas = sseText(resp.answer, (e) => (e.type === 'response.function_call_arguments.delta' ? (e.delta as string) : undefined));
  assert.deepEqual(JSON.parse(deltas), { text: PERSONAL });

  mock.enqueue({ callTool: 'crm', echoToolArgs: true });
  const whole = await send('/v1/chat/completions', { model: 'gpt-4o', tools, messages: [{ role: 'user', content: PERSONAL }] });
  const call = (JSON.parse(whole.answer) as { choices: { message: { tool_calls: { function: { arguments: string } }[] } }[] }).choices[0].message.tool_calls[0];
  assert.deepEqual(JSON.parse(call.function.arguments), { text: PERSONAL });
});

test('the logs record types and counts only, and nothing under the data dir holds a value or the mapping', async () => {
  // (runs last: every request above has been logged and recorded by then)
  const requests = logLines.filter((l) => l.includes('"msg":"request"'));
  assert.ok(requests.length >= 10, `the requests were logged (${requests.length})`);
  assert.ok(requests.some((l) => /"dlp":"[A-Z_]+=\d+(,[A-Z_]+=\d+)*"/.test(l) && l.includes('EMAIL=') && l.includes('CODE_NAME=')), 'the request log line names the types found, with counts');
  const logs = logLines.join('');
  for (const v of VALUES) assert.ok(!logs.includes(v) && !logs.includes(JSON.stringify(v).slice(1, -1)), `a log line holds ${JSON.stringify(v)}`);
  // the ledger, receipts, keys and metering databases (with their write-ahead logs), as bytes
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk : (f: string) => files.push(f))(path.join(d, e.name));
  };
  walk(dataDir);
  assert.ok(files.length > 2, `the data dir holds the gateway's state (${files.map((f) => path.basename(f)).join(', ')})`);
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    for (const v of VALUES) {
      assert.ok(!bytes.includes(Buffer.from(v, 'utf8')) && !bytes.includes(Buffer.from(v, 'utf16le')), `${path.basename(f)} holds ${JSON.stringify(v)}`);
    }
  }
});
