import path from 'node:path';
import fs from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { entriesForKey, verifyLedger, type LedgerEntry } from '../../ledger/ledger.js';
import { identityFrom } from '../../ledger/signing.js';
import { openDatabase } from '../../store/sqlite.js';
import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, STATE_OPTIONS } from '../common.js';
import { loadConfigFile } from '../../config/load.js';

const usage = `Usage: trustrelay ledger <verify|export> [options]

  ledger verify [--json]
      Walks the hash chain and every signed checkpoint. Exits 0 when it verifies; otherwise
      prints the first broken entry and exits 1.
  ledger export [--key KEY_ID] [--format csv|json]
      Writes the bill (one line per ledger entry) to stdout, for reconciling against receipts.

Options: --config FILE, --data-dir D
`;

const COLUMNS: (keyof LedgerEntry)[] = ['seq', 'requestId', 'keyId', 'teamId', 'modelRequested', 'modelServed', 'upstream', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens', 'estimated', 'costMicros', 'status', 'startedAt', 'finishedAt', 'requestHash', 'responseHash', 'prevHash', 'entryHash'];

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const ledger: Command = {
  summary: 'verify the hash-chained ledger, export a bill',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'verify') {
      const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, json: { type: 'boolean' } }, false);
      const dir = dataDirOf(values['data-dir'], values.config ? loadConfigFile(values.config, process.env, { lenientEnv: true }) : undefined);
      const keyFile = path.join(dir, 'gateway-ed25519.pem');
      if (!fs.existsSync(path.join(dir, 'trustrelay.db')) || !fs.existsSync(keyFile)) throw new UsageError(`no gateway state in ${dir}`);
      const report = verifyLedger(openDatabase(dir, { readonly: true }), identityFrom(createPrivateKey(fs.readFileSync(keyFile))).publicKey);
      if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
      else if (report.ok) process.stdout.write(`ledger verifies: ${report.entries} entries, ${report.checkpoints} signed checkpoints\n`);
      else process.stdout.write(`ledger BROKEN at entry ${report.firstBroken!.seq}: ${report.firstBroken!.reason}\n`);
      return report.ok ? 0 : 1;
    }
    if (sub === 'export') {
      const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, key: { type: 'string' }, format: { type: 'string' } }, false);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
      const dir = dataDirOf(values['data-dir'], values.config ? loadConfigFile(values.config, process.env, { lenientEnv: true }) : undefined);
      const rows = entriesForKey(openDatabase(dir), values.key);
      if (format === 'json') process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
      else process.stdout.write([COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n');
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: verify or export');
  },
};

export default ledger;
