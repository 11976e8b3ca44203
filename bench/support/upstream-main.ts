/**
 * Child process: the mock upstream (test/support/mock-upstream.ts) on 127.0.0.1, port chosen by the OS.
 * Usage: node dist/bench/support/upstream-main.js [--chunk-delay MS]
 * Prints {"url": ...} on stdout. The chunk delay applies to streamed answers only.
 */
import { startMockUpstream } from '../../test/support/mock-upstream.js';
import { arg, ready } from './common.js';

const mock = await startMockUpstream();
mock.chunkDelayMs = Number(arg('chunk-delay') ?? 0);
// The mock records every request for tests; a benchmark would grow that list without bound.
const recorded = mock.received;
setInterval(() => {
  recorded.length = 0;
}, 1_000).unref();
ready({ url: mock.url }, () => mock.close());
