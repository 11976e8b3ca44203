import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../store/sqlite.js';
import { buildContext } from '../analyze/context.js';
import { loadTarget } from '../load/discover.js';
import { scanSkill, type ScanResult } from '../scan.js';
import { contentHash, hashTree, MANIFEST_FILE, verifySkill, type TrustedPublisher } from '../sign/manifest.js';
import type { SkillInput, Verdict } from '../types.js';
import { migrateSkills } from './store.js';

/** What a skill asks for: the unit of a grant. */
export interface SkillPermissions {
  tools: string[];
  hosts: string[];
  paths: string[];
  env: string[];
}

export type SkillStatus = 'approved' | 'pending' | 'blocked';

export interface SkillRecord {
  name: string;
  sourcePath: string;
  publisher: string | null;
  contentHash: string;
  approvedHash: string | null;
  verdict: Verdict;
  status: SkillStatus;
  statusReason: string | null;
  permissions: SkillPermissions;
  installedAt: number;
  updatedAt: number;
  approvedAt: number | null;
  approvedBy: string | null;
}

interface Row {
  name: string;
  source_path: string;
  publisher: string | null;
  content_hash: string;
  approved_hash: string | null;
  verdict: Verdict;
  findings_json: string;
  permissions_json: string;
  status: SkillStatus;
  status_reason: string | null;
  installed_at: number;
  updated_at: number;
  approved_at: number | null;
  approved_by: string | null;
}

function fromRow(r: Row): SkillRecord {
  return {
    name: r.name, sourcePath: r.source_path, publisher: r.publisher, contentHash: r.content_hash, approvedHash: r.approved_hash, verdict: r.verdict,
    status: r.status, statusReason: r.status_reason, permissions: JSON.parse(r.permissions_json) as SkillPermissions,
    installedAt: r.installed_at, updatedAt: r.updated_at, approvedAt: r.approved_at, approvedBy: r.approved_by,
  };
}

/** Tools, hosts, paths and env vars a skill uses, from its frontmatter, tools/list snapshot and code. */
export function permissionsOf(skill: SkillInput, name: string): SkillPermissions {
  const ctx = buildContext(skill);
  const tools = new Set<string>();
  if (skill.source === 'tools-snapshot' || skill.source === 'mcp-config') {
    for (const f of skill.files) {
      try {
        const v = JSON.parse(f.text ?? '') as { tools?: { name?: string }[]; result?: { tools?: { name?: string }[] } };
        for (const t of v.tools ?? v.result?.tools ?? []) if (typeof t.name === 'string') tools.add(t.name);
      } catch {
        /* not JSON */
      }
    }
  }
  if (tools.size === 0) tools.add(name);
  const hosts = new Set(ctx.egress.filter((e) => e.via !== 'prose' && e.host !== '?').map((e) => e.host));
  const paths = new Set(ctx.creds.filter((c) => c.kind === 'file').map((c) => c.what));
  const env = new Set([...ctx.declaredEnv, ...ctx.envUsed.map((e) => e.name).filter((n) => /^[A-Z][A-Z0-9_]+$/.test(n))]);
  return { tools: [...tools].sort(), hosts: [...hosts].sort(), paths: [...paths].sort(), env: [...env].sort() };
}

export interface InstallOptions {
  trust: TrustedPublisher[];
  /** Install a skill without a manifest; it stays pending until approved. */
  allowUnsigned?: boolean;
  name?: string;
  /** Tool names the skill provides, when they differ from its name (MCP servers). */
  tools?: string[];
  now?: number;
}

export interface InstallOutcome {
  record: SkillRecord;
  scan: ScanResult;
  /** The skill was registered before with different content: a rug pull until someone approves it. */
  changed: boolean;
  previousHash?: string;
  signed: boolean;
  problems: string[];
}

export function getSkill(db: Db, name: string): SkillRecord | undefined {
  migrateSkills(db);
  const r = db.prepare('SELECT * FROM skills WHERE name = ?').get(name) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

export function listSkills(db: Db): SkillRecord[] {
  migrateSkills(db);
  return (db.prepare('SELECT * FROM skills ORDER BY name').all() as Row[]).map(fromRow);
}

/**
 * Verifies, scans and records a skill folder, pinned by content hash.
 * - malicious → recorded as blocked (never usable);
 * - signed by a trusted publisher and clean → approved;
 * - otherwise (unsigned with allowUnsigned, or suspicious) → pending until `approve`.
 * A name already registered with another hash is a changed skill: re-scanned and pending again.
 * Throws when the signature is present but invalid, or absent without allowUnsigned.
 */
export async function installSkill(db: Db, dir: string, opts: InstallOptions): Promise<InstallOutcome> {
  migrateSkills(db);
  const now = opts.now ?? Date.now();
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir}: install takes a skill folder (unpack bundles first; scan them with \`skills scan\`)`);
  const hasManifest = fs.existsSync(path.join(dir, MANIFEST_FILE));
  const v = hasManifest ? verifySkill(dir, opts.trust) : undefined;
  if (v && !v.ok) throw Object.assign(new Error(`signature verification failed: ${v.problems.join('; ')}`), { problems: v.problems });
  if (!v && !opts.allowUnsigned) throw new Error(`${dir} has no ${MANIFEST_FILE}; sign it, or pass --allow-unsigned to register it for manual approval`);
  const files = hashTree(dir);
  const hash = contentHash(files);
  const [skill] = await loadTarget(dir);
  const scan = scanSkill(skill);
  const fmName = /^name:\s*["']?([^"'\n]+)/m.exec(skill.files.find((f) => f.path.toLowerCase() === 'skill.md')?.text ?? '')?.[1]?.trim();
  const name = opts.name ?? v?.skill ?? fmName ?? path.basename(path.resolve(dir));
  const perms = permissionsOf(skill, name);
  if (opts.tools?.length) perms.tools = [...new Set(opts.tools)].sort();
  const prev = getSkill(db, name);
  const changed = !!prev && prev.contentHash !== hash;
  let status: SkillStatus;
  let reason: string;
  if (scan.verdict === 'malicious') {
    status = 'blocked';
    reason = 'scanner verdict malicious';
  } else if (prev && !changed && prev.status === 'approved') {
    status = 'approved';
    reason = prev.statusReason ?? 'unchanged';
  } else if (v?.ok && scan.verdict === 'clean' && !changed) {
    status = 'approved';
    reason = `signed by trusted publisher ${v.publisher} and clean`;
  } else {
    status = 'pending';
    reason = changed ? `content changed from ${prev?.contentHash.slice(0, 12)}: re-scanned (${scan.verdict}), needs approval` : v?.ok ? `scanner verdict ${scan.verdict}: needs approval` : 'unsigned: needs approval';
  }
  const approvedHash = status === 'approved' ? hash : changed ? null : (prev?.approvedHash ?? null);
  const tx = db.transaction(() => {
    db.prepare(
      `INSERT INTO skills (name, source_path, publisher, content_hash, approved_hash, verdict, findings_json, permissions_json, status, status_reason, installed_at, updated_at, approved_at, approved_by)
       VALUES (@name, @source, @publisher, @hash, @approvedHash, @verdict, @findings, @perms, @status, @reason, @now, @now, @approvedAt, @approvedBy)
       ON CONFLICT (name) DO UPDATE SET source_path = excluded.source_path, publisher = excluded.publisher, content_hash = excluded.content_hash,
         approved_hash = excluded.approved_hash, verdict = excluded.verdict, findings_json = excluded.findings_json, permissions_json = excluded.permissions_json,
         status = excluded.status, status_reason = excluded.status_reason, updated_at = excluded.updated_at, approved_at = excluded.approved_at, approved_by = excluded.approved_by`,
    ).run({
      name, source: path.resolve(dir), publisher: v?.publisher ?? null, hash, approvedHash, verdict: scan.verdict, findings: JSON.stringify(scan.findings), perms: JSON.stringify(perms),
      status, reason, now, approvedAt: status === 'approved' ? (prev && !changed ? prev.approvedAt : now) : null, approvedBy: status === 'approved' ? (prev && !changed ? prev.approvedBy : `publisher:${v?.publisher}`) : null,
    });
    db.prepare('INSERT INTO skill_versions (name, content_hash, verdict, publisher, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, content_hash) DO UPDATE SET seen_at = excluded.seen_at, verdict = excluded.verdict').run(name, hash, scan.verdict, v?.publisher ?? null, now);
    db.prepare('DELETE FROM skill_tools WHERE skill = ?').run(name);
    for (const t of perms.tools) db.prepare('INSERT INTO skill_tools (skill, tool) VALUES (?, ?)').run(name, t);
  });
  tx();
  return { record: getSkill(db, name) as SkillRecord, scan, changed, previousHash: changed ? prev?.contentHash : undefined, signed: !!v?.ok, problems: v?.problems ?? [] };
}

/** Approves the skill's current content hash. A malicious verdict cannot be approved. */
export function approveSkill(db: Db, name: string, by: string, now = Date.now()): SkillRecord {
  const s = getSkill(db, name);
  if (!s) throw new Error(`no registered skill named "${name}"`);
  if (s.verdict === 'malicious') throw new Error(`"${name}" was scanned as malicious and cannot be approved; fix and reinstall it`);
  db.prepare("UPDATE skills SET status = 'approved', approved_hash = content_hash, approved_at = ?, approved_by = ?, status_reason = ?, updated_at = ? WHERE name = ?").run(now, by, `approved by ${by}`, now, name);
  return getSkill(db, name) as SkillRecord;
}

export interface CheckOutcome {
  name: string;
  status: 'unchanged' | 'changed' | 'missing' | 'untrusted';
  verdict?: Verdict;
  problems?: string[];
}

/**
 * Re-hashes installed skills from their source folders. A changed skill (rug pull) is re-scanned,
 * set to pending (blocked if now malicious) and loses its approval until approved again. With a
 * trust store, skills that were approved on a publisher signature are verified again, so revoking a
 * publisher key withdraws the approval of what it signed.
 */
export async function checkSkills(db: Db, names?: string[], now = Date.now(), trust?: TrustedPublisher[]): Promise<CheckOutcome[]> {
  const out: CheckOutcome[] = [];
  for (const s of listSkills(db)) {
    if (names?.length && !names.includes(s.name)) continue;
    if (!fs.existsSync(s.sourcePath)) {
      out.push({ name: s.name, status: 'missing' });
      continue;
    }
    const hash = contentHash(hashTree(s.sourcePath));
    if (hash === s.contentHash) {
      if (trust && s.publisher && s.status === 'approved' && s.approvedBy === `publisher:${s.publisher}`) {
        const v = verifySkill(s.sourcePath, trust);
        if (!v.ok) {
          db.prepare("UPDATE skills SET status = 'pending', approved_hash = NULL, approved_at = NULL, approved_by = NULL, status_reason = ?, updated_at = ? WHERE name = ?").run(`signature no longer trusted: ${v.problems.join('; ')}`, now, s.name);
          out.push({ name: s.name, status: 'untrusted', verdict: s.verdict, problems: v.problems });
          continue;
        }
      }
      out.push({ name: s.name, status: 'unchanged', verdict: s.verdict });
      continue;
    }
    const [skill] = await loadTarget(s.sourcePath);
    const scan = scanSkill(skill);
    const status: SkillStatus = scan.verdict === 'malicious' ? 'blocked' : 'pending';
    db.prepare('UPDATE skills SET content_hash = ?, approved_hash = NULL, verdict = ?, findings_json = ?, status = ?, status_reason = ?, updated_at = ?, approved_at = NULL, approved_by = NULL WHERE name = ?').run(
      hash, scan.verdict, JSON.stringify(scan.findings), status, `content changed on disk from ${s.contentHash.slice(0, 12)}: re-scanned (${scan.verdict}), needs approval`, now, s.name,
    );
    db.prepare('INSERT INTO skill_versions (name, content_hash, verdict, publisher, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, content_hash) DO UPDATE SET seen_at = excluded.seen_at').run(s.name, hash, scan.verdict, s.publisher, now);
    out.push({ name: s.name, status: 'changed', verdict: scan.verdict });
  }
  return out;
}
