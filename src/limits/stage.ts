import type { KeyRecord, KeyStore } from '../auth/keys.js';
import { GatewayError } from '../core/errors.js';
import type { RequestContext, Stage } from '../core/pipeline.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { estimateInput, type Price } from '../metering/meter.js';
import { BudgetStore, periodOf, secondsToPeriodEnd, type BudgetLine } from './budget.js';
import { MinuteWindow } from './window.js';

/**
 * Limits and budget reservation, the first stage of the pipeline.
 * - rpm: requests in the last minute; tpm: tokens settled in the last minute plus this request's
 *   prompt estimate. Both per key, in memory.
 * - budgets (key and team, per period and lifetime): the request's maximum cost is reserved before
 *   the upstream call and replaced by the actual cost when the ledger entry is written. When a
 *   budget applies and the client set no max_tokens, the gateway sets it, so the reservation is a
 *   true upper bound.
 * Refusals are 429 with Retry-After, in the client's protocol.
 */

const STATE = 'limits';
/** Safety margin on the local prompt estimate (tokenizers of other vendors count differently). */
const INPUT_MARGIN = 1.25;

interface Held {
  id: string;
  lines: BudgetLine[];
}

export interface LimitsOptions {
  keys: KeyStore;
  budgets: BudgetStore;
  priceOf(model: string): Price;
  /** max_tokens set on requests that have a budget but no max_tokens of their own. */
  defaultMaxTokens: number;
}

export function budgetLines(key: KeyRecord, keys: KeyStore, now = Date.now()): BudgetLine[] {
  const lines: BudgetLine[] = [];
  if (key.budgetMicros !== null) lines.push({ scope: `key:${key.id}`, period: periodOf(key.budgetPeriod, now), limitMicros: key.budgetMicros });
  if (key.lifetimeBudgetMicros !== null) lines.push({ scope: `key:${key.id}`, period: 'lifetime', limitMicros: key.lifetimeBudgetMicros });
  const team = key.teamId ? keys.team(key.teamId) : undefined;
  if (team?.budgetMicros != null) lines.push({ scope: `team:${team.id}`, period: periodOf(team.budgetPeriod, now), limitMicros: team.budgetMicros });
  if (team?.lifetimeBudgetMicros != null) lines.push({ scope: `team:${team.id}`, period: 'lifetime', limitMicros: team.lifetimeBudgetMicros });
  return lines;
}

export function limitsStage(o: LimitsOptions): Stage & { windows: Map<string, { req: MinuteWindow; tok: MinuteWindow }> } {
  const windows = new Map<string, { req: MinuteWindow; tok: MinuteWindow }>();
  const win = (id: string) => {
    let w = windows.get(id);
    if (!w) windows.set(id, (w = { req: new MinuteWindow(), tok: new MinuteWindow() }));
    return w;
  };
  return {
    name: STATE,
    windows,
    async onRequest(ctx: RequestContext) {
      const key = ctx.key;
      const now = Date.now();
      const w = key.rpm !== null || key.tpm !== null ? win(key.id) : undefined;
      if (key.rpm !== null && w!.req.total(now) + 1 > key.rpm)
        throw new GatewayError('rate_limit', `rate limit: this key may make ${key.rpm} requests per minute`, { code: 'rate_limit_exceeded', retryAfterSeconds: w!.req.secondsUntilFree(1, now) });
      const lines = budgetLines(key, o.keys, now);
      const estimate = key.tpm !== null || lines.length ? await estimateInput(ctx.req) : 0;
      if (key.tpm !== null && w!.tok.total(now) + estimate > key.tpm)
        throw new GatewayError('rate_limit', `rate limit: this key may use ${key.tpm} tokens per minute`, { code: 'tokens_per_minute_exceeded', retryAfterSeconds: w!.tok.secondsUntilFree(estimate, now) });
      w?.req.add(1, now);
      if (!lines.length) return;
      ctx.req.maxTokens ??= o.defaultMaxTokens;
      const price = o.priceOf(ctx.req.model);
      const maxCost = Math.ceil((Math.ceil(estimate * INPUT_MARGIN + 16) * price.input + ctx.req.maxTokens * (ctx.req.n ?? 1) * price.output) / 1_000_000);
      const r = o.budgets.reserve(lines, maxCost, now);
      if (!r.ok) {
        const who = r.line.scope.startsWith('team:') ? "your team's" : "this key's";
        const period = r.line.period === 'lifetime' ? 'lifetime' : r.line.period.split(':')[0] === 'day' ? 'daily' : 'monthly';
        throw new GatewayError('rate_limit', `budget exceeded: ${who} ${period} budget cannot cover this request (up to ${maxCost} micro-units)`, { code: 'budget_exceeded', retryAfterSeconds: secondsToPeriodEnd(r.line.period, now) });
      }
      ctx.state.set(STATE, { id: r.id, lines } satisfies Held);
    },
    onDone(ctx) {
      const entry = ctx.state.get('ledger.entry') as LedgerEntry | undefined;
      if (entry && (ctx.key.tpm !== null || windows.has(ctx.key.id))) win(ctx.key.id).tok.add(entry.inputTokens + entry.outputTokens);
      const held = ctx.state.get(STATE) as Held | undefined;
      if (held) o.budgets.settle(held.id, held.lines, entry?.costMicros ?? 0);
    },
  };
}
