import { randomBytes } from 'node:crypto';
import { parseCommandArgs, readStdin, textRecords, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadDlpConfigFile, policyFromConfig, recognizersFromConfig, type DlpConfig } from '../../dlp/config.js';
import { mergePolicy } from '../../dlp/policy.js';
import { Pseudonymizer } from '../../dlp/pseudonymize.js';
import { scan } from '../../dlp/scan.js';
import { summarize } from '../../dlp/report.js';

const USAGE = `Usage: trustrelay dlp <scan|redact> [options]

Detect personal data and secrets (CN_ID_CARD, CN_MOBILE, PHONE, BANK_CARD, CN_USCC, PASSPORT, EMAIL,
IP_ADDRESS, SECRET, PERSON, ADDRESS, CN_LICENSE_PLATE and organisation terms from config).

  trustrelay dlp scan --jsonl [--config FILE] [--explain]
      stdin:  one JSON object per line, {"id": ..., "text": "..."}
      stdout: one line per input, {"id": ..., "findings": [{"type","start","end"}]}
              offsets are JavaScript string indices into the original text, end exclusive
      A bad input line is reported on stderr with its line number; the others are still processed
      and the exit code is 1.
  trustrelay dlp scan [--config FILE] [--json]
      stdin: plain text; prints one finding per line (type, offsets, score, explanation) or a JSON array.
  trustrelay dlp redact [--action pseudonymize|redact] [--jsonl] [--config FILE]
      stdin text -> stdout text with the configured policies applied (secrets are always redacted);
      --action forces one action for every type. With --jsonl, lines {"id","text"} become {"id","text"}.
      A summary (types and counts only) goes to stderr with --summary.

Options:
  --config FILE   YAML file with a dlp: section (actions, terms, disable, min_score)
  -h, --help      show this help
`;

function loadConfig(file: string | undefined): DlpConfig | undefined {
  return file ? loadDlpConfigFile(file) : undefined;
}

async function runScan(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { jsonl: { type: 'boolean' }, json: { type: 'boolean' }, config: { type: 'string' }, explain: { type: 'boolean' } }, false);
  const cfg = loadConfig(values.config);
  const recognizers = recognizersFromConfig(cfg);
  const minScore = policyFromConfig(cfg).minScore;
  if (!values.jsonl) {
    const text = await readStdin();
    const found = scan(text, { recognizers, minScore });
    if (values.json) process.stdout.write(JSON.stringify(found) + '\n');
    else for (const f of found) process.stdout.write(`${f.type}\t${f.start}\t${f.end}\t${f.score}\t${f.explanation}\n`);
    return 0;
  }
  const input = textRecords();
  for await (const rec of input.records) {
    const found = scan(rec.text, { recognizers, minScore });
    const findings = found.map((f) => (values.explain ? { type: f.type, start: f.start, end: f.end, score: f.score, recognizer: f.recognizer, explanation: f.explanation } : { type: f.type, start: f.start, end: f.end }));
    process.stdout.write(JSON.stringify({ id: rec.id, findings }) + '\n');
  }
  return input.bad() > 0 ? 1 : 0;
}

async function runRedact(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { jsonl: { type: 'boolean' }, config: { type: 'string' }, action: { type: 'string' }, summary: { type: 'boolean' } }, false);
  const cfg = loadConfig(values.config);
  let policy = policyFromConfig(cfg);
  if (values.action !== undefined) {
    if (values.action !== 'redact' && values.action !== 'pseudonymize') throw new UsageError(`--action must be redact or pseudonymize, got "${values.action}"`);
    const forced = values.action;
    // every type gets the forced action, except secrets which are never pseudonymized by the CLI
    policy = mergePolicy(policy, { defaultAction: forced, actions: Object.fromEntries(Object.keys(policy.actions).map((k) => [k, k === 'SECRET' ? 'redact' : forced])) });
  }
  // A fresh random key per run: pseudonyms are consistent within one run and meaningless outside it.
  const p = new Pseudonymizer({ key: randomBytes(32), conversationId: 'cli', policy, recognizers: recognizersFromConfig(cfg) });
  const totals: Record<string, number> = {};
  const add = (s: Record<string, number>) => {
    for (const [k, v] of Object.entries(s)) totals[k] = (totals[k] ?? 0) + v;
  };
  let blocked = false;
  if (!values.jsonl) {
    const res = p.protect(await readStdin());
    add(summarize(res.findings));
    if (res.blocked.length) {
      process.stderr.write(`blocked: input contains ${res.blocked.join(', ')}\n`);
      return 3;
    }
    process.stdout.write(res.text);
  } else {
    const input = textRecords();
    for await (const rec of input.records) {
      const res = p.protect(rec.text);
      add(summarize(res.findings));
      if (res.blocked.length) {
        blocked = true;
        process.stdout.write(JSON.stringify({ id: rec.id, blocked: res.blocked }) + '\n');
      } else process.stdout.write(JSON.stringify({ id: rec.id, text: res.text }) + '\n');
    }
    if (input.bad()) return 1;
  }
  if (values.summary) process.stderr.write(`dlp: ${Object.entries(totals).map(([k, v]) => `${k}=${v}`).join(' ') || 'nothing found'}\n`);
  return blocked ? 3 : 0;
}

const dlp: Command = {
  summary: 'detect and desensitize personal data and secrets (scan, redact)',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'scan') return runScan(rest);
    if (sub === 'redact') return runRedact(rest);
    throw new UsageError(sub ? `unknown subcommand "${sub}" (expected scan or redact)` : 'missing subcommand (scan or redact)');
  },
};

export default dlp;
