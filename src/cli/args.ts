import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for a command-line usage error; the dispatcher prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses argv with node:util parseArgs, adding --help, and turns its errors into UsageError so
 * every command reports bad flags the same way (exit 2, one line on stderr).
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Parses a decimal integer option, or throws UsageError naming the flag. */
export function intOption(value: string | undefined, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Reads all of stdin as UTF-8 (for commands that take input on stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Iterates stdin line by line without loading it whole (for --jsonl commands). */
export async function* stdinLines(): AsyncGenerator<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

/** One valid record of a `{"id","text"}` JSONL stream. */
export interface TextRecord {
  id: unknown;
  text: string;
}

/**
 * Reads `{"id","text"}` JSON lines from stdin. A bad line is reported on stderr with its line
 * number and skipped, so one broken record loses nothing else; `bad()` counts them for the exit code.
 */
export function textRecords(): { records: AsyncGenerator<TextRecord>; bad: () => number } {
  let bad = 0;
  async function* records(): AsyncGenerator<TextRecord> {
    let n = 0;
    for await (const line of stdinLines()) {
      n++;
      if (line.trim() === '') continue;
      let rec: { id?: unknown; text?: unknown };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch (err) {
        bad++;
        process.stderr.write(`line ${n}: invalid JSON (${(err as Error).message})\n`);
        continue;
      }
      if (!rec || typeof rec !== 'object' || Array.isArray(rec) || typeof rec.text !== 'string') {
        bad++;
        process.stderr.write(`line ${n}: expected an object {"id", "text"} with a string "text"\n`);
        continue;
      }
      yield { id: rec.id ?? null, text: rec.text };
    }
  }
  return { records: records(), bad: () => bad };
}
