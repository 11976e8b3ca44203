import { randomUUID } from 'node:crypto';
import { migrate, type Db } from '../store/sqlite.js';
import type { BudgetPeriod } from '../auth/keys.js';

/**
 * Budgets enforced by reservation: before the upstream call a request reserves its maximum cost in
 * every budget that applies (key and team; per period and lifetime) in one transaction; afterwards
 * the reservation is replaced by the actual cost. Neither streaming, concurrency nor disconnects can
 * overspend, because admission counts what is spent plus what is reserved. Reservations of a
 * crashed process expire after `staleMs`.
 */

export interface BudgetLine {
  /** "key:<id>" or "team:<id>". */
  scope: string;
  /** "lifetime", "day:2026-11-23" or "month:2026-11" (UTC). */
  period: string;
  limitMicros: number;
}

export function periodOf(p: BudgetPeriod | null, now = Date.now()): string {
  const d = new Date(now).toISOString();
  if (p === 'day') return `day:${d.slice(0, 10)}`;
  if (p === 'month') return `month:${d.slice(0, 7)}`;
  return 'lifetime';
}

/** Seconds until the period rolls over (a day for lifetime budgets, which never roll over). */
export function secondsToPeriodEnd(period: string, now = Date.now()): number {
  const d = new Date(now);
  let end: number;
  if (period.startsWith('day:')) end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  else if (period.startsWith('month:')) end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  else return 86_400;
  return Math.max(1, Math.ceil((end - now) / 1000));
}

export type ReserveResult = { ok: true; id: string } | { ok: false; line: BudgetLine; spent: number; reserved: number };

export class BudgetStore {
  private readonly spentStmt;
  private readonly reservedStmt;
  private readonly insertRes;
  constructor(
    private readonly db: Db,
    private readonly staleMs = 15 * 60_000,
  ) {
    migrate(db, 'budget', [
      `CREATE TABLE budget_spend (scope TEXT NOT NULL, period TEXT NOT NULL, spent_micros INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (scope, period));
       CREATE TABLE budget_reservations (id TEXT NOT NULL, scope TEXT NOT NULL, period TEXT NOT NULL, amount_micros INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (id, scope, period));
       CREATE INDEX budget_reservations_by_scope ON budget_reservations (scope, period, created_at);`,
    ]);
    this.spentStmt = db.prepare('SELECT spent_micros AS v FROM budget_spend WHERE scope = ? AND period = ?');
    this.reservedStmt = db.prepare('SELECT COALESCE(SUM(amount_micros), 0) AS v FROM budget_reservations WHERE scope = ? AND period = ? AND created_at > ?');
    this.insertRes = db.prepare('INSERT INTO budget_reservations (id, scope, period, amount_micros, created_at) VALUES (?, ?, ?, ?, ?)');
  }

  spent(scope: string, period: string): number {
    return (this.spentStmt.get(scope, period) as { v: number } | undefined)?.v ?? 0;
  }

  /** Reserves `amount` in every line, or nothing (the first line that would overflow is returned). */
  reserve(lines: BudgetLine[], amount: number, now = Date.now()): ReserveResult {
    const id = randomUUID();
    const tx = this.db.transaction((): ReserveResult => {
      for (const line of lines) {
        const spent = this.spent(line.scope, line.period);
        const reserved = (this.reservedStmt.get(line.scope, line.period, now - this.staleMs) as { v: number }).v;
        if (spent + reserved + amount > line.limitMicros) return { ok: false, line, spent, reserved };
      }
      for (const line of lines) this.insertRes.run(id, line.scope, line.period, amount, now);
      return { ok: true, id };
    });
    return tx.immediate();
  }

  /** Replaces a reservation by the actual cost (0 for a request that was not billed). */
  settle(id: string, lines: BudgetLine[], actual: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM budget_reservations WHERE id = ?').run(id);
      if (actual > 0)
        for (const line of lines)
          this.db
            .prepare('INSERT INTO budget_spend (scope, period, spent_micros) VALUES (?, ?, ?) ON CONFLICT (scope, period) DO UPDATE SET spent_micros = spent_micros + excluded.spent_micros')
            .run(line.scope, line.period, actual);
    })();
  }

  /** Drops reservations left behind by a crashed process. */
  sweep(now = Date.now()): void {
    this.db.prepare('DELETE FROM budget_reservations WHERE created_at <= ?').run(now - this.staleMs);
  }
}
