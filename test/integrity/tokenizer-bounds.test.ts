import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEncoding } from 'js-tiktoken';
import { countTokensDetailed } from '../../src/integrity/tokenizer.js';

const full = getEncoding('o200k_base');

test('ordinary English, Chinese, code and JSON count exactly, segment by segment', () => {
  const samples = [
    'The quick brown fox jumps over the lazy dog. '.repeat(300),
    '中文文本测试，这是一个很长的句子。'.repeat(120),
    '北京市海淀区中关村大街一号、上海市浦东新区；问题：什么？好！\n'.repeat(60),
    'def f(x):\n    return x * 2\n\n'.repeat(200),
    JSON.stringify({ a: 'hello world', b: [1, 2, 3], c: '中文' }).repeat(200),
  ];
  for (const t of samples) {
    // No time budget here: this checks the segmentation, which a slow, loaded machine must not change.
    const c = countTokensDetailed(t, 'o200k_base', { budgetMs: Infinity });
    assert.equal(c.exact, true);
    assert.equal(c.count, full.encode(t).length);
  }
});

test('a long run without spaces is estimated, not encoded whole, and says so', () => {
  const c = countTokensDetailed('x'.repeat(200_000), 'o200k_base');
  assert.equal(c.exact, false);
  assert.ok(c.count > 10_000 && c.count < 100_000, String(c.count));
});

test('once the time budget is spent the rest is estimated, and the count says it is inexact', () => {
  const t = 'A lazy dog sleeps under the quick brown fox. '.repeat(300); // not counted before (counts are cached)
  const c = countTokensDetailed(t, 'o200k_base', { budgetMs: 0 });
  assert.equal(c.exact, false);
  const exact = full.encode(t).length;
  assert.ok(Math.abs(c.count - exact) / exact < 0.2, `${c.count} vs ${exact}`);
});

test('a text counted exactly before is answered from the cache, exactly, whatever the budget', () => {
  const t = 'System prompt: you are a careful assistant. Answer briefly and cite sources. '.repeat(40);
  const first = countTokensDetailed(t, 'cl100k_base', { budgetMs: Infinity });
  assert.equal(first.exact, true);
  // With no budget at all, only a cached count can still be exact.
  const again = countTokensDetailed(t, 'cl100k_base', { budgetMs: 0 });
  assert.deepEqual(again, first);
  // The cache is per family: the other encoding is not answered from it.
  const other = countTokensDetailed(t, 'o200k_base', { budgetMs: 0 });
  assert.equal(other.exact, false);
});
