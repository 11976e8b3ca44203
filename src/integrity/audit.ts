/**
 * The audit runner behind `trustrelay audit`: plans probes within a request budget, sends them (only
 * them) to the audited endpoint and, when given, to a trusted reference, then evaluates every check.
 */
import { callProbe, toObservation, type CallOptions, type CallResult, type Endpoint } from './client.js';
import { evaluateChecks, type CheckResult, type Exchange } from './checks.js';
import { drawProbes, type Probe } from './probes.js';
import { Rng } from './rng.js';

export interface AuditOptions {
  target: Endpoint;
  reference?: Endpoint;
  /** Requests to the audited endpoint (the reference gets at most as many). Default 150. */
  budget?: number;
  seed?: number | string;
  /** Significance level of the statistical checks. Default 0.05. */
  alpha?: number;
  /** Concurrent requests per endpoint. Default 4. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface AuditReport {
  target: { baseUrl: string; model: string; protocol: string };
  reference?: { baseUrl: string; model: string; protocol: string };
  seed: string;
  budget: number;
  requests: { target: number; reference: number };
  passed: boolean;
  checks: CheckResult[];
  durationMs: number;
}

/** Smallest budget that runs every check once. */
export const MIN_BUDGET = 30;

interface Planned {
  probe: Probe;
  opts: CallOptions;
  /** Also sent to the reference. */
  both: boolean;
}

/** Splits the budget over probe kinds. Fixed small batches first; the rest goes to two-sample probes. */
export function planAudit(budget: number, protocol: Endpoint['protocol'], hasReference: boolean, rng: Rng): Planned[] {
  const plan: Planned[] = [];
  const add = (kind: Probe['kind'], n: number, opts: CallOptions, both: boolean) => {
    for (const probe of drawProbes(kind, n, rng)) plan.push({ probe, opts, both });
  };
  add('stream', 3, { stream: true }, false);
  add('tool', 3, { forceTool: true }, false);
  add('known-answer', 6, {}, hasReference);
  add('tokenizer', 4, {}, hasReference);
  if (protocol === 'openai') {
    add('json', 2, { jsonMode: true }, false);
    // Logprob tracking: three one-word prompts, three times each (enough arrangements for p < 0.01).
    for (const probe of drawProbes('logprob', 3, rng)) for (let i = 0; i < 3; i++) plan.push({ probe, opts: { topLogprobs: 5 }, both: hasReference });
  }
  const rest = budget - plan.length;
  if (rest > 0) {
    // Two-sample probes: up to 10 samples per prompt, stratified by prompt.
    const perPrompt = rest >= 20 ? 10 : Math.max(2, Math.floor(rest / 2));
    const prompts = Math.max(1, Math.floor(rest / perPrompt));
    const chosen = drawProbes('sample', prompts, rng);
    for (let i = 0; i < rest; i++) plan.push({ probe: chosen[i % prompts], opts: {}, both: hasReference });
  }
  return plan.slice(0, budget);
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

export async function runAudit(o: AuditOptions): Promise<AuditReport> {
  const started = performance.now();
  const seed = String(o.seed ?? Date.now());
  const rng = new Rng(seed);
  const budget = Math.max(o.budget ?? 150, MIN_BUDGET);
  const plan = rng.shuffle(planAudit(budget, o.target.protocol, o.reference !== undefined, rng));
  const jobs: { ep: Endpoint; role: 'target' | 'reference'; item: Planned }[] = [];
  for (const item of plan) {
    jobs.push({ ep: o.target, role: 'target', item });
    if (o.reference && item.both) jobs.push({ ep: o.reference, role: 'reference', item });
  }
  const exchanges: Exchange[] = [];
  let done = 0;
  o.onProgress?.(0, jobs.length);
  await pool(jobs, (o.concurrency ?? 4) * (o.reference ? 2 : 1), async (job) => {
    const result: CallResult = await callProbe(job.ep, job.item.probe, job.item.opts);
    exchanges.push({ role: job.role, probe: job.item.probe, opts: job.item.opts, result, observation: toObservation(job.ep, job.item.probe, job.item.opts, result) });
    o.onProgress?.(++done, jobs.length);
  });
  // Canonical order, so the statistics do not depend on the order in which concurrent answers arrived.
  const sortKey = (e: Exchange) => `${e.role}\u0000${e.probe.id}\u0000${JSON.stringify(e.opts)}\u0000${e.result.text}\u0000${JSON.stringify(e.result.logprobs?.[0] ?? null)}`;
  exchanges.sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : 0));
  const checks = evaluateChecks(exchanges, { target: o.target, reference: o.reference, alpha: o.alpha ?? 0.05, seed });
  const describe = (ep: Endpoint) => ({ baseUrl: redactUrl(ep.baseUrl), model: ep.model, protocol: ep.protocol });
  return {
    target: describe(o.target),
    reference: o.reference ? describe(o.reference) : undefined,
    seed,
    budget,
    requests: { target: exchanges.filter((e) => e.role === 'target').length, reference: exchanges.filter((e) => e.role === 'reference').length },
    passed: checks.every((c) => c.status !== 'fail'),
    checks,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Drops credentials and query strings from a URL before it goes into a report. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '[invalid url]';
  }
}
