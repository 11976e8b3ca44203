import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { createGateway } from '../../src/server/gateway.js';
import { runCli } from '../helpers/cli.js';
import { startMockUpstream } from '../support/mock-upstream.js';

test('provider keys stored with `providers keys add` are encrypted at rest, used in turn, and never shown', async () => {
  const mock = await startMockUpstream();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-cred-'));
  const KEY_A = 'sk-stored-provider-key-AAAAAAAAAAAA';
  const KEY_B = 'sk-stored-provider-key-BBBBBBBBBBBB';
  const add = async (k: string) => runCli(['providers', 'keys', 'add', 'up', '--label', 'primary', '--data-dir', dir], { input: k + '\n' });
  const a = await add(KEY_A);
  assert.equal(a.code, 0, a.stderr);
  assert.ok(!a.stdout.includes(KEY_A));
  await add(KEY_B);

  let logs = '';
  const sink = new Writable({ write: (c, _e, cb) => ((logs += String(c)), cb()) });
  const cfg = parseConfig(`providers:\n  - { id: up, type: openai, base_url: "${mock.url}/v1" }\nmodels:\n  - { name: gpt-4o, targets: [{ provider: up, model: gpt-4o }] }\n`, 't.yaml', {});
  const gw = createGateway(cfg, { dataDir: dir, logger: pino({ level: 'debug' }, sink) });
  const { key } = gw.keys.create({ name: 'u' });
  const url = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
  try {
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' });
      assert.equal(r.status, 200);
    }
    const used = mock.received.map((r) => r.headers.authorization).sort();
    assert.deepEqual(used, [`Bearer ${KEY_A}`, `Bearer ${KEY_B}`], 'both stored keys are used, in turn');
    // An upstream error that echoes the key reaches the client scrubbed.
    mock.enqueue({ status: 400, body: { error: { message: `Incorrect API key provided: ${KEY_A} and ${KEY_B}` } } });
    const bad = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' });
    const badText = await bad.text();
    assert.ok(!badText.includes(KEY_A) && !badText.includes(KEY_B), badText);
    const admin = await fetch(`${url}/admin/keys`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    assert.equal(admin.status, 200);
    const adminText = await admin.text();
    for (const k of [KEY_A, KEY_B]) {
      assert.ok(!adminText.includes(k));
      assert.ok(!logs.includes(k), 'never in logs');
    }
    const list = await runCli(['providers', 'keys', 'list', '--json', '--data-dir', dir]);
    assert.ok(!list.stdout.includes(KEY_A));
    assert.equal((JSON.parse(list.stdout) as unknown[]).length, 2);
  } finally {
    await gw.close();
    await mock.close();
  }
  for (const f of fs.readdirSync(dir)) {
    const bytes = fs.readFileSync(path.join(dir, f));
    for (const k of [KEY_A, KEY_B]) assert.ok(!bytes.includes(Buffer.from(k)), `${f} holds no plaintext provider key`);
  }
  assert.equal(fs.statSync(path.join(dir, 'master.key')).mode & 0o777, 0o600);
});
