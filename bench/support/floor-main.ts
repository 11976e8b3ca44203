/**
 * Child process: "the floor", the fastest a Node gateway can be. A bare pass-through proxy: node:http
 * in, an undici keep-alive Pool out, POST /v1/chat/completions bodies forwarded as they are and the
 * answer streamed back chunk by chunk, with no parsing, no auth, no routing.
 * Usage: node dist/bench/support/floor-main.js --upstream URL   → prints {"url": ...}
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { arg, ready } from './common.js';

const upstream = arg('upstream');
if (!upstream) throw new Error('floor-main: --upstream URL is required');
const upstreamKey = arg('upstream-key') ?? 'sk-bench-upstream';
// Same pool settings as the gateway's Transport (src/routing/transport.ts), same connection cap (128).
const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
const upstreamPath = new URL('/v1/chat/completions', upstream).pathname;

const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    pool
      .request({
        path: upstreamPath,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${upstreamKey}`, 'accept-encoding': 'identity' },
        body: Buffer.concat(chunks),
        signal: abort.signal,
      })
      .then((up) => {
        const ct = up.headers['content-type'];
        res.writeHead(up.statusCode, { 'content-type': (Array.isArray(ct) ? ct[0] : ct) ?? 'application/json' });
        // Readable.pipe: chunk by chunk with backpressure. (stream.pipeline costs an AbortController
        // and a DOMException per call on Node 20: a floor should not carry that.)
        up.body.on('error', () => res.destroy());
        up.body.pipe(res);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  ready({ url: `http://127.0.0.1:${port}` }, async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await pool.close();
  });
});
