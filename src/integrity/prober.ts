import type { Logger } from 'pino';
import type { Router } from '../routing/router.js';
import { targetOf } from '../routing/router.js';
import { runAudit } from './audit.js';
import type { Endpoint } from './client.js';
import type { IntegrityMonitor } from './monitor.js';
import { ProbeScheduler, probeResultsFromAudit } from './schedule.js';

/**
 * Active probes from the gateway: on a timer, every upstream (provider + model) that routing uses
 * and whose budget allows is audited with the same probe pools as `trustrelay audit` (known-answer,
 * tokenizer-fingerprint, logprob and, with a reference configured, two-sample tests), and the
 * results become evidence in the monitor. Budgeted per upstream by a token bucket
 * (requests_per_day, at most one run per min_interval); off by default, because probes cost money.
 */

export interface ProberOptions {
  requestsPerDay: number;
  minIntervalMs: number;
  /** A trusted endpoint serving the same models, for the two-sample tests. */
  reference?: { providerId: string; model?: string };
  checkEveryMs: number;
}

export class ActiveProber {
  private readonly scheduler: ProbeScheduler;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly router: Router,
    private readonly monitor: IntegrityMonitor,
    private readonly log: Logger,
    private readonly o: ProberOptions,
  ) {
    this.scheduler = new ProbeScheduler({ requestsPerDay: o.requestsPerDay, minIntervalMs: o.minIntervalMs, maxBurst: Math.min(150, Math.max(30, Math.round(o.requestsPerDay / 4))) });
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over the upstreams; returns how many were audited. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let audited = 0;
    try {
      const seen = new Set<string>();
      for (const name of this.router.modelNames()) {
        for (const rt of this.router.resolve(name) ?? []) {
          const family = rt.provider.spec.adapter.family;
          if (family === 'gemini' || seen.has(rt.provider.id) || rt.provider.id === this.o.reference?.providerId) continue;
          seen.add(rt.provider.id);
          const budget = this.scheduler.due(rt.provider.id);
          if (!budget) continue;
          const t = targetOf(rt);
          const target: Endpoint = { baseUrl: rt.provider.baseUrl, apiKey: t.apiKey ?? '', model: rt.model, protocol: family };
          const ref = this.o.reference ? this.router.providers.get(this.o.reference.providerId) : undefined;
          const reference: Endpoint | undefined =
            ref && ref.spec.adapter.family !== 'gemini'
              ? { baseUrl: ref.baseUrl, apiKey: ref.apiKey?.reveal() ?? '', model: this.o.reference?.model ?? rt.model, protocol: ref.spec.adapter.family as Endpoint['protocol'] }
              : undefined;
          this.scheduler.spend(rt.provider.id, budget);
          try {
            const report = await runAudit({ target, reference, budget, concurrency: 2 });
            for (const r of probeResultsFromAudit(report)) this.monitor.recordProbe(rt.provider.id, r);
            audited++;
            this.log.info({ upstream: rt.provider.id, requests: report.requests?.target ?? budget }, 'integrity probes recorded');
          } catch (err) {
            this.log.warn({ upstream: rt.provider.id, error: (err as Error).name }, 'integrity probe run failed');
          }
        }
      }
    } finally {
      this.running = false;
    }
    return audited;
  }
}
