import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the embedded SQLite database `trustrelay.db` in dataDir, in WAL mode.
 * The data directory is created with 0700 permissions: it holds key hashes, the ledger and
 * encrypted provider credentials.
 */
export function openDatabase(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'trustrelay.db');
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    namespace TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, version))`);
  return db;
}

/**
 * Applies each capability's schema steps once, in order. `namespace` is the capability
 * ("keys", "ledger", "skills", ...); steps[i] is version i+1 and is never edited once released:
 * add a new step instead. SQL is kept portable (no SQLite-only types) so the PostgreSQL store can
 * run the same steps.
 */
export function migrate(db: Db, namespace: string, steps: string[]): void {
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations WHERE namespace = ?').all(namespace) as { version: number }[]).map((r) => r.version),
  );
  const apply = db.transaction(() => {
    steps.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, ?, ?)').run(namespace, version, Date.now());
    });
  });
  apply();
}
