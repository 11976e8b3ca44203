import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { pricedYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import { entriesForKey } from '../../src/ledger/ledger.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway({ yaml: pricedYaml });
});
after(async () => t.close());

const until = async (f: () => boolean) => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 20));
};

test('billing policy: a client that disconnects mid-stream is billed for what was generated up to then (estimated), and its reservation is released', async () => {
  const { key, record } = t.gw.keys.create({ name: 'leaver', lifetimeBudgetMicros: 1_000_000 });
  t.mock.chunkDelayMs = 30;
  t.mock.enqueue({ omitUsage: true, text: 'word '.repeat(40) });
  const ac = new AbortController();
  const r = await fetch(`${t.url}/v1/chat/completions`, { method: 'POST', signal: ac.signal, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'talk' }] }) });
  const reader = r.body!.getReader();
  await reader.read();
  await reader.read();
  ac.abort();
  await until(() => entriesForKey(t.gw.db, record.id).length > 0);
  t.mock.chunkDelayMs = 0;
  const [e] = entriesForKey(t.gw.db, record.id);
  assert.equal(e.status, 'client_aborted');
  assert.equal(e.estimated, true);
  assert.ok(e.outputTokens > 0 && e.outputTokens < 40, `billed ${e.outputTokens} output tokens of a 40-word answer`);
  await until(() => t.gw.budgets.spent(`key:${record.id}`, 'lifetime') > 0);
  assert.equal(t.gw.budgets.spent(`key:${record.id}`, 'lifetime'), e.costMicros, 'reservation replaced by the actual cost');
  const reserved = t.gw.db.prepare("SELECT COUNT(*) AS n FROM budget_reservations WHERE scope = ?").get(`key:${record.id}`) as { n: number };
  assert.equal(reserved.n, 0);
});

test('billing policy: an upstream failure mid-stream is billed like a disconnect, status upstream_error; a failure before any byte is not billed', async () => {
  const { key, record } = t.gw.keys.create({ name: 'unlucky', lifetimeBudgetMicros: 1_000_000 });
  t.mock.enqueue({ cutAfterEvents: 4 });
  t.mock.chunkDelayMs = 15; // let the first frames leave before the mock cuts the connection
  const r = await fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'a long enough prompt to stream several chunks back' }] }) });
  const text = await r.text();
  t.mock.chunkDelayMs = 0;
  assert.match(text, /"error"/, 'the failure is reported in-stream');
  await until(() => entriesForKey(t.gw.db, record.id).length > 0);
  const [e] = entriesForKey(t.gw.db, record.id);
  assert.equal(e.status, 'upstream_error');
  t.mock.enqueue({ status: 500 });
  const failed = await fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }) });
  assert.equal(failed.status, 502);
  assert.equal(entriesForKey(t.gw.db, record.id).length, 1, 'no entry for a request that failed before any byte');
  assert.equal(t.gw.budgets.spent(`key:${record.id}`, 'lifetime'), e.costMicros);
  const reserved = t.gw.db.prepare('SELECT COUNT(*) AS n FROM budget_reservations WHERE scope = ?').get(`key:${record.id}`) as { n: number };
  assert.equal(reserved.n, 0, 'the failed request released its reservation');
});
