import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/sqlite.js';
import { getSkill } from './registry.js';
import { migrateSkills } from './store.js';

export type Subject = { type: 'key' | 'team'; id: string };

export interface Grant {
  id: string;
  skill: string;
  subject: Subject;
  tools: string[];
  hosts: string[];
  paths: string[];
  env: string[];
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

export type GrantState = 'active' | 'expired' | 'revoked';

interface Row {
  id: string;
  skill: string;
  subject_type: 'key' | 'team';
  subject_id: string;
  tools_json: string;
  hosts_json: string;
  paths_json: string;
  env_json: string;
  created_at: number;
  created_by: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

function fromRow(r: Row): Grant {
  return {
    id: r.id, skill: r.skill, subject: { type: r.subject_type, id: r.subject_id }, tools: JSON.parse(r.tools_json) as string[], hosts: JSON.parse(r.hosts_json) as string[],
    paths: JSON.parse(r.paths_json) as string[], env: JSON.parse(r.env_json) as string[], createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
  };
}

export function grantState(g: Grant, now: number): GrantState {
  if (g.revokedAt !== null && g.revokedAt <= now) return 'revoked';
  if (g.expiresAt !== null && g.expiresAt <= now) return 'expired';
  return 'active';
}

export interface GrantInput {
  skill: string;
  subject: Subject;
  /** Defaults to every tool the skill provides. Must be a subset of them. */
  tools?: string[];
  hosts?: string[];
  paths?: string[];
  env?: string[];
  expiresAt?: number | null;
  by?: string;
  now?: number;
}

/**
 * Grants a registered skill's permissions to one key or team. Nothing is granted implicitly:
 * tools, hosts, paths and env vars listed here are the whole grant.
 */
export function createGrant(db: Db, input: GrantInput): Grant {
  migrateSkills(db);
  const skill = getSkill(db, input.skill);
  if (!skill) throw new Error(`no registered skill named "${input.skill}"; install it first`);
  if (!input.subject.id) throw new Error('a grant needs a key id or team id');
  const tools = input.tools?.length ? input.tools : skill.permissions.tools;
  const unknown = tools.filter((t) => !skill.permissions.tools.includes(t));
  if (unknown.length) throw new Error(`"${input.skill}" does not provide tool(s) ${unknown.join(', ')}; it provides ${skill.permissions.tools.join(', ')}`);
  const now = input.now ?? Date.now();
  if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt <= now) throw new Error('expiry is in the past');
  const id = `grt_${randomBytes(9).toString('base64url')}`;
  db.prepare(
    `INSERT INTO skill_grants (id, skill, subject_type, subject_id, tools_json, hosts_json, paths_json, env_json, created_at, created_by, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, input.skill, input.subject.type, input.subject.id, JSON.stringify(tools), JSON.stringify(input.hosts ?? []), JSON.stringify(input.paths ?? []), JSON.stringify(input.env ?? []), now, input.by ?? null, input.expiresAt ?? null);
  return getGrant(db, id) as Grant;
}

export function getGrant(db: Db, id: string): Grant | undefined {
  migrateSkills(db);
  const r = db.prepare('SELECT * FROM skill_grants WHERE id = ?').get(id) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** Revokes one grant by id, or every active grant of a skill to a subject. Returns how many. */
export function revokeGrants(db: Db, sel: { id?: string; skill?: string; subject?: Subject }, by?: string, now = Date.now()): number {
  migrateSkills(db);
  if (sel.id) return db.prepare('UPDATE skill_grants SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(now, by ?? null, sel.id).changes;
  if (!sel.skill) throw new Error('revoke needs a grant id or a skill');
  if (sel.subject) return db.prepare('UPDATE skill_grants SET revoked_at = ?, revoked_by = ? WHERE skill = ? AND subject_type = ? AND subject_id = ? AND revoked_at IS NULL').run(now, by ?? null, sel.skill, sel.subject.type, sel.subject.id).changes;
  return db.prepare('UPDATE skill_grants SET revoked_at = ?, revoked_by = ? WHERE skill = ? AND revoked_at IS NULL').run(now, by ?? null, sel.skill).changes;
}

export function listGrants(db: Db, filter: { skill?: string; subject?: Subject; includeInactive?: boolean; now?: number } = {}): (Grant & { state: GrantState })[] {
  migrateSkills(db);
  const now = filter.now ?? Date.now();
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.skill) {
    where.push('skill = ?');
    args.push(filter.skill);
  }
  if (filter.subject) {
    where.push('subject_type = ? AND subject_id = ?');
    args.push(filter.subject.type, filter.subject.id);
  }
  const rows = db.prepare(`SELECT * FROM skill_grants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`).all(...args) as Row[];
  return rows.map(fromRow).map((g) => ({ ...g, state: grantState(g, now) })).filter((g) => filter.includeInactive || g.state === 'active');
}
