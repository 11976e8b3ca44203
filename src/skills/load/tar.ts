import zlib from 'node:zlib';
import type { LoadIssue } from '../types.js';
import { safeMemberPath, symlinkStaysInside, type ArchiveContents } from './entries.js';
import type { ScanLimits } from './limits.js';

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
}

function octal(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    // GNU base-256 encoding for large sizes.
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + b[i];
    return n;
  }
  const s = cstr(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function paxPath(data: Buffer): string | undefined {
  // Records are "<len> key=value\n".
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.subarray(i, sp).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0 && rec.slice(0, eq) === 'path') return rec.slice(eq + 1);
    i += len;
  }
  return undefined;
}

/**
 * Reads a gzip-compressed tar archive held in memory. Decompression is capped (a gzip bomb fails
 * with an issue instead of exhausting memory); member names are checked like zip members; links
 * and device files are never materialised.
 */
export function readTarGz(buf: Buffer, label: string, limits: ScanLimits, budget: { bytes: number }): ArchiveContents {
  const out: ArchiveContents = { entries: [], issues: [] };
  const issue = (kind: LoadIssue['kind'], file: string, detail: string) => out.issues.push({ kind, file: `${label}!/${file}`, detail });
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(buf, { maxOutputLength: Math.max(1, budget.bytes) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) out.issues.push({ kind: 'bomb', file: label, detail: `decompresses to more than ${budget.bytes} bytes` });
    else out.issues.push({ kind: 'corrupt', file: label, detail: `unreadable gzip: ${e.message}` });
    return out;
  }
  if (tar.length > limits.maxRatio * Math.max(buf.length, 64 * 1024)) {
    out.issues.push({ kind: 'bomb', file: label, detail: `compression ratio ${Math.round(tar.length / buf.length)}:1 over ${limits.maxRatio}:1` });
    return out;
  }
  budget.bytes -= tar.length;
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const prefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? cstr(h, 345, 155) : '';
    let name = longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
    longName = undefined;
    const dataStart = off + 512;
    if (!Number.isFinite(size) || size < 0 || dataStart + size > tar.length) {
      out.issues.push({ kind: 'corrupt', file: label, detail: `truncated member "${name}"` });
      break;
    }
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cstr(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data);
      continue;
    }
    if (type === 'g') continue;
    const safe = safeMemberPath(name);
    if ('issue' in safe) {
      issue(safe.issue, name, safe.detail);
      continue;
    }
    name = safe.path;
    if (type === '5' || name === '' || name === '.') continue;
    if (type === '2' || type === '1') {
      const target = cstr(h, 157, 100);
      const inside = type === '1' ? !('issue' in safeMemberPath(target)) : symlinkStaysInside(name, target);
      if (!inside) issue('symlink', name, `${type === '1' ? 'hard link' : 'symlink'} to "${target}" points outside the archive`);
      continue;
    }
    if (type !== '0' && type !== '7') {
      issue('special-file', name, `member of tar type "${type}" is not a regular file`);
      continue;
    }
    if (out.entries.length >= limits.maxFiles) {
      issue('too-many-files', name, `more than ${limits.maxFiles} members; the rest were not read`);
      break;
    }
    out.entries.push({ path: name, data: Buffer.from(data) });
  }
  return out;
}
