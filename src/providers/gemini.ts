import type { ChatRequest, ChatResponse, ContentPart, FinishReason, StreamEvent, Usage } from '../core/types.js';
import { GatewayError } from '../core/errors.js';
import { isObj, type Obj } from '../protocols/validate.js';
import { genericErrorMessage, joinUrl, type ProviderAdapter, type Target } from './types.js';

/** Google Gemini, native generateContent API. */

/**
 * Gemini's documented stand-in for a missing thought signature, for history Gemini did not write (a
 * conversation that began on another provider, or a client that dropped the signature); without one,
 * Gemini 3 refuses a replayed function call. See https://ai.google.dev/gemini-api/docs/thought-signatures.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

function partsOut(parts: ContentPart[], callNames: Map<string, string>, role: 'model' | 'user'): Obj[] {
  const out: Obj[] = [];
  let firstCall = true;
  for (const p of parts) {
    if (p.type === 'text') out.push({ text: p.text });
    else if (p.type === 'image') out.push(p.data ? { inlineData: { mimeType: p.mediaType ?? 'image/png', data: p.data } } : { fileData: { fileUri: p.url, mimeType: p.mediaType ?? 'image/jpeg' } });
    else if (p.type === 'tool_call') {
      callNames.set(p.id, p.name);
      let args: unknown = {};
      try {
        args = p.arguments ? JSON.parse(p.arguments) : {};
      } catch {
        args = {};
      }
      // The signature rides on the part; the first call of a model turn must carry one.
      const signature = p.signature ?? (firstCall && role === 'model' ? SKIP_SIGNATURE : undefined);
      firstCall = false;
      out.push({ functionCall: { name: p.name, args }, ...(signature ? { thoughtSignature: signature } : {}) });
    } else if (p.type === 'tool_result') {
      const text = typeof p.content === 'string' ? p.content : p.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
      out.push({ functionResponse: { name: callNames.get(p.toolCallId) ?? p.toolCallId, response: { content: text } } });
    }
  }
  return out;
}

export function geminiBody(req: ChatRequest): Obj {
  const callNames = new Map<string, string>();
  const system: string[] = [];
  const contents: { role: string; parts: Obj[] }[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') {
      system.push(m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''));
      continue;
    }
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts = partsOut(m.content, callNames, role);
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  const gc: Obj = {};
  if (req.maxTokens !== undefined) gc.maxOutputTokens = req.maxTokens;
  if (req.temperature !== undefined) gc.temperature = req.temperature;
  if (req.topP !== undefined) gc.topP = req.topP;
  if (req.topK !== undefined) gc.topK = req.topK;
  if (req.stop?.length) gc.stopSequences = req.stop;
  if (req.n !== undefined) gc.candidateCount = req.n;
  if (req.seed !== undefined) gc.seed = req.seed;
  if (req.responseFormat && req.responseFormat.type !== 'text') {
    gc.responseMimeType = 'application/json';
    if (req.responseFormat.schema) gc.responseJsonSchema = req.responseFormat.schema;
  }
  if (req.logprobs) gc.responseLogprobs = true;
  if (req.topLogprobs !== undefined) gc.logprobs = req.topLogprobs;
  if (req.thinking) gc.thinkingConfig = { thinkingBudget: req.thinking.budgetTokens, includeThoughts: true };
  const body: Obj = { contents };
  if (system.length) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  if (Object.keys(gc).length) body.generationConfig = gc;
  if (req.tools?.length) body.tools = [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })) }];
  if (req.toolChoice !== undefined && req.tools?.length) {
    const tc = req.toolChoice;
    body.toolConfig = { functionCallingConfig: tc === 'auto' ? { mode: 'AUTO' } : tc === 'none' ? { mode: 'NONE' } : tc === 'required' ? { mode: 'ANY' } : { mode: 'ANY', allowedFunctionNames: [tc.name] } };
  }
  return body;
}

function finishIn(r: unknown, hasCalls: boolean): FinishReason {
  if (hasCalls) return 'tool_calls';
  switch (r) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function usageIn(u: unknown): Usage | undefined {
  if (!isObj(u)) return undefined;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const usage: Usage = { inputTokens: n(u.promptTokenCount), outputTokens: n(u.candidatesTokenCount) + n(u.thoughtsTokenCount) };
  if (u.cachedContentTokenCount !== undefined) usage.cachedInputTokens = n(u.cachedContentTokenCount);
  if (u.thoughtsTokenCount !== undefined) usage.reasoningTokens = n(u.thoughtsTokenCount);
  return usage;
}

let callSeq = 0;
const callId = () => `call_${Date.now().toString(36)}${(callSeq++).toString(36)}`;

function candidateParts(c: Obj): ContentPart[] {
  const content = isObj(c.content) ? c.content : {};
  const out: ContentPart[] = [];
  for (const p of Array.isArray(content.parts) ? content.parts : []) {
    if (!isObj(p)) continue;
    if (typeof p.text === 'string') out.push(p.thought ? { type: 'thinking', text: p.text } : { type: 'text', text: p.text });
    else if (isObj(p.functionCall)) {
      const signature = typeof p.thoughtSignature === 'string' && p.thoughtSignature ? { signature: p.thoughtSignature } : {};
      out.push({ type: 'tool_call', id: callId(), name: String(p.functionCall.name ?? ''), arguments: JSON.stringify(p.functionCall.args ?? {}), ...signature });
    }
  }
  return out;
}

function parseChat(json: unknown, t: Target): ChatResponse {
  if (!isObj(json)) throw new Error('upstream answered with no object');
  const cands = Array.isArray(json.candidates) ? json.candidates.filter(isObj) : [];
  return {
    id: typeof json.responseId === 'string' ? json.responseId : callId(),
    model: typeof json.modelVersion === 'string' ? json.modelVersion : t.model,
    created: Math.floor(Date.now() / 1000),
    usage: usageIn(json.usageMetadata),
    choices: cands.map((c, i) => {
      const content = candidateParts(c);
      return { index: typeof c.index === 'number' ? c.index : i, content, finishReason: finishIn(c.finishReason, content.some((p) => p.type === 'tool_call')) };
    }),
  };
}

function streamParser(t: Target) {
  let started = false;
  const toolCount = new Map<number, number>();
  return (ev: { data: string }): StreamEvent[] => {
    if (!ev.data) return [];
    const json = JSON.parse(ev.data) as unknown;
    if (!isObj(json)) return [];
    if (isObj(json.error)) throw Object.assign(new Error(String(json.error.message ?? 'upstream stream error')), { upstreamStreamError: true });
    const out: StreamEvent[] = [];
    if (!started) {
      started = true;
      out.push({ type: 'start', id: typeof json.responseId === 'string' ? json.responseId : callId(), model: typeof json.modelVersion === 'string' ? json.modelVersion : t.model, created: Math.floor(Date.now() / 1000) });
    }
    const cands = Array.isArray(json.candidates) ? json.candidates.filter(isObj) : [];
    cands.forEach((c, i) => {
      const choice = typeof c.index === 'number' ? c.index : i;
      for (const p of candidateParts(c)) {
        if (p.type === 'text') out.push({ type: 'text', choice, text: p.text });
        else if (p.type === 'thinking') out.push({ type: 'thinking', choice, text: p.text });
        else if (p.type === 'tool_call') {
          const index = toolCount.get(choice) ?? 0;
          toolCount.set(choice, index + 1);
          out.push({ type: 'tool_call_start', choice, index, id: p.id, name: p.name, ...(p.signature ? { signature: p.signature } : {}) }, { type: 'tool_call_delta', choice, index, arguments: p.arguments });
        }
      }
      if (c.finishReason) out.push({ type: 'finish', choice, reason: finishIn(c.finishReason, (toolCount.get(choice) ?? 0) > 0) });
    });
    const usage = usageIn(json.usageMetadata);
    if (usage && cands.some((c) => c.finishReason)) out.push({ type: 'usage', usage });
    return out;
  };
}

const headers = (t: Target): Record<string, string> => ({ 'content-type': 'application/json', ...(t.apiKey ? { 'x-goog-api-key': t.apiKey } : {}), ...((t.options.headers as Record<string, string>) ?? {}) });

export const geminiAdapter: ProviderAdapter = {
  family: 'gemini',
  chat: (req, t) => {
    if (req.n !== undefined && req.n > 8) throw new GatewayError('invalid_request', 'n must be at most 8 for Gemini', { param: 'n' });
    const model = encodeURIComponent(t.model);
    const path = req.stream ? `/models/${model}:streamGenerateContent?alt=sse` : `/models/${model}:generateContent`;
    return { url: joinUrl(t.baseUrl, path), headers: headers(t), body: JSON.stringify(geminiBody(req)) };
  },
  parseChat,
  streamParser,
  errorMessage: genericErrorMessage,
};
