import type { RequestContext, Stage } from '../core/pipeline.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { estimateInput } from '../metering/meter.js';
import { networkOf, type AlertSink } from './alerts.js';

/**
 * Watches settled exchanges for anomalies:
 * - spend spike: a key's spend in the current minute far above its own baseline (an EWMA of its
 *   per-minute spend, after enough history);
 * - token inflation: an upstream reporting prompt tokens far above the local tokenizer's count,
 *   on a sample of requests, repeatedly (one request is never an alert);
 * - new network: a key used from a /24 or /48 it was never used from.
 * Each kind is throttled per key or upstream.
 */

export interface AnomalyOptions {
  spikeFactor: number;
  /** Minimum spend in a minute (micro-units) before a spike can be reported. */
  spikeMinMicros: number;
  /** Minutes of history a key needs before its baseline counts. */
  minHistoryMinutes: number;
  /** Local-count ratio above which a sampled request counts as inflated. */
  inflationRatio: number;
  /** Every n-th request of an upstream is re-counted locally. */
  sampleEvery: number;
  throttleMs: number;
  now?: () => number;
}

export const DEFAULT_ANOMALY: AnomalyOptions = { spikeFactor: 10, spikeMinMicros: 10_000, minHistoryMinutes: 10, inflationRatio: 1.5, sampleEvery: 10, throttleMs: 10 * 60_000 };

interface KeySpend {
  minute: number;
  current: number;
  baseline: number;
  minutes: number;
}

export function anomalyStage(sink: AlertSink, o: AnomalyOptions = DEFAULT_ANOMALY): Stage {
  const spend = new Map<string, KeySpend>();
  const upstreamSeen = new Map<string, { n: number; flagged: number[] }>();
  const last = new Map<string, number>();
  const seenNetworks = new Set<string>();
  const clock = o.now ?? Date.now;
  const throttled = (k: string, now: number) => {
    const t = last.get(k);
    if (t !== undefined && now - t < o.throttleMs) return true;
    last.set(k, now);
    return false;
  };

  const spendCheck = (ctx: RequestContext, e: LedgerEntry, now: number) => {
    const minute = Math.floor(now / 60_000);
    let s = spend.get(e.keyId);
    if (!s) spend.set(e.keyId, (s = { minute, current: 0, baseline: 0, minutes: 0 }));
    if (s.minute !== minute) {
      // Roll the finished minute into the baseline; idle minutes since then count as zero spend.
      s.baseline = s.minutes === 0 ? s.current : 0.9 * s.baseline + 0.1 * s.current;
      const idle = Math.min(minute - s.minute - 1, 120);
      for (let i = 0; i < idle; i++) s.baseline *= 0.9;
      s.minutes += minute - s.minute;
      s.current = 0;
      s.minute = minute;
    }
    s.current += e.costMicros;
    const threshold = Math.max(o.spikeMinMicros, o.spikeFactor * s.baseline);
    if (s.minutes >= o.minHistoryMinutes && s.current > threshold && !throttled(`spend:${e.keyId}`, now))
      sink.raise({ kind: 'spend_spike', severity: 'critical', keyId: e.keyId, upstream: null, message: `key ${ctx.key.name} (${e.keyId}) spent ${s.current} micro-units this minute, ${o.spikeFactor}x above its baseline of ${Math.round(s.baseline)}`, details: { current: s.current, baseline: Math.round(s.baseline) } });
  };

  const inflationCheck = async (ctx: RequestContext, e: LedgerEntry, now: number) => {
    if (e.estimated || !e.upstream) return;
    let u = upstreamSeen.get(e.upstream);
    if (!u) upstreamSeen.set(e.upstream, (u = { n: 0, flagged: [] }));
    if (u.n++ % o.sampleEvery !== 0) return;
    const local = await estimateInput(ctx.req);
    const inflated = e.inputTokens > o.inflationRatio * local + 20;
    u.flagged.push(inflated ? 1 : 0);
    if (u.flagged.length > 20) u.flagged.shift();
    const hits = u.flagged.reduce((a, b) => a + b, 0);
    if (hits >= 5 && !throttled(`inflation:${e.upstream}`, now))
      sink.raise({ kind: 'token_inflation', severity: 'warning', keyId: null, upstream: e.upstream, message: `upstream ${e.upstream} reported prompt tokens above ${o.inflationRatio}x the local count on ${hits} of the last ${u.flagged.length} sampled requests`, details: { hits, sampled: u.flagged.length, lastReported: e.inputTokens, lastLocal: local } });
  };

  return {
    name: 'anomaly',
    onDone(ctx) {
      const e = ctx.state.get('ledger.entry') as LedgerEntry | undefined;
      const now = clock();
      const net = ctx.clientIp ? networkOf(ctx.clientIp) : '';
      const seen = `${ctx.key.id}|${net}`;
      if (net && !seenNetworks.has(seen)) {
        if (seenNetworks.size > 100_000) seenNetworks.clear();
        seenNetworks.add(seen);
        if (sink.noteNetwork(ctx.key.id, net, now))
          sink.raise({ kind: 'new_network', severity: 'warning', keyId: ctx.key.id, upstream: null, message: `key ${ctx.key.name} (${ctx.key.id}) was used from a new network ${net}`, details: { network: net } });
      }
      if (!e) return;
      spendCheck(ctx, e, now);
      inflationCheck(ctx, e, now).catch(() => undefined);
    },
  };
}
