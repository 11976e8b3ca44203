import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { Cancel } from '../../src/util/cancel.js';

test('Cancel: listeners run once on abort, removed ones do not, a throwing one does not stop the others', () => {
  const c = new Cancel();
  const calls: string[] = [];
  const removed = () => calls.push('removed');
  c.addEventListener('abort', () => calls.push('a'));
  c.addEventListener('abort', () => {
    throw new Error('listener failure');
  });
  c.addEventListener('abort', removed);
  c.addEventListener('abort', () => calls.push('b'));
  c.removeEventListener('abort', removed);
  assert.equal(c.aborted, false);
  c.abort();
  c.abort();
  assert.deepEqual(calls, ['a', 'b']);
  assert.equal(c.aborted, true);
  assert.equal((c.reason as Error).name, 'AbortError');
  const r = new Error('why');
  const d = new Cancel();
  d.abort(r);
  assert.equal(d.reason, r);
});

test('Cancel aborts an undici request in flight, which the server sees as a closed connection', async () => {
  let closed!: () => void;
  const sawClose = new Promise<void>((r) => (closed = r));
  const server = http.createServer((req, res) => {
    res.writeHead(200);
    res.write('partial');
    req.socket.on('close', () => closed());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const c = new Cancel();
    const res = await request(`http://127.0.0.1:${port}/`, { signal: c.signal as unknown as AbortSignal });
    const reading = res.body.text().catch((e: unknown) => e);
    c.abort(new Error('client went away'));
    const err = await reading;
    assert.ok(err instanceof Error, 'reading the body fails after the abort');
    await sawClose;
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
