import { buildContext } from './analyze/context.js';
import { loadEntries, loadTarget } from './load/discover.js';
import { DEFAULT_LIMITS, type ScanLimits } from './load/limits.js';
import { RULES, type Rule } from './rules/index.js';
import { SEVERITY_RANK, type Finding, type SampleSkill, type Severity, type SkillInput, type Verdict } from './types.js';

export interface ScanResult {
  path: string;
  verdict: Verdict;
  findings: Finding[];
}

/**
 * Verdict from findings: any critical or high finding makes the skill malicious, any medium one
 * suspicious; low and info findings are reported but do not change the verdict. Rules do the
 * correlation (capability with threat) before choosing a severity, so one high finding is already
 * the product of that judgement.
 */
export function verdictOf(findings: Finding[]): Verdict {
  let max = 0;
  for (const f of findings) max = Math.max(max, SEVERITY_RANK[f.severity]);
  return max >= SEVERITY_RANK.high ? 'malicious' : max >= SEVERITY_RANK.medium ? 'suspicious' : 'clean';
}

const MAX_PER_RULE = 100;

/** Runs rules over one loaded skill. A rule that throws becomes a fail-closed finding, never a crash. */
export function scanSkill(skill: SkillInput, rules: Rule[] = RULES): ScanResult {
  const findings: Finding[] = [];
  let ctx: ReturnType<typeof buildContext>;
  try {
    ctx = buildContext(skill);
  } catch (err) {
    // Content that breaks the analysers cannot be called clean; report it instead of crashing.
    const f: Finding = { rule: 'failclosed.analyzer-error', severity: 'medium', category: 'fail-closed', message: `analysis failed: ${(err as Error).message}`, rationale: 'Content that breaks an analyser cannot be called clean.', file: '', line: 0 };
    return { path: skill.path, verdict: 'suspicious', findings: [f] };
  }
  for (const rule of rules) {
    let count = 0;
    let dropped = 0;
    try {
      rule.check(ctx, (f) => {
        // At most MAX_PER_RULE findings per rule and skill, keeping the most severe ones.
        const item: Finding = { rule: rule.id, severity: f.severity ?? rule.severity, category: rule.category, message: f.message, rationale: rule.rationale, file: f.file, line: f.line, ...(f.evidence ? { evidence: f.evidence } : {}) };
        if (count < MAX_PER_RULE) {
          findings.push(item);
          count++;
          return;
        }
        dropped++;
        const weakest = findings.findIndex((x) => x.rule === rule.id && SEVERITY_RANK[x.severity] < SEVERITY_RANK[item.severity]);
        if (weakest >= 0) findings[weakest] = item;
      });
      if (dropped) findings.push({ rule: rule.id, severity: 'info', category: rule.category, message: `${dropped} more finding(s) of this rule not listed`, rationale: rule.rationale, file: '', line: 0 });
    } catch (err) {
      findings.push({ rule: 'failclosed.analyzer-error', severity: 'medium', category: 'fail-closed', message: `rule ${rule.id} failed: ${(err as Error).message}`, rationale: 'Content that breaks an analyser cannot be called clean.', file: '', line: 0 });
    }
  }
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  return { path: skill.path, verdict: verdictOf(findings), findings };
}

/** Scans every skill found under each PATH. */
export async function scanPaths(paths: string[], limits: ScanLimits = DEFAULT_LIMITS): Promise<ScanResult[]> {
  const out: ScanResult[] = [];
  for (const p of paths) for (const skill of await loadTarget(p, limits)) out.push(scanSkill(skill));
  return out;
}

/** Scans an in-memory sample (rule examples and tests). */
export async function scanSample(sample: SampleSkill, rules: Rule[] = RULES): Promise<ScanResult> {
  const skill = await loadEntries('sample', Object.entries(sample).map(([path, text]) => ({ path, data: Buffer.from(text, /[\u0080-\u00ff]/.test(text) && !/[^\u0000-\u00ff]/.test(text) ? 'latin1' : 'utf8') })));
  return scanSkill(skill, rules);
}

export function atLeast(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[min];
}
