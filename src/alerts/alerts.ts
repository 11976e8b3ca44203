import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { migrate, type Db } from '../store/sqlite.js';

/**
 * Anomaly alerts: written to the database (admin API `GET /admin/alerts`), to the log, and, when
 * configured, POSTed as JSON to a webhook. Alerts carry ids, kinds and numbers, never request
 * content or secrets.
 */

export type AlertKind = 'spend_spike' | 'token_inflation' | 'new_network' | 'upstream_integrity';

export interface Alert {
  id: string;
  kind: AlertKind;
  severity: 'warning' | 'critical';
  keyId: string | null;
  upstream: string | null;
  message: string;
  details: Record<string, unknown>;
  createdAt: number;
}

export class AlertSink {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly webhook?: { url: string; timeoutMs: number },
  ) {
    migrate(db, 'alerts', [
      `CREATE TABLE alerts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, key_id TEXT, upstream TEXT, message TEXT NOT NULL, details TEXT NOT NULL, created_at INTEGER NOT NULL);
       CREATE INDEX alerts_by_time ON alerts (created_at);
       CREATE TABLE key_networks (key_id TEXT NOT NULL, network TEXT NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY (key_id, network));`,
    ]);
  }

  raise(a: Omit<Alert, 'id' | 'createdAt'>): Alert {
    const alert: Alert = { ...a, id: `alert_${randomUUID().replace(/-/g, '').slice(0, 16)}`, createdAt: Date.now() };
    this.db
      .prepare('INSERT INTO alerts (id, kind, severity, key_id, upstream, message, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(alert.id, alert.kind, alert.severity, alert.keyId, alert.upstream, alert.message, JSON.stringify(alert.details), alert.createdAt);
    this.log.warn({ alert: { id: alert.id, kind: alert.kind, keyId: alert.keyId, upstream: alert.upstream } }, alert.message);
    if (this.webhook) {
      const { url, timeoutMs } = this.webhook;
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'trustrelay', alert }), signal: AbortSignal.timeout(timeoutMs) }).then(
        (r) => void r.arrayBuffer().catch(() => undefined),
        (err: unknown) => this.log.warn({ alertId: alert.id, error: (err as Error).name }, 'alert webhook failed'),
      );
    }
    return alert;
  }

  list(opts: { since?: number; limit?: number } = {}): Alert[] {
    const rows = this.db.prepare('SELECT * FROM alerts WHERE created_at >= ? ORDER BY created_at DESC LIMIT ?').all(opts.since ?? 0, opts.limit ?? 100) as {
      id: string; kind: AlertKind; severity: Alert['severity']; key_id: string | null; upstream: string | null; message: string; details: string; created_at: number;
    }[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, severity: r.severity, keyId: r.key_id, upstream: r.upstream, message: r.message, details: JSON.parse(r.details) as Record<string, unknown>, createdAt: r.created_at }));
  }

  /** Records the network a key was used from; true when it is new for a key that had history. */
  noteNetwork(keyId: string, network: string, now = Date.now()): boolean {
    const r = this.db.prepare('INSERT INTO key_networks (key_id, network, first_seen) VALUES (?, ?, ?) ON CONFLICT (key_id, network) DO NOTHING').run(keyId, network, now);
    if (r.changes === 0) return false;
    const n = (this.db.prepare('SELECT COUNT(*) AS n FROM key_networks WHERE key_id = ?').get(keyId) as { n: number }).n;
    return n > 1;
  }
}

/** The /24 (IPv4) or /48 (IPv6) a client address belongs to. */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const addr = mapped ? mapped[1] : ip;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return addr.split('.').slice(0, 3).join('.') + '.0/24';
  const parts = addr.split('::')[0].split(':');
  return (parts.slice(0, 3).join(':') || '::') + '::/48';
}
