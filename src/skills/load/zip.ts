import yauzl from 'yauzl';
import type { LoadIssue } from '../types.js';
import { safeMemberPath, symlinkStaysInside, type ArchiveContents } from './entries.js';
import type { ScanLimits } from './limits.js';

/**
 * Reads a zip archive held in memory with yauzl, never writing to disk. Member names are checked
 * by hand (absolute paths, `..`), symlinks are not followed, encrypted members are refused, and
 * both the declared ratio and the bytes actually inflated are capped so a zip bomb stops early.
 */
export function readZip(buf: Buffer, label: string, limits: ScanLimits, budget: { bytes: number }): Promise<ArchiveContents> {
  return new Promise((resolve) => {
    const out: ArchiveContents = { entries: [], issues: [] };
    const issue = (kind: LoadIssue['kind'], file: string, detail: string) => out.issues.push({ kind, file: `${label}!/${file}`, detail });
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        out.issues.push({ kind: 'corrupt', file: label, detail: `unreadable zip: ${err?.message ?? 'unknown error'}` });
        resolve(out);
        return;
      }
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        zip.close();
        resolve(out);
      };
      zip.on('error', (e: Error) => {
        out.issues.push({ kind: 'corrupt', file: label, detail: `zip error: ${e.message}` });
        finish();
      });
      zip.on('end', finish);
      zip.on('entry', (entry: yauzl.Entry) => {
        const rawName = Buffer.isBuffer(entry.fileName) ? (entry.fileName as unknown as Buffer).toString('utf8') : String(entry.fileName);
        const safe = safeMemberPath(rawName);
        if ('issue' in safe) {
          issue(safe.issue, rawName, safe.detail);
          zip.readEntry();
          return;
        }
        const name = safe.path;
        if (rawName.endsWith('/') || name === '' || name === '.') {
          zip.readEntry();
          return;
        }
        if (out.entries.length >= limits.maxFiles) {
          issue('too-many-files', name, `more than ${limits.maxFiles} members; the rest were not read`);
          finish();
          return;
        }
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        const isSymlink = mode === 0o120000;
        if (entry.isEncrypted()) {
          issue('encrypted', name, 'password-protected member cannot be inspected');
          zip.readEntry();
          return;
        }
        const declared = entry.uncompressedSize;
        const ratio = declared / Math.max(1, entry.compressedSize);
        if (declared > 1024 * 1024 && ratio > limits.maxRatio) {
          issue('bomb', name, `compression ratio ${Math.round(ratio)}:1 over ${limits.maxRatio}:1 (${declared} bytes declared)`);
          zip.readEntry();
          return;
        }
        if (declared > budget.bytes) {
          issue('bomb', name, `${declared} bytes uncompressed exceeds the remaining skill budget`);
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) {
            issue('corrupt', name, `unreadable member: ${e2?.message ?? 'unknown error'}`);
            zip.readEntry();
            return;
          }
          const chunks: Buffer[] = [];
          let total = 0;
          let aborted = false;
          stream.on('data', (c: Buffer) => {
            total += c.length;
            if (total > budget.bytes || total > declared) {
              if (!aborted) {
                aborted = true;
                issue('bomb', name, 'inflated data exceeds its declared size or the skill budget');
                stream.destroy();
                zip.readEntry();
              }
              return;
            }
            chunks.push(c);
          });
          stream.on('error', (e3: Error) => {
            if (aborted) return;
            aborted = true;
            issue('corrupt', name, `member data error: ${e3.message}`);
            zip.readEntry();
          });
          stream.on('end', () => {
            if (aborted) return;
            budget.bytes -= total;
            const data = Buffer.concat(chunks);
            if (isSymlink) {
              const target = data.toString('utf8');
              if (!symlinkStaysInside(name, target)) issue('symlink', name, `symlink to "${target}" points outside the archive`);
            } else if (mode !== 0 && mode !== 0o100000 && mode !== 0o040000) {
              issue('special-file', name, `member of file type ${mode.toString(8)} is not a regular file`);
            } else {
              out.entries.push({ path: name, data });
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
