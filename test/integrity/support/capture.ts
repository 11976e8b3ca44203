/** Captured output streams for running CLI commands in-process. */
export function captureIo(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { isTTY, write: (s: string) => (err.push(s), true) } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
