import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { UnmanagedToolMode } from './registry/policy.js';

/** The `skills:` section of the TrustRelay config file. */
export interface SkillsConfig {
  /** Tools that no registered skill provides: 'allow' (default) or 'deny'. */
  unmanagedTools: UnmanagedToolMode;
  /** Install only signed skills (ignore --allow-unsigned). Default false. */
  requireSignature: boolean;
  /** Optional JSON trust store used in addition to publishers added with `skills trust add`. */
  trustStore?: string;
  /** Gateway: refuse requests offering ungranted tools (default) or strip those tools. */
  toolEnforcement: 'refuse' | 'strip';
}

const Schema = z
  .object({
    unmanaged_tools: z.enum(['allow', 'deny']).optional(),
    require_signature: z.boolean().optional(),
    trust_store: z.string().optional(),
    tool_enforcement: z.enum(['refuse', 'strip']).optional(),
  })
  .strict();

export const DEFAULT_SKILLS_CONFIG: SkillsConfig = { unmanagedTools: 'allow', requireSignature: false, toolEnforcement: 'refuse' };

/** Reads the `skills` section of a YAML/JSON config file; errors name the file, the path and the fix. */
export function loadSkillsConfig(file?: string): SkillsConfig {
  if (!file) return { ...DEFAULT_SKILLS_CONFIG };
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`config ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const section = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).skills : undefined;
  if (section === undefined || section === null) return { ...DEFAULT_SKILLS_CONFIG };
  const parsed = Schema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`config ${file}: skills.${issue.path.join('.')}: ${issue.message} (allowed keys: unmanaged_tools: allow|deny, tool_enforcement: refuse|strip, require_signature: true|false, trust_store: FILE)`);
  }
  return { unmanagedTools: parsed.data.unmanaged_tools ?? 'allow', requireSignature: parsed.data.require_signature ?? false, trustStore: parsed.data.trust_store, toolEnforcement: parsed.data.tool_enforcement ?? 'refuse' };
}
