import { migrate, type Db } from '../../store/sqlite.js';
import type { TrustedPublisher } from '../sign/manifest.js';

/**
 * Schema of the skill registry, trust store and grants. Portable SQL (TEXT/INTEGER only, times in
 * epoch milliseconds, JSON arrays in TEXT) so the PostgreSQL store can run the same steps.
 */
export const SKILL_MIGRATIONS = [
  `CREATE TABLE skill_publishers (
    id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    revoked_at INTEGER,
    PRIMARY KEY (id, key_id)
  )`,
  `CREATE TABLE skills (
    name TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    publisher TEXT,
    content_hash TEXT NOT NULL,
    approved_hash TEXT,
    verdict TEXT NOT NULL,
    findings_json TEXT NOT NULL,
    permissions_json TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    installed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    approved_at INTEGER,
    approved_by TEXT
  )`,
  `CREATE TABLE skill_versions (
    name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    verdict TEXT NOT NULL,
    publisher TEXT,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (name, content_hash)
  )`,
  `CREATE TABLE skill_tools (
    skill TEXT NOT NULL,
    tool TEXT NOT NULL,
    PRIMARY KEY (skill, tool)
  )`,
  `CREATE TABLE skill_grants (
    id TEXT PRIMARY KEY,
    skill TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    tools_json TEXT NOT NULL,
    hosts_json TEXT NOT NULL,
    paths_json TEXT NOT NULL,
    env_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    expires_at INTEGER,
    revoked_at INTEGER,
    revoked_by TEXT
  )`,
  `CREATE INDEX skill_grants_subject ON skill_grants (subject_type, subject_id)`,
  `CREATE INDEX skill_tools_tool ON skill_tools (tool)`,
];

const MIGRATED = new WeakSet<Db>();

/** Applies the skills schema once per connection (cheap to call on every request). */
export function migrateSkills(db: Db): void {
  if (MIGRATED.has(db)) return;
  migrate(db, 'skills', SKILL_MIGRATIONS);
  MIGRATED.add(db);
}

export function addPublisher(db: Db, id: string, keyId: string, publicKeyPem: string, now = Date.now()): void {
  migrateSkills(db);
  db.prepare('DELETE FROM skill_publishers WHERE id = ? AND key_id = ?').run(id, keyId);
  db.prepare('INSERT INTO skill_publishers (id, key_id, public_key, added_at) VALUES (?, ?, ?, ?)').run(id, keyId, publicKeyPem, now);
}

export function revokePublisher(db: Db, id: string, keyId: string | undefined, now = Date.now()): number {
  migrateSkills(db);
  const r = keyId
    ? db.prepare('UPDATE skill_publishers SET revoked_at = ? WHERE id = ? AND key_id = ? AND revoked_at IS NULL').run(now, id, keyId)
    : db.prepare('UPDATE skill_publishers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
  return r.changes;
}

export function listPublishers(db: Db): { id: string; key_id: string; public_key: string; added_at: number; revoked_at: number | null }[] {
  migrateSkills(db);
  return db.prepare('SELECT id, key_id, public_key, added_at, revoked_at FROM skill_publishers ORDER BY id, added_at').all() as never;
}

export function trustStoreFromDb(db: Db): TrustedPublisher[] {
  return listPublishers(db).map((p) => ({ id: p.id, publicKey: p.public_key, revoked: p.revoked_at !== null }));
}
