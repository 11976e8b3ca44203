import type { Writable } from 'node:stream';
import { intOption, parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import type { Endpoint } from '../../integrity/client.js';
import { Secret } from '../../util/secret.js';
import type { Protocol } from '../../integrity/observation.js';

const usage = `Usage: trustrelay audit --base-url URL --api-key KEY --model M [options]

Audits an OpenAI- or Anthropic-compatible relay: served model name, protocol fingerprint, token
counts (inflation), tokenizer fingerprint, known answers, forced tool calls, JSON mode, logprobs,
real streaming and, with a trusted reference, a two-sample test of output distributions (MMD with a
Hamming kernel) and logprob tracking. Sends nothing but its probes.

Options:
  --base-url URL          relay base URL (e.g. https://relay.example/v1)
  --api-key KEY           API key for the relay (or env TRUSTRELAY_AUDIT_API_KEY, which keeps it
                          out of the process list)
  --model M               model name to audit
  --reference-url URL     trusted endpoint serving the genuine model
  --reference-key KEY     API key for the reference (or env TRUSTRELAY_AUDIT_REFERENCE_KEY)
  --reference-model M     model name at the reference (default: --model)
  --protocol P            openai | anthropic (default: anthropic for claude-* models, else openai)
  --budget N              requests to the relay (default 150, minimum 30); the reference gets at most as many
  --seed S                seed for probe choice and permutation tests (default: random, printed)
  --alpha A               significance level of the statistical checks (default 0.05; the
                          two permutation tests against the reference share it)
  --json                  print the report as JSON
  -h, --help              show this help

Exit status: 0 every check passed, 1 a check failed (or the relay could not be reached), 2 usage error.
`;

export interface AuditIo {
  stdout: Pick<Writable, 'write'>;
  stderr: Pick<Writable, 'write'> & { isTTY?: boolean };
}

function url(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  return value;
}

/** Runs the command with explicit output streams (tests capture them). */
export async function runAuditCommand(argv: string[], io: AuditIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    'base-url': { type: 'string' },
    'api-key': { type: 'string' },
    model: { type: 'string' },
    'reference-url': { type: 'string' },
    'reference-key': { type: 'string' },
    'reference-model': { type: 'string' },
    protocol: { type: 'string' },
    budget: { type: 'string' },
    seed: { type: 'string' },
    alpha: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const baseUrl = url(values['base-url'], '--base-url');
  const apiKey = values['api-key'] ?? process.env.TRUSTRELAY_AUDIT_API_KEY;
  const referenceKey = values['reference-key'] ?? process.env.TRUSTRELAY_AUDIT_REFERENCE_KEY;
  if (!apiKey) throw new UsageError('--api-key (or TRUSTRELAY_AUDIT_API_KEY) is required');
  if (!values.model) throw new UsageError('--model is required');
  const protocol = (values.protocol ?? (/^claude/i.test(values.model) ? 'anthropic' : 'openai')) as Protocol;
  if (protocol !== 'openai' && protocol !== 'anthropic') throw new UsageError(`--protocol must be openai or anthropic, got "${String(values.protocol)}"`);
  const { MIN_BUDGET, runAudit } = await import('../../integrity/audit.js');
  const budget = intOption(values.budget, '--budget', MIN_BUDGET, 100_000) ?? 150;
  if (values['reference-url'] === undefined && (values['reference-key'] !== undefined || values['reference-model'] !== undefined)) throw new UsageError('--reference-key and --reference-model need --reference-url');
  let reference: Endpoint | undefined;
  if (values['reference-url'] !== undefined) {
    const refUrl = url(values['reference-url'], '--reference-url');
    if (!referenceKey) throw new UsageError('--reference-url needs --reference-key (or TRUSTRELAY_AUDIT_REFERENCE_KEY)');
    reference = { baseUrl: refUrl, apiKey: new Secret(referenceKey), model: values['reference-model'] ?? values.model, protocol };
  }
  const target: Endpoint = { baseUrl, apiKey: new Secret(apiKey), model: values.model, protocol };
  const alpha = values.alpha === undefined ? 0.05 : Number(values.alpha);
  if (!(alpha > 0 && alpha <= 0.5)) throw new UsageError(`--alpha must be a number in (0, 0.5], got "${String(values.alpha)}"`);
  const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
  const { formatReport, progressLine } = await import('../../integrity/report.js');
  const tty = io.stderr.isTTY === true;
  const report = await runAudit({ target, reference, budget, seed, alpha, onProgress: tty ? (d, t) => io.stderr.write(progressLine(d, t)) : undefined });
  if (tty) io.stderr.write('\n');
  io.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  const reachable = report.checks.find((c) => c.id === 'availability')?.status !== 'fail';
  return report.passed && reachable ? 0 : 1;
}

const audit: Command = {
  summary: 'Audit any OpenAI- or Anthropic-compatible relay for model substitution and inflated token counts',
  usage,
  run: (argv) => runAuditCommand(argv, { stdout: process.stdout, stderr: process.stderr }),
};

export default audit;
