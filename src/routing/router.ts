import type { Config, ProviderConfig } from '../config/schema.js';
import { providerSpec } from '../providers/index.js';
import type { ProviderSpec, Target } from '../providers/types.js';
import { Secret } from '../util/secret.js';
import { CircuitBreaker } from './breaker.js';
import type { Timeouts } from './transport.js';

/** A configured provider, ready to build targets. Its key stays a Secret until a call is built. */
export interface ProviderRuntime {
  id: string;
  spec: ProviderSpec;
  baseUrl: string;
  apiKey?: Secret;
  region: string;
  timeouts: Timeouts;
  maxConnections: number;
  options: Record<string, unknown>;
  /** Credentials stored encrypted in the database; when any are active they are used in turn. */
  storedKeys?: () => Secret[];
  turn: number;
}

export interface RouteTarget {
  provider: ProviderRuntime;
  model: string;
  weight: number;
  breaker: CircuitBreaker;
}

export function targetOf(rt: RouteTarget): Target {
  const p = rt.provider;
  const stored = p.storedKeys?.() ?? [];
  const key = stored.length ? stored[p.turn++ % stored.length] : p.apiKey;
  return { providerId: p.id, baseUrl: p.baseUrl, model: rt.model, apiKey: key?.reveal(), options: p.options };
}

export function buildProviders(cfg: Config): Map<string, ProviderRuntime> {
  const out = new Map<string, ProviderRuntime>();
  for (const p of cfg.providers) out.set(p.id, providerRuntime(p));
  return out;
}

function providerRuntime(p: ProviderConfig): ProviderRuntime {
  const spec = providerSpec(p.type)!;
  const baseUrl = p.base_url ?? spec.defaultBaseUrl;
  if (!baseUrl) throw new Error(`provider ${p.id}: type ${p.type} has no default base_url; set base_url`);
  return {
    id: p.id,
    spec,
    baseUrl,
    apiKey: p.api_key ? new Secret(p.api_key) : undefined,
    region: p.region ?? spec.region,
    timeouts: { connectMs: p.timeouts?.connect_ms ?? 5_000, firstByteMs: p.timeouts?.first_byte_ms ?? 60_000, totalMs: p.timeouts?.total_ms ?? 600_000 },
    maxConnections: p.max_connections,
    options: { ...(p.options ?? {}), ...(p.headers ? { headers: p.headers } : {}) },
    turn: 0,
  };
}

/**
 * Maps a requested model name to the ordered list of targets to try. Among the targets with a
 * weight above 0, the first attempt is drawn by weight (load split); the rest follow in listed
 * order as fallbacks. Weight 0 marks a fallback-only target.
 */
export class Router {
  readonly providers: Map<string, ProviderRuntime>;
  private readonly models = new Map<string, RouteTarget[]>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Providers that integrity checks failed; routing skips them (set by the gateway). */
  quarantined: (providerId: string) => boolean = () => false;

  constructor(
    private readonly cfg: Config,
    private readonly random: () => number = Math.random,
  ) {
    this.providers = buildProviders(cfg);
    for (const m of cfg.models) this.models.set(m.name, m.targets.map((t) => this.routeTarget(t.provider, t.model, t.weight)));
  }

  private routeTarget(providerId: string, model: string, weight: number): RouteTarget {
    const key = `${providerId}\u0000${model}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(this.cfg.routing.breaker.failures, this.cfg.routing.breaker.cooldown_ms);
      this.breakers.set(key, breaker);
    }
    return { provider: this.providers.get(providerId)!, model, weight, breaker };
  }

  modelNames(): string[] {
    return [...this.models.keys()];
  }

  resolve(name: string): RouteTarget[] | undefined {
    let targets = this.models.get(name);
    if (!targets && this.cfg.routing.provider_prefix) {
      const slash = name.indexOf('/');
      const provider = slash > 0 ? this.providers.get(name.slice(0, slash)) : undefined;
      if (provider && slash < name.length - 1) targets = [this.routeTarget(provider.id, name.slice(slash + 1), 1)];
    }
    if (!targets) return undefined;
    targets = targets.filter((t) => !this.quarantined(t.provider.id));
    if (targets.length <= 1) return targets;
    const weighted = targets.filter((t) => t.weight > 0);
    const total = weighted.reduce((s, t) => s + t.weight, 0);
    if (total <= 0) return targets;
    let r = this.random() * total;
    let first = weighted[weighted.length - 1];
    for (const t of weighted) {
      r -= t.weight;
      if (r < 0) {
        first = t;
        break;
      }
    }
    return [first, ...targets.filter((t) => t !== first)];
  }

  /** Breaker states for the admin API. */
  health(): { provider: string; model: string; state: string }[] {
    return [...this.breakers.entries()].map(([k, b]) => {
      const [provider, model] = k.split('\u0000');
      return { provider, model, state: b.state };
    });
  }
}
