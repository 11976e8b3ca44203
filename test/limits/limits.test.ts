import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { pricedYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import { KeyStore, VERSION_CHECK_MS } from '../../src/auth/keys.js';
import { openDatabase } from '../../src/store/sqlite.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway({ yaml: pricedYaml });
});
after(async () => t.close());

const chat = (key: string, body: Record<string, unknown> = {}, path = '/v1/chat/completions') =>
  fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count me' }], ...body }),
  });

test('200 concurrent requests against a nearly spent budget overspend by at most one request’s maximum cost', async () => {
  const budget = 2_000;
  const { key, record } = t.gw.keys.create({ name: 'budgeted', lifetimeBudgetMicros: budget });
  t.mock.chunkDelayMs = 2;
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => chat(key, { max_tokens: 50, stream: i % 2 === 0 }).then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: await r.text() }))),
  );
  t.mock.chunkDelayMs = 0;
  const ok = results.filter((r) => r.status === 200).length;
  const refused = results.filter((r) => r.status === 429);
  assert.ok(ok > 0, 'some requests fit in the budget');
  assert.ok(refused.length > 0, 'the rest are refused');
  assert.equal(ok + refused.length, 200, 'every answer is 200 or 429');
  assert.ok(refused.every((r) => Number(r.retry) > 0 && /budget exceeded/.test(r.body) && /"code":"budget_exceeded"/.test(r.body)));
  const spent = t.gw.budgets.spent(`key:${record.id}`, 'lifetime');
  // Maximum cost of one request: prompt estimate with margin plus 50 output tokens at 1 micro-unit each.
  const oneMax = 200;
  assert.ok(spent <= budget + oneMax, `spent ${spent} of ${budget}`);
  assert.ok(spent > budget / 2, 'the budget was actually used');
  // The ledger agrees with the budget store.
  const rows = t.gw.db.prepare('SELECT SUM(cost_micros) AS s, COUNT(*) AS n FROM ledger_entries WHERE key_id = ?').get(record.id) as { s: number; n: number };
  assert.equal(rows.s, spent);
  assert.equal(rows.n, ok);
});

test('a budgeted request without max_tokens gets the default cap upstream, so the reservation bounds it', async () => {
  const { key } = t.gw.keys.create({ name: 'capped', budgetMicros: 1_000_000, budgetPeriod: 'day' });
  const before = t.mock.received.length;
  assert.equal((await chat(key)).status, 200);
  assert.equal(t.mock.received[before].body.max_completion_tokens, 4096);
});

test('team budgets apply to every key of the team', async () => {
  const team = t.gw.keys.createTeam({ name: 'research', lifetimeBudgetMicros: 50 });
  const { key } = t.gw.keys.create({ name: 'member', teamId: team.id });
  const r = await chat(key, { max_tokens: 100 });
  assert.equal(r.status, 429);
  assert.match(await r.text(), /your team's lifetime budget/);
});

test('requests per minute: the next request gets 429 with Retry-After, in the client’s protocol', async () => {
  const { key } = t.gw.keys.create({ name: 'rpm', rpm: 2 });
  assert.equal((await chat(key)).status, 200);
  assert.equal((await chat(key)).status, 200);
  const r = await chat(key, { max_tokens: 10 }, '/v1/messages');
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  const j = (await r.json()) as { type: string; error: { type: string } };
  assert.equal(j.type, 'error');
  assert.equal(j.error.type, 'rate_limit_error');
});

test('rotation: both secrets work during the grace period; with no grace the old one stops at once', async () => {
  const { key: oldKey, record } = t.gw.keys.create({ name: 'rotating' });
  const newKey = t.gw.keys.rotate(record.id, 60_000)!;
  assert.equal((await chat(oldKey)).status, 200);
  assert.equal((await chat(newKey)).status, 200);
  const newest = t.gw.keys.rotate(record.id, 0)!;
  const r = await chat(newKey);
  assert.equal(r.status, 401);
  assert.match(await r.text(), /expired/);
  assert.equal((await chat(oldKey)).status, 401, 'rotating with no grace also ends the grace of earlier secrets');
  assert.equal((await chat(newest)).status, 200);
});

test('revocation takes effect on the very next request', async () => {
  const { key, record } = t.gw.keys.create({ name: 'revoked' });
  assert.equal((await chat(key)).status, 200);
  t.gw.keys.revoke(record.id);
  const r = await chat(key);
  assert.equal(r.status, 401);
  assert.match(await r.text(), /revoked/);
});

test('a revocation, rotation or scope change by another process (another database connection) takes effect within VERSION_CHECK_MS', async () => {
  // As `trustrelay keys revoke` does it: its own connection to the same database file. Such writes
  // reach the gateway's key cache within VERSION_CHECK_MS.
  const settle = () => new Promise((r) => setTimeout(r, VERSION_CHECK_MS + 20));
  const db = openDatabase(t.dataDir);
  const other = new KeyStore(db);
  try {
    const { key, record } = t.gw.keys.create({ name: 'revoked-elsewhere' });
    assert.equal((await chat(key)).status, 200);
    assert.equal((await chat(key)).status, 200, 'a repeated, cached lookup still answers');
    other.update(record.id, { models: ['claude-*'] });
    await settle();
    const scoped = await chat(key);
    assert.equal(scoped.status, 403, 'the narrowed model scope applies at once');
    other.update(record.id, { models: [] });
    await settle();
    assert.equal((await chat(key)).status, 200);
    const fresh = other.rotate(record.id, 0)!;
    await settle();
    assert.equal((await chat(key)).status, 401, 'the rotated-out secret is refused at once');
    assert.equal((await chat(fresh)).status, 200);
    other.revoke(record.id);
    await settle();
    const r = await chat(fresh);
    assert.equal(r.status, 401);
    assert.match(await r.text(), /revoked/);
  } finally {
    db.close();
  }
});

test('expired keys and keys used from a network outside their CIDRs are refused', async () => {
  const { key: expired } = t.gw.keys.create({ name: 'old', expiresAt: Date.now() - 1000 });
  const e = await chat(expired);
  assert.equal(e.status, 401);
  assert.match(await e.text(), /expired/);
  const { key: elsewhere } = t.gw.keys.create({ name: 'office', cidrs: ['192.0.2.0/24', '2001:db8::/32'] });
  const b = await chat(elsewhere);
  assert.equal(b.status, 403);
  assert.match(await b.text(), /network/);
  const { key: local } = t.gw.keys.create({ name: 'local', cidrs: ['127.0.0.0/8'] });
  assert.equal((await chat(local)).status, 200);
});
