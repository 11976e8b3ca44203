import fs from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';

/** A configuration problem: names the file, the path in it and what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  get userMessage(): string {
    return this.message;
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(top level)';
}

/**
 * Replaces ${VAR} and ${VAR:-default} in every string. A missing variable without a default is a
 * problem at that path: secrets live in the environment, so the file never has to hold them.
 */
function interpolate(value: unknown, path: (string | number)[], env: NodeJS.ProcessEnv, problems: string[] | undefined): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, def: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (def !== undefined) return def;
      problems?.push(`${pathText(path)}: environment variable ${name} is not set (set it, or use \${${name}:-default})`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, [...path, k], env, problems);
    return out;
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  let got: unknown = raw;
  for (const p of issue.path) got = got && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
  const where = pathText(issue.path);
  if (issue.code === 'unrecognized_keys') return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60);
  return `${where}: ${issue.message} (got ${shown})`;
}

/** Checks references between sections: targets name configured providers, ids are unique. */
function crossCheck(cfg: Config): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  cfg.providers.forEach((p, i) => {
    if (ids.has(p.id)) problems.push(`providers[${i}].id: "${p.id}" is used twice; provider ids must be unique`);
    ids.add(p.id);
  });
  const names = new Set<string>();
  cfg.models.forEach((m, i) => {
    if (names.has(m.name)) problems.push(`models[${i}].name: "${m.name}" is defined twice`);
    names.add(m.name);
    m.targets.forEach((t, j) => {
      if (!ids.has(t.provider)) problems.push(`models[${i}].targets[${j}].provider: no provider with id "${t.provider}" (configured: ${[...ids].join(', ') || 'none'})`);
    });
  });
  return problems;
}

/**
 * Parses and validates a config. `lenientEnv` lets commands that never call an upstream (keys,
 * ledger) read a file whose provider keys are not set in their environment.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env, opts: { lenientEnv?: boolean } = {}): Config {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new ConfigError(file, doc.errors.slice(0, 3).map((e) => `line ${e.linePos?.[0].line ?? '?'}: YAML syntax: ${e.message.split('\n')[0]}${/flow/.test(e.message) ? ' (inside { } quote values that contain braces, e.g. "${VAR}")' : ''}`));
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, ['(top level): expected a mapping with providers and models']);
  const problems: string[] = [];
  const expanded = interpolate(raw, [], env, opts.lenientEnv ? undefined : problems);
  if (problems.length) throw new ConfigError(file, problems);
  const parsed = ConfigSchema.safeParse(expanded);
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.map((i) => describeIssue(i, expanded)));
  const cross = crossCheck(parsed.data);
  if (cross.length) throw new ConfigError(file, cross);
  return parsed.data;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, opts: { lenientEnv?: boolean } = {}): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return parseConfig(text, file, env, opts);
}
