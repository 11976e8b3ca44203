import { KeyStore, type BudgetPeriod, type KeyRecord, type KeyOptions } from '../../auth/keys.js';
import { loadConfigFile } from '../../config/load.js';
import { openDatabase } from '../../store/sqlite.js';
import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, STATE_OPTIONS } from '../common.js';

const usage = `Usage: trustrelay keys <create|list|update|rotate|revoke|team> [options]

  keys create --name NAME [scope options]
      Creates an API key and prints it as the last line of stdout. It is shown only once.
  keys list [--json]           Lists keys (id, name, display prefix, state, scopes); never the keys.
  keys update ID [scope options]
  keys rotate ID [--grace MINUTES]
      Issues a new secret (last line of stdout); the old one keeps working for the grace period
      (default 60 minutes; 0 revokes it at once).
  keys revoke ID               Revokes a key; takes effect on its next request.
  keys team create --name NAME [--budget AMOUNT --period day|month] [--lifetime-budget AMOUNT]
  keys team list [--json]

Scope options:
  --models PATTERNS      comma-separated model patterns the key may use ("gpt-*,claude-*"); default all
  --team TEAM            team id or name (team budgets apply too)
  --rpm N, --tpm N       requests / tokens per minute
  --budget AMOUNT        spend limit per --period (day|month), in currency units (e.g. 5.00)
  --lifetime-budget AMOUNT
  --cidr LIST            comma-separated client networks allowed ("10.0.0.0/8,2001:db8::/32")
  --expires-in DAYS

Options: --config FILE, --data-dir D (where the key store lives)
`;

const SCOPE_OPTIONS = {
  models: { type: 'string' as const },
  team: { type: 'string' as const },
  rpm: { type: 'string' as const },
  tpm: { type: 'string' as const },
  budget: { type: 'string' as const },
  period: { type: 'string' as const },
  'lifetime-budget': { type: 'string' as const },
  cidr: { type: 'string' as const },
  'expires-in': { type: 'string' as const },
};

function store(values: { config?: string; 'data-dir'?: string }): KeyStore {
  const cfg = values.config ? loadConfigFile(values.config, process.env, { lenientEnv: true }) : undefined;
  return new KeyStore(openDatabase(dataDirOf(values['data-dir'], cfg)));
}

function state(k: KeyRecord): string {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt <= Date.now()) return 'expired';
  return 'active';
}

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`${flag} expects a positive whole number`);
  return Number(v);
}

/** Currency amount → integer micro-units. */
export function micros(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d{1,6})?$/.test(v)) throw new UsageError(`${flag} expects an amount like 5 or 12.50`);
  const [whole, frac = ''] = v.split('.');
  return Number(whole) * 1_000_000 + Number(frac.padEnd(6, '0'));
}

function period(v: string | undefined): BudgetPeriod | undefined {
  if (v === undefined) return undefined;
  if (v !== 'day' && v !== 'month') throw new UsageError('--period is day or month');
  return v;
}

function scopes(values: Record<string, string | boolean | undefined>, keys: KeyStore): Partial<KeyOptions> {
  const v = values as Record<string, string | undefined>;
  const out: Partial<KeyOptions> = {};
  if (v.models !== undefined) out.models = list(v.models);
  if (v.team !== undefined) {
    const team = keys.team(v.team);
    if (!team) throw new UsageError(`no team "${v.team}" (create it with \`trustrelay keys team create --name ${v.team}\`)`);
    out.teamId = team.id;
  }
  if (v.rpm !== undefined) out.rpm = count(v.rpm, '--rpm');
  if (v.tpm !== undefined) out.tpm = count(v.tpm, '--tpm');
  if (v.budget !== undefined) {
    out.budgetMicros = micros(v.budget, '--budget');
    out.budgetPeriod = period(v.period) ?? 'month';
  } else if (v.period !== undefined) throw new UsageError('--period goes with --budget');
  if (v['lifetime-budget'] !== undefined) out.lifetimeBudgetMicros = micros(v['lifetime-budget'], '--lifetime-budget');
  if (v.cidr !== undefined) out.cidrs = list(v.cidr);
  if (v['expires-in'] !== undefined) {
    const days = Number(v['expires-in']);
    if (!Number.isFinite(days) || days <= 0) throw new UsageError('--expires-in expects a positive number of days');
    out.expiresAt = Date.now() + days * 86_400_000;
  }
  return out;
}

const money = (m: number | null) => (m === null ? '-' : (m / 1_000_000).toFixed(2));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

async function teamCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'create') {
    const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, name: { type: 'string' }, budget: { type: 'string' }, period: { type: 'string' }, 'lifetime-budget': { type: 'string' } }, false);
    if (!values.name) throw new UsageError('--name is required');
    const t = store(values).createTeam({ name: values.name, budgetMicros: micros(values.budget, '--budget'), budgetPeriod: values.budget ? (period(values.period) ?? 'month') : undefined, lifetimeBudgetMicros: micros(values['lifetime-budget'], '--lifetime-budget') });
    process.stdout.write(`created team ${t.name}\n${t.id}\n`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, json: { type: 'boolean' } }, false);
    const teams = store(values).teams();
    if (values.json) process.stdout.write(JSON.stringify(teams) + '\n');
    else process.stdout.write(table([['ID', 'NAME', 'BUDGET', 'PERIOD', 'LIFETIME'], ...teams.map((t) => [t.id, t.name, money(t.budgetMicros), t.budgetPeriod ?? '-', money(t.lifetimeBudgetMicros)])]));
    return 0;
  }
  throw new UsageError(sub ? `unknown subcommand "team ${sub}"` : 'missing subcommand: team create or team list');
}

const keys: Command = {
  summary: 'create, list, update, rotate and revoke API keys and teams',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'team') return teamCommand(rest);
    if (sub === 'create') {
      const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, ...SCOPE_OPTIONS, name: { type: 'string' } }, false);
      if (!values.name) throw new UsageError('--name is required');
      const s = store(values);
      const { key, record } = s.create({ name: values.name, ...scopes(values, s) });
      process.stdout.write(`created key ${record.id} (${record.name}); store it now, it is not shown again:\n${key}\n`);
      return 0;
    }
    if (sub === 'update') {
      const { values, positionals } = parseCommandArgs(rest, { ...STATE_OPTIONS, ...SCOPE_OPTIONS, name: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('keys update takes one key id');
      const s = store(values);
      const rec = s.update(positionals[0], { ...(values.name ? { name: values.name } : {}), ...scopes(values, s) });
      if (!rec) {
        process.stderr.write(`trustrelay keys: no key with id ${positionals[0]}\n`);
        return 1;
      }
      process.stdout.write(`updated ${rec.id}\n`);
      return 0;
    }
    if (sub === 'rotate') {
      const { values, positionals } = parseCommandArgs(rest, { ...STATE_OPTIONS, grace: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('keys rotate takes one key id');
      const grace = values.grace === undefined ? 60 : Number(values.grace);
      if (!Number.isFinite(grace) || grace < 0) throw new UsageError('--grace expects minutes (0 or more)');
      const secret = store(values).rotate(positionals[0], grace * 60_000);
      if (!secret) {
        process.stderr.write(`trustrelay keys: no active key with id ${positionals[0]}\n`);
        return 1;
      }
      process.stdout.write(`rotated ${positionals[0]}; the old secret works for ${grace} more minutes. New secret, shown once:\n${secret}\n`);
      return 0;
    }
    if (sub === 'list') {
      const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, json: { type: 'boolean' } }, false);
      const all = store(values).list();
      if (values.json) {
        process.stdout.write(
          JSON.stringify(all.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, team: k.teamId, models: k.models, cidrs: k.cidrs, rpm: k.rpm, tpm: k.tpm, budget_micros: k.budgetMicros, budget_period: k.budgetPeriod, lifetime_budget_micros: k.lifetimeBudgetMicros, state: state(k), created_at: new Date(k.createdAt).toISOString(), expires_at: k.expiresAt ? new Date(k.expiresAt).toISOString() : null }))) + '\n',
        );
        return 0;
      }
      process.stdout.write(table([['ID', 'NAME', 'PREFIX', 'STATE', 'MODELS', 'RPM', 'BUDGET', 'CREATED'], ...all.map((k) => [k.id, k.name, k.prefix + '…', state(k), k.models.join(',') || '*', k.rpm === null ? '-' : String(k.rpm), k.budgetMicros === null ? '-' : `${money(k.budgetMicros)}/${k.budgetPeriod}`, new Date(k.createdAt).toISOString()])]));
      return 0;
    }
    if (sub === 'revoke') {
      const { values, positionals } = parseCommandArgs(rest, STATE_OPTIONS);
      if (positionals.length !== 1) throw new UsageError('keys revoke takes one key id');
      if (!store(values).revoke(positionals[0])) {
        process.stderr.write(`trustrelay keys: no active key with id ${positionals[0]}\n`);
        return 1;
      }
      process.stdout.write(`revoked ${positionals[0]}\n`);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: create, list, update, rotate, revoke or team');
  },
};

export default keys;
