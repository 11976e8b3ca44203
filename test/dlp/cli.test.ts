import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

test('dlp scan --jsonl follows the contract and reports bad lines by number', async () => {
  const input = [
    JSON.stringify({ id: 'a', text: '手机：１３８１２３４５６７８，邮箱 li@example.com' }),
    'not json',
    JSON.stringify({ id: 'b' }),
    '',
    JSON.stringify({ id: 7, text: 'nothing to see here' }),
  ].join('\n');
  const r = await runCli(['dlp', 'scan', '--jsonl'], { input });
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { id: 'a', findings: [{ type: 'CN_MOBILE', start: 3, end: 14 }, { type: 'EMAIL', start: 18, end: 32 }] },
    { id: 7, findings: [] },
  ]);
  assert.match(r.stderr, /line 2: invalid JSON/);
  assert.match(r.stderr, /line 3: expected an object/);
});

test('dlp scan --jsonl exits 0 when every line is good', async () => {
  const r = await runCli(['dlp', 'scan', '--jsonl'], { input: JSON.stringify({ id: 1, text: 'ip 203.0.113.5' }) + '\n' });
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), { id: 1, findings: [{ type: 'IP_ADDRESS', start: 3, end: 14 }] });
});

test('dlp redact pseudonymizes or redacts stdin and never prints values in the summary', async () => {
  const text = '联系人：王小明，手机 13812345678，password: FakePass#2024\n';
  const p = await runCli(['dlp', 'redact', '--summary'], { input: text });
  assert.equal(p.code, 0);
  assert.match(p.stdout, /联系人：\[PERSON_[0-9a-f]{8}\]，手机 \[CN_MOBILE_[0-9a-f]{8}\]，password: \[REDACTED:SECRET\]/);
  assert.match(p.stderr, /PERSON=1/);
  assert.ok(!p.stderr.includes('13812345678') && !p.stderr.includes('王小明'));
  const r = await runCli(['dlp', 'redact', '--action', 'redact'], { input: text });
  assert.equal(r.stdout, '联系人：[REDACTED:PERSON]，手机 [REDACTED:CN_MOBILE]，password: [REDACTED:SECRET]\n');
  const j = await runCli(['dlp', 'redact', '--jsonl', '--action', 'redact'], { input: JSON.stringify({ id: 'x', text: 'mail a@example.com' }) + '\n' });
  assert.deepEqual(JSON.parse(j.stdout), { id: 'x', text: 'mail [REDACTED:EMAIL]' });
});

test('dlp --config adds organisation terms and actions; bad config names file and path', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlp-cli-'));
  const cfg = path.join(dir, 'c.yaml');
  fs.writeFileSync(cfg, 'dlp:\n  actions:\n    EMAIL: allow\n    PROJECT: redact\n  terms:\n    - name: code names\n      type: PROJECT\n      values: [Bluefin, 青龙计划]\n      patterns: ["PRJ-[0-9]{4}"]\n');
  const r = await runCli(['dlp', 'redact', '--config', cfg], { input: 'Bluefin (青龙计划, PRJ-0042) mail a@example.com' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '[REDACTED:PROJECT] ([REDACTED:PROJECT], [REDACTED:PROJECT]) mail a@example.com');
  const s = await runCli(['dlp', 'scan', '--jsonl', '--config', cfg], { input: JSON.stringify({ id: 1, text: 'bluefin' }) });
  assert.deepEqual(JSON.parse(s.stdout).findings, [{ type: 'PROJECT', start: 0, end: 7 }]);
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'dlp:\n  actions:\n    EMAIL: shred\n');
  const b = await runCli(['dlp', 'scan', '--config', bad], { input: '' });
  assert.equal(b.code, 1);
  assert.ok(b.stderr.includes(bad) && b.stderr.includes('dlp.actions.EMAIL'), b.stderr);
});

test('dlp --help and usage errors', async () => {
  const h = await runCli(['dlp', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /dlp scan --jsonl/);
  const u = await runCli(['dlp', 'frobnicate']);
  assert.equal(u.code, 2);
  const a = await runCli(['dlp', 'redact', '--action', 'shred'], { input: 'x' });
  assert.equal(a.code, 2);
});
