/** Small helpers shared by the relay benchmark's child processes. */

/** The value after `--name` in argv, or undefined. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Announces the child's address on stdout (one JSON line, read by the parent) and arranges a clean
 * exit: on SIGTERM/SIGINT, and when stdin closes (the parent died), so a child never outlives its bench.
 * A clean exit also lets `--cpu-prof` write its profile.
 */
export function ready(info: Record<string, unknown>, stop: () => Promise<void>): void {
  process.stdout.write(JSON.stringify(info) + '\n');
  let stopping = false;
  const quit = () => {
    if (stopping) return;
    stopping = true;
    const hard = setTimeout(() => process.exit(0), 2_000);
    hard.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  process.stdin.on('end', quit);
  process.stdin.on('error', quit);
  process.stdin.resume();
}
