/**
 * Budgeting of active probes per upstream: a token bucket of probe requests per upstream (refilled
 * continuously at requestsPerDay) plus a minimum interval between audit runs, so probing costs a
 * known, bounded amount. Storage-agnostic like the monitor (snapshot()/restore()).
 */
import type { AuditReport } from './audit.js';
import type { ProbeResult } from './monitor.js';

export interface ScheduleOptions {
  /** Probe requests each upstream may receive per day. Default 200. */
  requestsPerDay?: number;
  /** Bucket size: most requests one run may spend. Default 60. */
  maxBurst?: number;
  /** Minimum time between two runs on one upstream, ms. Default 1 hour. */
  minIntervalMs?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  lastRunAt: number | null;
}

export class ProbeScheduler {
  private readonly perMs: number;
  private readonly maxBurst: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private buckets = new Map<string, Bucket>();

  constructor(opts: ScheduleOptions = {}) {
    this.perMs = (opts.requestsPerDay ?? 200) / 86_400_000;
    this.maxBurst = opts.maxBurst ?? 60;
    this.minIntervalMs = opts.minIntervalMs ?? 3_600_000;
    this.now = opts.now ?? Date.now;
  }

  private bucket(id: string): Bucket {
    const now = this.now();
    let b = this.buckets.get(id);
    if (!b) this.buckets.set(id, (b = { tokens: this.maxBurst, updatedAt: now, lastRunAt: null }));
    b.tokens = Math.min(this.maxBurst, b.tokens + (now - b.updatedAt) * this.perMs);
    b.updatedAt = now;
    return b;
  }

  /** Requests a run may spend on this upstream now (0 when it is not due). */
  due(upstreamId: string, minRequests = 30): number {
    const b = this.bucket(upstreamId);
    if (b.lastRunAt !== null && this.now() - b.lastRunAt < this.minIntervalMs) return 0;
    const n = Math.floor(b.tokens);
    return n >= minRequests ? n : 0;
  }

  /** Records that a run spent `requests` on this upstream. */
  spend(upstreamId: string, requests: number): void {
    const b = this.bucket(upstreamId);
    b.tokens = Math.max(0, b.tokens - requests);
    b.lastRunAt = this.now();
  }

  snapshot(): Record<string, Bucket> {
    return structuredClone(Object.fromEntries(this.buckets));
  }

  restore(snapshot: Record<string, Bucket>): void {
    this.buckets = new Map(Object.entries(structuredClone(snapshot)));
  }
}

/** Converts an audit report into probe results for IntegrityMonitor.recordProbe (info and skip are left out). */
export function probeResultsFromAudit(report: AuditReport, at = Date.now()): ProbeResult[] {
  return report.checks
    .filter((c) => c.status === 'pass' || c.status === 'fail')
    .map((c): ProbeResult => ({
      check: `audit:${c.id}`,
      passed: c.status === 'pass',
      detail: c.detail,
      pValue: c.pValue,
      // A p-value near alpha makes the upstream suspect; a clear failure (or a rule-based check) fails it.
      level: c.status === 'pass' ? undefined : c.pValue !== undefined && c.pValue > (c.alpha ?? 0.05) / 10 ? 'suspect' : 'failed',
      at,
    }));
}
