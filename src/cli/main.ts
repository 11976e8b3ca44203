#!/usr/bin/env node
import { UsageError } from './args.js';
import type { Command } from './command.js';

/**
 * Subcommands, loaded lazily so `trustrelay dlp scan` does not pay for the gateway's imports.
 * Each name maps to src/cli/commands/<file>.ts, whose default export is a Command.
 */
const COMMANDS: Record<string, string> = {
  serve: 'serve',
  init: 'init',
  keys: 'keys',
  receipt: 'receipt',
  ledger: 'ledger',
  dlp: 'dlp',
  guard: 'guard',
  skills: 'skills',
  audit: 'audit',
  providers: 'providers',
  upstreams: 'upstreams',
};

async function load(name: string): Promise<Command | undefined> {
  const file = COMMANDS[name];
  if (!file) return undefined;
  try {
    const mod = (await import(`./commands/${file}.js`)) as { default: Command };
    return mod.default;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(`commands/${file}.js`)) return undefined;
    throw err;
  }
}

async function help(): Promise<string> {
  const lines = ['Usage: trustrelay <command> [options]', '', 'Commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const cmd = await load(name);
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  lines.push('', 'Run `trustrelay <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write('trustrelay 0.1.0\n');
    return 0;
  }
  const cmd = await load(name);
  if (!cmd) {
    process.stderr.write(`trustrelay: unknown command "${name}". Run \`trustrelay --help\` for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`trustrelay ${name}: ${err.message}\n(see \`trustrelay ${name} --help\`)\n`);
      return 2;
    }
    const e = err as Error & { userMessage?: string };
    process.stderr.write(`trustrelay ${name}: ${e.userMessage ?? e.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`trustrelay: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
