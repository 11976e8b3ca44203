import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/pipeline.js';
import type { Usage } from '../core/types.js';
import type { Ledger } from '../ledger/ledger.js';
import type { GatewayIdentity } from '../ledger/signing.js';
import { costMicros, countTokens, estimateInput, type Price } from './meter.js';

/**
 * Settles one exchange: usage (upstream's, or estimated), cost, one ledger entry, a signed
 * receipt. Called exactly once per request that reached an upstream and delivered bytes:
 * - complete answers: before the response is sent (the receipt rides in a header),
 * - streams: after the last event (the receipt is the final SSE comment),
 * - streams cut short (client disconnect, upstream failure mid-stream): billed for the usage the
 *   upstream reported, else an estimate of the prompt plus what was streamed, marked estimated.
 * Requests that failed before any byte reached the client are not billed and not entered.
 */
export interface Billing {
  ledger: Ledger;
  identity: GatewayIdentity;
  priceOf(model: string): Price;
}

export const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export async function settle(b: Billing, ctx: RequestContext, status: string, responseHash: string, streamedText: string): Promise<string> {
  let usage: Usage | undefined = ctx.usage;
  let estimated = false;
  if (!usage) {
    estimated = true;
    usage = { inputTokens: await estimateInput(ctx.req), outputTokens: await countTokens(streamedText) };
  }
  const now = Date.now();
  const { entry, receipt } = await b.ledger.appendSigned({
    requestId: ctx.id,
    keyId: ctx.key.id,
    teamId: ctx.key.teamId,
    modelRequested: ctx.req.model,
    modelServed: ctx.servedModel ?? '',
    upstream: ctx.target?.provider.id ?? '',
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens ?? 0,
    reasoningTokens: usage.reasoningTokens ?? 0,
    estimated,
    costMicros: costMicros(usage, b.priceOf(ctx.req.model)),
    status,
    startedAt: ctx.startedAt,
    finishedAt: now,
    requestHash: ctx.requestHash,
    responseHash,
  });
  ctx.state.set('ledger.entry', entry);
  return receipt;
}
