import { GatewayError } from '../core/errors.js';
import type { RequestContext, Stage } from '../core/pipeline.js';
import type { ChatResponse, ContentPart, StreamEvent } from '../core/types.js';
import type { Db } from '../store/sqlite.js';
import { isToolAllowed, toolPolicyFor, type ToolPolicy, type UnmanagedToolMode } from './registry/policy.js';

/**
 * Least privilege on the wire: tools of registered skills reach the model only for keys or teams
 * granted them (default deny), and the model's calls to tools the caller may not use are blocked,
 * in every client protocol, streaming included.
 * - Request: offered tools that are not allowed are refused (400 naming them) or, with
 *   `tool_enforcement: strip`, removed (with tool_choice reset when it named one).
 * - Response: a call to a tool that is not allowed is replaced by a short notice in the text, and
 *   the finish reason becomes "stop" when no allowed call remains. In streams the call's start and
 *   argument deltas are withheld.
 */

const STATE = 'skills';

interface StreamState {
  /** Computed on first need: a request without tools whose answer calls none never reads the registry. */
  policy: () => ToolPolicy;
  blocked: Set<string>;
  allowedCalls: Set<string>;
  notices: string[];
}

export interface SkillsEnforcementOptions {
  unmanaged: UnmanagedToolMode;
  mode: 'refuse' | 'strip';
}

const notice = (name: string) => `[TrustRelay blocked a call to tool "${name}": this key has no grant for it]`;

export function skillsStage(db: Db, o: SkillsEnforcementOptions): Stage {
  const policyFor = (ctx: RequestContext) => toolPolicyFor(db, { keyId: ctx.key.id, teamId: ctx.key.teamId ?? undefined }, Date.now(), { unmanaged: o.unmanaged });
  const blockParts = (policy: ToolPolicy, parts: ContentPart[]): { parts: ContentPart[]; blocked: number; kept: number } => {
    const out: ContentPart[] = [];
    let blocked = 0;
    let kept = 0;
    for (const p of parts) {
      if (p.type === 'tool_call' && !isToolAllowed(policy, p.name)) {
        blocked++;
        out.push({ type: 'text', text: notice(p.name) });
      } else {
        if (p.type === 'tool_call') kept++;
        out.push(p);
      }
    }
    return { parts: out, blocked, kept };
  };
  return {
    name: STATE,
    onRequest(ctx) {
      let cached: ToolPolicy | undefined;
      const st: StreamState = { policy: () => (cached ??= policyFor(ctx)), blocked: new Set(), allowedCalls: new Set(), notices: [] };
      ctx.state.set(STATE, st);
      const tools = ctx.req.tools;
      if (!tools?.length) return;
      const policy = st.policy();
      const denied = tools.filter((t) => !isToolAllowed(policy, t.name));
      if (!denied.length) return;
      if (o.mode === 'refuse')
        throw new GatewayError('permission', `tools not granted to this key: ${denied.map((t) => t.name).join(', ')} (grant them with \`trustrelay skills grant\`, or remove them)`, { code: 'tool_not_granted' });
      ctx.req.tools = tools.filter((t) => isToolAllowed(policy, t.name));
      const tc = ctx.req.toolChoice;
      if (typeof tc === 'object' && !isToolAllowed(policy, tc.name)) ctx.req.toolChoice = 'auto';
      if (!ctx.req.tools.length) {
        ctx.req.tools = undefined;
        ctx.req.toolChoice = undefined;
        ctx.req.parallelToolCalls = undefined;
      }
      ctx.responseHeaders['x-trustrelay-tools-stripped'] = denied.map((t) => t.name).join(',');
    },
    onResponse(ctx, resp: ChatResponse) {
      const st = ctx.state.get(STATE) as StreamState | undefined;
      if (!st) return;
      for (const c of resp.choices) {
        if (!c.content.some((p) => p.type === 'tool_call')) continue;
        const r = blockParts(st.policy(), c.content);
        c.content = r.parts;
        if (r.blocked && !r.kept && c.finishReason === 'tool_calls') c.finishReason = 'stop';
      }
    },
    onStreamEvent(ctx, ev: StreamEvent) {
      const st = ctx.state.get(STATE) as StreamState | undefined;
      if (!st) return [ev];
      switch (ev.type) {
        case 'tool_call_start': {
          const k = `${ev.choice}:${ev.index}`;
          if (isToolAllowed(st.policy(), ev.name)) {
            st.allowedCalls.add(`${ev.choice}`);
            return [ev];
          }
          st.blocked.add(k);
          return [{ type: 'text', choice: ev.choice, text: notice(ev.name) }];
        }
        case 'tool_call_delta':
          return st.blocked.has(`${ev.choice}:${ev.index}`) ? [] : [ev];
        case 'finish':
          if (ev.reason === 'tool_calls' && !st.allowedCalls.has(`${ev.choice}`) && [...st.blocked].some((k) => k.startsWith(`${ev.choice}:`))) return [{ ...ev, reason: 'stop' }];
          return [ev];
        default:
          return [ev];
      }
    },
  };
}
