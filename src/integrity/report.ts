/** Plain-text rendering of an audit report (the table `trustrelay audit` prints without --json). */
import type { AuditReport } from './audit.js';
import type { UpstreamStatus } from './monitor.js';

const MARK: Record<string, string> = { pass: 'PASS', fail: 'FAIL', skip: 'skip', info: 'info' };

export function formatReport(r: AuditReport): string {
  const lines: string[] = [];
  lines.push(`Audit of ${r.target.model} at ${r.target.baseUrl} (${r.target.protocol})`);
  if (r.reference) lines.push(`Reference: ${r.reference.model} at ${r.reference.baseUrl} (${r.reference.protocol})`);
  lines.push(`Requests: ${r.requests.target} to the relay (budget ${r.budget})${r.reference ? `, ${r.requests.reference} to the reference` : ''}; seed ${r.seed}; ${(r.durationMs / 1000).toFixed(1)} s`);
  lines.push('');
  const w = Math.max(5, ...r.checks.map((c) => c.id.length));
  lines.push(`${'CHECK'.padEnd(w)}  STATUS  DETAIL`);
  for (const c of r.checks) lines.push(`${c.id.padEnd(w)}  ${MARK[c.status].padEnd(6)}  ${c.detail}`);
  lines.push('');
  const failed = r.checks.filter((c) => c.status === 'fail');
  lines.push(failed.length ? `Result: FAIL (${failed.map((c) => c.id).join(', ')})` : 'Result: PASS (every check passed)');
  return lines.join('\n') + '\n';
}

/** A one-line progress bar for a TTY (rewritten in place with \r). */
export function progressLine(done: number, total: number, width = 30): string {
  const frac = total ? done / total : 1;
  const filled = Math.round(frac * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} requests`;
}

/** Plain-text rendering of one upstream's integrity status (for an admin CLI or API). */
export function formatStatus(s: UpstreamStatus): string {
  const perf = s.performance;
  const f = (x: number | undefined, unit: string) => (x === undefined ? 'n/a' : `${x.toFixed(0)} ${unit}`);
  const lines = [
    `${s.upstreamId}: ${s.status.toUpperCase()} (${s.observations} responses observed)`,
    `  latency ${f(perf.totalMs, 'ms')}, TTFT ${f(perf.ttftMs, 'ms')}, ${f(perf.tokensPerSecond, 'tokens/s')}; token counts ${s.inflation.n ? `${(s.inflation.meanExcess * 100).toFixed(1)}% over local counts (${s.inflation.n} verified)` : 'not verified yet'}`,
  ];
  for (const e of s.evidence) lines.push(`  - [${e.level}] ${e.kind}: ${e.summary}`);
  return lines.join('\n') + '\n';
}
