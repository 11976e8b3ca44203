import fs from 'node:fs';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { initYaml } from '../../config/defaults.js';

const init: Command = {
  summary: 'write the built-in default configuration to trustrelay.yaml',
  usage: `Usage: trustrelay init [--output FILE] [--force]

Writes the configuration \`trustrelay serve\` would use without a config file, commented, with
API keys as \${VAR} references (never the values). Refuses to overwrite without --force.
`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean' } }, false);
    const file = values.output ?? 'trustrelay.yaml';
    if (file === '-') {
      process.stdout.write(initYaml());
      return 0;
    }
    if (fs.existsSync(file) && !values.force) {
      process.stderr.write(`trustrelay init: ${file} exists; use --force to overwrite\n`);
      return 1;
    }
    fs.writeFileSync(file, initYaml());
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  },
};

export default init;
