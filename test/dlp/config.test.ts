import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DlpConfigSchema, policyFromConfig, recognizersFromConfig } from '../../src/dlp/config.js';
import { assertSafePattern, compileLinear } from '../../src/dlp/linear-regex.js';
import { actionFor } from '../../src/dlp/policy.js';
import { scan } from '../../src/dlp/scan.js';

test('the dlp: schema accepts actions and terms, rejects bad ones', () => {
  const ok = DlpConfigSchema.safeParse({ actions: { PERSON: 'redact', SECRET: 'block' }, terms: [{ name: 'customers', values: ['Acme Corp'] }] });
  assert.ok(ok.success);
  assert.equal(DlpConfigSchema.safeParse({ actions: { PERSON: 'shred' } }).success, false);
  assert.equal(DlpConfigSchema.safeParse({ terms: [{ name: 'empty' }] }).success, false);
  assert.equal(DlpConfigSchema.safeParse({ terms: [{ name: 'x', values: ['a'], extra: 1 }] }).success, false);
  const policy = policyFromConfig(ok.success ? ok.data : undefined);
  assert.equal(actionFor(policy, 'PERSON'), 'redact');
  assert.equal(actionFor(policy, 'EMAIL'), 'pseudonymize');
});

test('organisation terms: exact values as whole words, patterns, custom type', () => {
  const recs = recognizersFromConfig({ terms: [{ name: 'customers', type: 'CUSTOMER', values: ['Acme', '青龙'], patterns: ['CUST-[0-9]{3}'] }] });
  const text = 'Acme and acme-corp, not Acmeville; 青龙项目 CUST-123';
  const got = scan(text, { recognizers: recs }).filter((f) => f.type === 'CUSTOMER').map((f) => text.slice(f.start, f.end));
  assert.deepEqual(got, ['Acme', 'acme', '青龙', 'CUST-123']);
  assert.ok(!recognizersFromConfig({ disable: ['person'] }).some((r) => r.name === 'person'));
});

test('unsafe patterns are rejected by the static check; compiled patterns are linear', () => {
  for (const p of ['(a+)+b', '(a|aa){0,50}', 'a*b', '\\d+x', '(?=a)b', '(a)\\1']) assert.throws(() => assertSafePattern(p), `${p} rejected`);
  assert.doesNotThrow(() => assertSafePattern('PRJ-[0-9]{4}'));
  const re = compileLinear('(a+)+b');
  const t = performance.now();
  re.lastIndex = 0;
  re.exec('a'.repeat(20000));
  assert.ok(performance.now() - t < 2000);
});
