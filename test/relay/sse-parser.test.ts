import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../src/util/sse.js';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function parseChunks(chunks: string[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

const body = (eol: string) =>
  [
    `: keep-alive comment${eol}`,
    `event: message_start${eol}data: {"a":1}${eol}${eol}`,
    `data: line one${eol}data: line two${eol}${eol}`,
    `data:no-space${eol}${eol}`,
    `event: ping${eol}${eol}`,
    `data: 中文 and émoji 😀${eol}${eol}`,
    `data: [DONE]${eol}${eol}`,
  ].join('');

const expected: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { event: undefined, data: 'line one\nline two' },
  { event: undefined, data: 'no-space' },
  { event: 'ping', data: '' },
  { event: undefined, data: '中文 and émoji 😀' },
  { event: undefined, data: '[DONE]' },
];

test('SSE parser: every chunking of \\n, \\r\\n and \\r streams gives the same events', () => {
  const rand = prng(7);
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = body(eol);
    assert.deepEqual(parseChunks([text]), expected, `whole, ${JSON.stringify(eol)}`);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      assert.deepEqual(parseChunks(chunks), expected, `chunks of ${size}, ${JSON.stringify(eol)}`);
    }
    for (let round = 0; round < 50; round++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; ) {
        const n = 1 + Math.floor(rand() * 17);
        chunks.push(text.slice(i, i + n));
        i += n;
      }
      assert.deepEqual(parseChunks(chunks), expected, `random chunks, ${JSON.stringify(eol)}`);
    }
  }
});

test('SSE parser: a final event without a blank line is flushed by end(); an oversized event is refused', () => {
  assert.deepEqual(parseChunks(['data: tail']), [{ event: undefined, data: 'tail' }]);
  const p = new SseParser(100);
  assert.throws(() => p.push('data: ' + 'x'.repeat(200)), /larger than the limit/);
  const q = new SseParser(100);
  assert.throws(() => q.push('data: ' + 'x'.repeat(200) + '\r'), /larger than the limit/);
});
