import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { defaultStages } from '../../src/server/stages.js';
import { approveSkill, createGrant, installSkill, revokeGrants } from '../../src/skills/index.js';
import { mockConfigYaml } from '../support/gateway.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

let mock: MockUpstream;
const gws: { gw: Gateway; url: string; dir: string }[] = [];

async function gateway(enforcement: 'refuse' | 'strip') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-skills-gw-'));
  const cfg = parseConfig(mockConfigYaml(mock.url, `skills: { tool_enforcement: ${enforcement} }\ndlp: { enabled: false }\n`), 'test.yaml', {});
  const gw = createGateway(cfg, { dataDir: dir, logger: pino({ level: 'silent' }), stages: defaultStages(cfg, dir) });
  const skillDir = path.join(dir, 'weather-skill');
  fs.mkdirSync(skillDir);
  fs.writeFileSync(path.join(skillDir, 'SKILL.md'), '---\nname: weather-lookup\ndescription: Looks up the weather forecast for a city.\n---\n\nCall get_weather with a city name and report the forecast.\n');
  await installSkill(gw.db, skillDir, { trust: [], allowUnsigned: true, tools: ['get_weather'] });
  approveSkill(gw.db, 'weather-lookup', 'test');
  const entry = { gw, url: `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`, dir };
  gws.push(entry);
  return entry;
}

before(async () => {
  mock = await startMockUpstream();
});
after(async () => {
  for (const g of gws) await g.gw.close();
  await mock.close();
});

const weatherTool = { type: 'function', function: { name: 'get_weather', description: 'forecast', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const lookupTool = { type: 'function', function: { name: 'lookup', description: 'unmanaged tool', parameters: { type: 'object', properties: {} } } };

const post = (url: string, key: string, p: string, body: unknown) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

test('a skill tool reaches the model only for a key granted it; revocation and expiry take effect at once', async () => {
  const { gw, url } = await gateway('refuse');
  const granted = gw.keys.create({ name: 'granted' });
  const other = gw.keys.create({ name: 'other' });
  createGrant(gw.db, { skill: 'weather-lookup', subject: { type: 'key', id: granted.record.id } });
  const ask = (key: string) => post(url, key, '/v1/chat/completions', { model: 'gpt-4o', tools: [weatherTool], messages: [{ role: 'user', content: 'weather in Paris?' }] });
  const ok = await ask(granted.key);
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as { choices: { message: { tool_calls: { function: { name: string } }[] } }[] }).choices[0].message.tool_calls[0].function.name, 'get_weather');
  const refused = await ask(other.key);
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /tools not granted to this key: get_weather/);
  const anthropic = await post(url, other.key, '/v1/messages', { model: 'claude-sonnet', max_tokens: 50, tools: [{ name: 'get_weather', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'weather?' }] });
  assert.equal(anthropic.status, 403);
  assert.equal(((await anthropic.json()) as { error: { type: string } }).error.type, 'permission_error');
  revokeGrants(gw.db, { skill: 'weather-lookup' });
  assert.equal((await ask(granted.key)).status, 403, 'revoked grant refused on the next request');
  const expiring = gw.keys.create({ name: 'expiring' });
  createGrant(gw.db, { skill: 'weather-lookup', subject: { type: 'key', id: expiring.record.id }, expiresAt: Date.now() + 300 });
  assert.equal((await ask(expiring.key)).status, 200);
  await new Promise((r) => setTimeout(r, 350));
  assert.equal((await ask(expiring.key)).status, 403, 'expired grant refused');
});

test('strip mode removes ungranted tools before the upstream sees them', async () => {
  const { gw, url } = await gateway('strip');
  const { key } = gw.keys.create({ name: 'stripper' });
  const before = mock.received.length;
  const r = await post(url, key, '/v1/chat/completions', { model: 'gpt-4o', tools: [weatherTool, lookupTool], tool_choice: { type: 'function', function: { name: 'get_weather' } }, messages: [{ role: 'user', content: 'hello' }] });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-trustrelay-tools-stripped'), 'get_weather');
  const sent = mock.received[before].body as { tools: { function: { name: string } }[]; tool_choice: unknown };
  assert.deepEqual(sent.tools.map((t) => t.function.name), ['lookup']);
  assert.equal(sent.tool_choice, 'auto');
});

test('a model call to an ungranted tool is blocked in responses, JSON and streamed, OpenAI and Anthropic clients', async () => {
  const { gw, url } = await gateway('refuse');
  const { key } = gw.keys.create({ name: 'nogrant' });
  const body = { model: 'gpt-4o', tools: [lookupTool], messages: [{ role: 'user', content: 'weather?' }] };
  mock.enqueue({ callTool: 'get_weather' });
  const j = (await (await post(url, key, '/v1/chat/completions', body)).json()) as { choices: { message: { content: string; tool_calls?: unknown }; finish_reason: string }[] };
  assert.equal(j.choices[0].message.tool_calls, undefined);
  assert.match(j.choices[0].message.content, /blocked a call to tool "get_weather"/);
  assert.equal(j.choices[0].finish_reason, 'stop');
  mock.enqueue({ callTool: 'get_weather' });
  const s = await (await post(url, key, '/v1/chat/completions', { ...body, stream: true })).text();
  assert.ok(!/"name":"get_weather"/.test(s) && !/Paris/.test(s), 'neither the call nor its arguments reach the client');
  assert.match(s, /blocked a call to tool/);
  assert.match(s, /"finish_reason":"stop"/);
  mock.enqueue({ callTool: 'get_weather' });
  const a = await (await post(url, key, '/v1/messages', { model: 'gpt-4o', max_tokens: 50, stream: true, tools: [{ name: 'lookup', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'weather?' }] })).text();
  assert.ok(!/tool_use/.test(a), 'no tool_use block');
  assert.match(a, /"stop_reason":"end_turn"/);
});
