import { isObj, type Obj } from './validate.js';

/**
 * A provider signature on a tool call travels in `extra_content.google.thought_signature`, the field
 * Gemini's own OpenAI-compatible endpoint uses, so clients that keep the assistant message as received
 * send it back unchanged. Only a bounded string is accepted.
 */
export function signatureIn(call: Obj): string | undefined {
  const extra = call.extra_content;
  const google = isObj(extra) ? extra.google : undefined;
  const sig = isObj(google) ? google.thought_signature : undefined;
  return typeof sig === 'string' && sig.length > 0 && sig.length <= 65_536 ? sig : undefined;
}

export function signatureOut(signature: string | undefined): Obj {
  return signature ? { extra_content: { google: { thought_signature: signature } } } : {};
}
