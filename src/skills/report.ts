import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from './rules/index.js';
import { verdictOf, type ScanResult } from './scan.js';
import type { Finding, Severity, Verdict } from './types.js';

/** A reviewed finding that should no longer count, with the reason a person gave. */
export interface BaselineEntry {
  rule: string;
  /** Skill folder name (last path segment of the result path). */
  skill: string;
  file: string;
  fingerprint: string;
  justification: string;
}

/** Line-independent identity of a finding, so unrelated edits above it keep the suppression. */
export function fingerprint(skillPath: string, f: Finding): string {
  return createHash('sha256').update(`${skillName(skillPath)}\0${f.rule}\0${f.file}\0${f.message}`).digest('hex').slice(0, 16);
}

export function skillName(p: string): string {
  return p.replace(/[\\/]+$/, '').split(/[\\/]|!\//).pop() ?? p;
}

export function loadBaseline(file: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`baseline ${file}: ${(err as Error).message}`);
  }
  const entries = (raw as { suppressions?: unknown }).suppressions;
  if (!Array.isArray(entries)) throw new Error(`baseline ${file}: expected {"suppressions": [...]}`);
  entries.forEach((e: BaselineEntry, i) => {
    if (!e || typeof e.rule !== 'string' || typeof e.fingerprint !== 'string') throw new Error(`baseline ${file}: suppressions[${i}] needs "rule" and "fingerprint"`);
    if (typeof e.justification !== 'string' || e.justification.trim().length < 3) throw new Error(`baseline ${file}: suppressions[${i}] (${e.rule}) needs a "justification" saying why the finding is accepted`);
  });
  return entries as BaselineEntry[];
}

/** Removes baselined findings and recomputes verdicts; returns how many were suppressed. */
export function applyBaseline(results: ScanResult[], entries: BaselineEntry[]): number {
  const keys = new Set(entries.map((e) => `${e.rule}\0${e.fingerprint}`));
  let n = 0;
  for (const r of results) {
    const before = r.findings.length;
    r.findings = r.findings.filter((f) => !keys.has(`${f.rule}\0${fingerprint(r.path, f)}`));
    n += before - r.findings.length;
    r.verdict = verdictOf(r.findings);
  }
  return n;
}

/** A baseline skeleton for the current findings (medium and above); justifications left for a person. */
export function baselineFor(results: ScanResult[]): { suppressions: BaselineEntry[] } {
  const suppressions: BaselineEntry[] = [];
  for (const r of results)
    for (const f of r.findings)
      if (f.severity !== 'low' && f.severity !== 'info') suppressions.push({ rule: f.rule, skill: skillName(r.path), file: f.file, fingerprint: fingerprint(r.path, f), justification: '' });
  return { suppressions };
}

export function toJson(results: ScanResult[]): string {
  return JSON.stringify({ results }, null, 2);
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** SARIF 2.1.0, one run, the rule catalogue as the driver's rules. */
export function toSarif(results: ScanResult[]): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'trustrelay-skills',
            informationUri: 'https://github.com/trustrelay/trustrelay/blob/main/docs/SKILLS.md',
            version: '0.1.0',
            rules: RULES.map((r) => ({ id: r.id, name: r.title, shortDescription: { text: r.title }, fullDescription: { text: r.rationale }, defaultConfiguration: { level: LEVEL[r.severity] }, properties: { category: r.category, severity: r.severity } })),
          },
        },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.rule,
            level: LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: path.posix.join(r.path.replace(/\\/g, '/'), f.file.replace(/!\//g, '/')) }, region: { startLine: Math.max(1, f.line) } } }],
            partialFingerprints: { trustrelaySkill: fingerprint(r.path, f) },
            properties: { severity: f.severity, category: f.category, skill: r.path, verdict: r.verdict },
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

const COLOR: Record<Verdict | Severity, string> = { malicious: '31;1', suspicious: '33;1', clean: '32', critical: '31;1', high: '31', medium: '33', low: '36', info: '2' };

export function toTable(results: ScanResult[], color: boolean, showLow = false): string {
  const c = (k: Verdict | Severity, s: string) => (color ? `\x1b[${COLOR[k]}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${c(r.verdict, r.verdict.toUpperCase().padEnd(10))} ${r.path}`);
    for (const f of r.findings) {
      if (!showLow && (f.severity === 'low' || f.severity === 'info')) continue;
      lines.push(`  ${c(f.severity, f.severity.padEnd(8))} ${f.rule.padEnd(28)} ${f.file}${f.line ? `:${f.line}` : ''}  ${f.message}`);
    }
  }
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  lines.push('', `${results.length} skill(s): ${count('malicious')} malicious, ${count('suspicious')} suspicious, ${count('clean')} clean`);
  return lines.join('\n');
}
