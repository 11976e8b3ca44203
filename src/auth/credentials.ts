import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, type Db } from '../store/sqlite.js';
import { Secret } from '../util/secret.js';

/**
 * Provider credentials encrypted at rest with AES-256-GCM. The master key comes from
 * TRUSTRELAY_MASTER_KEY (32 bytes as base64 or 64 hex characters) or from `master.key` in the
 * data dir, created with 0600 permissions on first use. Each ciphertext is bound to its row
 * (provider id and credential id as associated data), so rows cannot be swapped. A provider may
 * hold several credentials; the gateway uses the active ones in turn (rotation: add the new one,
 * then revoke the old one).
 */

export interface CredentialInfo {
  id: string;
  providerId: string;
  label: string;
  /** First 8 hex chars of SHA-256 of the secret: tells credentials apart without revealing them. */
  fingerprint: string;
  createdAt: number;
  revokedAt: number | null;
}

export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const v = env.TRUSTRELAY_MASTER_KEY?.trim();
  if (v) {
    const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    if (key.length !== 32) throw new Error('TRUSTRELAY_MASTER_KEY must be 32 bytes, as base64 or 64 hex characters');
    return key;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
  return key;
}

interface Row {
  id: string;
  provider_id: string;
  label: string;
  fingerprint: string;
  nonce: string;
  ciphertext: string;
  tag: string;
  created_at: number;
  revoked_at: number | null;
}

const info = (r: Row): CredentialInfo => ({ id: r.id, providerId: r.provider_id, label: r.label, fingerprint: r.fingerprint, createdAt: r.created_at, revokedAt: r.revoked_at });

export class CredentialStore {
  private cache = new Map<string, { at: number; secrets: Secret[] }>();
  constructor(
    private readonly db: Db,
    private readonly masterKey: Buffer,
    private readonly cacheMs = 2_000,
  ) {
    migrate(db, 'credentials', [
      `CREATE TABLE provider_credentials (
        id TEXT PRIMARY KEY, provider_id TEXT NOT NULL, label TEXT NOT NULL, fingerprint TEXT NOT NULL,
        nonce TEXT NOT NULL, ciphertext TEXT NOT NULL, tag TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER
      );
      CREATE INDEX provider_credentials_by_provider ON provider_credentials (provider_id);`,
    ]);
  }

  add(providerId: string, secret: string, label = ''): CredentialInfo {
    if (!secret) throw new Error('the credential is empty');
    const id = `cred_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, nonce);
    cipher.setAAD(Buffer.from(`${providerId}\u0000${id}`));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 8);
    this.db
      .prepare('INSERT INTO provider_credentials (id, provider_id, label, fingerprint, nonce, ciphertext, tag, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, providerId, label, fingerprint, nonce.toString('base64'), ct.toString('base64'), cipher.getAuthTag().toString('base64'), Date.now());
    this.cache.delete(providerId);
    return this.list().find((c) => c.id === id)!;
  }

  list(providerId?: string): CredentialInfo[] {
    const rows = (providerId ? this.db.prepare('SELECT * FROM provider_credentials WHERE provider_id = ? ORDER BY created_at').all(providerId) : this.db.prepare('SELECT * FROM provider_credentials ORDER BY provider_id, created_at').all()) as Row[];
    return rows.map(info);
  }

  revoke(id: string): boolean {
    const r = this.db.prepare('UPDATE provider_credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), id);
    this.cache.clear();
    return r.changes > 0;
  }

  /** Decrypted active credentials of a provider (briefly cached; changes by other processes show within cacheMs). */
  active(providerId: string, now = Date.now()): Secret[] {
    const hit = this.cache.get(providerId);
    if (hit && now - hit.at < this.cacheMs) return hit.secrets;
    const rows = this.db.prepare('SELECT * FROM provider_credentials WHERE provider_id = ? AND revoked_at IS NULL ORDER BY created_at').all(providerId) as Row[];
    const secrets = rows.map((r) => {
      const d = createDecipheriv('aes-256-gcm', this.masterKey, Buffer.from(r.nonce, 'base64'));
      d.setAAD(Buffer.from(`${r.provider_id}\u0000${r.id}`));
      d.setAuthTag(Buffer.from(r.tag, 'base64'));
      try {
        return new Secret(Buffer.concat([d.update(Buffer.from(r.ciphertext, 'base64')), d.final()]).toString('utf8'));
      } catch {
        throw new Error(`provider credential ${r.id} cannot be decrypted: wrong master key (TRUSTRELAY_MASTER_KEY or master.key) or a tampered row`);
      }
    });
    this.cache.set(providerId, { at: now, secrets });
    return secrets;
  }
}
