import { ARCHIVE_EXT } from '../load/entries.js';
import { DEFAULT_LIMITS } from '../load/limits.js';
import type { LoadIssue, Severity } from '../types.js';
import type { Rule } from './rule.js';

const ISSUE_SEVERITY: Record<LoadIssue['kind'], Severity> = {
  traversal: 'high', 'absolute-path': 'high', symlink: 'high', bomb: 'high', encrypted: 'medium',
  oversize: 'medium', 'too-many-files': 'medium', 'nested-archive': 'medium', corrupt: 'medium', 'special-file': 'medium',
};

export const loadIssues: Rule = {
  id: 'failclosed.archive',
  category: 'fail-closed',
  severity: 'high',
  title: 'Hostile or unreadable content',
  rationale: 'Path traversal, absolute paths, symlinks out of the tree and decompression bombs are attacks on whoever unpacks the skill; nested, oversize or corrupt content cannot be analysed, so the skill cannot be called clean.',
  examples: {
    positive: [{ 'SKILL.md': '---\nname: ok\ndescription: OK.\n---\nBody.', 'vendor/tools.rar': 'Rar!\u001a\u0007\u0000' }],
    negative: [{ 'SKILL.md': '---\nname: ok\ndescription: OK.\n---\nBody.' }],
  },
  check(ctx, emit) {
    for (const i of ctx.skill.issues) emit({ message: `${i.kind}: ${i.detail}`, file: i.file, line: 0, severity: ISSUE_SEVERITY[i.kind] });
  },
};

type Magic = { kind: 'asset' | 'executable' | 'bytecode' | 'archive'; what: string; ext?: RegExp };
const MAGICS: [number[] | string, Magic][] = [
  [[0x89, 0x50, 0x4e, 0x47], { kind: 'asset', what: 'PNG image', ext: /\.png$/i }],
  [[0xff, 0xd8, 0xff], { kind: 'asset', what: 'JPEG image', ext: /\.jpe?g$/i }],
  ['GIF8', { kind: 'asset', what: 'GIF image', ext: /\.gif$/i }],
  ['RIFF', { kind: 'asset', what: 'RIFF media', ext: /\.(webp|wav|avi)$/i }],
  [[0x00, 0x00, 0x01, 0x00], { kind: 'asset', what: 'icon', ext: /\.ico$/i }],
  ['BM', { kind: 'asset', what: 'bitmap', ext: /\.bmp$/i }],
  [[0x00, 0x01, 0x00, 0x00], { kind: 'asset', what: 'TrueType font', ext: /\.(ttf|ttc)$/i }],
  ['OTTO', { kind: 'asset', what: 'OpenType font', ext: /\.otf$/i }],
  ['ttcf', { kind: 'asset', what: 'font collection', ext: /\.tt[cf]$/i }],
  ['wOFF', { kind: 'asset', what: 'WOFF font', ext: /\.woff$/i }],
  ['wOF2', { kind: 'asset', what: 'WOFF2 font', ext: /\.woff2$/i }],
  ['%PDF', { kind: 'asset', what: 'PDF document', ext: /\.pdf$/i }],
  ['ID3', { kind: 'asset', what: 'MP3 audio', ext: /\.mp3$/i }],
  ['OggS', { kind: 'asset', what: 'Ogg media', ext: /\.(ogg|oga|ogv|opus)$/i }],
  ['fLaC', { kind: 'asset', what: 'FLAC audio', ext: /\.flac$/i }],
  [[0x1a, 0x45, 0xdf, 0xa3], { kind: 'asset', what: 'WebM/Matroska video', ext: /\.(webm|mkv)$/i }],
  [[0x49, 0x49, 0x2a, 0x00], { kind: 'asset', what: 'TIFF image', ext: /\.tiff?$/i }],
  [[0x00, 0x05, 0x16, 0x07], { kind: 'asset', what: 'AppleDouble metadata', ext: /(^|\/)\._[^/]*$/ }],
  [[0x7f, 0x45, 0x4c, 0x46], { kind: 'executable', what: 'ELF executable' }],
  ['MZ', { kind: 'executable', what: 'Windows PE executable' }],
  [[0xcf, 0xfa, 0xed, 0xfe], { kind: 'executable', what: 'Mach-O executable' }],
  [[0xce, 0xfa, 0xed, 0xfe], { kind: 'executable', what: 'Mach-O executable' }],
  [[0xca, 0xfe, 0xba, 0xbe], { kind: 'bytecode', what: 'Java class or Mach-O universal binary' }],
  [[0x00, 0x61, 0x73, 0x6d], { kind: 'bytecode', what: 'WebAssembly module' }],
];

export function sniff(data: Buffer, path: string): Magic | undefined {
  for (const [sig, m] of MAGICS) {
    const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
    if (data.length >= bytes.length && data.subarray(0, bytes.length).equals(bytes)) return m;
  }
  if (/\.(mp4|m4a|mov|heic|avif)$/i.test(path) && data.subarray(4, 8).toString('latin1') === 'ftyp') return { kind: 'asset', what: 'ISO media', ext: /./ };
  if (/\.(pyc|pyo)$/i.test(path)) return { kind: 'bytecode', what: 'compiled Python bytecode' };
  return undefined;
}

export const binaries: Rule = {
  id: 'failclosed.binary',
  category: 'fail-closed',
  severity: 'medium',
  title: 'Binary or compiled content',
  rationale: 'Executables, bytecode and unknown binary data cannot be reviewed from source; images, fonts and PDFs whose bytes match their extension are inert assets and pass.',
  examples: {
    positive: [
      { 'SKILL.md': '---\nname: t\ndescription: T.\n---\nBody.', 'bin/helper': '\u007fELF\u0002\u0001\u0001\u0000\u0000\u0000\u0000' },
      { 'SKILL.md': '---\nname: t\ndescription: T.\n---\nBody.', 'assets/logo.png': 'MZ\u0090\u0000\u0003\u0000\u0000\u0000' },
    ],
    negative: [{ 'SKILL.md': '---\nname: t\ndescription: T.\n---\nBody.', 'assets/logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' }],
  },
  check(ctx, emit) {
    for (const f of ctx.skill.files) {
      if (ARCHIVE_EXT.test(f.path) && /^(PK|\x1f\x8b)/.test(f.data.subarray(0, 2).toString('latin1'))) continue; // opened and scanned
      const m = sniff(f.data, f.path);
      if (f.text !== undefined && (!m || m.kind === 'asset')) continue;
      if (m?.kind === 'asset') {
        if (m.ext && !m.ext.test(f.path)) emit({ message: `${m.what} named ${f.path}`, file: f.path, line: 0, severity: 'low' });
        continue;
      }
      if (m && m.kind !== 'archive') {
        const disguised = /\.(png|jpe?g|gif|txt|md|json|ya?ml|pdf|ttf|woff2?|svg|csv)$/i.test(f.path);
        emit({ message: `${m.what}${disguised ? ' disguised by its file name' : ''}; cannot be analysed`, file: f.path, line: 0, severity: disguised ? 'high' : 'medium' });
      } else if (f.text === undefined) {
        emit({ message: `unrecognised binary data (${f.size} bytes); cannot be analysed`, file: f.path, line: 0 });
      }
    }
  },
};

/** Finds a run of 200+ blank lines or 2000+ spaces that has more content after it, in one pass. */
export function findPadding(text: string): { line: number; what: string } | undefined {
  let line = 1;
  let blank = 0;
  let blankStart = 0;
  let spaces = 0;
  let lineHasContent = false;
  let found: { line: number; what: string } | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (!lineHasContent) {
        if (blank === 0) blankStart = line;
        blank++;
      } else blank = 0;
      line++;
      lineHasContent = false;
      spaces = 0;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      if (++spaces >= 2000 && !found) found = { line, what: `${spaces}+ spaces` };
      continue;
    }
    if (found) return found;
    if (blank >= 200) return { line: blankStart, what: `${blank} blank lines` };
    spaces = 0;
    lineHasContent = true;
  }
  return undefined;
}

export const oversizeAndPadding: Rule = {
  id: 'failclosed.padding',
  category: 'fail-closed',
  severity: 'medium',
  title: 'Oversize text or padding meant to truncate scanners',
  rationale: 'Scanners and reviewers often read only the start of a file; content pushed past thousands of blank lines or a huge text file is hidden from them.',
  examples: {
    positive: [{ 'SKILL.md': `---\nname: t\ndescription: T.\n---\nNormal text.${'\n'.repeat(400)}Now do the hidden step.` }],
    negative: [{ 'SKILL.md': '---\nname: t\ndescription: T.\n---\nText.\n\n\nMore text.' }],
  },
  check(ctx, emit) {
    for (const f of ctx.skill.files) {
      if (f.text === undefined) continue;
      if (f.size > DEFAULT_LIMITS.maxFileBytes) {
        emit({ message: `${f.size} bytes of text is over the ${DEFAULT_LIMITS.maxFileBytes}-byte analysis limit`, file: f.path, line: 0 });
        continue;
      }
      const pad = findPadding(f.text);
      if (pad) emit({ message: `content follows ${pad.what}`, file: f.path, line: pad.line });
    }
  },
};

export const frontmatterRule: Rule = {
  id: 'failclosed.frontmatter',
  category: 'fail-closed',
  severity: 'medium',
  title: 'Missing or unparseable SKILL.md frontmatter',
  rationale: 'Name, description and allowed-tools are how a skill states its purpose and permissions; without them neither people nor this scanner can judge what it should do.',
  examples: {
    positive: [
      { 'SKILL.md': '---\nname: t\ndescription: [unclosed\n---\nBody.' },
      { 'scripts/run.sh': 'echo hi\n' },
    ],
    negative: [{ 'SKILL.md': '---\nname: t\ndescription: "Does: things"\n---\nBody.' }],
  },
  check(ctx, emit) {
    if (ctx.skill.source !== 'folder' && ctx.skill.source !== 'archive') return;
    const has = ctx.skill.files.some((f) => f.depth === 0 && f.path.toLowerCase() === 'skill.md');
    if (!has) {
      emit({ message: 'no SKILL.md: purpose and permissions are undeclared', file: ctx.skill.path.split('/').pop() ?? '.', line: 0 });
      return;
    }
    const fm = ctx.frontmatter;
    if (!fm.present) emit({ message: 'SKILL.md has no YAML frontmatter', file: fm.file, line: 1 });
    else if (fm.error) emit({ message: `frontmatter does not parse: ${fm.error}`, file: fm.file, line: 1 });
    else if (!ctx.name || !ctx.description) emit({ message: 'frontmatter lacks name or description', file: fm.file, line: 1, severity: 'low' });
  },
};

export const FAILCLOSED_RULES = [loadIssues, binaries, oversizeAndPadding, frontmatterRule];
