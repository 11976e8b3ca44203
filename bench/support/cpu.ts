import fs from 'node:fs';

/**
 * CPU seconds (user + system) a process has used so far, from /proc/PID/stat; undefined off Linux.
 * On a shared machine, requests/s swing with whatever else runs, but CPU time per request barely
 * does, so the bench reports it next to throughput.
 */
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux (getconf CLK_TCK)

export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
