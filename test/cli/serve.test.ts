import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, runCli } from '../helpers/cli.js';
import { startMockUpstream } from '../support/mock-upstream.js';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-cli-'));
}

test('keys create prints the key as the last stdout line; list never shows it; revoke takes effect', async () => {
  const dir = tmp();
  const c = await runCli(['keys', 'create', '--name', 'alice', '--data-dir', dir]);
  assert.equal(c.code, 0, c.stderr);
  const key = c.stdout.trim().split('\n').pop()!;
  assert.match(key, /^trk_[A-Za-z0-9_-]{43}$/);
  const l = await runCli(['keys', 'list', '--json', '--data-dir', dir]);
  assert.equal(l.code, 0);
  assert.ok(!l.stdout.includes(key), 'list never prints the key');
  const [rec] = JSON.parse(l.stdout) as { id: string; state: string }[];
  assert.equal(rec.state, 'active');
  const db = fs.readFileSync(path.join(dir, 'trustrelay.db'));
  assert.ok(!db.includes(Buffer.from(key)), 'the key is stored only as a hash');
  const r = await runCli(['keys', 'revoke', rec.id, '--data-dir', dir]);
  assert.equal(r.code, 0);
  const l2 = JSON.parse((await runCli(['keys', 'list', '--json', '--data-dir', dir])).stdout) as { state: string }[];
  assert.equal(l2[0].state, 'revoked');
  const bad = await runCli(['keys', 'create', '--data-dir', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--name is required/);
});

test('serve: config errors name the file and path and exit 1', async () => {
  const dir = tmp();
  const cfg = path.join(dir, 'bad.yaml');
  fs.writeFileSync(cfg, 'providers:\n  - { id: x, type: nope }\n');
  const r = await runCli(['serve', '--config', cfg, '--data-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.yaml: invalid configuration/);
  assert.match(r.stderr, /providers\[0\]\.type: expected one of/);
});

test('serve: first start mints a key, prints URL and a curl line, and relays with it; no key, no traffic', async () => {
  const mock = await startMockUpstream();
  const dir = tmp();
  const cfg = path.join(dir, 'trustrelay.yaml');
  fs.writeFileSync(cfg, `providers:\n  - { id: up, type: openai, base_url: ${mock.url}/v1, api_key: "\${UP_KEY}" }\nmodels:\n  - { name: gpt-4o, targets: [{ provider: up, model: gpt-4o }] }\n`);
  const child = spawn(process.execPath, [CLI, 'serve', '--config', cfg, '--data-dir', dir, '--port', '0'], { env: { ...process.env, UP_KEY: 'sk-upstream-abcdef123456' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let err = '';
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 15_000);
      child.stderr.on('data', (d: string) => {
        err += d;
        if (err.includes('Try it:') && err.includes("'{")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`serve exited: ${err}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
    const key = /^\s+(trk_\S+)$/m.exec(err)?.[1];
    assert.ok(url && key, err);
    assert.ok(!err.includes('sk-upstream-abcdef123456'), 'the provider key never appears in output');
    const noKey = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' });
    assert.equal(noKey.status, 401);
    const ok = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, 'echo: hi');
    assert.equal(mock.received[0].headers.authorization, 'Bearer sk-upstream-abcdef123456');
  } finally {
    child.kill('SIGTERM');
    await mock.close();
  }
});
