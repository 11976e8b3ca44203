import path from 'node:path';
import type { LoadIssue } from '../types.js';

/** A file read out of an archive or a folder, before text decoding. */
export interface RawEntry {
  path: string;
  data: Buffer;
}

/** Result of reading an archive: safe regular files plus what was refused. */
export interface ArchiveContents {
  entries: RawEntry[];
  issues: LoadIssue[];
}

/**
 * Normalises an archive member name to a safe relative posix path, or explains why it is unsafe
 * (absolute, drive-letter, or escaping the root with `..`).
 */
export function safeMemberPath(name: string): { path: string } | { issue: LoadIssue['kind']; detail: string } {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) return { issue: 'absolute-path', detail: `absolute member path "${name}"` };
  const norm = path.posix.normalize(n);
  if (norm === '..' || norm.startsWith('../') || n.split('/').includes('..')) return { issue: 'traversal', detail: `member path "${name}" escapes the archive root` };
  return { path: norm.replace(/^\.\//, '').replace(/\/$/, '') };
}

/** True when a symlink at `member` pointing to `target` stays inside the archive root. */
export function symlinkStaysInside(member: string, target: string): boolean {
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target)) return false;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(member), target));
  return !(resolved === '..' || resolved.startsWith('../'));
}

export const ARCHIVE_EXT = /\.(zip|skill|tar\.gz|tgz)$/i;
/** Archive formats the scanner does not open: always fail closed. */
export const OPAQUE_ARCHIVE_EXT = /\.(rar|7z|tar|gz|bz2|xz|zst|cab|lzh|arj|ace|iso|dmg)$/i;

export function archiveKind(name: string, data?: Buffer): 'zip' | 'tgz' | 'opaque' | undefined {
  if (/\.(zip|skill)$/i.test(name)) return 'zip';
  if (/\.(tar\.gz|tgz)$/i.test(name)) return 'tgz';
  if (OPAQUE_ARCHIVE_EXT.test(name)) return 'opaque';
  if (data && data.length >= 4) {
    if (data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'zip';
    if (data[0] === 0x1f && data[1] === 0x8b) return 'tgz';
    if (data.subarray(0, 4).toString('latin1') === 'Rar!' || (data[0] === 0x37 && data[1] === 0x7a && data[2] === 0xbc && data[3] === 0xaf)) return 'opaque';
  }
  return undefined;
}
