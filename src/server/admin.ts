import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyOptions, KeyRecord } from '../auth/keys.js';
import { GatewayError, invalid } from '../core/errors.js';
import { arr, int, obj, requireObj, requireStr, str, type Obj } from '../protocols/validate.js';
import type { Gateway } from './gateway.js';
import { readJson, sendJson } from './http.js';

/**
 * Admin API (separate admin token): keys, teams, upstream health. Never returns a secret except a
 * new key or a rotated secret, once, in the response that created it.
 */

export function keyView(k: KeyRecord) {
  return {
    id: k.id, name: k.name, prefix: k.prefix, team_id: k.teamId, models: k.models, cidrs: k.cidrs, rpm: k.rpm, tpm: k.tpm,
    budget_micros: k.budgetMicros, budget_period: k.budgetPeriod, lifetime_budget_micros: k.lifetimeBudgetMicros,
    created_at: k.createdAt, expires_at: k.expiresAt, revoked_at: k.revokedAt, metadata: k.metadata,
  };
}

function strings(body: Obj, key: string): string[] | undefined {
  const v = arr(body, key);
  if (v && !v.every((m) => typeof m === 'string')) throw invalid(`${key} must be an array of strings`, key);
  return v as string[] | undefined;
}

/** Scope fields of a key from a JSON body; null clears a limit. */
function scopeFields(body: Obj): Partial<KeyOptions> {
  const out: Partial<KeyOptions> = {};
  const nullable = (k: string) => (body[k] === null ? null : int(body, k, k, 0));
  if ('models' in body) out.models = strings(body, 'models') ?? [];
  if ('cidrs' in body) out.cidrs = strings(body, 'cidrs') ?? [];
  if ('team_id' in body) out.teamId = str(body, 'team_id');
  if ('rpm' in body) out.rpm = nullable('rpm');
  if ('tpm' in body) out.tpm = nullable('tpm');
  if ('budget_micros' in body) out.budgetMicros = nullable('budget_micros');
  if ('lifetime_budget_micros' in body) out.lifetimeBudgetMicros = nullable('lifetime_budget_micros');
  if ('expires_at' in body) out.expiresAt = nullable('expires_at');
  if ('budget_period' in body) {
    const p = body.budget_period;
    if (p !== null && p !== 'day' && p !== 'month') throw invalid('budget_period must be "day", "month" or null', 'budget_period');
    out.budgetPeriod = p;
  }
  if ('metadata' in body) out.metadata = obj(body, 'metadata') ?? {};
  return out;
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw invalid((err as Error).message);
  }
}

export async function handleAdmin(gw: Gateway, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const body = async () => requireObj(await readJson(req, 64 * 1024), 'body');
  if (pathname === '/admin/keys' && req.method === 'GET') return sendJson(res, 200, { data: gw.keys.list().map(keyView) });
  if (pathname === '/admin/keys' && req.method === 'POST') {
    const b = await body();
    const { key, record } = wrap(() => gw.keys.create({ name: requireStr(b, 'name'), ...scopeFields(b) }));
    return sendJson(res, 201, { key, ...keyView(record) });
  }
  if (pathname === '/admin/teams' && req.method === 'GET') return sendJson(res, 200, { data: gw.keys.teams() });
  if (pathname === '/admin/teams' && req.method === 'POST') {
    const b = await body();
    const period = b.budget_period ?? null;
    if (period !== null && period !== 'day' && period !== 'month') throw invalid('budget_period must be "day", "month" or null', 'budget_period');
    return sendJson(res, 201, wrap(() => gw.keys.createTeam({ name: requireStr(b, 'name'), budgetMicros: int(b, 'budget_micros') ?? null, budgetPeriod: period, lifetimeBudgetMicros: int(b, 'lifetime_budget_micros') ?? null })));
  }
  const m = /^\/admin\/keys\/([A-Za-z0-9_]+)(\/rotate)?$/.exec(pathname);
  if (m && !m[2] && req.method === 'DELETE') {
    if (!gw.keys.revoke(m[1])) throw new GatewayError('not_found', `no active key with id ${m[1]}`);
    return sendJson(res, 200, keyView(gw.keys.get(m[1])!));
  }
  if (m && !m[2] && req.method === 'PATCH') {
    const b = await body();
    const rec = wrap(() => gw.keys.update(m[1], { ...(typeof b.name === 'string' ? { name: b.name } : {}), ...scopeFields(b) }));
    if (!rec) throw new GatewayError('not_found', `no key with id ${m[1]}`);
    return sendJson(res, 200, keyView(rec));
  }
  if (m && m[2] && req.method === 'POST') {
    const b = await body();
    const secret = gw.keys.rotate(m[1], (int(b, 'grace_seconds', 'grace_seconds', 0) ?? 3600) * 1000);
    if (!secret) throw new GatewayError('not_found', `no active key with id ${m[1]}`);
    return sendJson(res, 200, { key: secret, ...keyView(gw.keys.get(m[1])!) });
  }
  if (pathname === '/admin/alerts' && req.method === 'GET') return sendJson(res, 200, { data: gw.alerts.list({ limit: 500 }) });
  if (pathname === '/admin/integrity' && req.method === 'GET') return sendJson(res, 200, { data: gw.monitor.statuses() });
  const reset = /^\/admin\/integrity\/([A-Za-z0-9._-]+)\/reset$/.exec(pathname);
  if (reset && req.method === 'POST') {
    gw.monitor.reset(reset[1]);
    gw.quarantined.delete(reset[1]);
    return sendJson(res, 200, gw.monitor.statusOf(reset[1]));
  }
  if (pathname === '/admin/upstreams' && req.method === 'GET') return sendJson(res, 200, { data: gw.router.health() });
  throw new GatewayError('not_found', `no admin route ${req.method} ${pathname}`);
}
