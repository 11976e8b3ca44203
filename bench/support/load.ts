import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { cpuSeconds } from './cpu.js';
import { percentile, sortedCopy } from './stats.js';

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The proxy's process id, for CPU accounting. */
  pid?: number;
}

export interface LoadRun {
  target: string;
  round: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time (user + system) the proxy process spent per request, µs; undefined off Linux. */
  cpuUsPerRequest?: number;
  /** Same for the mock upstream, as a yardstick. */
  upstreamCpuUsPerRequest?: number;
  /** Every 2xx latency in ms (kept for pooled percentiles; dropped from JSON output). */
  latencies: number[];
}

/** A LoadRun from the 2xx latencies and the CPU readings taken before and after the run. */
function loadRun(t: Target, round: number, latencies: number[], seconds: number, failures: { non2xx: number; errors: number }, cpu: { proxy: [number?, number?]; upstream: [number?, number?] }): LoadRun {
  const perRequest = ([a, b]: [number?, number?]) => (a !== undefined && b !== undefined && latencies.length ? ((b - a) * 1e6) / latencies.length : undefined);
  const sorted = sortedCopy(latencies);
  return {
    target: t.name,
    round,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ...failures,
    cpuUsPerRequest: perRequest(cpu.proxy),
    upstreamCpuUsPerRequest: perRequest(cpu.upstream),
    latencies,
  };
}

/**
 * One autocannon run. Latencies are taken from autocannon's per-response event (hrtime, fractional
 * ms) rather than its histogram, which rounds to whole milliseconds: the target is "p99 within 1 ms".
 */
export async function autocannonRun(t: Target, body: string, o: { connections: number; seconds: number; round: number; upstreamPid?: number }): Promise<LoadRun> {
  const latencies: number[] = [];
  const cpu0 = cpuSeconds(t.pid);
  const up0 = cpuSeconds(o.upstreamPid);
  const inst = autocannon({
    url: `${t.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...t.headers },
    body,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
  });
  inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const r = await inst;
  const cpu1 = cpuSeconds(t.pid);
  const up1 = cpuSeconds(o.upstreamPid);
  return loadRun(t, o.round, latencies, r.duration, { non2xx: r.non2xx, errors: r.errors }, { proxy: [cpu0, cpu1], upstream: [up0, up1] });
}

/**
 * An open-loop run at a fixed offered rate: request i is due at start + i / rate, whatever happened to
 * the ones before (autocannon's rate option sends each second's requests in a burst, which measures
 * its own queue). Latency counts from the due time, so a target that falls behind is charged for it.
 */
export async function pacedRun(t: Target, body: string, o: { connections: number; seconds: number; round: number; rate: number; upstreamPid?: number }): Promise<LoadRun> {
  const u = new URL(t.url);
  const pool = new Pool(u.origin, { connections: o.connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', ...t.headers };
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const cpu0 = cpuSeconds(t.pid);
  const up0 = cpuSeconds(o.upstreamPid);
  const total = Math.round(o.rate * o.seconds);
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  const fire = (due: number) =>
    pool
      .request({ path: '/v1/chat/completions', method: 'POST', headers, body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - due);
        else non2xx++;
      })
      .catch(() => {
        errors++;
      });
  for (let i = 0; i < total; ) {
    const now = performance.now();
    while (i < total && started + (i * 1000) / o.rate <= now) inflight.push(fire(started + (i++ * 1000) / o.rate));
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, started + (i * 1000) / o.rate - performance.now())));
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = cpuSeconds(t.pid);
  const up1 = cpuSeconds(o.upstreamPid);
  await pool.close();
  return loadRun(t, o.round, latencies, seconds, { non2xx, errors }, { proxy: [cpu0, cpu1], upstream: [up0, up1] });
}

export interface TtftRun {
  target: string;
  round: number;
  streams: number;
  errors: number;
  /** ms to the first SSE event carrying answer text (delta.content non-empty). */
  ttft: number[];
  /** ms to the first byte of the body. */
  firstByte: number[];
  /** ms to the end of the stream. */
  total: number[];
}

/** Does this SSE block carry answer text? (OpenAI chunk with a non-empty choices[].delta.content.) */
function hasContent(block: string): boolean {
  for (const line of block.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (!data || data === '[DONE]') continue;
    try {
      const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] };
      if (chunk.choices?.some((c) => typeof c.delta?.content === 'string' && c.delta.content !== '')) return true;
    } catch {
      /* not JSON: not content */
    }
  }
  return false;
}

/**
 * Streams at fixed concurrency for `seconds`, timing each stream's first content token, first byte
 * and end. A small undici client, so the time is the client's view over loopback.
 */
export async function ttftRun(t: Target, body: string, o: { concurrency: number; seconds: number; round: number }): Promise<TtftRun> {
  const u = new URL(t.url);
  const pool = new Pool(u.origin, { connections: o.concurrency, pipelining: 1 });
  const out: TtftRun = { target: t.name, round: o.round, streams: 0, errors: 0, ttft: [], firstByte: [], total: [] };
  const deadline = performance.now() + o.seconds * 1000;
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream', ...t.headers };
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body });
        if (res.statusCode !== 200) {
          out.errors++;
          await res.body.dump();
          continue;
        }
        let first = -1;
        let token = -1;
        let buf = '';
        for await (const chunk of res.body) {
          const now = performance.now();
          if (first < 0) first = now - t0;
          if (token >= 0) continue;
          buf += (chunk as Buffer).toString('utf8');
          let end: number;
          while (token < 0 && (end = buf.indexOf('\n\n')) >= 0) {
            if (hasContent(buf.slice(0, end))) token = now - t0;
            buf = buf.slice(end + 2);
          }
        }
        if (token < 0) {
          out.errors++;
          continue;
        }
        out.streams++;
        out.firstByte.push(first);
        out.ttft.push(token);
        out.total.push(performance.now() - t0);
      } catch {
        out.errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    await pool.close();
  }
  return out;
}
