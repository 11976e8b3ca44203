import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Pseudonymizer } from '../../src/dlp/pseudonymize.js';
import { DEFAULT_POLICY, mergePolicy } from '../../src/dlp/policy.js';

const KEY = Buffer.alloc(32, 7);
const TEXT = '客户王小明，手机 138 1234 5678，邮箱 wang.xm@example.com，卡号 6222021234567890128；password: FakePass#2024';

test('protect removes every detected value and restore brings the originals back', () => {
  const p = new Pseudonymizer({ key: KEY, conversationId: 'c1' });
  const res = p.protect(TEXT);
  for (const v of ['王小明', '138 1234 5678', 'wang.xm@example.com', '6222021234567890128', 'FakePass#2024']) assert.ok(!res.text.includes(v), `${v} removed`);
  assert.match(res.text, /\[PERSON_[0-9a-f]{8}\]/);
  assert.match(res.text, /\[REDACTED:SECRET\]/);
  assert.deepEqual(res.blocked, []);
  assert.deepEqual(new Set(res.findings.map((f) => f.type)), new Set(['PERSON', 'CN_MOBILE', 'EMAIL', 'BANK_CARD', 'SECRET']));
  const back = p.restore(res.text);
  assert.equal(back, TEXT.replace('FakePass#2024', '[REDACTED:SECRET]'));
});

test('pseudonyms are stable within a conversation, across instances, and differ across conversations and keys', () => {
  const a1 = new Pseudonymizer({ key: KEY, conversationId: 'conv-a' }).protect('手机13812345678').text;
  const a2 = new Pseudonymizer({ key: KEY, conversationId: 'conv-a' }).protect('请回拨 138-1234-5678 谢谢').text;
  const tok = /\[CN_MOBILE_[0-9a-f]{8}\]/.exec(a1)![0];
  assert.ok(a2.includes(tok), 'same value (even typed differently) gets the same pseudonym in a later request');
  const b = new Pseudonymizer({ key: KEY, conversationId: 'conv-b' }).protect('手机13812345678').text;
  assert.ok(!b.includes(tok));
  const k = new Pseudonymizer({ key: Buffer.alloc(32, 8), conversationId: 'conv-a' }).protect('手机13812345678').text;
  assert.ok(!k.includes(tok));
  const p = new Pseudonymizer({ key: KEY, conversationId: 'conv-a' });
  const one = p.protect('a@example.com and a@example.com, then b@example.com').text;
  const toks = one.match(/\[EMAIL_[0-9a-f]{8}\]/g)!;
  assert.equal(toks[0], toks[1]);
  assert.notEqual(toks[0], toks[2]);
});

test('policy actions: block, allow, redact', () => {
  const policy = mergePolicy(DEFAULT_POLICY, { actions: { BANK_CARD: 'block', EMAIL: 'allow', PERSON: 'redact' } });
  const p = new Pseudonymizer({ key: KEY, conversationId: 'c', policy });
  const res = p.protect(TEXT);
  assert.deepEqual(res.blocked, ['BANK_CARD']);
  assert.ok(res.text.includes('wang.xm@example.com'), 'allowed type stays');
  assert.ok(res.text.includes('[REDACTED:PERSON]'));
  assert.ok(!res.findings.some((f) => f.type === 'EMAIL'), 'allowed types are not reported');
});

test('restore in JSON mode escapes values for a JSON string body', () => {
  const policy = mergePolicy(DEFAULT_POLICY, { actions: { SECRET: 'pseudonymize' } });
  const p = new Pseudonymizer({ key: KEY, conversationId: 'c', policy });
  const res = p.protect('password: Fake\\Pw1x');
  const tok = /\[SECRET_[0-9a-f]{8}\]/.exec(res.text)![0];
  const args = JSON.stringify({ pw: tok });
  const restored = p.restore(args, { json: true });
  assert.equal(JSON.parse(restored).pw, 'Fake\\Pw1x');
});

test('unknown bracketed text is left alone, and the pseudonymizer never prints values', () => {
  const p = new Pseudonymizer({ key: KEY, conversationId: 'c' });
  p.protect('mail me at someone@example.com');
  assert.equal(p.restore('see [PERSON_00000000] and [x]'), 'see [PERSON_00000000] and [x]');
  assert.ok(!JSON.stringify(p).includes('example'));
  assert.ok(!inspect(p).includes('example'));
  assert.throws(() => new Pseudonymizer({ key: Buffer.alloc(4), conversationId: 'c' }));
});

test('the pseudonym alphabet needs no JSON escaping', () => {
  const p = new Pseudonymizer({ key: KEY, conversationId: 'c' });
  const { text } = p.protect('张先生 13812345678 a@example.com 203.0.113.9');
  for (const tok of text.match(/\[[^\]]*\]/g)!) assert.equal(JSON.stringify(tok), `"${tok}"`);
});

test('protectValue / restoreValue walk JSON values (tool-call arguments)', () => {
  const p = new Pseudonymizer({ key: KEY, conversationId: 'json' });
  const args = { to: 'zhao.min@example.com', cc: ['13812345678', 42, null], note: { text: 'password: FakePw#2024x' }, count: 3 };
  const res = p.protectValue(args);
  const sent = JSON.stringify(res.value);
  assert.ok(!sent.includes('zhao.min@example.com') && !sent.includes('13812345678') && !sent.includes('FakePw#2024x'));
  assert.equal(res.value.count, 3);
  assert.deepEqual(new Set(res.findings.map((f) => f.type)), new Set(['EMAIL', 'CN_MOBILE', 'SECRET']));
  const back = p.restoreValue(res.value);
  assert.equal(back.to, 'zhao.min@example.com');
  assert.deepEqual(back.cc, ['13812345678', 42, null]);
  assert.equal(back.note.text, 'password: [REDACTED:SECRET]');
});
