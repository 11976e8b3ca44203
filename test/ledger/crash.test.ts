import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, runCli } from '../helpers/cli.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { createPrivateKey } from 'node:crypto';
import { identityFrom } from '../../src/ledger/signing.js';
import { verifyReceipt } from '../../src/ledger/receipt.js';

function startServe(cfg: string, dir: string): Promise<{ child: ChildProcess; url: string; key?: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', cfg, '--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 15_000);
    child.stderr!.on('data', (d: string) => {
      err += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
      if (url && (err.includes('Try it:') || !err.includes('First start'))) {
        clearTimeout(timer);
        resolve({ child, url, key: /^\s+(trk_\S+)$/m.exec(err)?.[1] });
      }
    });
    child.on('exit', () => reject(new Error(`serve exited: ${err}`)));
  });
}

test('kill -9 under load: the chain still verifies and every receipt a client got is in the ledger', async () => {
  const mock = await startMockUpstream();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-crash-'));
  const cfg = path.join(dir, 'trustrelay.yaml');
  fs.writeFileSync(cfg, `providers:\n  - { id: up, type: openai, base_url: "${mock.url}/v1", api_key: sk-crash-test-123456 }\nmodels:\n  - { name: gpt-4o, price: { input: 1, output: 2 }, targets: [{ provider: up, model: gpt-4o }] }\n`);
  try {
    const first = await startServe(cfg, dir);
    assert.ok(first.key);
    const receipts: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const r = await fetch(`${first.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${first.key}` }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"load"}]}' });
          const receipt = r.headers.get('x-trustrelay-receipt');
          await r.arrayBuffer();
          if (r.status === 200 && receipt) receipts.push(receipt);
        } catch {
          return; // the server died mid-request: that response never reached us
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    for (let i = 0; i < 100 && receipts.length < 30; i++) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    assert.ok(receipts.length > 10, `got ${receipts.length} receipts before the crash`);

    const verify = await runCli(['ledger', 'verify', '--data-dir', dir, '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const exported = JSON.parse((await runCli(['ledger', 'export', '--data-dir', dir, '--format', 'json'])).stdout) as { seq: number; entryHash: string }[];
    const bySeq = new Map(exported.map((e) => [e.seq, e.entryHash]));
    const publicKey = identityFrom(createPrivateKey(fs.readFileSync(path.join(dir, 'gateway-ed25519.pem')))).publicKey;
    for (const receipt of receipts) {
      const v = verifyReceipt(receipt, publicKey);
      assert.ok(v.ok);
      assert.equal(bySeq.get(v.payload.seq), v.payload.entry, `receipt for entry ${v.payload.seq} is in the ledger`);
    }
    // One through the CLI, as a user would.
    assert.equal((await runCli(['receipt', 'verify', receipts[receipts.length - 1], '--data-dir', dir])).code, 0);

    // Restart on the same data dir: the chain continues from the stored head and still verifies.
    const second = await startServe(cfg, dir);
    try {
      const { stdout } = await runCli(['keys', 'create', '--name', 'after', '--data-dir', dir]);
      const key = stdout.trim().split('\n').pop()!;
      const r = await fetch(`${second.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"model":"gpt-4o","messages":[{"role":"user","content":"after"}]}' });
      assert.equal(r.status, 200);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    const again = await runCli(['ledger', 'verify', '--data-dir', dir, '--json']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal((JSON.parse(again.stdout) as { entries: number }).entries, exported.length + 1);
  } finally {
    await mock.close();
  }
});
