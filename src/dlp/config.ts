import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { compileLinear } from './linear-regex.js';
import { DEFAULT_POLICY, mergePolicy, type DlpPolicy } from './policy.js';
import { builtinRecognizers } from './recognizers/index.js';
import { termRecognizer, type TermDef } from './recognizers/terms.js';
import type { Recognizer } from './types.js';

export const DlpActionSchema = z.enum(['pseudonymize', 'redact', 'block', 'allow']);

const TYPE_NAME = /^[A-Z][A-Z0-9_]{0,31}$/;

export const DlpTermSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().regex(TYPE_NAME, 'type must be UPPER_SNAKE_CASE, at most 32 characters').optional(),
    values: z.array(z.string().min(1)).optional(),
    patterns: z
      .array(
        z.string().superRefine((p, ctx) => {
          try {
            compileLinear(p);
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: `pattern ${JSON.stringify(p)} rejected: ${(err as Error).message}` });
          }
        }),
      )
      .optional(),
    case_sensitive: z.boolean().optional(),
  })
  .strict()
  .refine((t) => (t.values?.length ?? 0) + (t.patterns?.length ?? 0) > 0, { message: 'a term needs at least one of values or patterns' });

/** The `dlp:` section of the gateway config (also accepted by `trustrelay dlp --config`). */
export const DlpConfigSchema = z
  .object({
    actions: z.record(z.string().regex(TYPE_NAME, 'entity type must be UPPER_SNAKE_CASE'), DlpActionSchema).optional(),
    default_action: DlpActionSchema.optional(),
    min_score: z.number().min(0).max(1).optional(),
    /** Built-in recognizer names to turn off (e.g. "person"). */
    disable: z.array(z.string()).optional(),
    terms: z.array(DlpTermSchema).optional(),
  })
  .strict();

export type DlpConfig = z.infer<typeof DlpConfigSchema>;

/** Recognizers for a config: built-ins minus disabled ones, plus organisation terms. */
export function recognizersFromConfig(cfg: DlpConfig | undefined): Recognizer[] {
  const off = new Set(cfg?.disable ?? []);
  const terms: TermDef[] = (cfg?.terms ?? []).map((t) => ({ name: t.name, type: t.type, values: t.values, patterns: t.patterns, caseSensitive: t.case_sensitive }));
  return [...builtinRecognizers.filter((r) => !off.has(r.name)), ...terms.map(termRecognizer)];
}

/** Policy for a config (on top of DEFAULT_POLICY); the gateway layers team/key overrides with mergePolicy. */
export function policyFromConfig(cfg: DlpConfig | undefined): DlpPolicy {
  return mergePolicy(DEFAULT_POLICY, { actions: cfg?.actions, defaultAction: cfg?.default_action, minScore: cfg?.min_score });
}

export class DlpConfigError extends Error {
  override name = 'DlpConfigError';
}

/** Loads a YAML file and validates its `dlp:` section; errors name the file, the path and the problem. */
export function loadDlpConfigFile(file: string): DlpConfig {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DlpConfigError(`${file}: cannot read YAML: ${(err as Error).message}`);
  }
  const section = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).dlp : undefined;
  if (section === undefined || section === null) return {};
  const res = DlpConfigSchema.safeParse(section);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = ['dlp', ...issue.path.map(String)].join('.');
    throw new DlpConfigError(`${file}: ${where}: ${issue.message}`);
  }
  return res.data;
}
