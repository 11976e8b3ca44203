import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { runCli } from '../helpers/cli.js';
import { costMicros, priceFromConfig } from '../../src/metering/meter.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway({ yaml: (url) => `
providers:
  - { id: up, type: openai, base_url: ${url}/v1, api_key: sk-upstream-secret-000000 }
models:
  - name: gpt-4o
    price: { input: 2.5, output: 10, cached_input: 1.25 }
    targets: [{ provider: up, model: gpt-4o }]
` });
});
after(async () => t.close());

const chat = (body: Record<string, unknown>) =>
  fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'bill me' }], ...body }) });

test('cost is integer micro-units, rounded up', () => {
  const p = priceFromConfig({ input: 2.5, output: 10, cached_input: 1.25 });
  assert.deepEqual(p, { input: 2_500_000, output: 10_000_000, cachedInput: 1_250_000 });
  assert.equal(costMicros({ inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400 }, p), 600 * 2.5 + 400 * 1.25 + 100 * 10);
  assert.equal(costMicros({ inputTokens: 1, outputTokens: 0 }, p), 3, '2.5 micro-units round up to 3');
});

test('every response carries a receipt that verifies offline, names its ledger entry, and fails when changed', async () => {
  const r = await chat({});
  assert.equal(r.status, 200);
  const receipt = r.headers.get('x-trustrelay-receipt');
  assert.ok(receipt?.startsWith('trr1.'));
  const wk = (await (await fetch(`${t.url}/.well-known/trustrelay.json`)).json()) as { receipt_public_key: { key: string } };
  const ok = await runCli(['receipt', 'verify', receipt!, `--public-key=${wk.receipt_public_key.key}`, '--json']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const payload = (JSON.parse(ok.stdout) as { receipt: { seq: number; in: number; out: number; cost: number; est: boolean } }).receipt;
  assert.equal(payload.est, false, 'usage came from the upstream');
  assert.equal(payload.cost, Math.ceil((payload.in * 2_500_000 + payload.out * 10_000_000) / 1_000_000));
  // Tamper with one character of the payload: the signature no longer matches.
  const [v, body, proof, sig] = receipt!.split('.');
  const json = Buffer.from(body, 'base64url').toString().replace(/"cost":\d+/, '"cost":1');
  const forged = `${v}.${Buffer.from(json).toString('base64url')}.${proof}.${sig}`;
  const bad = await runCli(['receipt', 'verify', forged, `--public-key=${wk.receipt_public_key.key}`]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /NOT genuine/);
  // The receipt on stdin, key from the data dir.
  const stdin = await runCli(['receipt', 'verify', '--data-dir', t.dataDir], { input: receipt! + '\n' });
  assert.equal(stdin.code, 0, stdin.stdout + stdin.stderr);
});

test('streams end with a receipt comment, and the gateway always asks the upstream for stream usage', async () => {
  const s = await chat({ stream: true });
  const text = await s.text();
  const m = /: x-trustrelay-receipt (trr1\.[\w-]+\.[\w-]+\.[\w-]+)\n\n$/.exec(text);
  assert.ok(m, 'final SSE comment carries the receipt');
  const v = await runCli(['receipt', 'verify', m[1], '--data-dir', t.dataDir, '--json']);
  assert.equal(v.code, 0);
  const before = t.mock.received.length;
  const s2 = await chat({ stream: true, messages: [{ role: 'user', content: 'no usage please' }] });
  const text2 = await s2.text();
  assert.equal((t.mock.received[before].body.stream_options as { include_usage: boolean }).include_usage, true);
  assert.ok(/x-trustrelay-receipt/.test(text2));
});

test('without upstream usage the local tokenizer counts, and the entry is marked estimated (JSON and streams)', async () => {
  for (const stream of [false, true]) {
    t.mock.enqueue({ omitUsage: true, text: 'a reply of several words to be counted locally' });
    const r = await chat({ stream });
    const body = await r.text();
    const receipt = stream ? /: x-trustrelay-receipt (\S+)/.exec(body)![1] : r.headers.get('x-trustrelay-receipt')!;
    const v = await runCli(['receipt', 'verify', receipt, '--data-dir', t.dataDir, '--json']);
    const p = (JSON.parse(v.stdout) as { receipt: { est: boolean; in: number; out: number; cost: number } }).receipt;
    assert.equal(p.est, true);
    assert.ok(p.in > 0 && p.out >= 9 && p.out <= 12, `local counts ${p.in}/${p.out}`);
    assert.ok(p.cost > 0);
  }
});

test('ledger verify passes, then names the first entry whose stored row was changed; export lists the bill', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await chat({})).status, 200);
  const ok = await runCli(['ledger', 'verify', '--data-dir', t.dataDir, '--json']);
  assert.equal(ok.code, 0, ok.stdout);
  const report = JSON.parse(ok.stdout) as { entries: number };
  assert.ok(report.entries >= 7);
  const csv = await runCli(['ledger', 'export', '--data-dir', t.dataDir, '--key', t.gw.keys.list()[0].id]);
  assert.equal(csv.code, 0);
  assert.equal(csv.stdout.trim().split('\n').length, report.entries + 1, 'header plus one line per entry');
  // Tamper: lower the cost of entry 2 directly in SQLite.
  const db = new Database(path.join(t.dataDir, 'trustrelay.db'));
  db.prepare('UPDATE ledger_entries SET cost_micros = 0 WHERE seq = 2').run();
  db.close();
  const broken = await runCli(['ledger', 'verify', '--data-dir', t.dataDir]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /BROKEN at entry 2: stored fields do not match/);
});
