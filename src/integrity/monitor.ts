/**
 * Per-upstream aggregation of passive signals and active probe results into a status
 * (trusted | suspect | failed) with the evidence behind it. One request never decides: a signal kind
 * raises evidence only when its flag count over a rolling window is improbable under an honest
 * upstream's background flag rate (exact binomial tail), and token inflation goes through a
 * sequential test. State is in memory; snapshot()/restore() give a JSON form to persist anywhere.
 */
import { addStreamUsage, emptyStreamUsage, summarizeStreamUsage, type StreamUsageState, type StreamUsageSummary } from './consistency.js';
import { InflationTest, type InflationOptions, type InflationState, type InflationSummary } from './inflation.js';
import type { Observation, Signal } from './observation.js';
import { analyze, type Analyzer, ANALYZERS } from './signals.js';
import { binomialUpperTail, logprobPermutationTest, type LogprobSample } from './stats.js';

export type UpstreamStatusKind = 'trusted' | 'suspect' | 'failed';

export interface Evidence {
  /** Signal kind (model-name, tool-dropped, usage-inflation, ...) or probe check name. */
  kind: string;
  level: 'suspect' | 'failed';
  summary: string;
  /** Flagged observations and window size, for passive evidence. */
  flagged?: number;
  observed?: number;
  pValue?: number;
  at: number;
}

export interface PerformanceStats {
  ttftMs?: number;
  totalMs?: number;
  tokensPerSecond?: number;
}

export interface UpstreamStatus {
  upstreamId: string;
  status: UpstreamStatusKind;
  evidence: Evidence[];
  observations: number;
  /** EWMA of latency metrics (for routing). */
  performance: PerformanceStats;
  inflation: InflationSummary;
  /** Streamed vs non-streamed completion tokens per character (for tokenizers that are not public). */
  streamUsage: StreamUsageSummary;
  /** Flag counts per signal kind over the current window. */
  windows: Record<string, { flagged: number; observed: number }>;
}

/** Result of one active probe run (e.g. a two-sample test, a known-answer batch, a tokenizer check). */
export interface ProbeResult {
  check: string;
  passed: boolean;
  detail: string;
  pValue?: number;
  /** Level when not passed; default: failed when pValue is absent or < failedP, else suspect. */
  level?: 'suspect' | 'failed';
  at?: number;
}

export interface MonitorOptions {
  /** Observations kept per signal kind. Default 100. */
  window?: number;
  /** Flag rate an honest upstream can show per kind (aliases, transient glitches). Default 0.02. */
  baseFlagRate?: number;
  /** Binomial tail below which a kind makes the upstream suspect. Default 1e-3. */
  suspectP?: number;
  /** Binomial tail below which a kind makes the upstream failed. Default 1e-6. */
  failedP?: number;
  /** Minimum flagged observations before any evidence (never one request). Default 3. */
  minFlags?: number;
  /** EWMA weight of the newest latency sample. Default 0.1. */
  ewmaWeight?: number;
  inflation?: InflationOptions;
  /** Verify usage on every k-th response only (local tokenization costs CPU on long prompts). Default 1. */
  usageEvery?: number;
  analyzers?: readonly Analyzer[];
  now?: () => number;
}

interface UpstreamState {
  observations: number;
  windows: Record<string, number[]>;
  performance: PerformanceStats;
  inflation: InflationState;
  probes: Record<string, ProbeResult & { at: number }>;
  /** Evidence frozen when the upstream first failed; failed is sticky until reset(). */
  failed: Evidence[] | null;
  lastAt: Record<string, number>;
  /** First top-logprob samples seen per upstream: the baseline later batches are compared with. */
  logprobBaseline?: LogprobSample[];
  streamUsage?: StreamUsageState;
}

export interface MonitorSnapshot {
  version: 1;
  upstreams: Record<string, UpstreamState>;
}

export type StatusListener = (upstreamId: string, status: UpstreamStatus, previous: UpstreamStatusKind) => void;

export class IntegrityMonitor {
  private readonly opts: Required<Omit<MonitorOptions, 'inflation' | 'analyzers' | 'now'>>;
  private readonly withoutUsage: readonly Analyzer[];
  private readonly inflationOpts: InflationOptions;
  private readonly analyzers: readonly Analyzer[];
  private readonly now: () => number;
  private readonly state = new Map<string, UpstreamState>();
  private readonly listeners: StatusListener[] = [];

  constructor(opts: MonitorOptions = {}) {
    this.opts = {
      window: opts.window ?? 100,
      baseFlagRate: opts.baseFlagRate ?? 0.02,
      suspectP: opts.suspectP ?? 1e-3,
      failedP: opts.failedP ?? 1e-6,
      minFlags: opts.minFlags ?? 3,
      ewmaWeight: opts.ewmaWeight ?? 0.1,
      usageEvery: Math.max(1, Math.floor(opts.usageEvery ?? 1)),
    };
    this.inflationOpts = opts.inflation ?? {};
    this.analyzers = opts.analyzers ?? ANALYZERS;
    this.withoutUsage = this.analyzers.filter((a) => a.id !== 'usage');
    this.now = opts.now ?? Date.now;
  }

  /** Called whenever an upstream's status kind changes (raise alerts, quarantine routes). */
  onStatusChange(listener: StatusListener): void {
    this.listeners.push(listener);
  }

  /** Feeds one response's observation; returns the signals it produced. */
  observe(upstreamId: string, obs: Observation): Signal[] {
    const before = this.statusOf(upstreamId).status;
    const st = this.upstream(upstreamId);
    const at = obs.at ?? this.now();
    const checkUsage = st.observations % this.opts.usageEvery === 0 || !obs.usage;
    const signals = analyze(obs, checkUsage ? this.analyzers : this.withoutUsage);
    st.observations++;
    if (obs.usage?.completionTokens !== undefined && !obs.honoured.toolCalls && (obs.status === undefined || obs.status < 300)) {
      addStreamUsage((st.streamUsage ??= emptyStreamUsage()), obs.stream, obs.usage.completionTokens - (obs.usage.reasoningTokens ?? 0), obs.text);
    }
    const seen = new Set<string>();
    for (const s of signals) {
      if (s.kind === 'performance') {
        this.updatePerformance(st, s.metrics ?? {});
        continue;
      }
      if (s.kind === 'usage' && s.reported !== undefined && s.expected !== undefined) {
        const t = new InflationTest(this.inflationOpts, st.inflation);
        t.add(s.reported, s.expected);
        st.inflation = t.state;
      }
      if (seen.has(s.kind)) continue;
      seen.add(s.kind);
      const w = (st.windows[s.kind] ??= []);
      w.push(s.flagged ? 1 : 0);
      if (w.length > this.opts.window) w.splice(0, w.length - this.opts.window);
      if (s.flagged) st.lastAt[s.kind] = at;
    }
    this.settle(upstreamId, before);
    return signals;
  }

  /** Records the outcome of an active probe run; the latest result per check counts. */
  recordProbe(upstreamId: string, result: ProbeResult): void {
    const before = this.statusOf(upstreamId).status;
    const st = this.upstream(upstreamId);
    st.probes[result.check] = { ...result, at: result.at ?? this.now() };
    this.settle(upstreamId, before);
  }

  /**
   * Logprob tracking over time: the first batch (single-token probe prompts, several requests each)
   * becomes the upstream's baseline; each later batch is compared with it by a stratified permutation
   * test and recorded as probe "logprob-drift". Returns the result, or undefined for the baseline.
   */
  trackLogprobs(upstreamId: string, batch: LogprobSample[], opts: { alpha?: number; seed?: number | string } = {}): ProbeResult | undefined {
    const st = this.upstream(upstreamId);
    if (!st.logprobBaseline?.length) {
      st.logprobBaseline = structuredClone(batch);
      return undefined;
    }
    const r = logprobPermutationTest(batch, st.logprobBaseline, { alpha: opts.alpha ?? 0.01, seed: opts.seed ?? this.now(), permutations: 2000 });
    const result: ProbeResult = { check: 'logprob-drift', passed: !r.reject, pValue: r.pValue, detail: `top-logprob vectors vs baseline: L1 ${r.statistic.toFixed(3)}, p = ${r.pValue.toFixed(4)} over ${r.strata} prompts` };
    this.recordProbe(upstreamId, result);
    return result;
  }

  /** Current status of an upstream (trusted with no evidence when never seen). */
  statusOf(upstreamId: string): UpstreamStatus {
    const st = this.state.get(upstreamId);
    const inflation = new InflationTest(this.inflationOpts, st?.inflation).summary();
    const streamUsage = summarizeStreamUsage(st?.streamUsage ?? emptyStreamUsage());
    if (!st) return { upstreamId, status: 'trusted', evidence: [], observations: 0, performance: {}, inflation, streamUsage, windows: {} };
    const evidence = this.currentEvidence(st, inflation, streamUsage);
    const windows: UpstreamStatus['windows'] = {};
    for (const [k, w] of Object.entries(st.windows)) windows[k] = { flagged: w.reduce((a, b) => a + b, 0), observed: w.length };
    let status: UpstreamStatusKind = evidence.some((e) => e.level === 'failed') ? 'failed' : evidence.length ? 'suspect' : 'trusted';
    const all = st.failed ? mergeEvidence(st.failed, evidence) : evidence;
    if (st.failed) status = 'failed';
    return { upstreamId, status, evidence: all, observations: st.observations, performance: { ...st.performance }, inflation, streamUsage, windows };
  }

  /** Ids of every upstream seen. */
  upstreams(): string[] {
    return [...this.state.keys()];
  }

  /** Statuses of every upstream seen. */
  statuses(): UpstreamStatus[] {
    return this.upstreams().map((id) => this.statusOf(id));
  }

  /** Forgets everything about an upstream (an admin clearing a quarantine after investigation). */
  reset(upstreamId: string): void {
    this.state.delete(upstreamId);
  }

  /** JSON-serialisable copy of all state. */
  snapshot(): MonitorSnapshot {
    return { version: 1, upstreams: structuredClone(Object.fromEntries(this.state)) };
  }

  /** Rebuilds a monitor from snapshot(); options are not part of the snapshot. */
  static restore(snapshot: MonitorSnapshot, opts: MonitorOptions = {}): IntegrityMonitor {
    if (snapshot?.version !== 1 || typeof snapshot.upstreams !== 'object') throw new Error('integrity snapshot: unsupported format (expected {version: 1, upstreams})');
    const m = new IntegrityMonitor(opts);
    for (const [id, st] of Object.entries(snapshot.upstreams)) m.state.set(id, structuredClone(st));
    return m;
  }

  private upstream(id: string): UpstreamState {
    let st = this.state.get(id);
    if (!st) {
      st = { observations: 0, windows: {}, performance: {}, inflation: { n: 0, sum: 0, sumSq: 0, flaggedAt: null }, probes: {}, failed: null, lastAt: {} };
      this.state.set(id, st);
    }
    return st;
  }

  private updatePerformance(st: UpstreamState, m: PerformanceStats): void {
    const w = this.opts.ewmaWeight;
    for (const key of ['ttftMs', 'totalMs', 'tokensPerSecond'] as const) {
      const v = m[key];
      if (v === undefined || !Number.isFinite(v)) continue;
      const old = st.performance[key];
      st.performance[key] = old === undefined ? v : old + w * (v - old);
    }
  }

  private currentEvidence(st: UpstreamState, inflation: InflationSummary, streamUsage: StreamUsageSummary): Evidence[] {
    const out: Evidence[] = [];
    const { baseFlagRate, suspectP, failedP, minFlags } = this.opts;
    for (const [kind, w] of Object.entries(st.windows)) {
      const k = w.reduce((a, b) => a + b, 0);
      if (k < minFlags) continue;
      const p = binomialUpperTail(k, w.length, baseFlagRate);
      if (p >= suspectP) continue;
      out.push({ kind, level: p < failedP ? 'failed' : 'suspect', summary: `${k} of the last ${w.length} responses flagged ${kind}`, flagged: k, observed: w.length, pValue: p, at: st.lastAt[kind] ?? this.now() });
    }
    if (inflation.flagged) {
      out.push({ kind: 'usage-inflation', level: 'failed', summary: `reported tokens exceed local counts by ${(inflation.meanExcess * 100).toFixed(1)}% on average over ${inflation.n} responses (lower bound ${(inflation.lowerBound * 100).toFixed(1)}%)`, observed: inflation.n, at: this.now() });
    }
    if (streamUsage.flagged) {
      out.push({ kind: 'stream-usage', level: 'suspect', summary: `streamed completions report ${(streamUsage.relativeDifference * 100).toFixed(1)}% ${streamUsage.relativeDifference > 0 ? 'more' : 'fewer'} tokens per character than non-streamed ones (${streamUsage.stream.n} vs ${streamUsage.plain.n} responses, z = ${streamUsage.z.toFixed(1)})`, observed: streamUsage.stream.n + streamUsage.plain.n, at: this.now() });
    }
    for (const r of Object.values(st.probes)) {
      if (r.passed) continue;
      const level = r.level ?? (r.pValue === undefined || r.pValue < failedP * 1000 ? 'failed' : 'suspect');
      out.push({ kind: r.check, level, summary: r.detail, pValue: r.pValue, at: r.at });
    }
    return out;
  }

  private settle(upstreamId: string, before: UpstreamStatusKind): void {
    const st = this.state.get(upstreamId);
    if (!st) return;
    const now = this.statusOf(upstreamId);
    if (now.status === 'failed' && !st.failed) st.failed = now.evidence.filter((e) => e.level === 'failed');
    if (now.status !== before) for (const l of this.listeners) l(upstreamId, now, before);
  }
}

function mergeEvidence(frozen: Evidence[], current: Evidence[]): Evidence[] {
  const seen = new Set(current.map((e) => `${e.kind}|${e.level}`));
  return [...current, ...frozen.filter((e) => !seen.has(`${e.kind}|${e.level}`))];
}

/** A process-wide default monitor with function-style helpers, for callers that do not need several. */
export const defaultMonitor = new IntegrityMonitor();
export const observe = (upstreamId: string, obs: Observation): Signal[] => defaultMonitor.observe(upstreamId, obs);
export const statusOf = (upstreamId: string): UpstreamStatus => defaultMonitor.statusOf(upstreamId);
