import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import pino from 'pino';
import { AlertSink, networkOf } from '../../src/alerts/alerts.js';
import { anomalyStage, DEFAULT_ANOMALY } from '../../src/alerts/stage.js';
import type { RequestContext } from '../../src/core/pipeline.js';
import type { LedgerEntry } from '../../src/ledger/ledger.js';
import { openDatabase } from '../../src/store/sqlite.js';

const db = () => openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-alerts-')));
const quiet = pino({ level: 'silent' });

function ctx(keyId: string, ip: string, entry?: Partial<LedgerEntry>, text = 'hello'): RequestContext {
  const state = new Map<string, unknown>();
  if (entry) state.set('ledger.entry', { keyId, upstream: 'up', estimated: false, inputTokens: 10, outputTokens: 5, costMicros: 100, ...entry });
  return { id: 'r', key: { id: keyId, name: keyId } as RequestContext['key'], clientIp: ip, req: { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }] }, state } as unknown as RequestContext;
}

const done = (stage: ReturnType<typeof anomalyStage>, c: RequestContext) => stage.onDone!(c, { status: 200, clientAborted: false, committed: true });

test('networkOf groups addresses by /24 and /48', () => {
  assert.equal(networkOf('198.51.100.7'), '198.51.100.0/24');
  assert.equal(networkOf('::ffff:203.0.113.9'), '203.0.113.0/24');
  assert.equal(networkOf('2001:db8:1:2::5'), '2001:db8:1::/48');
});

test('a key used from a second network raises one alert; its first network does not', () => {
  const sink = new AlertSink(db(), quiet);
  const stage = anomalyStage(sink);
  done(stage, ctx('k1', '198.51.100.7'));
  done(stage, ctx('k1', '198.51.100.8'));
  assert.equal(sink.list().length, 0);
  done(stage, ctx('k1', '203.0.113.5'));
  const alerts = sink.list();
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].kind, 'new_network');
  assert.equal(alerts[0].details.network, '203.0.113.0/24');
});

test('spend far above a key’s own baseline raises a spend_spike alert; steady spend does not', () => {
  const sink = new AlertSink(db(), quiet);
  let now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const stage = anomalyStage(sink, { ...DEFAULT_ANOMALY, spikeMinMicros: 1000, now: () => now });
  for (let m = 0; m < 15; m++) {
    for (let i = 0; i < 5; i++) done(stage, ctx('k2', '127.0.0.1', { costMicros: 100 }));
    now += 60_000;
  }
  assert.equal(sink.list().filter((a) => a.kind === 'spend_spike').length, 0, 'steady spend is quiet');
  for (let i = 0; i < 60; i++) done(stage, ctx('k2', '127.0.0.1', { costMicros: 100 }));
  const spikes = sink.list().filter((a) => a.kind === 'spend_spike');
  assert.equal(spikes.length, 1, 'one alert, then throttled');
  assert.equal(spikes[0].keyId, 'k2');
});

test('an upstream that keeps reporting far more prompt tokens than the local count raises token_inflation', async () => {
  const sink = new AlertSink(db(), quiet);
  const stage = anomalyStage(sink, { ...DEFAULT_ANOMALY, sampleEvery: 1 });
  for (let i = 0; i < 10; i++) done(stage, ctx('k3', '127.0.0.1', { inputTokens: 12 }, 'hello there, how are you'));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.list().filter((a) => a.kind === 'token_inflation').length, 0, 'honest counts are quiet');
  for (let i = 0; i < 10; i++) done(stage, ctx('k3', '127.0.0.1', { inputTokens: 400 }, 'hello there, how are you'));
  await new Promise((r) => setTimeout(r, 300));
  const a = sink.list().filter((x) => x.kind === 'token_inflation');
  assert.equal(a.length, 1);
  assert.equal(a[0].upstream, 'up');
});

test('alerts go to the webhook as JSON', async () => {
  let got = '';
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => (got += c.toString()));
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const sink = new AlertSink(db(), quiet, { url: `http://127.0.0.1:${port}/hook`, timeoutMs: 2000 });
  sink.raise({ kind: 'new_network', severity: 'warning', keyId: 'k', upstream: null, message: 'm', details: {} });
  for (let i = 0; i < 50 && !got; i++) await new Promise((r) => setTimeout(r, 20));
  server.close();
  const body = JSON.parse(got) as { source: string; alert: { kind: string } };
  assert.equal(body.source, 'trustrelay');
  assert.equal(body.alert.kind, 'new_network');
});
