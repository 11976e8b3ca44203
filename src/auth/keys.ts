import { hash as oneShotHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { migrate, type Db } from '../store/sqlite.js';

/**
 * Virtual API keys and teams. A key is shown once at creation; the store keeps only the SHA-256 of
 * each secret (keys carry 256 bits of randomness, so a fast hash is safe) and a short display prefix.
 * A key may have several secrets at once: rotation adds a new one and lets the old one live for a
 * grace period. Keys carry their scopes: models, limits, budgets, expiry, client networks.
 */

export type BudgetPeriod = 'day' | 'month';

export interface Limits {
  /** Requests per minute (null = unlimited). */
  rpm: number | null;
  /** Tokens per minute, input + output (null = unlimited). */
  tpm: number | null;
  /** Budget per period in micro-units (null = unlimited). */
  budgetMicros: number | null;
  budgetPeriod: BudgetPeriod | null;
  lifetimeBudgetMicros: number | null;
}

export interface KeyRecord extends Limits {
  id: string;
  name: string;
  prefix: string;
  teamId: string | null;
  /** Model name patterns this key may use ("*" wildcards); empty = every model. */
  models: string[];
  /** Client networks (CIDR) allowed to use the key; empty = anywhere. */
  cidrs: string[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  metadata: Record<string, unknown>;
}

export interface TeamRecord extends Pick<Limits, 'budgetMicros' | 'budgetPeriod' | 'lifetimeBudgetMicros'> {
  id: string;
  name: string;
  createdAt: number;
}

const KEY_PREFIX = 'trk_';

function ensureSchema(db: Db): void {
  migrate(db, 'keys', [
    `CREATE TABLE teams (
      id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, budget_micros INTEGER, budget_period TEXT, lifetime_budget_micros INTEGER, created_at INTEGER NOT NULL
    );
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL, team_id TEXT REFERENCES teams(id),
      models TEXT NOT NULL DEFAULT '[]', cidrs TEXT NOT NULL DEFAULT '[]', metadata TEXT NOT NULL DEFAULT '{}',
      rpm INTEGER, tpm INTEGER, budget_micros INTEGER, budget_period TEXT, lifetime_budget_micros INTEGER,
      created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER
    );
    CREATE TABLE api_key_secrets (
      hash TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES api_keys(id), created_at INTEGER NOT NULL, expires_at INTEGER
    );
    CREATE INDEX api_key_secrets_by_key ON api_key_secrets (key_id);`,
  ]);
}

export function hashKey(key: string): string {
  return oneShotHash('sha256', key, 'hex');
}

interface Row {
  id: string;
  name: string;
  prefix: string;
  team_id: string | null;
  models: string;
  cidrs: string;
  metadata: string;
  rpm: number | null;
  tpm: number | null;
  budget_micros: number | null;
  budget_period: string | null;
  lifetime_budget_micros: number | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

type SecretRow = Row & { secret_expires_at: number | null };

/** How stale the key cache may be with respect to writes by other processes (see KeyStore.found). */
export const VERSION_CHECK_MS = 100;

function fromRow(r: Row): KeyRecord {
  return {
    id: r.id, name: r.name, prefix: r.prefix, teamId: r.team_id, models: JSON.parse(r.models) as string[], cidrs: JSON.parse(r.cidrs) as string[],
    rpm: r.rpm, tpm: r.tpm, budgetMicros: r.budget_micros, budgetPeriod: r.budget_period as BudgetPeriod | null, lifetimeBudgetMicros: r.lifetime_budget_micros,
    createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  };
}

export type KeyCheck = { ok: true; key: KeyRecord } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'network' };

export interface KeyOptions extends Partial<Limits> {
  name: string;
  teamId?: string;
  models?: string[];
  cidrs?: string[];
  expiresAt?: number | null;
  metadata?: Record<string, unknown>;
}

/** Validates CIDR strings ("10.0.0.0/8", "2001:db8::/32", or a single address). */
export function parseCidr(s: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address, bits] = s.trim().split('/');
  const v = isIP(address);
  if (!v) throw new Error(`"${s}" is not an IP address or CIDR range`);
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${s}" has an invalid prefix length`);
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

const blockLists = new Map<string, BlockList>();

/** Is the client address inside one of the key's networks? IPv4-mapped IPv6 addresses count as IPv4. */
export function ipAllowed(cidrs: string[], ip: string): boolean {
  if (cidrs.length === 0) return true;
  const cacheKey = cidrs.join(',');
  let list = blockLists.get(cacheKey);
  if (!list) {
    list = new BlockList();
    for (const c of cidrs) {
      const { address, prefix, family } = parseCidr(c);
      list.addSubnet(address, prefix, family);
    }
    if (blockLists.size > 1000) blockLists.clear();
    blockLists.set(cacheKey, list);
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const addr = mapped ? mapped[1] : ip;
  const family = isIP(addr) === 4 ? 'ipv4' : isIP(addr) === 6 ? 'ipv6' : undefined;
  return family !== undefined && list.check(addr, family);
}

function newSecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export class KeyStore {
  private readonly bySecret;
  private readonly dataVersion;
  /**
   * Keys found by `check`, by secret hash. Dropped whenever this store writes (at once) and whenever
   * another connection (a `trustrelay keys` command, another process on the same file) has committed
   * to the database, which `PRAGMA data_version` reveals. That pragma opens a read transaction (about
   * 4 µs, more than the rest of a check), so it is asked at most every VERSION_CHECK_MS: a revocation
   * by another process takes effect within that time. Unknown secrets are never cached (a flood of
   * random keys cannot grow it).
   */
  private readonly found = new Map<string, { row: SecretRow; key: KeyRecord }>();
  private foundVersion = -1;
  private versionCheckedAt = -Infinity;
  constructor(private readonly db: Db) {
    ensureSchema(db);
    this.bySecret = db.prepare('SELECT k.*, s.expires_at AS secret_expires_at FROM api_key_secrets s JOIN api_keys k ON k.id = s.key_id WHERE s.hash = ?');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** Forgets cached lookups (after a write through this store). */
  private changed(): void {
    this.found.clear();
  }

  create(opts: KeyOptions): { key: string; record: KeyRecord } {
    for (const c of opts.cidrs ?? []) parseCidr(c);
    if (opts.teamId && !this.team(opts.teamId)) throw new Error(`no team "${opts.teamId}"`);
    const secret = newSecret();
    const id = `key_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO api_keys (id, name, prefix, team_id, models, cidrs, metadata, rpm, tpm, budget_micros, budget_period, lifetime_budget_micros, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, opts.name, secret.slice(0, KEY_PREFIX.length + 6), opts.teamId ?? null, JSON.stringify(opts.models ?? []), JSON.stringify(opts.cidrs ?? []), JSON.stringify(opts.metadata ?? {}),
          opts.rpm ?? null, opts.tpm ?? null, opts.budgetMicros ?? null, opts.budgetPeriod ?? null, opts.lifetimeBudgetMicros ?? null, now, opts.expiresAt ?? null);
      this.db.prepare('INSERT INTO api_key_secrets (hash, key_id, created_at) VALUES (?, ?, ?)').run(hashKey(secret), id, now);
    })();
    return { key: secret, record: this.get(id)! };
  }

  /** Changes scopes of an existing key; only the fields given. */
  update(id: string, patch: Partial<Omit<KeyOptions, 'name'>> & { name?: string }): KeyRecord | undefined {
    const cols: Record<string, unknown> = {};
    if (patch.name !== undefined) cols.name = patch.name;
    if (patch.models !== undefined) cols.models = JSON.stringify(patch.models);
    if (patch.cidrs !== undefined) {
      for (const c of patch.cidrs) parseCidr(c);
      cols.cidrs = JSON.stringify(patch.cidrs);
    }
    if (patch.metadata !== undefined) cols.metadata = JSON.stringify(patch.metadata);
    if (patch.teamId !== undefined) cols.team_id = patch.teamId;
    if (patch.rpm !== undefined) cols.rpm = patch.rpm;
    if (patch.tpm !== undefined) cols.tpm = patch.tpm;
    if (patch.budgetMicros !== undefined) cols.budget_micros = patch.budgetMicros;
    if (patch.budgetPeriod !== undefined) cols.budget_period = patch.budgetPeriod;
    if (patch.lifetimeBudgetMicros !== undefined) cols.lifetime_budget_micros = patch.lifetimeBudgetMicros;
    if (patch.expiresAt !== undefined) cols.expires_at = patch.expiresAt;
    const names = Object.keys(cols);
    if (names.length) this.db.prepare(`UPDATE api_keys SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`).run(...names.map((n) => cols[n]), id);
    this.changed();
    return this.get(id);
  }

  /**
   * Issues a new secret for a key. The old secrets stay valid for `graceMs` (0 = revoked now), so
   * clients can switch without downtime. Returns the new secret, shown once.
   */
  rotate(id: string, graceMs: number): string | undefined {
    const k = this.get(id);
    if (!k || k.revokedAt) return undefined;
    const secret = newSecret();
    const now = Date.now();
    this.db.transaction(() => {
      this.db.prepare('UPDATE api_key_secrets SET expires_at = ? WHERE key_id = ? AND (expires_at IS NULL OR expires_at > ?)').run(now + graceMs, id, now + graceMs);
      this.db.prepare('INSERT INTO api_key_secrets (hash, key_id, created_at) VALUES (?, ?, ?)').run(hashKey(secret), id, now);
      this.db.prepare('UPDATE api_keys SET prefix = ? WHERE id = ?').run(secret.slice(0, KEY_PREFIX.length + 6), id);
    })();
    this.changed();
    return secret;
  }

  get(id: string): KeyRecord | undefined {
    const r = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  list(): KeyRecord[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at').all() as Row[]).map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys').get() as { n: number }).n;
  }

  revoke(id: string): boolean {
    const done = this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), id).changes > 0;
    this.changed();
    return done;
  }

  /**
   * Checks a presented key on every request. Lookups are cached by secret hash, and the cache is
   * dropped whenever the database changed (see `found`): revocation, rotation and scope changes take
   * effect at once through this store, within VERSION_CHECK_MS through another process; expiry is
   * checked against the clock on every call.
   */
  check(presented: string, clientIp: string, now = Date.now()): KeyCheck {
    if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return { ok: false, reason: 'unknown' };
    const t = performance.now();
    if (t - this.versionCheckedAt >= VERSION_CHECK_MS) {
      this.versionCheckedAt = t;
      const version = this.dataVersion.get() as number;
      if (version !== this.foundVersion) {
        this.found.clear();
        this.foundVersion = version;
      }
    }
    const h = hashKey(presented);
    let hit = this.found.get(h);
    if (!hit) {
      const row = this.bySecret.get(h) as SecretRow | undefined;
      if (!row) return { ok: false, reason: 'unknown' };
      hit = { row, key: Object.freeze(fromRow(row)) };
      if (this.found.size >= 10_000) this.found.clear();
      this.found.set(h, hit);
    }
    const r = hit.row;
    if (r.revoked_at !== null && r.revoked_at <= now) return { ok: false, reason: 'revoked' };
    if ((r.expires_at !== null && r.expires_at <= now) || (r.secret_expires_at !== null && r.secret_expires_at <= now)) return { ok: false, reason: 'expired' };
    if (!ipAllowed(hit.key.cidrs, clientIp)) return { ok: false, reason: 'network' };
    return { ok: true, key: hit.key };
  }

  createTeam(opts: { name: string } & Partial<Pick<Limits, 'budgetMicros' | 'budgetPeriod' | 'lifetimeBudgetMicros'>>): TeamRecord {
    const id = `team_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    this.db.prepare('INSERT INTO teams (id, name, budget_micros, budget_period, lifetime_budget_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, opts.name, opts.budgetMicros ?? null, opts.budgetPeriod ?? null, opts.lifetimeBudgetMicros ?? null, Date.now());
    return this.team(id)!;
  }

  team(idOrName: string): TeamRecord | undefined {
    const r = this.db.prepare('SELECT * FROM teams WHERE id = ? OR name = ?').get(idOrName, idOrName) as
      | { id: string; name: string; budget_micros: number | null; budget_period: string | null; lifetime_budget_micros: number | null; created_at: number }
      | undefined;
    return r ? { id: r.id, name: r.name, budgetMicros: r.budget_micros, budgetPeriod: r.budget_period as BudgetPeriod | null, lifetimeBudgetMicros: r.lifetime_budget_micros, createdAt: r.created_at } : undefined;
  }

  teams(): TeamRecord[] {
    return (this.db.prepare('SELECT id FROM teams ORDER BY created_at').all() as { id: string }[]).map((r) => this.team(r.id)!);
  }
}

/** Does `model` match one of the key's patterns? "*" matches any run of characters. */
export function modelAllowed(key: KeyRecord, model: string): boolean {
  if (key.models.length === 0) return true;
  return key.models.some((p) => globMatch(p, model));
}

export function globMatch(pattern: string, s: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === s;
  if (!s.startsWith(parts[0])) return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = s.indexOf(parts[i], pos);
    if (at < 0) return false;
    pos = at + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return s.length - last.length >= pos && s.endsWith(last);
}

/** Constant-time comparison of two secrets (admin token). */
export function safeEqual(a: string, b: string): boolean {
  const ha = oneShotHash('sha256', a, 'buffer');
  const hb = oneShotHash('sha256', b, 'buffer');
  return timingSafeEqual(ha, hb);
}
