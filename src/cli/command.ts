/** One `trustrelay <name>` subcommand. Each lives in its own file under src/cli/commands/. */
export interface Command {
  /** One line for `trustrelay --help`. */
  summary: string;
  /** Full usage text printed for `--help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. Throw UsageError for bad arguments (exit 2). */
  run(argv: string[]): Promise<number>;
}
