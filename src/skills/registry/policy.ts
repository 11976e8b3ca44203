import type { Db } from '../../store/sqlite.js';
import { migrateSkills } from './store.js';

/** What happens to a tool that no registered skill provides. */
export type UnmanagedToolMode = 'allow' | 'deny';

/** Constraints that come with a granted tool (for the gateway's tool-call checks and audit). */
export interface ToolGrant {
  skill: string;
  grantIds: string[];
  hosts: string[];
  paths: string[];
  env: string[];
  /** Earliest expiry among the grants that allow it (epoch ms), or null when none expires. */
  expiresAt: number | null;
}

/**
 * The tools one caller may use, computed once per request.
 * - `allowedTools`: tools of registered, approved skills granted to the key or one of its teams,
 *   by a grant that is neither expired nor revoked at `now`.
 * - `managedTools`: every tool name provided by any registered skill (whatever its status). These
 *   are denied unless in `allowedTools`: default deny.
 * - `unmanaged`: the answer for a tool no registered skill provides.
 */
export interface ToolPolicy {
  allowedTools: Set<string>;
  managedTools: Set<string>;
  unmanaged: UnmanagedToolMode;
  grants: Map<string, ToolGrant>;
  /** When this policy stops being exact (next grant expiry), so a caller may cache it until then. */
  validUntil: number | null;
}

export interface PolicySubject {
  keyId?: string;
  /** One team id or several (a key may belong to more than one team). */
  teamId?: string | string[];
}

export interface PolicyOptions {
  /** Default 'allow': tools unknown to the registry pass; set 'deny' to allow only granted skill tools. */
  unmanaged?: UnmanagedToolMode;
}

interface GrantToolRow {
  grant_id: string;
  skill: string;
  tools_json: string;
  hosts_json: string;
  paths_json: string;
  env_json: string;
  expires_at: number | null;
}

/**
 * Computes the tool policy for a caller at time `now` (epoch ms). Pure read; safe to call per
 * request (three indexed queries). Grants of skills that are pending or blocked (unapproved,
 * changed since approval, or malicious) allow nothing.
 */
export function toolPolicyFor(db: Db, subject: PolicySubject, now: number = Date.now(), opts: PolicyOptions = {}): ToolPolicy {
  migrateSkills(db);
  const managedTools = new Set((db.prepare('SELECT DISTINCT tool FROM skill_tools').all() as { tool: string }[]).map((r) => r.tool));
  const subjects: [string, string][] = [];
  if (subject.keyId) subjects.push(['key', subject.keyId]);
  for (const t of [subject.teamId ?? []].flat()) if (t) subjects.push(['team', t]);
  const allowedTools = new Set<string>();
  const grants = new Map<string, ToolGrant>();
  let validUntil: number | null = null;
  if (subjects.length) {
    const cond = subjects.map(() => '(g.subject_type = ? AND g.subject_id = ?)').join(' OR ');
    const rows = db
      .prepare(
        `SELECT g.id AS grant_id, g.skill, g.tools_json, g.hosts_json, g.paths_json, g.env_json, g.expires_at
         FROM skill_grants g JOIN skills s ON s.name = g.skill
         WHERE (${cond}) AND (g.revoked_at IS NULL OR g.revoked_at > ?) AND (g.expires_at IS NULL OR g.expires_at > ?)
           AND s.status = 'approved' AND s.approved_hash = s.content_hash`,
      )
      .all(...subjects.flat(), now, now) as GrantToolRow[];
    const provided = db.prepare('SELECT tool FROM skill_tools WHERE skill = ?');
    for (const r of rows) {
      const skillTools = new Set((provided.all(r.skill) as { tool: string }[]).map((x) => x.tool));
      if (r.expires_at !== null) validUntil = validUntil === null ? r.expires_at : Math.min(validUntil, r.expires_at);
      for (const tool of JSON.parse(r.tools_json) as string[]) {
        if (!skillTools.has(tool)) continue;
        allowedTools.add(tool);
        const g = grants.get(tool) ?? { skill: r.skill, grantIds: [], hosts: [], paths: [], env: [], expiresAt: r.expires_at };
        g.grantIds.push(r.grant_id);
        g.hosts = [...new Set([...g.hosts, ...(JSON.parse(r.hosts_json) as string[])])];
        g.paths = [...new Set([...g.paths, ...(JSON.parse(r.paths_json) as string[])])];
        g.env = [...new Set([...g.env, ...(JSON.parse(r.env_json) as string[])])];
        g.expiresAt = g.expiresAt === null || r.expires_at === null ? null : Math.max(g.expiresAt, r.expires_at);
        grants.set(tool, g);
      }
    }
  }
  return { allowedTools, managedTools, unmanaged: opts.unmanaged ?? 'allow', grants, validUntil };
}

/** True when the caller behind `policy` may offer or call the tool named `toolName`. */
export function isToolAllowed(policy: ToolPolicy, toolName: string): boolean {
  if (policy.allowedTools.has(toolName)) return true;
  if (policy.managedTools.has(toolName)) return false;
  return policy.unmanaged === 'allow';
}

/** Splits a request's tool list into kept and refused names, in order (for strip-or-refuse policies). */
export function partitionTools<T>(policy: ToolPolicy, tools: T[], nameOf: (t: T) => string): { allowed: T[]; denied: T[] } {
  const allowed: T[] = [];
  const denied: T[] = [];
  for (const t of tools) (isToolAllowed(policy, nameOf(t)) ? allowed : denied).push(t);
  return { allowed, denied };
}
