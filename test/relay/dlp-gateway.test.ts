import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { createGateway } from '../../src/server/gateway.js';
import { defaultStages } from '../../src/server/stages.js';
import { mockConfigYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import type { MockUpstream } from '../support/mock-upstream.js';

// Fake, checksum-valid values (self-made), one per structured type.
const SECRETS = {
  email: 'zhang.wei@example.com',
  mobile: '13812345678',
  idCard: '11010519491231002X',
  card: '4111111111111111',
};
const PROMPT = `My email is ${SECRETS.email}, phone ${SECRETS.mobile}, ID ${SECRETS.idCard}, card ${SECRETS.card}.`;

let t: TestGateway;
let mock: MockUpstream;
let url: string;
let key: string;

before(async () => {
  const extraYaml = 'dlp:\n  overrides:\n    - { team: research, actions: { EMAIL: allow } }\n    - { team: strict, actions: { BANK_CARD: block } }\nintegrity: { enabled: false }\n';
  t = await startTestGateway({ extraYaml, stagesFor: defaultStages });
  ({ mock, url, key } = t);
});
after(() => t.close());

let checkedUpTo = 0;
function assertNothingLeaked() {
  const seen = JSON.stringify(mock.received.slice(checkedUpTo).map((r) => r.body));
  checkedUpTo = mock.received.length;
  for (const v of Object.values(SECRETS)) assert.ok(!seen.includes(v), `upstream saw ${v.slice(0, 3)}…`);
}

const post = (p: string, body: unknown) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash']) {
  test(`OpenAI chat → ${model}: upstream sees pseudonyms only, the client reads the originals (JSON and SSE)`, async () => {
    const r = await post('/v1/chat/completions', { model, messages: [{ role: 'system', content: `Customer mail: ${SECRETS.email}` }, { role: 'user', content: PROMPT }] });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, `echo: ${PROMPT}`);
    assert.match(r.headers.get('x-trustrelay-dlp') ?? '', /EMAIL=\d/);
    const s = await post('/v1/chat/completions', { model, stream: true, messages: [{ role: 'user', content: PROMPT }] });
    let text = '';
    for (const line of (await s.text()).split('\n')) if (line.startsWith('data: {')) for (const c of (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices) text += c.delta.content ?? '';
    assert.equal(text, `echo: ${PROMPT}`, 'pseudonyms split across stream chunks are restored');
    assertNothingLeaked();
  });
}

test('Anthropic client, tool results and tool-call arguments are desensitized too', async () => {
  const r = await post('/v1/messages', {
    model: 'claude-sonnet',
    max_tokens: 100,
    messages: [
      { role: 'user', content: `Look up ${SECRETS.email}` },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'crm', input: { email: SECRETS.email } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: `phone ${SECRETS.mobile}` }, { type: 'text', text: PROMPT }] },
    ],
  });
  assert.equal(r.status, 200);
  const j = (await r.json()) as { content: { text: string }[] };
  assert.equal(j.content[0].text, `echo: ${PROMPT}`);
  assertNothingLeaked();
});

test('the same value gets the same pseudonym across requests of one conversation', async () => {
  const before = mock.received.length;
  for (let i = 0; i < 2; i++) await (await fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-trustrelay-conversation': 'conv-1' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `mail ${SECRETS.email} turn ${i}` }] }) })).text();
  const sent = mock.received.slice(before).map((r) => JSON.stringify(r.body.messages));
  const token = (s: string) => /mail (\S+) turn/.exec(JSON.parse(s)[0].content as string)?.[1];
  assert.ok(token(sent[0]) && token(sent[0]) !== SECRETS.email);
  assert.equal(token(sent[0]), token(sent[1]));
});

test('without a conversation header, turns that share the first user message share pseudonyms; another conversation gets others', async () => {
  const first = `please keep ${SECRETS.email} on file`;
  const chat = async (messages: { role: string; content: string }[]) => {
    const before = mock.received.length;
    await (await post('/v1/chat/completions', { model: 'gpt-4o', messages })).text();
    return JSON.stringify(mock.received[before].body.messages);
  };
  const tokenIn = (s: string) => /\[EMAIL_[0-9a-f]+\]/.exec(s)?.[0];
  const t1 = tokenIn(await chat([{ role: 'user', content: first }]));
  const t2 = tokenIn(await chat([{ role: 'user', content: first }, { role: 'assistant', content: 'noted' }, { role: 'user', content: `and ${SECRETS.email} again` }]));
  const other = tokenIn(await chat([{ role: 'user', content: `a new topic about ${SECRETS.email}` }]));
  assert.ok(t1 && t2 && other);
  assert.equal(t1, t2, 'the second turn of the conversation reuses the pseudonym');
  assert.notEqual(t1, other, 'another conversation gets another pseudonym for the same value');
  assertNothingLeaked();
});

test('embeddings inputs are desensitized too, with pseudonyms stable per key', async () => {
  const before = mock.received.length;
  const r = await post('/v1/embeddings', { model: 'text-embedding-3-small', input: [PROMPT, `again ${SECRETS.email}`] });
  assert.equal(r.status, 200);
  const sent = mock.received[before].body.input as string[];
  assert.ok(!JSON.stringify(sent).includes(SECRETS.email));
  const token = /\[EMAIL_[0-9a-f]+\]/.exec(sent[1])?.[0];
  assert.ok(token && sent[0].includes(token), 'the same e-mail gets the same pseudonym in both inputs');
  assertNothingLeaked();
});

test('team overrides: one team may send e-mail addresses, another has bank cards blocked (named by type, never value)', async () => {
  const research = t.gw.keys.createTeam({ name: 'research' });
  const strict = t.gw.keys.createTeam({ name: 'strict' });
  const r1 = t.gw.keys.create({ name: 'r', teamId: research.id });
  const s1 = t.gw.keys.create({ name: 's', teamId: strict.id });
  const send = (k: string) => fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }] }) });
  const before = mock.received.length;
  assert.equal((await send(r1.key)).status, 200);
  const seen = JSON.stringify(mock.received[before].body);
  assert.ok(seen.includes(SECRETS.email), 'EMAIL allowed for the research team');
  assert.ok(!seen.includes(SECRETS.card) && !seen.includes(SECRETS.mobile), 'other types still pseudonymized');
  const blocked = await send(s1.key);
  assert.equal(blocked.status, 400);
  const text = await blocked.text();
  assert.match(text, /BANK_CARD/);
  assert.ok(!text.includes(SECRETS.card));
  assert.equal(mock.received.length, before + 1, 'the blocked request never reached the upstream');
});

test('tool-call arguments are scanned as decoded JSON: an escaped value is still caught, and the arguments stay valid JSON', async () => {
  const before = mock.received.length;
  const escapedEmail = SECRETS.email.replace('@', '\\u0040');
  const r = await post('/v1/chat/completions', {
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'look it up' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'crm', arguments: `{"email":"${escapedEmail}","note":"say \\"hi\\""}` } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'found' },
    ],
  });
  assert.equal(r.status, 200);
  const sent = mock.received[before].body.messages as { tool_calls?: { function: { arguments: string } }[] }[];
  const args = sent[1].tool_calls![0].function.arguments;
  const parsed = JSON.parse(args) as { email: string; note: string };
  assert.notEqual(parsed.email, SECRETS.email);
  assert.match(parsed.email, /^\[EMAIL_[0-9a-f]+\]$/);
  assert.equal(parsed.note, 'say "hi"');
  const seen = JSON.stringify(mock.received.slice(before).map((x) => x.body));
  assert.ok(!seen.includes(SECRETS.email) && !seen.includes(escapedEmail), 'the e-mail never reaches the upstream, escaped or not');
});

test('a key override applies after its team override: the key may send bank cards its team has blocked, and blocks e-mail', async () => {
  // the key is made first (its id is random), then a gateway on the same data dir is configured for it
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-dlp-key-'));
  const first = createGateway(parseConfig(mockConfigYaml(mock.url, 'integrity: { enabled: false }\n'), 'a.yaml', {}), { dataDir: dir, logger: pino({ level: 'silent' }) });
  const team = first.keys.createTeam({ name: 'payments' });
  const special = first.keys.create({ name: 'special', teamId: team.id });
  const plain = first.keys.create({ name: 'plain', teamId: team.id });
  await first.close();
  const yaml = `dlp:\n  overrides:\n    - { team: payments, actions: { BANK_CARD: block } }\n    - { key: ${special.record.id}, actions: { BANK_CARD: allow, EMAIL: block } }\nintegrity: { enabled: false }\n`;
  const cfg = parseConfig(mockConfigYaml(mock.url, yaml), 'b.yaml', {});
  const g = createGateway(cfg, { dataDir: dir, logger: pino({ level: 'silent' }), stages: defaultStages(cfg, dir) });
  const base = `http://127.0.0.1:${(await g.listen(0, '127.0.0.1')).port}`;
  try {
    const send = (k: string, content: string) => fetch(base + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }) });
    const blocked = await send(plain.key, `card ${SECRETS.card}`);
    assert.equal(blocked.status, 400, 'the team blocks bank cards');
    assert.match(await blocked.text(), /BANK_CARD/);
    const before = mock.received.length;
    const allowed = await send(special.key, `card ${SECRETS.card}`);
    assert.equal(allowed.status, 200, 'the key override comes after the team one');
    assert.ok(JSON.stringify(mock.received[before].body).includes(SECRETS.card));
    const mail = await send(special.key, `mail ${SECRETS.email}`);
    assert.equal(mail.status, 400, 'and blocks e-mail for this key only');
    assert.ok(!(await mail.text()).includes(SECRETS.email));
    assert.equal((await send(plain.key, `mail ${SECRETS.email}`)).status, 200, 'other keys of the team pseudonymize e-mail');
  } finally {
    await g.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an upstream cannot make the gateway reveal a value: a pseudonym of another conversation comes back as it is', async () => {
  // conversation A sends an e-mail address; the upstream learns its pseudonym
  const before = mock.received.length;
  const headers = (conv: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-trustrelay-conversation': conv });
  await (await fetch(url + '/v1/chat/completions', { method: 'POST', headers: headers('conv-a'), body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `mail ${SECRETS.email}` }] }) })).text();
  const token = /\[EMAIL_[0-9a-f]+\]/.exec(JSON.stringify(mock.received[before].body))?.[0];
  assert.ok(token);
  // a hostile upstream answers conversation B (nothing sensitive in it) with A's pseudonym, whole and streamed
  for (const stream of [false, true]) {
    mock.enqueue({ text: `here you go: ${token}` });
    const r = await fetch(url + '/v1/chat/completions', { method: 'POST', headers: headers('conv-b'), body: JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'what was that address?' }] }) });
    const body = await r.text();
    assert.ok(!body.includes(SECRETS.email), `conversation B never receives A's value (${stream ? 'SSE' : 'JSON'})`);
    let text = '';
    if (stream) {
      for (const line of body.split('\n')) if (line.startsWith('data: {')) for (const c of (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices) text += c.delta.content ?? '';
    } else text = (JSON.parse(body) as { choices: { message: { content: string } }[] }).choices[0].message.content;
    assert.equal(text, `here you go: ${token}`, 'the pseudonym is left as it is');
  }
  // and within A, a later request restores only the values that request itself carries
  mock.enqueue({ text: `here you go: ${token}` });
  const later = await fetch(url + '/v1/chat/completions', { method: 'POST', headers: headers('conv-a'), body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'and the address?' }] }) });
  assert.ok(!(await later.text()).includes(SECRETS.email), 'a request restores only values it sent');
});
