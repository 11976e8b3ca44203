import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Child processes of a benchmark: started with `node SCRIPT ARGS`, their address read from the first
 * stdout line (JSON), and always stopped when the benchmark ends, whether it finishes, fails, is
 * interrupted or times out. Children also quit on their own when their stdin closes (see common.ts),
 * so even a benchmark killed with SIGKILL leaves nothing behind.
 */

export interface Child<T> {
  name: string;
  proc: ChildProcess;
  info: T;
}

const live = new Set<ChildProcess>();

export async function startChild<T>(name: string, script: string, args: string[], opts: { execArgv?: string[]; timeoutMs?: number } = {}): Promise<Child<T>> {
  const proc = spawn(process.execPath, [...(opts.execArgv ?? []), script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(proc);
  proc.on('exit', () => live.delete(proc));
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4_000);
  });
  const info = await new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${name}: ${why}${stderr ? `\n${stderr}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no address within ${opts.timeoutMs ?? 15_000} ms`), opts.timeoutMs ?? 15_000);
    proc.once('exit', (code, signal) => fail(`exited early (${signal ?? code})`));
    proc.once('error', (err) => fail(err.message));
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${name}: expected a JSON line on stdout, got ${line.slice(0, 200)}`));
      }
    });
  });
  // Keep forwarding the child's complaints after start-up (silent gateway logs: this is errors only).
  proc.stderr!.on('data', (c: Buffer) => process.stderr.write(`[${name}] ${c.toString('utf8')}`));
  return { name, proc, info };
}

/** Stops one child: SIGTERM (it exits cleanly, writing any CPU profile), SIGKILL after `graceMs`. */
export function stopChild(proc: ChildProcess, graceMs = 5_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => stopChild(p)));
}

let installed = false;

/** Kills the children on every way out, and bounds the whole run by `limitMs`. */
export function installCleanup(limitMs: number): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const p of live) p.kill('SIGKILL');
  });
  const bail = (why: string, code: number) => {
    process.stderr.write(`bench: ${why}; stopping child processes\n`);
    stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => bail('interrupted', 130));
  process.once('SIGTERM', () => bail('terminated', 143));
  process.on('uncaughtException', (err) => bail(`error: ${err.stack ?? err.message}`, 1));
  process.on('unhandledRejection', (err) => bail(`error: ${(err as Error)?.stack ?? String(err)}`, 1));
  setTimeout(() => bail(`took longer than ${Math.round(limitMs / 1000)} s`, 2), limitMs).unref();
}
