import { statusesFromDb } from '../../integrity/gateway-stage.js';
import { formatStatus } from '../../integrity/report.js';
import { openDatabase } from '../../store/sqlite.js';
import { loadConfigFile } from '../../config/load.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, STATE_OPTIONS } from '../common.js';

const upstreams: Command = {
  summary: 'integrity status of every upstream the gateway used (trusted, suspect, failed) with evidence',
  usage: `Usage: trustrelay upstreams [--json] [--config FILE] [--data-dir D]

Shows what the gateway's passive integrity checks concluded about each upstream, from the state it
persists every few seconds: status, evidence, latency and usage statistics. A failed upstream is
quarantined when integrity.quarantine is on; POST /admin/integrity/ID/reset clears it after review.
`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...STATE_OPTIONS, json: { type: 'boolean' } }, false);
    const cfg = values.config ? loadConfigFile(values.config, process.env, { lenientEnv: true }) : undefined;
    const statuses = statusesFromDb(openDatabase(dataDirOf(values['data-dir'], cfg)));
    if (values.json) process.stdout.write(JSON.stringify(statuses) + '\n');
    else if (!statuses.length) process.stdout.write('no upstream observed yet\n');
    else process.stdout.write(statuses.map(formatStatus).join('\n\n') + '\n');
    return statuses.some((s) => s.status === 'failed') ? 1 : 0;
  },
};

export default upstreams;
